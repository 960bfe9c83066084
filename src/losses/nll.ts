/**
 * Class labels and the negative log-likelihood loss. `nllLoss` rests on one
 * fused op (recorded as `nllLoss`) that picks `−w[y]·logProbs[n, y, …]` for
 * every sample in a single loop and scatters the gradient back in another.
 * It is fused rather than built from `gather`, a weight multiply and an
 * ignore mask because it does all three in one pass with no per-element
 * closure, never materialises an index tensor, and counts the total weight
 * that PyTorch's 'mean' divides by on the way.
 * @module
 */
import { div } from '../ops/binary.js';
import { sum } from '../ops/reduce.js';
import { assertTensor, record, result } from '../ops/record.js';
import { reshape } from '../ops/view.js';
import { formatShape, shapesEqual, sizeOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { checkReduction, type Reduction, type ReductionOptions } from './reduction.js';

/**
 * Integer class labels: an `Int32Array`, an array of numbers (flat,
 * row-major), or a tensor of integer values.
 */
export type Labels = Tensor | Int32Array | readonly number[];

/** Per-class weights: a 1-D tensor, a `Float32Array` or an array of numbers, one per class. */
export type ClassWeights = Tensor | Float32Array | readonly number[];

/** Options of {@link nllLoss}. */
export interface NllLossOptions extends ReductionOptions {
  /** Samples whose label equals this are skipped, in the loss and in the divisor of 'mean' (default -100). */
  ignoreIndex?: number;
  /** A weight per class (constant: it gets no gradient, as in PyTorch); 'mean' then divides by the summed weights of the labels. */
  weight?: ClassWeights;
}

/** A classification input seen as `[N, C, inner]`, plus the shape of one label per sample. */
export interface ClassLayout {
  /** Batch size `N` (1 for an unbatched `[C]` input). */
  batch: number;
  /** Number of classes `C` (the size of axis 1, or of axis 0 when unbatched). */
  classes: number;
  /** Product of the spatial axes `d1·d2·…` (1 when there are none). */
  inner: number;
  /** Shape of the labels and of the 'none' loss: `[N, d1, …]`, or `[]` when unbatched. */
  labelShape: number[];
}

/**
 * Reads the layout of logits or log-probabilities: `[N, C]`, `[N, C, d1, …]`
 * (PyTorch's layout, classes on axis 1) or an unbatched `[C]`.
 * @param fn - the loss's name, for the error message
 * @param x - the input
 * @param name - what the input is called in messages
 * @returns its layout
 * @throws Error naming `fn` for a scalar input
 */
export function classLayout(fn: string, x: Tensor, name: string): ClassLayout {
  if (x.ndim === 0) throw new Error(`${fn}: ${name} must have shape [N, C], [N, C, d1, …] or [C], got a scalar`);
  if (x.ndim === 1) return { batch: 1, classes: x.shape[0]!, inner: 1, labelShape: [] };
  return {
    batch: x.shape[0]!,
    classes: x.shape[1]!,
    inner: sizeOf(x.shape.slice(2)),
    labelShape: [x.shape[0]!, ...x.shape.slice(2)],
  };
}

/**
 * Validates class labels and returns them flat.
 * @param fn - the loss's name, for the error message
 * @param target - the labels
 * @param layout - the input's layout (the labels must have its `labelShape`)
 * @param ignoreIndex - a label value that is allowed anywhere and means "skip"
 * @param inputShape - the input's shape, for the error message
 * @returns one label per sample, row-major
 * @throws Error naming `fn` when the labels have the wrong shape or length,
 *   are not integers, or name a class outside `[0, C)`
 */
export function readLabels(fn: string, target: Labels, layout: ClassLayout, ignoreIndex: number, inputShape: readonly number[]): Int32Array {
  const count = sizeOf(layout.labelShape);
  let values: ArrayLike<unknown>;
  if (target instanceof Tensor) {
    if (!shapesEqual(target.shape, layout.labelShape)) {
      throw new Error(
        `${fn}: target of shape ${formatShape(target.shape)} does not fit input of shape ${formatShape(inputShape)}: ` +
          `expected class labels of shape ${formatShape(layout.labelShape)}`,
      );
    }
    values = target.data;
  } else if (Array.isArray(target) || ArrayBuffer.isView(target)) {
    values = target as ArrayLike<unknown>;
    if (values.length !== count) {
      throw new Error(
        `${fn}: ${values.length} labels for input of shape ${formatShape(inputShape)}: ` +
          `expected ${count} (one per sample, shape ${formatShape(layout.labelShape)})`,
      );
    }
  } else {
    throw new Error(`${fn}: target must be class labels (a Tensor, an Int32Array or an array of numbers), got ${target === null ? 'null' : typeof target}`);
  }
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const label = values[i];
    if (typeof label !== 'number' || !Number.isInteger(label)) {
      throw new Error(`${fn}: class labels must be integers, got ${String(label)} at position ${i}`);
    }
    if (label !== ignoreIndex && (label < 0 || label >= layout.classes)) {
      throw new Error(
        `${fn}: label ${label} at position ${i} is out of range for ${layout.classes} classes ` +
          `(expected 0 ≤ label < ${layout.classes}, or ignoreIndex ${ignoreIndex})`,
      );
    }
    labels[i] = label;
  }
  return labels;
}

