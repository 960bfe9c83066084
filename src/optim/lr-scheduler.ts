/**
 * Learning-rate schedulers (`optim.lrScheduler`): StepLR, ExponentialLR,
 * CosineAnnealingLR and ReduceLROnPlateau, computing exactly the values of
 * `torch.optim.lr_scheduler` (1.13) — the same recursive ("chainable")
 * formulas in the same order, so `getLastLr()` equals `get_last_lr()`.
 *
 * Call `scheduler.step()` once per epoch, after `optimizer.step()`.
 * @module
 */
import { Tensor } from '../tensor/tensor.js';
import { Optimizer } from './optimizer.js';

/** A scheduler's state: plain numbers, strings and arrays, JSON-serialisable. */
export type SchedulerStateDict = Record<string, number | string | number[] | null>;

/**
 * Base class of the epoch-driven schedulers (PyTorch's `_LRScheduler`).
 *
 * On construction each group's `initialLr` is set to its `lr` (unless
 * another scheduler already did) and the scheduler takes its initial step
 * (`lastEpoch` becomes 0). Each `step()` then increments `lastEpoch` and
 * writes the new learning rates into `optimizer.paramGroups[i].lr`.
 * @example
 * const scheduler = new lrScheduler.StepLR(opt, { stepSize: 30, gamma: 0.1 });
 * for (let epoch = 0; epoch < 100; epoch++) { train(); scheduler.step(); }
 */
export abstract class LRScheduler {
  /** The optimizer whose learning rates this scheduler sets. */
  readonly optimizer: Optimizer<any>;
  /** Each group's learning rate when the schedule started (`initialLr`). */
  baseLrs: number[];
  /** How many times `step()` was called, counting the initial step as epoch 0. */
  lastEpoch = -1;
  /** Learning rates set by the last `step()`. */
  protected lastLr: number[] = [];
  /** The scheduler's name in error messages. */
  protected readonly name: string;

  /**
   * @param name - the scheduler's name for error messages
   * @param optimizer - the optimizer to schedule
   * @throws Error when `optimizer` is not an Optimizer
   */
  protected constructor(name: string, optimizer: Optimizer<any>) {
    if (!(optimizer instanceof Optimizer)) {
      throw new Error(`${name}: expected an Optimizer, got ${optimizer === null ? 'null' : typeof optimizer}`);
    }
    this.name = name;
    this.optimizer = optimizer;
    for (const group of optimizer.paramGroups) group.initialLr ??= group.lr;
    this.baseLrs = optimizer.paramGroups.map((group) => group.initialLr!);
  }

  /** Takes the initial step; subclass constructors call it once their fields are set. */
  protected initialStep(): void {
    this.step();
  }

  /**
   * The learning rates for epoch `lastEpoch`, from the groups' current ones
   * (PyTorch's chainable `get_lr()`).
   * @returns one learning rate per parameter group
   */
  protected abstract computeLr(): number[];

  /** The hyper-parameters saved in the state dict besides the common fields. @returns name → value */
  protected abstract hyperParameters(): SchedulerStateDict;

  /**
   * Advances one epoch and sets every group's learning rate.
   * @example opt.step(); scheduler.step();
   */
  step(): void {
    this.lastEpoch += 1;
    const lrs = this.computeLr();
    this.optimizer.paramGroups.forEach((group, i) => { group.lr = lrs[i]!; });
    this.lastLr = this.optimizer.paramGroups.map((group) => group.lr);
  }

  /**
   * The learning rates set by the last `step()` (or by construction).
   * @returns one learning rate per parameter group
   * @example scheduler.getLastLr(); // [0.01]
   */
  getLastLr(): number[] {
    return [...this.lastLr];
  }

