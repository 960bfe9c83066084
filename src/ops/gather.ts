/**
 * Indexing by integer tensors: `gather` (one index per output element, like
 * `torch.gather`) and `indexSelect` (whole slices). Their gradients add the
 * output gradient back at the picked positions, so repeated indices add up.
 * @module
 */
import { forEachRow } from '../kernels/iterate.js';
import { formatShape, normalizeDim, sizeOf, stridesOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { assertTensor, record, result } from './record.js';

/** Checks that every index is an integer in `[0, extent)`. */
function checkIndices(op: string, indices: ArrayLike<number>, extent: number, dim: number, shape: readonly number[]): void {
  for (let i = 0; i < indices.length; i++) {
    const v = indices[i]!;
    if (!Number.isInteger(v) || v < 0 || v >= extent) {
      throw new Error(
        `${op}: index ${v} (at flat position ${i}) is out of range for axis ${dim} of size ${extent} (input shape ${formatShape(shape)})`,
      );
    }
  }
}

/**
 * Walks every element of `index` and pairs it with the input position it
 * names: calls `visit(inputOffset, outputOffset)` per element.
 */
function forEachGathered(
  inputShape: readonly number[], axis: number, index: Tensor,
  visit: (inputOffset: number, outputOffset: number) => void,
): void {
  const inStrides = stridesOf(inputShape);
  const axisStride = inStrides[axis]!;
  const alongOthers = inStrides.map((s, i) => (i === axis ? 0 : s));
  const idx = index.data;
  forEachRow(index.shape, [alongOthers, stridesOf(index.shape)], [0, 0], (o, n, s) => {
    const xi = o[0]!, ii = o[1]!, xs = s[0]!, is = s[1]!;
    for (let k = 0; k < n; k++) visit(xi + k * xs + idx[ii + k * is]! * axisStride, ii + k * is);
  });
}

/**
 * Gathers values along `dim`: `out[i][j][k] = x[i][index[i][j][k]][k]` for
 * `dim = 1` (like `torch.gather`). `index` has the rank of `x` and may be
 * smaller on the other axes; the output has `index`'s shape.
 * @param x - input
 * @param dim - the axis the indices point along
 * @param index - integer-valued tensor of indices
 * @returns the gathered values
 * @throws Error when ranks differ, `index` is larger than `x` on another
 *   axis, or an index is out of range
 * @example gather(tensor([[1, 2], [3, 4]]), 1, tensor([[1], [0]])).toArray(); // [[2], [3]]
 */
export function gather(x: Tensor, dim: number, index: Tensor): Tensor {
  assertTensor(x, 'gather');
  assertTensor(index, 'gather', 'index');
  const axis = normalizeDim(dim, x.ndim, 'gather');
  if (index.ndim !== x.ndim || index.shape.some((d, i) => i !== axis && d > x.shape[i]!)) {
    throw new Error(
      `gather: index of shape ${formatShape(index.shape)} does not fit input of shape ${formatShape(x.shape)} ` +
        `(same rank, and no larger on axes other than ${dim})`,
    );
  }
  checkIndices('gather', index.data, x.shape[axis] ?? 1, dim, x.shape);
  const out = new Float32Array(index.size);
  forEachGathered(x.shape, axis, index, (from, to) => { out[to] = x.data[from]!; });
  return record('gather', result(out, index.shape), [x, index], (dy) => {
    const g = new Float32Array(x.size);
    forEachGathered(x.shape, axis, index, (to, from) => { g[to] += dy.data[from]!; });
    return [result(g, x.shape), null];
  });
}

/**
 * Selects whole slices along `dim` by a 1-D list of indices (repeats allowed),
 * like `torch.index_select`.
 * @param x - input
 * @param dim - the axis to select along
 * @param index - indices as a 1-D tensor, array or Int32Array
 * @returns a tensor whose axis `dim` has `index.length` entries
 * @throws Error when `index` is not 1-D or an index is out of range
 * @example indexSelect(tensor([[1, 2], [3, 4]]), 0, [1, 1]).toArray(); // [[3, 4], [3, 4]]
 */
export function indexSelect(x: Tensor, dim: number, index: Tensor | readonly number[] | Int32Array): Tensor {
  assertTensor(x, 'indexSelect');
  if (index instanceof Tensor && index.ndim > 1) {
    throw new Error(`indexSelect: index must be 1-D, got shape ${formatShape(index.shape)}`);
  }
  const indices: ArrayLike<number> = index instanceof Tensor ? index.data : index;
  const axis = normalizeDim(dim, x.ndim, 'indexSelect');
  const extent = x.shape[axis] ?? 1;
  checkIndices('indexSelect', indices, extent, dim, x.shape);
  const outer = sizeOf(x.shape.slice(0, axis));
  const inner = sizeOf(x.shape.slice(axis + 1));
  const count = indices.length;
  const shape = x.ndim === 0 ? [count] : x.shape.map((d, i) => (i === axis ? count : d));
  const out = new Float32Array(outer * count * inner);
  // Each selected slice is `inner` contiguous values: copy rows, not elements.
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < count; k++) {
      const from = (o * extent + indices[k]!) * inner;
      out.set(x.data.subarray(from, from + inner), (o * count + k) * inner);
    }
  }
  return record('indexSelect', result(out, shape), [x], (dy) => {
    const g = new Float32Array(x.size);
    for (let o = 0; o < outer; o++) {
      for (let k = 0; k < count; k++) {
        const to = (o * extent + indices[k]!) * inner;
        const from = (o * count + k) * inner;
        for (let j = 0; j < inner; j++) g[to + j] += dy.data[from + j]!;
      }
    }
    return [result(g, x.shape)];
  });
}