/**
 * Reads per-class weights as a constant buffer.
 * @param fn - the loss's name, for the error message
 * @param weight - the weights, or undefined for none
 * @param classes - the number of classes they must cover
 * @returns the weights, or null when there are none
 * @throws Error naming `fn` when the weights are not one number per class
 */
export function classWeights(fn: string, weight: ClassWeights | undefined | null, classes: number): Float32Array | null {
  if (weight === undefined || weight === null) return null;
  let values: ArrayLike<unknown>;
  if (weight instanceof Tensor) {
    if (weight.ndim !== 1) throw new Error(`${fn}: weight must be 1-D with one entry per class, got shape ${formatShape(weight.shape)}`);
    values = weight.data;
  } else if (Array.isArray(weight) || ArrayBuffer.isView(weight)) {
    values = weight as ArrayLike<unknown>;
  } else {
    throw new Error(`${fn}: weight must be a Tensor or an array of numbers, got ${typeof weight}`);
  }
  if (values.length !== classes) {
    throw new Error(`${fn}: weight has ${values.length} entries but the input has ${classes} classes`);
  }
  const out = new Float32Array(classes);
  for (let c = 0; c < classes; c++) {
    const w = values[c];
    if (typeof w !== 'number') throw new Error(`${fn}: weight must hold numbers, got ${String(w)} at position ${c}`);
    out[c] = w;
  }
  return out;
}

/** What {@link pickNegLogLikelihood} returns. */
export interface PickedLosses {
  /** `−w[y]·logProbs[n, y, …]` per sample (0 for ignored ones), in the label shape. */
  losses: Tensor;
  /** `Σ w[y]` over the samples that are not ignored: the divisor of 'mean'. */
  totalWeight: number;
}

/**
 * The fused op behind {@link nllLoss}: for each sample, the negated
 * log-probability of its label, times the label's class weight; 0 where the
 * label is `ignoreIndex`. The gradient is `−w[y]·dy` at each picked entry and
 * 0 elsewhere. Labels must already be validated ({@link readLabels}).
 * @param logProbs - `[N, C, d1, …]` (or `[1, C]` for an unbatched input)
 * @param layout - its layout
 * @param labels - one validated label per sample
 * @param weight - per-class weights, or null for all ones
 * @param ignoreIndex - the label value to skip
 * @returns the per-sample losses (shape `layout.labelShape`) and the total weight
 */