  /**
   * The scheduler's state (epoch, base and last learning rates and the
   * hyper-parameters), JSON-serialisable. The optimizer's learning rates
   * are saved by `optimizer.stateDict()`.
   * @returns the state
   * @example const saved = JSON.stringify(scheduler.stateDict());
   */
  stateDict(): SchedulerStateDict {
    return { ...this.hyperParameters(), lastEpoch: this.lastEpoch, baseLrs: [...this.baseLrs], lastLr: [...this.lastLr] };
  }

  /**
   * Restores a state saved by {@link LRScheduler.stateDict}, hyper-parameters
   * included (as PyTorch's `load_state_dict`).
   * @param dict - the saved state
   * @throws Error when a field is missing, has the wrong type, or the
   *   number of learning rates does not match the optimizer's groups
   * @example scheduler.loadStateDict(JSON.parse(saved));
   */
  loadStateDict(dict: SchedulerStateDict): void {
    const where = `${this.name}.loadStateDict`;
    const groups = this.optimizer.paramGroups.length;
    const hyper = this.hyperParameters();
    for (const key of Object.keys(hyper)) {
      if (typeof dict[key] !== typeof hyper[key]) throw new Error(`${where}: '${key}' must be a ${typeof hyper[key]}, got ${String(dict[key])}`);
    }
    if (typeof dict.lastEpoch !== 'number') throw new Error(`${where}: 'lastEpoch' must be a number, got ${String(dict.lastEpoch)}`);
    for (const key of ['baseLrs', 'lastLr'] as const) {
      const value = dict[key];
      if (!Array.isArray(value) || value.length !== groups || value.some((v) => typeof v !== 'number')) {
        throw new Error(`${where}: '${key}' must be ${groups} numbers (one per parameter group), got ${JSON.stringify(value)}`);
      }
    }
    this.setHyperParameters(dict);
    this.lastEpoch = dict.lastEpoch;
    this.baseLrs = [...(dict.baseLrs as number[])];
    this.lastLr = [...(dict.lastLr as number[])];
  }

  /** Sets the hyper-parameters from a checked state dict. @param dict - the saved state */
  protected abstract setHyperParameters(dict: SchedulerStateDict): void;
}

/** Throws unless `value` is a finite number satisfying `ok`. */
function check(where: string, name: string, value: unknown, ok: (v: number) => boolean, rule: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || !ok(value)) {
    throw new Error(`${where}: invalid ${name} ${String(value)} (${rule})`);
  }
  return value;
}

/** Options of {@link StepLR}. */
export interface StepLROptions {
  /** Decay every `stepSize` epochs (a positive integer). */
  stepSize: number;
  /** Multiplicative factor of the decay (default 0.1). */
  gamma?: number;
}

/**
 * Multiplies each group's learning rate by `gamma` every `stepSize` epochs
 * (`torch.optim.lr_scheduler.StepLR`): lr = initialLr · gamma^⌊epoch/stepSize⌋.
 * @example
 * const scheduler = new StepLR(opt, { stepSize: 30, gamma: 0.1 }); // 0.05 for 30 epochs, 0.005 for 30, …
 */
export class StepLR extends LRScheduler {
  /** Epochs between decays. */
  stepSize: number;
  /** Multiplicative factor of the decay. */
  gamma: number;

  /**
   * @param optimizer - the optimizer to schedule
   * @param options - `stepSize` (required), `gamma` (default 0.1)
   * @throws Error when `stepSize` is not a positive integer or `gamma` is not a finite number
   */
  constructor(optimizer: Optimizer<any>, options: StepLROptions) {
    super('StepLR', optimizer);
    const o = (options ?? {}) as Partial<StepLROptions>;
    this.stepSize = check('StepLR', 'stepSize', o.stepSize, (v) => Number.isInteger(v) && v > 0, 'must be a positive integer');
    this.gamma = check('StepLR', 'gamma', o.gamma ?? 0.1, () => true, 'must be a finite number');
    this.initialStep();
  }

  /** @returns the learning rates for `lastEpoch` */
  protected computeLr(): number[] {
    const { lastEpoch, stepSize, gamma } = this;
    return this.optimizer.paramGroups.map((group) =>
      lastEpoch === 0 || lastEpoch % stepSize !== 0 ? group.lr : group.lr * gamma);
  }

