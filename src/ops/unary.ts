/**
 * Elementwise functions of one tensor, each with its derivative beside it.
 * @module
 */
import * as kernels from '../kernels/elementwise.js';
import type { Tensor } from '../tensor/tensor.js';
import { mul, div, sub } from './binary.js';
import { assertTensor, record, result } from './record.js';

/**
 * Negation, `-x`.
 * @param x - input
 * @returns `-x`
 * @example neg(tensor([1, -2])).toArray(); // [-1, 2]
 */
export function neg(x: Tensor): Tensor {
  assertTensor(x, 'neg');
  const y = result(kernels.unary('neg', x.data), x.shape);
  return record('neg', y, [x], (dy) => [mul(dy, -1)]); // d(-x) = -1
}

/**
 * Exponential, `eˣ`.
 * @param x - input
 * @returns `eˣ`
 * @example exp(tensor([0, 1])).toArray(); // [1, 2.7182817]
 */
export function exp(x: Tensor): Tensor {
  assertTensor(x, 'exp');
  const y = result(kernels.unary('exp', x.data), x.shape);
  return record('exp', y, [x], (dy) => [mul(dy, y)]); // d/dx eˣ = eˣ
}

/**
 * Natural logarithm (NaN for negative inputs, -Infinity at 0).
 * @param x - input
 * @returns `ln x`
 * @example log(tensor([1, Math.E])).toArray(); // [0, 1]
 */
export function log(x: Tensor): Tensor {
  assertTensor(x, 'log');
  const y = result(kernels.unary('log', x.data), x.shape);
  return record('log', y, [x], (dy) => [div(dy, x)]); // d/dx ln x = 1/x
}

/**
 * Square root (NaN for negative inputs).
 * @param x - input
 * @returns `√x`
 * @example sqrt(tensor([4, 9])).toArray(); // [2, 3]
 */
export function sqrt(x: Tensor): Tensor {
  assertTensor(x, 'sqrt');
  const y = result(kernels.unary('sqrt', x.data), x.shape);
  return record('sqrt', y, [x], (dy) => [div(dy, mul(y, 2))]); // d/dx √x = 1/(2√x)
}

/**
 * Absolute value. Its gradient at 0 is 0, as in PyTorch.
 * @param x - input
 * @returns `|x|`
 * @example abs(tensor([-1.5, 2])).toArray(); // [1.5, 2]
 */
export function abs(x: Tensor): Tensor {
  assertTensor(x, 'abs');
  const y = result(kernels.unary('abs', x.data), x.shape);
  // d|x|/dx = sign(x)
  return record('abs', y, [x], (dy) => [mul(dy, result(kernels.unary('sign', x.data), x.shape))]);
}

/**
 * Logistic sigmoid, `1 / (1 + e⁻ˣ)`. Has its own op (not a composite of exp)
 * so that neither the value nor the gradient overflows for large |x|.
 * @param x - input
 * @returns `σ(x)` in (0, 1)
 * @example sigmoid(tensor([0])).item(); // 0.5
 */
export function sigmoid(x: Tensor): Tensor {
  assertTensor(x, 'sigmoid');
  const y = result(kernels.unary('sigmoid', x.data), x.shape);
  return record('sigmoid', y, [x], (dy) => [mul(dy, mul(y, sub(1, y)))]); // σ' = σ(1 − σ)
}

/**
 * Hyperbolic tangent.
 * @param x - input
 * @returns `tanh x` in (-1, 1)
 * @example tanh(tensor([0])).item(); // 0
 */
export function tanh(x: Tensor): Tensor {
  assertTensor(x, 'tanh');
  const y = result(kernels.unary('tanh', x.data), x.shape);
  return record('tanh', y, [x], (dy) => [mul(dy, sub(1, mul(y, y)))]); // tanh' = 1 − tanh²
}

/**
 * Rectified linear unit, `max(x, 0)`. Its gradient at 0 is 0, as in PyTorch.
 * @param x - input
 * @returns `relu(x)`
 * @example relu(tensor([-1, 2])).toArray(); // [0, 2]
 */
export function relu(x: Tensor): Tensor {
  assertTensor(x, 'relu');
  const y = result(kernels.unary('relu', x.data), x.shape);
  // relu'(x) = 1 where the output is positive, else 0: dy · step(y), fused
  // into one kernel (one pass, no mask buffer; ~16% of a LeNet step unfused)
  return record('relu', y, [x], (dy) => [result(kernels.reluBackward(y.data, dy.data), y.shape)]);
}

/**
 * Leaky ReLU: `x` for `x > 0`, else `negativeSlope · x`.
 * @param x - input
 * @param negativeSlope - slope for negative inputs (default 0.01, as PyTorch)
 * @returns the activation
 * @example leakyRelu(tensor([-2, 3]), 0.1).toArray(); // [-0.2, 3]
 */
export function leakyRelu(x: Tensor, negativeSlope = 0.01): Tensor {
  assertTensor(x, 'leakyRelu');
  if (!Number.isFinite(negativeSlope)) throw new Error(`leakyRelu: negativeSlope must be a finite number, got ${negativeSlope}`);
  const y = result(kernels.leakyRelu(x.data, negativeSlope), x.shape);
  return record('leakyRelu', y, [x], (dy) => {
    const slope = new Float32Array(x.size);
    for (let i = 0; i < slope.length; i++) slope[i] = x.data[i]! > 0 ? 1 : negativeSlope;
    return [mul(dy, result(slope, x.shape))];
  });
}

/**
 * Clamps every value into `[min, max]` (either bound may be omitted). The
 * gradient passes where `min ≤ x ≤ max`, as in PyTorch.
 * @param x - input
 * @param min - lower bound, or undefined
 * @param max - upper bound, or undefined
 * @returns the clamped tensor
 * @throws Error when both bounds are missing or a bound is NaN
 * @example clamp(tensor([-2, 0.5, 3]), 0, 1).toArray(); // [0, 0.5, 1]
 */
export function clamp(x: Tensor, min?: number, max?: number): Tensor {
  assertTensor(x, 'clamp');
  if (min === undefined && max === undefined) throw new Error('clamp: at least one of min and max must be given');
  if (Number.isNaN(min) || Number.isNaN(max)) throw new Error(`clamp: bounds must not be NaN, got min=${min}, max=${max}`);
  const lo = min ?? -Infinity;
  const hi = max ?? Infinity;
  const y = result(kernels.clamp(x.data, lo, hi), x.shape);
  return record('clamp', y, [x], (dy) => [mul(dy, result(kernels.insideMask(x.data, lo, hi), x.shape))]);
}
