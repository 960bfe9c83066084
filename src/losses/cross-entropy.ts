/**
 * Cross-entropy from logits, with PyTorch's exact semantics for class
 * weights, `ignoreIndex`, label smoothing and probability targets. It is a
 * composite of stable pieces: the fused `logSoftmax` (exact for logits of
 * ±1e4), the fused label pick of {@link nllLoss}, and plain products and
 * sums for the smoothing and probability terms; every gradient comes from
 * those ops' rules.
 * @module
 */
import { add, mul } from '../ops/binary.js';
import { sum } from '../ops/reduce.js';
import { assertTensor } from '../ops/record.js';
import { logSoftmax } from '../ops/softmax.js';
import { neg } from '../ops/unary.js';
import { reshape } from '../ops/view.js';
import { formatShape, shapesEqual } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import {
  classLayout, classWeights, pickNegLogLikelihood, readLabels, reduceWeighted,
  type ClassLayout, type Labels, type NllLossOptions,
} from './nll.js';
import { checkNumber, checkReduction, type Reduction } from './reduction.js';

/** Options of {@link crossEntropy}. */
export interface CrossEntropyOptions extends NllLossOptions {
  /**
   * Mixes the target with the uniform distribution: `(1 − ε)·target + ε/C`
   * (default 0, must be in [0, 1]).
   */
  labelSmoothing?: number;
}

/**
 * Cross-entropy between logits and a target (like
 * `torch.nn.functional.cross_entropy`), computed through the fused
 * `logSoftmax` so that logits of ±1e4 give finite values and gradients.
 *
 * The target is either
 * - class labels, shape `[N]` / `[N, d1, …]` (an `Int32Array`, an array of
 *   numbers or an integer-valued tensor): the loss of a sample is
 *   `(1 − ε)·(−w[y]·log p[y]) + (ε/C)·Σ_c (−w[c]·log p[c])`, zero for a sample
 *   labelled `ignoreIndex`, and 'mean' divides the sum by `Σ w[y]` over the
 *   samples that are not ignored (their number when there are no weights);
 * - class probabilities, a tensor of the logits' shape: the loss of a sample
 *   is `−Σ_c w[c]·t[c]·log p[c]` with `t` smoothed as `(1 − ε)·t + ε/C`, and
 *   'mean' divides by the number of samples `N·d1·…`. This target gets a
 *   gradient too; `ignoreIndex` is not supported with it (as in PyTorch).
 * @param logits - `[N, C]`, `[N, C, d1, …]` (classes on axis 1) or an unbatched `[C]`
 * @param target - class labels or class probabilities, as above
 * @param options - `reduction` ('mean'), `labelSmoothing` (0), `ignoreIndex`
 *   (-100), `weight` (one per class, constant)
 * @returns the loss (per sample, shape `[N, d1, …]`, when `reduction` is 'none')
 * @throws Error naming the label and the class count for a label out of
 *   range, naming both shapes for a target of the wrong shape, and for
 *   non-integer labels, bad weights, `labelSmoothing` outside [0, 1], a
 *   non-negative `ignoreIndex` with probability targets, or an invalid `reduction`
 * @example
 * const logits = tensor([[2, 0, 0], [0, 0, 5]], { requiresGrad: true });
 * const loss = crossEntropy(logits, [0, 2]);       // mean over the 2 samples
 * loss.backward();                                  // logits.grad = (softmax − onehot) / 2
 * crossEntropy(logits, [0, 2], { labelSmoothing: 0.1, weight: [1, 1, 2] });
 */
export function crossEntropy(logits: Tensor, target: Labels, options: CrossEntropyOptions = {}): Tensor {
  const fn = 'crossEntropy';
  assertTensor(logits, fn, 'logits');
  const reduction = checkReduction(fn, options.reduction ?? 'mean');
  const smoothing = checkNumber(fn, 'labelSmoothing', options.labelSmoothing ?? 0, 0);
  if (smoothing > 1) throw new Error(`${fn}: labelSmoothing must be in [0, 1], got ${smoothing}`);
  const ignoreIndex = options.ignoreIndex ?? -100;
  if (!Number.isInteger(ignoreIndex)) throw new Error(`${fn}: ignoreIndex must be an integer, got ${ignoreIndex}`);
  const layout = classLayout(fn, logits, 'logits');
  const weight = classWeights(fn, options.weight, layout.classes);
  // An unbatched [C] input is a batch of one: [1, C].
  const batched = logits.ndim === 1 ? reshape(logits, [1, layout.classes]) : logits;
  const logProbs = logSoftmax(batched, 1);

  if (target instanceof Tensor && target.ndim === logits.ndim) {
    if (!shapesEqual(target.shape, logits.shape)) {
      throw new Error(
        `${fn}: probability target of shape ${formatShape(target.shape)} does not match logits of shape ${formatShape(logits.shape)} ` +
          `(class labels would have shape ${formatShape(layout.labelShape)})`,
      );
    }
    if (ignoreIndex >= 0) throw new Error(`${fn}: ignoreIndex is not supported with class-probability targets (got ${ignoreIndex})`);
    const probs = logits.ndim === 1 ? reshape(target, [1, layout.classes]) : target;
    return probabilityCrossEntropy(logProbs, probs, layout, weight, smoothing, reduction);
  }

  const labels = readLabels(fn, target, layout, ignoreIndex, logits.shape);
  const { losses, totalWeight } = pickNegLogLikelihood(logProbs, layout, labels, weight, ignoreIndex);
  if (smoothing === 0) return reduceWeighted(losses, reduction, totalWeight);
  // Smoothing term Σ_c −w[c]·log p[c] per sample, zero for ignored samples
  // (PyTorch's cross_entropy_loss_label_smoothing); 'mean' shares nll's divisor.
  let uniform = neg(sum(weight === null ? logProbs : mul(logProbs, classAxis(weight, logProbs.ndim)), 1));
  if (labels.includes(ignoreIndex)) uniform = mul(uniform, keptMask(labels, ignoreIndex, uniform.shape));
  const perSample = add(mul(losses, 1 - smoothing), mul(uniform, smoothing / layout.classes));
  return reduceWeighted(reshape(perSample, layout.labelShape), reduction, totalWeight);
}

/** `−Σ_c w[c]·t[c]·log p[c]` per sample, reduced; 'mean' divides by the sample count. */
function probabilityCrossEntropy(
  logProbs: Tensor, probs: Tensor, layout: ClassLayout, weight: Float32Array | null, smoothing: number, reduction: Reduction,
): Tensor {
  const smoothed = smoothing > 0 ? add(mul(probs, 1 - smoothing), smoothing / layout.classes) : probs;
  let terms = mul(logProbs, smoothed);
  if (weight !== null) terms = mul(terms, classAxis(weight, logProbs.ndim));
  const perSample = reshape(neg(sum(terms, 1)), layout.labelShape);
  return reduceWeighted(perSample, reduction, layout.batch * layout.inner);
}

/** Class weights as a constant `[1, C, 1, …]` tensor that broadcasts along axis 1. */
function classAxis(weight: Float32Array, ndim: number): Tensor {
  const shape = Array.from({ length: ndim }, (_, i) => (i === 1 ? weight.length : 1));
  return new Tensor(weight, shape);
}

/** A 0/1 mask over the samples: 0 where the label is `ignoreIndex`. */
function keptMask(labels: Int32Array, ignoreIndex: number, shape: readonly number[]): Tensor {
  const mask = new Float32Array(labels.length);
  for (let i = 0; i < labels.length; i++) mask[i] = labels[i] === ignoreIndex ? 0 : 1;
  return new Tensor(mask, shape);
}
