/**
 * Binary cross-entropy, from probabilities and from logits. Each rests on a
 * small fused elementwise op, because the composite forms are not stable
 * where it matters:
 * - from probabilities, PyTorch clamps each log term to ≥ −100 and divides
 *   the gradient by `max(x·(1 − x), 1e-12)`; composed of `log` and `clamp`,
 *   an input of exactly 0 or 1 gives a gradient of `0·∞ = NaN` instead;
 * - from logits, the stable composite `max(x, 0) − x·y + log(1 + e^−|x|)`
 *   has kinks at `x = 0` where `relu` and `abs` pass a gradient of 0, so it
 *   would report `−y` instead of `σ(0) − y = 0.5 − y` at the very common
 *   zero logit; the fused op uses the exact `σ(x) − y`.
 * Weights multiply the fused op's output as a plain (constant) product.
 * @module
 */
import { broadcastTo } from '../kernels/copy.js';
import { mul } from '../ops/binary.js';
import { record, result } from '../ops/record.js';
import { Tensor } from '../tensor/tensor.js';
import { checkReduction, checkSameShape, elementWeight, reduce, type ReductionOptions } from './reduction.js';

/** Options of {@link binaryCrossEntropy}. */
export interface BinaryCrossEntropyOptions extends ReductionOptions {
  /**
   * A weight per element, broadcast to the input's shape (a tensor, or a
   * flat array taken as 1-D); constant, as in PyTorch.
   */
  weight?: Tensor | readonly number[] | Float32Array;
}

/** Options of {@link binaryCrossEntropyWithLogits}. */
export interface BinaryCrossEntropyWithLogitsOptions extends BinaryCrossEntropyOptions {
  /**
   * Weight of the positive term, broadcast to the input's shape (typically
   * one per class, shape `[C]` for an input `[N, C]`): the loss becomes
   * `−w·(p·y·log σ(x) + (1 − y)·log(1 − σ(x)))`. Constant, as in PyTorch.
   */
  posWeight?: Tensor | readonly number[] | Float32Array;
}

/** PyTorch's floor on each log term of the binary cross-entropy. */
const LOG_FLOOR = -100;
/** PyTorch's floor on `x·(1 − x)` in the gradient of the binary cross-entropy. */
const GRAD_EPSILON = 1e-12;

/**
 * Elementwise `−(y·max(log x, −100) + (1 − y)·max(log(1 − x), −100))`,
 * recorded as the fused op `binaryCrossEntropy`. Gradients, as PyTorch's:
 * `dx = (x − y) / max(x·(1 − x), 1e-12)` and `dy = max(log(1 − x), −100) − max(log x, −100)`
 * (the derivative of the clamped loss; PyTorch leaves the target's log
 * terms unclamped, which only differs at x = 0 or 1, where it gives ±∞).
 */
function bceElementwise(x: Tensor, y: Tensor): Tensor {
  const n = x.size;
  const xs = x.data, ys = y.data;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const logP = Math.max(Math.log(xs[i]!), LOG_FLOOR);
    const logQ = Math.max(Math.log1p(-xs[i]!), LOG_FLOOR);
    out[i] = -(ys[i]! * logP + (1 - ys[i]!) * logQ);
  }
  return record('binaryCrossEntropy', result(out, x.shape), [x, y], (dy) => {
    const g = dy.data;
    const dx = new Float32Array(n);
    for (let i = 0; i < n; i++) dx[i] = (g[i]! * (xs[i]! - ys[i]!)) / Math.max(xs[i]! * (1 - xs[i]!), GRAD_EPSILON);
    let dTarget: Tensor | null = null;
    if (y.requiresGrad) {
      const dt = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        dt[i] = g[i]! * (Math.max(Math.log1p(-xs[i]!), LOG_FLOOR) - Math.max(Math.log(xs[i]!), LOG_FLOOR));
      }
      dTarget = result(dt, y.shape);
    }
    return [result(dx, x.shape), dTarget];
  });
}

/**
 * Elementwise `(1 − y)·x + (1 + (p − 1)·y)·softplus(−x)` with
 * `softplus(−x) = max(−x, 0) + log1p(e^−|x|)`, recorded as the fused op
 * `binaryCrossEntropyWithLogits`. Gradients: `dx = (1 + (p − 1)·y)·σ(x) − p·y`
 * and `dy = −x + (p − 1)·softplus(−x)`. `posWeight` is already broadcast to x.
 */