export function pickNegLogLikelihood(
  logProbs: Tensor, layout: ClassLayout, labels: Int32Array, weight: Float32Array | null, ignoreIndex: number,
): PickedLosses {
  const { batch, classes, inner } = layout;
  const x = logProbs.data;
  const out = new Float32Array(batch * inner);
  let totalWeight = 0;
  for (let n = 0; n < batch; n++) {
    for (let k = 0; k < inner; k++) {
      const at = n * inner + k;
      const label = labels[at]!;
      if (label === ignoreIndex) continue;
      const w = weight === null ? 1 : weight[label]!;
      out[at] = -w * x[(n * classes + label) * inner + k]!;
      totalWeight += w;
    }
  }
  const losses = record('nllLoss', result(out, layout.labelShape), [logProbs], (dy) => {
    // d(−w·x[y])/dx[y] = −w; every other entry of the class axis gets 0.
    // Same walk as the forward loop, but a scatter into g where the forward gathers from x (its adjoint).
    const g = new Float32Array(logProbs.size);
    for (let n = 0; n < batch; n++) {
      for (let k = 0; k < inner; k++) {
        const at = n * inner + k;
        const label = labels[at]!;
        if (label === ignoreIndex) continue;
        const w = weight === null ? 1 : weight[label]!;
        g[(n * classes + label) * inner + k] = -w * dy.data[at]!;
      }
    }
    return [result(g, logProbs.shape)];
  });
  return { losses, totalWeight };
}

/**
 * Reduces per-sample classification losses the way PyTorch does: 'mean'
 * divides the sum by the total weight of the non-ignored labels (NaN when
 * every label is ignored, as in PyTorch).
 * @param losses - per-sample losses
 * @param reduction - the reduction
 * @param totalWeight - the divisor of 'mean'
 * @returns the reduced loss
 */
export function reduceWeighted(losses: Tensor, reduction: Reduction, totalWeight: number): Tensor {
  if (reduction === 'none') return losses;
  return reduction === 'sum' ? sum(losses) : div(sum(losses), totalWeight);
}

/**
 * Negative log-likelihood loss (like `torch.nn.functional.nll_loss`): the
 * negated log-probability of each sample's label, times the label's class
 * weight; samples labelled `ignoreIndex` count for nothing. 'mean' divides by
 * the summed weights of the counted labels (their number, without weights).
 * Pair it with `logSoftmax(logits, 1)`, or use {@link crossEntropy}.
 * @param logProbs - log-probabilities `[N, C]`, `[N, C, d1, …]` or `[C]`
 * @param target - class labels, shape `[N]`, `[N, d1, …]` or `[]`
 * @param options - `reduction` ('mean'), `ignoreIndex` (-100), `weight` (one per class)
 * @returns the loss (per sample, shape of `target`, when `reduction` is 'none')
 * @throws Error naming the label and the class count for a label out of
 *   range, naming both shapes for a target of the wrong shape, and for
 *   non-integer labels, bad weights or an invalid `reduction`
 * @example
 * const logProbs = logSoftmax(tensor([[2, 0], [0, 2]]), 1);
 * nllLoss(logProbs, [0, 1]).item(); // 0.1269 = −log σ(2)
 */
export function nllLoss(logProbs: Tensor, target: Labels, options: NllLossOptions = {}): Tensor {
  const fn = 'nllLoss';
  assertTensor(logProbs, fn, 'logProbs');
  const reduction = checkReduction(fn, options.reduction ?? 'mean');
  const ignoreIndex = options.ignoreIndex ?? -100;
  if (!Number.isInteger(ignoreIndex)) throw new Error(`${fn}: ignoreIndex must be an integer, got ${ignoreIndex}`);
  const layout = classLayout(fn, logProbs, 'logProbs');
  const labels = readLabels(fn, target, layout, ignoreIndex, logProbs.shape);
  const weight = classWeights(fn, options.weight, layout.classes);
  const input = logProbs.ndim === 1 ? reshape(logProbs, [1, layout.classes]) : logProbs;
  const { losses, totalWeight } = pickNegLogLikelihood(input, layout, labels, weight, ignoreIndex);
  return reduceWeighted(losses, reduction, totalWeight);
}