  /** @returns `{ stepSize, gamma }` */
  protected hyperParameters(): SchedulerStateDict {
    return { stepSize: this.stepSize, gamma: this.gamma };
  }

  /** Sets the hyper-parameters from a checked state. @param dict - the saved state */
  protected setHyperParameters(dict: SchedulerStateDict): void {
    this.stepSize = dict.stepSize as number;
    this.gamma = dict.gamma as number;
  }
}

/** Options of {@link ExponentialLR}. */
export interface ExponentialLROptions {
  /** Multiplicative factor of the decay per epoch. */
  gamma: number;
}

/**
 * Multiplies each group's learning rate by `gamma` every epoch
 * (`torch.optim.lr_scheduler.ExponentialLR`): lr = initialLr · gamma^epoch.
 * @example
 * const scheduler = new ExponentialLR(opt, { gamma: 0.95 });
 */
export class ExponentialLR extends LRScheduler {
  /** Multiplicative factor per epoch. */
  gamma: number;

  /**
   * @param optimizer - the optimizer to schedule
   * @param options - `gamma` (required)
   * @throws Error when `gamma` is not a finite number
   */
  constructor(optimizer: Optimizer<any>, options: ExponentialLROptions) {
    super('ExponentialLR', optimizer);
    const o = (options ?? {}) as Partial<ExponentialLROptions>;
    this.gamma = check('ExponentialLR', 'gamma', o.gamma, () => true, 'must be a finite number');
    this.initialStep();
  }

  /** @returns the learning rates for `lastEpoch` */
  protected computeLr(): number[] {
    return this.optimizer.paramGroups.map((group) => (this.lastEpoch === 0 ? group.lr : group.lr * this.gamma));
  }

  /** @returns `{ gamma }` */
  protected hyperParameters(): SchedulerStateDict {
    return { gamma: this.gamma };
  }

  /** Sets the hyper-parameters from a checked state. @param dict - the saved state */
  protected setHyperParameters(dict: SchedulerStateDict): void {
    this.gamma = dict.gamma as number;
  }
}

/** Options of {@link CosineAnnealingLR}. */
export interface CosineAnnealingLROptions {
  /** Half-period: epochs from the initial learning rate down to `etaMin`. */
  tMax: number;
  /** The minimum learning rate (default 0). */
  etaMin?: number;
}

/**
 * Cosine annealing (`torch.optim.lr_scheduler.CosineAnnealingLR`) with
 * PyTorch's recursive formula, which keeps rising again after `tMax`
 * epochs (a period of 2·tMax, without restarts):
 * ```
 * lrₜ = etaMin + (lrₜ₋₁ − etaMin) · (1 + cos(π·t/tMax)) / (1 + cos(π·(t−1)/tMax))
 * ```
 * (and `lrₜ₋₁ + (initialLr − etaMin)·(1 − cos(π/tMax))/2` at the bottom of
 * each period, where the ratio is undefined). Without outside changes to
 * the learning rate it equals `etaMin + (initialLr − etaMin)·(1 + cos(π·t/tMax))/2`.
 * @example
 * const scheduler = new CosineAnnealingLR(opt, { tMax: 50, etaMin: 1e-5 });
 */
export class CosineAnnealingLR extends LRScheduler {
  /** Half-period in epochs. */
  tMax: number;
  /** The minimum learning rate. */
  etaMin: number;

  /**
   * @param optimizer - the optimizer to schedule
   * @param options - `tMax` (required), `etaMin` (default 0)
   * @throws Error when `tMax` is not positive or `etaMin` is not a finite number
   */
  constructor(optimizer: Optimizer<any>, options: CosineAnnealingLROptions) {
    super('CosineAnnealingLR', optimizer);
    const o = (options ?? {}) as Partial<CosineAnnealingLROptions>;
    this.tMax = check('CosineAnnealingLR', 'tMax', o.tMax, (v) => v > 0, 'must be > 0');
    this.etaMin = check('CosineAnnealingLR', 'etaMin', o.etaMin ?? 0, () => true, 'must be a finite number');
    this.initialStep();
  }