function bceWithLogitsElementwise(x: Tensor, y: Tensor, posWeight: Float32Array | null): Tensor {
  const n = x.size;
  const xs = x.data, ys = y.data;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const p = posWeight === null ? 1 : posWeight[i]!;
    out[i] = (1 - ys[i]!) * xs[i]! + (1 + (p - 1) * ys[i]!) * softplusOfNegative(xs[i]!);
  }
  return record('binaryCrossEntropyWithLogits', result(out, x.shape), [x, y], (dy) => {
    const g = dy.data;
    const dx = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const v = xs[i]!;
      const p = posWeight === null ? 1 : posWeight[i]!;
      // σ(x) without overflow: e^x / (1 + e^x) for x < 0
      const e = Math.exp(-Math.abs(v));
      const sigma = v >= 0 ? 1 / (1 + e) : e / (1 + e);
      dx[i] = g[i]! * ((1 + (p - 1) * ys[i]!) * sigma - p * ys[i]!);
    }
    let dTarget: Tensor | null = null;
    if (y.requiresGrad) {
      const dt = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        const p = posWeight === null ? 1 : posWeight[i]!;
        dt[i] = g[i]! * (-xs[i]! + (p - 1) * softplusOfNegative(xs[i]!));
      }
      dTarget = result(dt, y.shape);
    }
    return [result(dx, x.shape), dTarget];
  });
}

/** `softplus(−x) = log(1 + e^−x) = −log σ(x)`, as `max(−x, 0) + log1p(e^−|x|)`: no overflow for any x. */
function softplusOfNegative(x: number): number {
  return Math.max(-x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}

/**
 * Binary cross-entropy between probabilities and targets (like
 * `torch.nn.functional.binary_cross_entropy`):
 * `−w·(y·log x + (1 − y)·log(1 − x))` per element, each log clamped to
 * ≥ −100 as in PyTorch, so an input of exactly 0 or 1 gives a finite loss
 * (at most 100) and a finite gradient. Both arguments get gradients.
 * For raw scores prefer {@link binaryCrossEntropyWithLogits}, which is exact
 * where `sigmoid` saturates.
 * @param probs - probabilities in [0, 1], any shape
 * @param target - targets in [0, 1], the same shape
 * @param options - `reduction` ('mean'), `weight` (broadcast to the input)
 * @returns the loss (a scalar unless `reduction` is 'none')
 * @throws Error when the shapes differ, a value lies outside [0, 1], the
 *   weight does not broadcast, or `reduction` is invalid
 * @example binaryCrossEntropy(tensor([0.9, 0.2]), tensor([1, 0])).item(); // 0.1643 = −(log 0.9 + log 0.8) / 2
 */
export function binaryCrossEntropy(probs: Tensor, target: Tensor, options: BinaryCrossEntropyOptions = {}): Tensor {
  const fn = 'binaryCrossEntropy';
  const reduction = checkReduction(fn, options.reduction ?? 'mean');
  const [x, y] = checkSameShape(fn, probs, target, 'probs');
  checkUnitInterval(fn, 'probs', x.data);
  checkUnitInterval(fn, 'target', y.data);
  const weight = options.weight === undefined ? null : elementWeight(fn, 'weight', options.weight, x.shape);
  const losses = bceElementwise(x, y);
  return reduce(weight === null ? losses : mul(losses, weight), reduction);
}

/**
 * Binary cross-entropy from logits (like
 * `torch.nn.functional.binary_cross_entropy_with_logits`): the loss of
 * `sigmoid(logits)` against `target`, in the stable form
 * `max(x, 0) − x·y + log(1 + e^−|x|)`, finite for logits of any size. With
 * `posWeight = p`: `(1 − y)·x + (1 + (p − 1)·y)·log(1 + e^−x)`, computed
 * stably. Both `logits` and `target` get gradients.
 * @param logits - raw scores, any shape
 * @param target - targets (usually 0/1), the same shape
 * @param options - `reduction` ('mean'), `weight` and `posWeight` (each broadcast to the input)
 * @returns the loss (a scalar unless `reduction` is 'none')
 * @throws Error when the shapes differ, a weight does not broadcast, or
 *   `reduction` is invalid
 * @example binaryCrossEntropyWithLogits(tensor([0, 1e4]), tensor([1, 1])).item(); // 0.3466 = log 2 / 2
 */
export function binaryCrossEntropyWithLogits(
  logits: Tensor, target: Tensor, options: BinaryCrossEntropyWithLogitsOptions = {},
): Tensor {
  const fn = 'binaryCrossEntropyWithLogits';
  const reduction = checkReduction(fn, options.reduction ?? 'mean');
  const [x, y] = checkSameShape(fn, logits, target, 'logits');
  const weight = options.weight === undefined ? null : elementWeight(fn, 'weight', options.weight, x.shape);
  let posWeight: Float32Array | null = null;
  if (options.posWeight !== undefined) {
    const p = elementWeight(fn, 'posWeight', options.posWeight, x.shape);
    posWeight = broadcastTo(p.data, p.shape, x.shape);
  }
  const losses = bceWithLogitsElementwise(x, y, posWeight);
  return reduce(weight === null ? losses : mul(losses, weight), reduction);
}

/** Checks that every value lies in [0, 1] (PyTorch's check, naming the position). */
function checkUnitInterval(fn: string, name: string, values: Float32Array): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!(v >= 0 && v <= 1)) {
      throw new Error(`${fn}: every element of ${name} must be in [0, 1], got ${v} at position ${i}`);
    }
  }
}
