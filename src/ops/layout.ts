/**
 * Ops that move elements: transpose/permute (a copy with permuted strides)
 * and expand (a copy with broadcast strides).
 * @module
 */
import { broadcastTo, stridedCopy } from '../kernels/copy.js';
import { formatShape, normalizeDim, sizeOf, stridesOf } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { assertTensor, record, result } from './record.js';

/**
 * Reorders the axes: output axis `i` is input axis `dims[i]`. Copies.
 * @param x - input
 * @param dims - a permutation of `0..ndim-1` (negative allowed)
 * @returns the permuted tensor
 * @throws Error when `dims` is not a permutation of the axes
 * @example permute(zeros([2, 3, 4]), [2, 0, 1]).shape; // [4, 2, 3]
 */
export function permute(x: Tensor, dims: readonly number[]): Tensor {
  assertTensor(x, 'permute');
  if (!Array.isArray(dims) || dims.length !== x.ndim) {
    throw new Error(`permute: expected ${x.ndim} axes for a tensor of shape ${formatShape(x.shape)}, got [${String(dims)}]`);
  }
  const order = dims.map((d) => normalizeDim(d, x.ndim, 'permute'));
  if (new Set(order).size !== order.length) {
    throw new Error(`permute: [${dims.join(',')}] is not a permutation of the axes of shape ${formatShape(x.shape)}`);
  }
  const shape = order.map((d) => x.shape[d]!);
  const inStrides = stridesOf(x.shape);
  const out = new Float32Array(x.size);
  stridedCopy(shape, x.data, 0, order.map((d) => inStrides[d]!), out, 0, stridesOf(shape));
  const inverse = new Array<number>(order.length);
  order.forEach((d, i) => (inverse[d] = i));
  return record('permute', result(out, shape), [x], (dy) => [permute(dy, inverse)]);
}

/**
 * Swaps axes `dim0` and `dim1`. Copies.
 * @param x - input
 * @param dim0 - one axis
 * @param dim1 - the other axis
 * @returns the transposed tensor
 * @throws Error when an axis is out of range
 * @example transpose(zeros([2, 3]), 0, 1).shape; // [3, 2]
 */
export function transpose(x: Tensor, dim0: number, dim1: number): Tensor {
  assertTensor(x, 'transpose');
  const a = normalizeDim(dim0, x.ndim, 'transpose');
  const b = normalizeDim(dim1, x.ndim, 'transpose');
  if (x.ndim < 2) return permute(x, x.shape.map((_, i) => i));
  const order = x.shape.map((_, i) => (i === a ? b : i === b ? a : i));
  return permute(x, order);
}

/**
 * Broadcasts `x` to `shape`: size-1 axes repeat, new leading axes may be
 * added, and -1 keeps an axis as it is. Copies. The gradient sums over the
 * repeated axes.
 * @param x - input
 * @param shape - the target shape
 * @returns the expanded tensor
 * @throws Error when an axis of size other than 1 would have to change
 * @example expand(tensor([[1], [2]]), [2, 3]).toArray(); // [[1, 1, 1], [2, 2, 2]]
 */
export function expand(x: Tensor, shape: readonly number[]): Tensor {
  assertTensor(x, 'expand');
  const offset = shape.length - x.ndim;
  const fail = (why: string): never => {
    throw new Error(`expand: cannot expand shape ${formatShape(x.shape)} to ${formatShape(shape)} (${why})`);
  };
  if (offset < 0) fail('the target has fewer axes');
  const target = shape.map((d, i) => {
    const own = i >= offset ? x.shape[i - offset]! : undefined;
    if (d === -1) return own ?? fail(`-1 is not allowed for the new leading axis ${i}`);
    if (!Number.isInteger(d) || d < 0) return fail(`axis ${i}: ${d} is not a valid size`);
    if (own !== undefined && own !== 1 && own !== d) fail(`axis ${i}: ${own} vs ${d}; only size-1 axes can grow`);
    return d;
  });
  const out = sizeOf(target) === 0 ? new Float32Array(0) : broadcastTo(x.data, x.shape, target);
  // The tape sums the broadcast gradient back to x's shape.
  return record('expand', result(out, target), [x], (dy) => [dy]);
}