  /** @returns the learning rates for `lastEpoch` */
  protected computeLr(): number[] {
    const { lastEpoch: t, tMax, etaMin } = this;
    const groups = this.optimizer.paramGroups;
    if (t === 0) return groups.map((group) => group.lr);
    if ((t - 1 - tMax) % (2 * tMax) === 0) {
      // Bottom of a period: the ratio below would be 0/0.
      return groups.map((group, i) => group.lr + (this.baseLrs[i]! - etaMin) * (1 - Math.cos(Math.PI / tMax)) / 2);
    }
    return groups.map((group) =>
      (1 + Math.cos(Math.PI * t / tMax)) / (1 + Math.cos(Math.PI * (t - 1) / tMax)) * (group.lr - etaMin) + etaMin);
  }

  /** @returns `{ tMax, etaMin }` */
  protected hyperParameters(): SchedulerStateDict {
    return { tMax: this.tMax, etaMin: this.etaMin };
  }

  /** Sets the hyper-parameters from a checked state. @param dict - the saved state */
  protected setHyperParameters(dict: SchedulerStateDict): void {
    this.tMax = dict.tMax as number;
    this.etaMin = dict.etaMin as number;
  }
}

/** Options of {@link ReduceLROnPlateau} (PyTorch's names in camelCase, same defaults). */
export interface ReduceLROnPlateauOptions {
  /** `'min'`: reduce when the metric stops decreasing (a loss); `'max'`: stops increasing (an accuracy). Default `'min'`. */
  mode?: 'min' | 'max';
  /** Multiply the learning rate by this on a plateau, in [0, 1) (default 0.1). */
  factor?: number;
  /** Epochs without improvement to tolerate before reducing (default 10). */
  patience?: number;
  /** The least change that counts as an improvement (default 1e-4). */
  threshold?: number;
  /** `'rel'`: better than best·(1 ∓ threshold); `'abs'`: better than best ∓ threshold. Default `'rel'`. */
  thresholdMode?: 'rel' | 'abs';
  /** Epochs to wait after a reduction before counting bad epochs again (default 0). */
  cooldown?: number;
  /** Lower bound on the learning rate, one for all groups or one per group (default 0). */
  minLr?: number | number[];
  /** Reductions smaller than this are skipped (default 1e-8). */
  eps?: number;
}

/**
 * Reduces the learning rate when a metric has stopped improving
 * (`torch.optim.lr_scheduler.ReduceLROnPlateau`): after more than
 * `patience` epochs without improvement, each group's lr becomes
 * `max(lr·factor, minLr)`, then `cooldown` epochs pass before bad epochs
 * count again.
 * @example
 * const scheduler = new ReduceLROnPlateau(opt, { patience: 5, factor: 0.5 });
 * for (let epoch = 0; epoch < 100; epoch++) { train(); scheduler.step(validationLoss()); }
 */
export class ReduceLROnPlateau {
  /** The optimizer whose learning rates this scheduler sets. */
  readonly optimizer: Optimizer<any>;
  /** Whether lower (`'min'`) or higher (`'max'`) metrics are better. */
  mode: 'min' | 'max';
  /** Multiplicative factor of a reduction. */
  factor: number;
  /** Bad epochs tolerated before a reduction. */
  patience: number;
  /** The least change that counts as an improvement. */
  threshold: number;
  /** Whether `threshold` is relative or absolute. */
  thresholdMode: 'rel' | 'abs';
  /** Epochs to wait after a reduction. */
  cooldown: number;
  /** Lower bound on each group's learning rate. */
  minLrs: number[];
  /** Reductions smaller than this are skipped. */
  eps: number;
  /** The best metric so far (±Infinity before the first step). */
  best: number;
  /** Consecutive epochs without improvement. */
  numBadEpochs = 0;
  /** Epochs of cooldown left. */
  cooldownCounter = 0;
  /** Number of `step(metric)` calls. */
  lastEpoch = 0;
  private lastLr: number[];

