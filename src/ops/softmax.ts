/**
 * Softmax and log-softmax along one axis. `logSoftmax` is a fused op (one
 * kernel forward, one backward) rather than `x − logsumexp(x)`: the fused
 * form subtracts the maximum first and so is exact for logits of ±1e4, where
 * the composite loses ~1e-3 to float32 rounding (measured against PyTorch).
 * `softmax` is then `exp(logSoftmax)` and takes its gradient from the two.
 * @module
 */
import * as kernels from '../kernels/softmax.js';
import { normalizeDim, sizeOf } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { exp } from './unary.js';
import { assertTensor, record, result } from './record.js';

/**
 * Log-softmax along `dim`: `log(exp(x) / Σ exp(x))`, computed as
 * `(x − m) − log Σ exp(x − m)`. Finite for logits of ±1e4.
 * @param x - logits
 * @param dim - the axis over which probabilities sum to 1
 * @returns log-probabilities, same shape as `x`
 * @throws Error when `dim` is missing or out of range
 * @example logSoftmax(tensor([0, 0]), 0).toArray(); // [-0.6931, -0.6931]
 */
export function logSoftmax(x: Tensor, dim: number): Tensor {
  assertTensor(x, 'logSoftmax');
  if (dim === undefined) throw new Error('logSoftmax: dim is required (the axis that sums to 1)');
  const axis = normalizeDim(dim, x.ndim, 'logSoftmax');
  const outer = sizeOf(x.shape.slice(0, axis));
  const extent = x.shape[axis] ?? 1;
  const inner = sizeOf(x.shape.slice(axis + 1));
  const y = result(kernels.logSoftmax(x.data, outer, extent, inner), x.shape);
  return record('logSoftmax', y, [x], (dy) => [
    result(kernels.logSoftmaxBackward(y.data, dy.data, outer, extent, inner), x.shape),
  ]);
}

/**
 * Softmax along `dim`: `exp(logSoftmax(x, dim))`, so large logits neither
 * overflow nor turn into NaN.
 * @param x - logits
 * @param dim - the axis over which the result sums to 1
 * @returns probabilities, same shape as `x`
 * @throws Error when `dim` is missing or out of range
 * @example softmax(tensor([1, 1]), 0).toArray(); // [0.5, 0.5]
 */
export function softmax(x: Tensor, dim: number): Tensor {
  assertTensor(x, 'softmax');
  if (dim === undefined) throw new Error('softmax: dim is required (the axis that sums to 1)');
  normalizeDim(dim, x.ndim, 'softmax');
  return exp(logSoftmax(x, dim));
}
