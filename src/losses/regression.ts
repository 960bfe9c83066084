/**
 * Regression losses: squared error, absolute error, and the two losses that
 * are quadratic near zero and linear beyond (smooth L1 and Huber). All are
 * composites of elementwise ops, which are exact here: no exponentials, no
 * cancellation beyond the one subtraction `input − target`.
 * @module
 */
import { abs } from '../ops/unary.js';
import { mul, sub } from '../ops/binary.js';
import { lt, where } from '../ops/compare.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkNumber, checkReduction, checkSameShape, reduce, type ReductionOptions } from './reduction.js';

/** Options of {@link smoothL1Loss}. */
export interface SmoothL1LossOptions extends ReductionOptions {
  /** Where the loss turns from quadratic to linear (default 1, must be ≥ 0; 0 gives the L1 loss). */
  beta?: number;
}

/** Options of {@link huberLoss}. */
export interface HuberLossOptions extends ReductionOptions {
  /** Where the loss turns from quadratic to linear (default 1, must be > 0). */
  delta?: number;
}

/**
 * Mean squared error: `(input − target)²` per element, then reduced (like
 * `torch.nn.functional.mse_loss`). Both arguments get gradients.
 * @param input - predictions, any shape
 * @param target - targets, the same shape
 * @param options - `reduction` ('mean' by default)
 * @returns the loss (a scalar unless `reduction` is 'none')
 * @throws Error when the shapes differ or `reduction` is invalid
 * @example mseLoss(tensor([1, 2]), tensor([1, 4])).item(); // 2 = (0² + 2²) / 2
 */
export function mseLoss(input: Tensor, target: Tensor, options: ReductionOptions = {}): Tensor {
  const reduction = checkReduction('mseLoss', options.reduction ?? 'mean');
  const [x, y] = checkSameShape('mseLoss', input, target);
  const d = sub(x, y);
  return reduce(mul(d, d), reduction);
}

/**
 * Mean absolute error: `|input − target|` per element, then reduced (like
 * `torch.nn.functional.l1_loss`; the gradient at equality is 0).
 * @param input - predictions, any shape
 * @param target - targets, the same shape
 * @param options - `reduction` ('mean' by default)
 * @returns the loss (a scalar unless `reduction` is 'none')
 * @throws Error when the shapes differ or `reduction` is invalid
 * @example l1Loss(tensor([1, 2]), tensor([1, 4])).item(); // 1 = (0 + 2) / 2
 */
export function l1Loss(input: Tensor, target: Tensor, options: ReductionOptions = {}): Tensor {
  const reduction = checkReduction('l1Loss', options.reduction ?? 'mean');
  const [x, y] = checkSameShape('l1Loss', input, target);
  return reduce(abs(sub(x, y)), reduction);
}

/**
 * Smooth L1 loss (like `torch.nn.functional.smooth_l1_loss`): with
 * `d = input − target`, `0.5·d²/β` where `|d| < β`, else `|d| − 0.5·β`.
 * `β = 0` is the L1 loss.
 * @param input - predictions, any shape
 * @param target - targets, the same shape
 * @param options - `beta` (default 1) and `reduction` ('mean' by default)
 * @returns the loss (a scalar unless `reduction` is 'none')
 * @throws Error when the shapes differ, `beta` is negative or `reduction` is invalid
 * @example smoothL1Loss(tensor([0, 0]), tensor([0.5, 3])).item(); // (0.125 + 2.5) / 2
 */
export function smoothL1Loss(input: Tensor, target: Tensor, options: SmoothL1LossOptions = {}): Tensor {
  const reduction = checkReduction('smoothL1Loss', options.reduction ?? 'mean');
  const beta = checkNumber('smoothL1Loss', 'beta', options.beta ?? 1, 0);
  const [x, y] = checkSameShape('smoothL1Loss', input, target);
  const d = sub(x, y);
  const size = abs(d);
  // NOTE: β = 0 would divide by zero in the quadratic branch; PyTorch also
  // falls back to the L1 loss there.
  if (beta === 0) return reduce(size, reduction);
  return reduce(where(lt(size, beta), mul(mul(d, d), 0.5 / beta), sub(size, 0.5 * beta)), reduction);
}

/**
 * Huber loss (like `torch.nn.functional.huber_loss`): with
 * `d = input − target`, `0.5·d²` where `|d| < δ`, else `δ·(|d| − 0.5·δ)`.
 * It equals `δ · smoothL1Loss` with `β = δ`.
 * @param input - predictions, any shape
 * @param target - targets, the same shape
 * @param options - `delta` (default 1) and `reduction` ('mean' by default)
 * @returns the loss (a scalar unless `reduction` is 'none')
 * @throws Error when the shapes differ, `delta` is not positive or `reduction` is invalid
 * @example huberLoss(tensor([0, 0]), tensor([0.5, 3])).item(); // (0.125 + 2.5) / 2
 */
export function huberLoss(input: Tensor, target: Tensor, options: HuberLossOptions = {}): Tensor {
  const reduction = checkReduction('huberLoss', options.reduction ?? 'mean');
  const delta = checkNumber('huberLoss', 'delta', options.delta ?? 1, 0, true);
  const [x, y] = checkSameShape('huberLoss', input, target);
  const d = sub(x, y);
  const size = abs(d);
  return reduce(where(lt(size, delta), mul(mul(d, d), 0.5), mul(sub(size, 0.5 * delta), delta)), reduction);
}