  /**
   * @param optimizer - the optimizer to schedule
   * @param options - `mode`, `factor`, `patience`, `threshold`, `thresholdMode`, `cooldown`, `minLr`, `eps`
   * @throws Error when `optimizer` is not an Optimizer, `mode` or
   *   `thresholdMode` is unknown, `factor` is outside [0, 1), a count is
   *   not a non-negative integer, or `minLr` has the wrong length
   */
  constructor(optimizer: Optimizer<any>, options: ReduceLROnPlateauOptions = {}) {
    const where = 'ReduceLROnPlateau';
    if (!(optimizer instanceof Optimizer)) {
      throw new Error(`${where}: expected an Optimizer, got ${optimizer === null ? 'null' : typeof optimizer}`);
    }
    this.optimizer = optimizer;
    const o = options ?? {};
    const groups = optimizer.paramGroups.length;
    this.mode = o.mode ?? 'min';
    this.thresholdMode = o.thresholdMode ?? 'rel';
    this.factor = check(where, 'factor', o.factor ?? 0.1, (v) => v >= 0 && v < 1, 'must be in [0, 1)');
    this.patience = check(where, 'patience', o.patience ?? 10, (v) => Number.isInteger(v) && v >= 0, 'must be an integer >= 0');
    this.threshold = check(where, 'threshold', o.threshold ?? 1e-4, (v) => v >= 0, 'must be >= 0');
    this.cooldown = check(where, 'cooldown', o.cooldown ?? 0, (v) => Number.isInteger(v) && v >= 0, 'must be an integer >= 0');
    this.eps = check(where, 'eps', o.eps ?? 1e-8, (v) => v >= 0, 'must be >= 0');
    const minLr = o.minLr ?? 0;
    if (Array.isArray(minLr) && minLr.length !== groups) {
      throw new Error(`${where}: expected ${groups} minLr values (one per parameter group), got ${minLr.length}`);
    }
    this.minLrs = (Array.isArray(minLr) ? minLr : new Array<number>(groups).fill(minLr))
      .map((v) => check(where, 'minLr', v, (x) => x >= 0, 'must be >= 0'));
    this.checkModes(where);
    this.best = this.worst();
    this.lastLr = optimizer.paramGroups.map((group) => group.lr);
  }

