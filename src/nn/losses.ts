/**
 * Losses as modules, for people coming from `torch.nn`: each holds its
 * options and `forward(input, target)` calls the function of the same name
 * in `losses` (so `nn` depends on `losses`, never the reverse). They have no
 * parameters; class weights are kept as constant tensors, not parameters.
 * @module
 */
import {
  binaryCrossEntropy, binaryCrossEntropyWithLogits, crossEntropy, huberLoss, l1Loss, mseLoss, nllLoss, smoothL1Loss,
  type BinaryCrossEntropyOptions, type BinaryCrossEntropyWithLogitsOptions, type ClassWeights, type CrossEntropyOptions,
  type HuberLossOptions, type Labels, type NllLossOptions, type Reduction, type ReductionOptions, type SmoothL1LossOptions,
} from '../losses/index.js';
import type { Tensor } from '../tensor/tensor.js';
import { Module } from './module.js';

/** `reduction=…` for printing, only when it is not the default. */
function reductionRepr(reduction: Reduction): string[] {
  return reduction === 'mean' ? [] : [`reduction=${reduction}`];
}

/**
 * Mean squared error as a module (like `torch.nn.MSELoss`); see `losses.mseLoss`.
 * @example
 * const criterion = new MSELoss();
 * criterion.forward(prediction, target).backward();
 */
export class MSELoss extends Module {
  /** 'mean', 'sum' or 'none'. */
  readonly reduction: Reduction;
  /** @param options - `reduction` (default 'mean') */
  constructor(options: ReductionOptions = {}) {
    super();
    this.reduction = options.reduction ?? 'mean';
  }
  /**
   * @param input - predictions
   * @param target - targets, the same shape
   * @returns the loss
   */
  forward(input: Tensor, target: Tensor): Tensor { return mseLoss(input, target, { reduction: this.reduction }); }
  override extraRepr(): string { return reductionRepr(this.reduction).join(', '); }
}

/**
 * Mean absolute error as a module (like `torch.nn.L1Loss`); see `losses.l1Loss`.
 * @example new L1Loss({ reduction: 'sum' }).forward(prediction, target);
 */
export class L1Loss extends Module {
  /** 'mean', 'sum' or 'none'. */
  readonly reduction: Reduction;
  /** @param options - `reduction` (default 'mean') */
  constructor(options: ReductionOptions = {}) {
    super();
    this.reduction = options.reduction ?? 'mean';
  }
  /**
   * @param input - predictions
   * @param target - targets, the same shape
   * @returns the loss
   */
  forward(input: Tensor, target: Tensor): Tensor { return l1Loss(input, target, { reduction: this.reduction }); }
  override extraRepr(): string { return reductionRepr(this.reduction).join(', '); }
}

/**
 * Smooth L1 loss as a module (like `torch.nn.SmoothL1Loss`); see `losses.smoothL1Loss`.
 * @example new SmoothL1Loss({ beta: 0.5 }).forward(prediction, target);
 */
export class SmoothL1Loss extends Module {
  /** 'mean', 'sum' or 'none'. */
  readonly reduction: Reduction;
  /** Where the loss turns from quadratic to linear. */
  readonly beta: number;
  /** @param options - `beta` (default 1), `reduction` (default 'mean') */
  constructor(options: SmoothL1LossOptions = {}) {
    super();
    this.reduction = options.reduction ?? 'mean';
    this.beta = options.beta ?? 1;
  }
  /**
   * @param input - predictions
   * @param target - targets, the same shape
   * @returns the loss
   */
  forward(input: Tensor, target: Tensor): Tensor {
    return smoothL1Loss(input, target, { reduction: this.reduction, beta: this.beta });
  }
  override extraRepr(): string { return [`beta=${this.beta}`, ...reductionRepr(this.reduction)].join(', '); }
}

/**
 * Huber loss as a module (like `torch.nn.HuberLoss`); see `losses.huberLoss`.
 * @example new HuberLoss({ delta: 2 }).forward(prediction, target);
 */
export class HuberLoss extends Module {
  /** 'mean', 'sum' or 'none'. */
  readonly reduction: Reduction;
  /** Where the loss turns from quadratic to linear. */
  readonly delta: number;
  /** @param options - `delta` (default 1), `reduction` (default 'mean') */
  constructor(options: HuberLossOptions = {}) {
    super();
    this.reduction = options.reduction ?? 'mean';
    this.delta = options.delta ?? 1;
  }
  /**
   * @param input - predictions
   * @param target - targets, the same shape
   * @returns the loss
   */
  forward(input: Tensor, target: Tensor): Tensor {
    return huberLoss(input, target, { reduction: this.reduction, delta: this.delta });
  }
  override extraRepr(): string { return [`delta=${this.delta}`, ...reductionRepr(this.reduction)].join(', '); }
}

/**
 * Cross-entropy from logits as a module (like `torch.nn.CrossEntropyLoss`);
 * see `losses.crossEntropy` for targets (labels or probabilities) and options.
 * @example
 * const criterion = new CrossEntropyLoss({ labelSmoothing: 0.1 });
 * const loss = criterion.forward(model.forward(images), labels); // logits [N, 10], labels [N]
 */
