/**
 * Adam and AdamW (Adam with decoupled weight decay).
 * @module
 */
import { adamUpdate } from '../kernels/optim.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkBoolean, checkNonNegative, Optimizer, type GroupOptions, type ParamGroup, type ParamsArg, type StateKeys } from './optimizer.js';

/** Options of {@link Adam} and {@link AdamW} (PyTorch's names in camelCase, same defaults). */
export interface AdamOptions {
  /** Learning rate (default 1e-3). */
  lr?: number;
  /** Decay rates of the first- and second-moment averages, each in [0, 1) (default [0.9, 0.999]). */
  betas?: [number, number];
  /** Added to the bias-corrected √v in the denominator (default 1e-8). */
  eps?: number;
  /**
   * Weight decay: Adam adds `weightDecay·θ` to the gradient (L2, default 0);
   * AdamW multiplies θ by `1 − lr·weightDecay` before the update (default 1e-2).
   */
  weightDecay?: number;
  /** Use the maximum of all second-moment averages so far (AMSGrad; default false). */
  amsgrad?: boolean;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize?: boolean;
}

/** A parameter group of {@link Adam} / {@link AdamW}: its tensors and every option. */
export interface AdamParamGroup extends ParamGroup, Required<AdamOptions> {}

/** Adam's per-parameter state. */
type AdamState = { step: number; expAvg: Float32Array; expAvgSq: Float32Array; maxExpAvgSq?: Float32Array };

/**
 * Adam, exactly as `torch.optim.Adam` (1.13, single-tensor path). With
 * t the parameter's step count:
 * ```
 * g ← ∇θ (negated if maximize) + weightDecay·θ
 * m ← β₁·m + (1 − β₁)·g          v ← β₂·v + (1 − β₂)·g²
 * v̂ ← max(v̂, v) (amsgrad) or v
 * θ ← θ − lr/(1 − β₁ᵗ) · m / (√v̂ / √(1 − β₂ᵗ) + eps)
 * ```
 * Note where eps sits: it is added after the bias correction of √v.
 * @example
 * const opt = new Adam(model.parameters(), { lr: 1e-3 });
 * opt.zeroGrad(); loss.backward(); opt.step();
 */
export class Adam extends Optimizer<AdamParamGroup> {
  /** Whether weight decay is decoupled from the gradient (true for AdamW). */
  protected static readonly decoupled: boolean = false;

  /**
   * @param params - the tensors to optimize, or parameter groups with their own options
   * @param options - `lr`, `betas`, `eps`, `weightDecay`, `amsgrad`, `maximize`
   * @throws Error when `lr`, `eps` or `weightDecay` is negative, a beta is
   *   outside [0, 1), or the parameter list is empty or invalid
   */
  constructor(params: ParamsArg<AdamParamGroup>, options: AdamOptions = {}) {
    const decoupled = (new.target as typeof Adam).decoupled;
    const o = options ?? {};
    super(decoupled ? 'AdamW' : 'Adam', params, {
      lr: o.lr ?? 1e-3,
      betas: o.betas ? [...o.betas] as [number, number] : [0.9, 0.999],
      eps: o.eps ?? 1e-8,
      weightDecay: o.weightDecay ?? (decoupled ? 1e-2 : 0),
      amsgrad: o.amsgrad ?? false,
      maximize: o.maximize ?? false,
    });
  }

  /**
   * @param options - Adam's options
   * @param where - prefix for error messages
   * @throws Error naming the invalid option
   */
  protected checkOptions(options: GroupOptions<AdamParamGroup>, where: string): void {
    checkNonNegative(where, 'lr', options.lr);
    checkNonNegative(where, 'eps', options.eps);
    checkNonNegative(where, 'weightDecay', options.weightDecay);
    const { betas } = options;
    if (!Array.isArray(betas) || betas.length !== 2) {
      throw new Error(`${where}: betas must be a pair [beta1, beta2], got ${String(betas)}`);
    }
    betas.forEach((beta, i) => {
      if (typeof beta !== 'number' || !(beta >= 0 && beta < 1)) {
        throw new Error(`${where}: invalid beta parameter at index ${i}: ${String(beta)} (must be in [0, 1))`);
      }
    });
    checkBoolean(where, 'amsgrad', options.amsgrad);
    checkBoolean(where, 'maximize', options.maximize);
  }

  /** `step`, `expAvg`, `expAvgSq`, and `maxExpAvgSq` with amsgrad. @returns Adam's state names */
  protected stateKeys(): StateKeys {
    return { required: ['step', 'expAvg', 'expAvgSq'], optional: ['maxExpAvgSq'] };
  }

  /**
   * One Adam (or AdamW) update of `theta`, in place: the step's bias
   * corrections here, the per-element loop in `adamUpdate`
   * (`kernels/optim.ts`, WebAssembly SIMD on large tensors).
   * @param p - the parameter (keys its state)
   * @param theta - the parameter's values
   * @param grad - its gradient
   * @param group - its group's options
   */
  protected updateParam(p: Tensor, theta: Float32Array, grad: Float32Array, group: AdamParamGroup): void {
    const { lr, betas, eps, weightDecay, amsgrad, maximize } = group;
    const decoupled = (this.constructor as typeof Adam).decoupled;
    const n = theta.length;
    let state = this.state.get(p) as AdamState | undefined;
    if (state === undefined) {
      state = { step: 0, expAvg: new Float32Array(n), expAvgSq: new Float32Array(n) };
      this.state.set(p, state);
    }
    if (amsgrad && state.maxExpAvgSq === undefined) state.maxExpAvgSq = new Float32Array(n);
    const t = ++state.step;
    adamUpdate(theta, grad, state.expAvg, state.expAvgSq, amsgrad ? state.maxExpAvgSq! : null, {
      beta1: betas[0],
      beta2: betas[1],
      eps,
      stepSize: lr / (1 - betas[0] ** t),
      biasCorrection2Sqrt: Math.sqrt(1 - betas[1] ** t),
      // Adam folds weight decay into the gradient; AdamW shrinks θ first.
      weightDecay: decoupled ? 0 : weightDecay,
      shrink: decoupled ? 1 - lr * weightDecay : 1,
      maximize,
    });
  }
}

/**
 * AdamW, exactly as `torch.optim.AdamW` (1.13): Adam whose weight decay is
 * decoupled from the gradient, `θ ← θ·(1 − lr·weightDecay)` before the Adam
 * update, with a default `weightDecay` of 1e-2. Same options as {@link Adam}.
 * @example
 * const opt = new AdamW(model.parameters(), { lr: 1e-3, weightDecay: 0.05 });
 * opt.zeroGrad(); loss.backward(); opt.step();
 */
export class AdamW extends Adam {
  /** Always true: AdamW decouples weight decay from the gradient. */
  protected static override readonly decoupled: boolean = true;
}