  /**
   * Records one epoch's metric and reduces the learning rates after more
   * than `patience` epochs without improvement.
   * @param metric - the monitored value (a number or a one-element tensor)
   * @throws Error when `metric` is not a number or one-element tensor
   * @example scheduler.step(valLoss);
   */
  step(metric: number | Tensor): void {
    const current = metric instanceof Tensor ? metric.item() : metric;
    if (typeof current !== 'number') throw new Error(`ReduceLROnPlateau.step: metric must be a number or a one-element Tensor, got ${typeof metric}`);
    this.lastEpoch += 1;
    if (this.isBetter(current, this.best)) {
      this.best = current;
      this.numBadEpochs = 0;
    } else {
      this.numBadEpochs += 1;
    }
    if (this.cooldownCounter > 0) {
      this.cooldownCounter -= 1;
      this.numBadEpochs = 0; // bad epochs in cooldown do not count
    }
    if (this.numBadEpochs > this.patience) {
      this.optimizer.paramGroups.forEach((group, i) => {
        const newLr = Math.max(group.lr * this.factor, this.minLrs[i]!);
        if (group.lr - newLr > this.eps) group.lr = newLr;
      });
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
    this.lastLr = this.optimizer.paramGroups.map((group) => group.lr);
  }

  /**
   * The groups' learning rates after the last `step()` (their current ones
   * before the first).
   * @returns one learning rate per parameter group
   * @example scheduler.getLastLr(); // [0.001]
   */
  getLastLr(): number[] {
    return [...this.lastLr];
  }

  /**
   * The scheduler's state, JSON-serialisable (`best` is `null` while it is
   * still ±Infinity, which JSON cannot hold).
   * @returns the state
   * @example const saved = JSON.stringify(scheduler.stateDict());
   */
  stateDict(): SchedulerStateDict {
    return {
      mode: this.mode, factor: this.factor, patience: this.patience, threshold: this.threshold,
      thresholdMode: this.thresholdMode, cooldown: this.cooldown, minLrs: [...this.minLrs], eps: this.eps,
      best: Number.isFinite(this.best) ? this.best : null,
      numBadEpochs: this.numBadEpochs, cooldownCounter: this.cooldownCounter, lastEpoch: this.lastEpoch,
      lastLr: [...this.lastLr],
    };
  }

  /**
   * Restores a state saved by {@link ReduceLROnPlateau.stateDict}.
   * @param dict - the saved state
   * @throws Error when a field is missing or has the wrong type or length
   * @example scheduler.loadStateDict(JSON.parse(saved));
   */
  loadStateDict(dict: SchedulerStateDict): void {
    const where = 'ReduceLROnPlateau.loadStateDict';
    const groups = this.optimizer.paramGroups.length;
    for (const key of ['factor', 'patience', 'threshold', 'cooldown', 'eps', 'numBadEpochs', 'cooldownCounter', 'lastEpoch']) {
      if (typeof dict[key] !== 'number') throw new Error(`${where}: '${key}' must be a number, got ${String(dict[key])}`);
    }
    for (const key of ['minLrs', 'lastLr']) {
      const value = dict[key];
      if (!Array.isArray(value) || value.length !== groups || value.some((v) => typeof v !== 'number')) {
        throw new Error(`${where}: '${key}' must be ${groups} numbers (one per parameter group), got ${JSON.stringify(value)}`);
      }
    }
    if (dict.best !== null && typeof dict.best !== 'number') throw new Error(`${where}: 'best' must be a number or null, got ${String(dict.best)}`);
    const mode = this.mode;
    const thresholdMode = this.thresholdMode;
    this.mode = dict.mode as 'min' | 'max';
    this.thresholdMode = dict.thresholdMode as 'rel' | 'abs';
    try {
      this.checkModes(where);
    } catch (error) {
      this.mode = mode;
      this.thresholdMode = thresholdMode;
      throw error;
    }
    this.factor = dict.factor as number;
    this.patience = dict.patience as number;
    this.threshold = dict.threshold as number;
    this.cooldown = dict.cooldown as number;
    this.eps = dict.eps as number;
    this.minLrs = [...(dict.minLrs as number[])];
    this.best = dict.best === null ? this.worst() : dict.best as number;
    this.numBadEpochs = dict.numBadEpochs as number;
    this.cooldownCounter = dict.cooldownCounter as number;
    this.lastEpoch = dict.lastEpoch as number;
    this.lastLr = [...(dict.lastLr as number[])];
  }

  private checkModes(where: string): void {
    if (this.mode !== 'min' && this.mode !== 'max') throw new Error(`${where}: mode must be 'min' or 'max', got ${String(this.mode)}`);
    if (this.thresholdMode !== 'rel' && this.thresholdMode !== 'abs') {
      throw new Error(`${where}: thresholdMode must be 'rel' or 'abs', got ${String(this.thresholdMode)}`);
    }
  }

  /** The starting `best`: the worst possible metric for the mode. */
  private worst(): number {
    return this.mode === 'min' ? Infinity : -Infinity;
  }

  private isBetter(a: number, best: number): boolean {
    if (this.mode === 'min') return this.thresholdMode === 'rel' ? a < best * (1 - this.threshold) : a < best - this.threshold;
    return this.thresholdMode === 'rel' ? a > best * (this.threshold + 1) : a > best + this.threshold;
  }
}
