/**
 * Cutting and joining: slice/narrow/split take ranges along an axis, concat
 * and stack join tensors, pad surrounds with a constant. All are strided
 * copies; each gradient is the matching copy in the other direction.
 * @module
 */
import { stridedCopy } from '../kernels/copy.js';
import { formatShape, normalizeDim, sizeOf, stridesOf } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { assertTensor, record, result } from './record.js';
import { unsqueeze } from './view.js';

/**
 * Elements `start, start + step, …` up to (not including) `end` along `dim`,
 * like Python's `x[..., start:end:step]`: negative indices count from the end
 * and out-of-range bounds are clamped. Copies.
 * @param x - input
 * @param dim - the axis to slice
 * @param start - first index
 * @param end - exclusive end
 * @param step - positive stride (default 1)
 * @returns the slice
 * @throws Error when `dim` is out of range or `step` is not a positive integer
 * @example slice(arange(6), 0, 1, 5, 2).toArray(); // [1, 3]
 */
export function slice(x: Tensor, dim: number, start: number, end: number, step = 1): Tensor {
  assertTensor(x, 'slice');
  if (x.ndim === 0) throw new Error('slice: cannot slice a scalar (shape [])');
  const axis = normalizeDim(dim, x.ndim, 'slice');
  if (!Number.isInteger(step) || step < 1) throw new Error(`slice: step must be a positive integer, got ${step}`);
  if (!Number.isInteger(start) || !Number.isInteger(end)) {
    throw new Error(`slice: start and end must be integers, got ${start} and ${end}`);
  }
  const extent = x.shape[axis]!;
  const clampIndex = (i: number): number => Math.min(Math.max(i < 0 ? i + extent : i, 0), extent);
  const from = clampIndex(start);
  const to = clampIndex(end);
  const length = Math.max(0, Math.ceil((to - from) / step));
  const shape = x.shape.map((d, i) => (i === axis ? length : d));
  const strides = stridesOf(x.shape);
  const offset = from * strides[axis]!;
  const sourceStrides = strides.map((s, i) => (i === axis ? s * step : s));
  const out = new Float32Array(sizeOf(shape));
  stridedCopy(shape, x.data, offset, sourceStrides, out, 0, stridesOf(shape));
  return record('slice', result(out, shape), [x], (dy) => {
    // Scatter the gradient back into the sliced positions; the rest get 0.
    const g = new Float32Array(x.size);
    stridedCopy(shape, dy.data, 0, stridesOf(shape), g, offset, sourceStrides);
    return [result(g, x.shape)];
  });
}

/**
 * `length` elements starting at `start` along `dim` (like `torch.narrow`).
 * Copies.
 * @param x - input
 * @param dim - the axis
 * @param start - first index (negative counts from the end)
 * @param length - how many elements
 * @returns the slice
 * @throws Error when the range does not fit in the axis
 * @example narrow(arange(6), 0, 2, 3).toArray(); // [2, 3, 4]
 */
export function narrow(x: Tensor, dim: number, start: number, length: number): Tensor {
  assertTensor(x, 'narrow');
  const axis = normalizeDim(dim, x.ndim, 'narrow');
  const extent = x.shape[axis] ?? 1;
  const from = start < 0 ? start + extent : start;
  if (!Number.isInteger(from) || !Number.isInteger(length) || from < 0 || length < 0 || from + length > extent) {
    throw new Error(
      `narrow: range start ${start}, length ${length} does not fit axis ${dim} of size ${extent} (shape ${formatShape(x.shape)})`,
    );
  }
  return slice(x, axis, from, from + length);
}

/**
 * Splits along `dim` into pieces of `splitSize` (the last may be smaller) or
 * into pieces of the listed sizes (which must add up to the axis' size).
 * @param x - input
 * @param splitSizeOrSections - a piece size, or every piece's size
 * @param dim - the axis (default 0)
 * @returns the pieces (copies)
 * @throws Error when the sizes are invalid or do not add up
 * @example split(arange(5), 2).map((t) => t.toArray()); // [[0, 1], [2, 3], [4]]
 */
export function split(x: Tensor, splitSizeOrSections: number | readonly number[], dim = 0): Tensor[] {
  assertTensor(x, 'split');
  const axis = normalizeDim(dim, x.ndim, 'split');
  const extent = x.shape[axis] ?? 1;
  let sizes: number[];
  if (typeof splitSizeOrSections === 'number') {
    const size = splitSizeOrSections;
    if (!Number.isInteger(size) || size < 1) throw new Error(`split: split size must be a positive integer, got ${size}`);
    sizes = [];
    for (let at = 0; at < extent; at += size) sizes.push(Math.min(size, extent - at));
  } else {
    sizes = [...splitSizeOrSections];
    const total = sizes.reduce((n, s) => n + s, 0);
    if (sizes.some((s) => !Number.isInteger(s) || s < 0) || total !== extent) {
      throw new Error(
        `split: sections [${sizes.join(',')}] must be non-negative integers adding up to ${extent} ` +
          `(axis ${dim} of shape ${formatShape(x.shape)})`,
      );
    }
  }
  let at = 0;
  return sizes.map((size) => {
    const piece = narrow(x, axis, at, size);
    at += size;
    return piece;
  });
}

