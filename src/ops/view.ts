/**
 * Views: ops that change only the shape and share the input's buffer
 * (reshape, flatten, squeeze, unsqueeze), plus `clone`, which copies.
 * All record as `reshape`: the gradient is the output's gradient reshaped.
 * @module
 */
import { formatShape, normalizeDim, sizeOf } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { assertTensor, record, result } from './record.js';

/** Shares `x`'s data under `shape`; gradients are reshaped back. */
function view(x: Tensor, shape: readonly number[]): Tensor {
  const y = result(x.data, shape);
  return record('reshape', y, [x], (dy) => [result(dy.data, x.shape)]);
}

/**
 * The same elements under a new shape, sharing the buffer. One dimension may
 * be -1 and is then inferred.
 * @param x - input
 * @param shape - the new shape
 * @returns the reshaped view
 * @throws Error when the element counts differ or `shape` is malformed
 * @example reshape(arange(6), [2, -1]).shape; // [2, 3]
 */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  assertTensor(x, 'reshape');
  if (!Array.isArray(shape)) throw new Error(`reshape: expected a shape array, got ${String(shape)}`);
  const inferred = shape.filter((d) => d === -1).length;
  const bad = shape.some((d) => !Number.isInteger(d) || d < -1);
  const known = shape.reduce((n, d) => (d === -1 ? n : n * d), 1);
  let resolved = [...shape];
  if (!bad && inferred === 1 && known > 0 && x.size % known === 0) {
    resolved = shape.map((d) => (d === -1 ? x.size / known : d));
  }
  if (bad || inferred > 1 || sizeOf(resolved) !== x.size || resolved.includes(-1)) {
    throw new Error(`reshape: cannot reshape a tensor of shape ${formatShape(x.shape)} (${x.size} elements) into ${formatShape(shape)}`);
  }
  return view(x, resolved);
}

/**
 * Merges the axes `start..end` (inclusive) into one, sharing the buffer.
 * @param x - input
 * @param start - first axis to merge (default 0)
 * @param end - last axis to merge (default -1)
 * @returns the flattened view
 * @throws Error when an axis is out of range or `start > end`
 * @example flatten(zeros([2, 3, 4]), 1).shape; // [2, 12]
 */
export function flatten(x: Tensor, start = 0, end = -1): Tensor {
  assertTensor(x, 'flatten');
  if (x.ndim === 0) return view(x, [1]);
  const s = normalizeDim(start, x.ndim, 'flatten');
  const e = normalizeDim(end, x.ndim, 'flatten');
  if (s > e) throw new Error(`flatten: start (${start}) comes after end (${end}) for a tensor of shape ${formatShape(x.shape)}`);
  const merged = x.shape.slice(s, e + 1).reduce((n, d) => n * d, 1);
  return view(x, [...x.shape.slice(0, s), merged, ...x.shape.slice(e + 1)]);
}

/**
 * Removes axes of size 1 — all of them, or only `dim` (a no-op when that
 * axis is not of size 1, as in PyTorch). Shares the buffer.
 * @param x - input
 * @param dim - the axis to remove
 * @returns the squeezed view
 * @throws Error when `dim` is out of range
 * @example squeeze(zeros([2, 1, 3])).shape; // [2, 3]
 */
export function squeeze(x: Tensor, dim?: number): Tensor {
  assertTensor(x, 'squeeze');
  if (dim === undefined) return view(x, x.shape.filter((d) => d !== 1));
  const axis = normalizeDim(dim, x.ndim, 'squeeze');
  if (x.ndim === 0 || x.shape[axis] !== 1) return view(x, x.shape);
  return view(x, x.shape.filter((_, i) => i !== axis));
}

/**
 * Inserts an axis of size 1 at position `dim` (in `[-ndim-1, ndim]`).
 * Shares the buffer.
 * @param x - input
 * @param dim - where the new axis goes
 * @returns the view
 * @throws Error when `dim` is out of range
 * @example unsqueeze(zeros([2, 3]), 0).shape; // [1, 2, 3]
 */
export function unsqueeze(x: Tensor, dim: number): Tensor {
  assertTensor(x, 'unsqueeze');
  const axis = normalizeDim(dim, x.ndim + 1, 'unsqueeze');
  return view(x, [...x.shape.slice(0, axis), 1, ...x.shape.slice(axis)]);
}

/**
 * A copy with its own buffer; gradients flow through unchanged.
 * @param x - input
 * @returns the copy
 * @example clone(x).data !== x.data; // true
 */
export function clone(x: Tensor): Tensor {
  assertTensor(x, 'clone');
  return record('clone', result(x.data.slice(), x.shape), [x], (dy) => [dy]);
}
