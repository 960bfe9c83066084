/**
 * Softmax and log-softmax, composed from `logsumexp` (stable for logits of
 * ±1e4) so their gradients come from the ops they are made of.
 * @module
 */
import type { Tensor } from '../tensor/tensor.js';
import { normalizeDim } from '../tensor/shape.js';
import { sub } from './binary.js';
import { logsumexp } from './reduce.js';
import { exp } from './unary.js';
import { assertTensor } from './record.js';

/**
 * Log-softmax along `dim`: `x − logsumexp(x, dim)`. Finite for logits of
 * ±1e4 (no exp of a large number is ever taken).
 * @param x - logits
 * @param dim - the axis over which probabilities sum to 1
 * @returns log-probabilities, same shape as `x`
 * @throws Error when `dim` is out of range
 * @example logSoftmax(tensor([0, 0]), 0).toArray(); // [-0.6931, -0.6931]
 */
export function logSoftmax(x: Tensor, dim: number): Tensor {
  assertTensor(x, 'logSoftmax');
  if (dim === undefined) throw new Error('logSoftmax: dim is required (the axis that sums to 1)');
  normalizeDim(dim, x.ndim, 'logSoftmax');
  return sub(x, logsumexp(x, dim, true));
}

/**
 * Softmax along `dim`: `exp(logSoftmax(x, dim))`, so large logits neither
 * overflow nor turn into NaN.
 * @param x - logits
 * @param dim - the axis over which the result sums to 1
 * @returns probabilities, same shape as `x`
 * @throws Error when `dim` is out of range
 * @example softmax(tensor([1, 1]), 0).toArray(); // [0.5, 0.5]
 */
export function softmax(x: Tensor, dim: number): Tensor {
  assertTensor(x, 'softmax');
  if (dim === undefined) throw new Error('softmax: dim is required (the axis that sums to 1)');
  normalizeDim(dim, x.ndim, 'softmax');
  return exp(logSoftmax(x, dim));
}