export class CrossEntropyLoss extends Module {
  /** 'mean', 'sum' or 'none'. */
  readonly reduction: Reduction;
  /** One weight per class, or undefined for none. */
  readonly weight: ClassWeights | undefined;
  /** The label value whose samples are skipped. */
  readonly ignoreIndex: number;
  /** How much of the target is mixed with the uniform distribution. */
  readonly labelSmoothing: number;
  /** @param options - `reduction` ('mean'), `labelSmoothing` (0), `ignoreIndex` (-100), `weight`, as `losses.crossEntropy` */
  constructor(options: CrossEntropyOptions = {}) {
    super();
    this.reduction = options.reduction ?? 'mean';
    this.weight = options.weight;
    this.ignoreIndex = options.ignoreIndex ?? -100;
    this.labelSmoothing = options.labelSmoothing ?? 0;
  }
  /**
   * @param input - logits `[N, C]`, `[N, C, d1, …]` or `[C]`
   * @param target - class labels or class probabilities
   * @returns the loss
   */
  forward(input: Tensor, target: Labels): Tensor {
    const { reduction, weight, ignoreIndex, labelSmoothing } = this;
    return crossEntropy(input, target, { reduction, weight, ignoreIndex, labelSmoothing });
  }
  override extraRepr(): string {
    return [
      ...(this.weight !== undefined ? ['weight'] : []),
      ...(this.ignoreIndex !== -100 ? [`ignoreIndex=${this.ignoreIndex}`] : []),
      ...(this.labelSmoothing !== 0 ? [`labelSmoothing=${this.labelSmoothing}`] : []),
      ...reductionRepr(this.reduction),
    ].join(', ');
  }
}

/**
 * Negative log-likelihood as a module (like `torch.nn.NLLLoss`); see `losses.nllLoss`.
 * @example
 * const model = new Sequential(new Dense(4, 3), new LogSoftmax(1));
 * new NLLLoss().forward(model.forward(x), labels);
 */
export class NLLLoss extends Module {
  /** 'mean', 'sum' or 'none'. */
  readonly reduction: Reduction;
  /** One weight per class, or undefined for none. */
  readonly weight: ClassWeights | undefined;
  /** The label value whose samples are skipped. */
  readonly ignoreIndex: number;
  /** @param options - `reduction` ('mean'), `ignoreIndex` (-100), `weight`, as `losses.nllLoss` */
  constructor(options: NllLossOptions = {}) {
    super();
    this.reduction = options.reduction ?? 'mean';
    this.weight = options.weight;
    this.ignoreIndex = options.ignoreIndex ?? -100;
  }
  /**
   * @param input - log-probabilities `[N, C]`, `[N, C, d1, …]` or `[C]`
   * @param target - class labels
   * @returns the loss
   */
  forward(input: Tensor, target: Labels): Tensor {
    const { reduction, weight, ignoreIndex } = this;
    return nllLoss(input, target, { reduction, weight, ignoreIndex });
  }
  override extraRepr(): string {
    return [
      ...(this.weight !== undefined ? ['weight'] : []),
      ...(this.ignoreIndex !== -100 ? [`ignoreIndex=${this.ignoreIndex}`] : []),
      ...reductionRepr(this.reduction),
    ].join(', ');
  }
}

/**
 * Binary cross-entropy on probabilities as a module (like `torch.nn.BCELoss`);
 * see `losses.binaryCrossEntropy`.
 * @example new BCELoss().forward(model.forward(x).sigmoid(), target);
 */
export class BCELoss extends Module {
  /** 'mean', 'sum' or 'none'. */
  readonly reduction: Reduction;
  /** Weights broadcast to the input, or undefined for none. */
  readonly weight: BinaryCrossEntropyOptions['weight'];
  /** @param options - `reduction` ('mean'), `weight`, as `losses.binaryCrossEntropy` */
  constructor(options: BinaryCrossEntropyOptions = {}) {
    super();
    this.reduction = options.reduction ?? 'mean';
    this.weight = options.weight;
  }
  /**
   * @param input - probabilities in [0, 1]
   * @param target - targets in [0, 1], the same shape
   * @returns the loss
   */
  forward(input: Tensor, target: Tensor): Tensor {
    return binaryCrossEntropy(input, target, { reduction: this.reduction, weight: this.weight });
  }
  override extraRepr(): string { return [...(this.weight !== undefined ? ['weight'] : []), ...reductionRepr(this.reduction)].join(', '); }
}

/**
 * Binary cross-entropy on logits as a module (like `torch.nn.BCEWithLogitsLoss`);
 * see `losses.binaryCrossEntropyWithLogits`.
 * @example new BCEWithLogitsLoss({ posWeight: tensor([3]) }).forward(model.forward(x), target);
 */
export class BCEWithLogitsLoss extends Module {
  /** 'mean', 'sum' or 'none'. */
  readonly reduction: Reduction;
  /** Weights broadcast to the input, or undefined for none. */
  readonly weight: BinaryCrossEntropyWithLogitsOptions['weight'];
  /** Weights of the positive term broadcast to the input, or undefined for none. */
  readonly posWeight: BinaryCrossEntropyWithLogitsOptions['posWeight'];
  /** @param options - `reduction` ('mean'), `weight`, `posWeight`, as `losses.binaryCrossEntropyWithLogits` */
  constructor(options: BinaryCrossEntropyWithLogitsOptions = {}) {
    super();
    this.reduction = options.reduction ?? 'mean';
    this.weight = options.weight;
    this.posWeight = options.posWeight;
  }
  /**
   * @param input - logits
   * @param target - targets, the same shape
   * @returns the loss
   */
  forward(input: Tensor, target: Tensor): Tensor {
    const { reduction, weight, posWeight } = this;
    return binaryCrossEntropyWithLogits(input, target, { reduction, weight, posWeight });
  }
  override extraRepr(): string {
    return [
      ...(this.weight !== undefined ? ['weight'] : []),
      ...(this.posWeight !== undefined ? ['posWeight'] : []),
      ...reductionRepr(this.reduction),
    ].join(', ');
  }
}