/**
 * Joins tensors along an existing axis. All must have the same rank and
 * agree on every other axis.
 * @param tensors - the tensors to join (at least one)
 * @param dim - the axis to join along (default 0)
 * @returns the joined tensor
 * @throws Error when the list is empty or the shapes disagree
 * @example concat([tensor([1, 2]), tensor([3])]).toArray(); // [1, 2, 3]
 */
export function concat(tensors: readonly Tensor[], dim = 0): Tensor {
  if (!Array.isArray(tensors as unknown) || tensors.length === 0) throw new Error('concat: expected a non-empty array of tensors');
  tensors.forEach((t, i) => assertTensor(t, 'concat', `tensors[${i}]`));
  const first = tensors[0]!;
  if (first.ndim === 0) throw new Error('concat: cannot join scalars (shape []); use stack');
  const axis = normalizeDim(dim, first.ndim, 'concat');
  for (const t of tensors) {
    const agrees = t.ndim === first.ndim && t.shape.every((d, i) => i === axis || d === first.shape[i]);
    if (!agrees) {
      throw new Error(
        `concat: shapes ${tensors.map((u) => formatShape(u.shape)).join(', ')} do not match except in axis ${dim}`,
      );
    }
  }
  const shape = first.shape.map((d, i) => (i === axis ? tensors.reduce((n, t) => n + t.shape[axis]!, 0) : d));
  const outStrides = stridesOf(shape);
  const out = new Float32Array(sizeOf(shape));
  const offsets: number[] = [];
  let at = 0;
  for (const t of tensors) {
    offsets.push(at * outStrides[axis]!);
    stridedCopy(t.shape, t.data, 0, stridesOf(t.shape), out, at * outStrides[axis]!, outStrides);
    at += t.shape[axis]!;
  }
  return record('concat', result(out, shape), tensors, (dy) =>
    tensors.map((t, k) => {
      if (!t.requiresGrad) return null;
      const g = new Float32Array(t.size);
      stridedCopy(t.shape, dy.data, offsets[k]!, outStrides, g, 0, stridesOf(t.shape));
      return result(g, t.shape);
    }),
  );
}

/**
 * Joins same-shaped tensors along a new axis.
 * @param tensors - the tensors (at least one, all the same shape)
 * @param dim - where the new axis goes (default 0)
 * @returns the stacked tensor
 * @throws Error when the list is empty or the shapes differ
 * @example stack([tensor([1, 2]), tensor([3, 4])]).shape; // [2, 2]
 */
export function stack(tensors: readonly Tensor[], dim = 0): Tensor {
  if (!Array.isArray(tensors as unknown) || tensors.length === 0) throw new Error('stack: expected a non-empty array of tensors');
  tensors.forEach((t, i) => assertTensor(t, 'stack', `tensors[${i}]`));
  const first = tensors[0]!;
  for (const t of tensors) {
    if (t.ndim !== first.ndim || t.shape.some((d, i) => d !== first.shape[i])) {
      throw new Error(`stack: all tensors must have the same shape, got ${tensors.map((u) => formatShape(u.shape)).join(', ')}`);
    }
  }
  const axis = normalizeDim(dim, first.ndim + 1, 'stack');
  return concat(tensors.map((t) => unsqueeze(t, axis)), axis);
}

/**
 * Pads with a constant, like `torch.nn.functional.pad(x, pads, 'constant',
 * value)`: `pads` lists `[before, after]` pairs starting from the last axis.
 * @param x - input
 * @param pads - `[left, right]`, `[left, right, top, bottom]`, … (non-negative)
 * @param value - the fill value (default 0)
 * @returns the padded tensor
 * @throws Error when `pads` has odd length, too many pairs or negative entries
 * @example pad(tensor([1, 2]), [1, 2]).toArray(); // [0, 1, 2, 0, 0]
 */
export function pad(x: Tensor, pads: readonly number[], value = 0): Tensor {
  assertTensor(x, 'pad');
  if (!Array.isArray(pads as unknown) || pads.length % 2 !== 0 || pads.length / 2 > x.ndim) {
    throw new Error(
      `pad: pads must be [before, after] pairs for at most ${x.ndim} axes, got [${String(pads)}] for shape ${formatShape(x.shape)}`,
    );
  }
  if (pads.some((p) => !Number.isInteger(p) || p < 0)) {
    throw new Error(`pad: pads must be non-negative integers, got [${pads.join(',')}]`);
  }
  const before = x.shape.map(() => 0);
  const shape = [...x.shape];
  for (let pair = 0; pair < pads.length / 2; pair++) {
    const axis = x.ndim - 1 - pair;
    before[axis] = pads[2 * pair]!;
    shape[axis] = shape[axis]! + pads[2 * pair]! + pads[2 * pair + 1]!;
  }
  const outStrides = stridesOf(shape);
  const offset = before.reduce((n, b, i) => n + b * outStrides[i]!, 0);
  const out = new Float32Array(sizeOf(shape)).fill(value);
  stridedCopy(x.shape, x.data, 0, stridesOf(x.shape), out, offset, outStrides);
  return record('pad', result(out, shape), [x], (dy) => {
    const g = new Float32Array(x.size);
    stridedCopy(x.shape, dy.data, offset, outStrides, g, 0, stridesOf(x.shape));
    return [result(g, x.shape)];
  });
}
