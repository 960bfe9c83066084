/**
 * RMSprop, plain or centered, with optional momentum.
 * @module
 */
import { rmspropUpdate } from '../kernels/optim.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkBoolean, checkNonNegative, Optimizer, type GroupOptions, type ParamGroup, type ParamsArg, type StateKeys } from './optimizer.js';

/** Options of {@link RMSprop} (PyTorch's names in camelCase, same defaults). */
export interface RMSpropOptions {
  /** Learning rate (default 1e-2). */
  lr?: number;
  /** Smoothing constant of the squared-gradient average (default 0.99). */
  alpha?: number;
  /** Added to √(average) in the denominator, outside the square root (default 1e-8). */
  eps?: number;
  /** L2 penalty added to the gradient: `g += weightDecay · θ` (default 0). */
  weightDecay?: number;
  /** Momentum factor (default 0). */
  momentum?: number;
  /** Normalise by the estimated variance (subtract the squared mean gradient; default false). */
  centered?: boolean;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize?: boolean;
}

/** A parameter group of {@link RMSprop}: its tensors and every option. */
export interface RMSpropParamGroup extends ParamGroup, Required<RMSpropOptions> {}

/** RMSprop's per-parameter state. */
type RMSpropState = { step: number; squareAvg: Float32Array; momentumBuffer?: Float32Array; gradAvg?: Float32Array };

/**
 * RMSprop, exactly as `torch.optim.RMSprop` (1.13):
 * ```
 * g ← ∇θ (negated if maximize) + weightDecay·θ
 * s ← α·s + (1 − α)·g²
 * centered:  ḡ ← α·ḡ + (1 − α)·g,   d ← √(s − ḡ²) + eps
 * otherwise: d ← √s + eps                     (eps outside the square root)
 * momentum > 0: b ← momentum·b + g/d,  θ ← θ − lr·b
 * otherwise:    θ ← θ − lr·g/d
 * ```
 * @example
 * const opt = new RMSprop(model.parameters(), { lr: 1e-3, centered: true });
 * opt.zeroGrad(); loss.backward(); opt.step();
 */
export class RMSprop extends Optimizer<RMSpropParamGroup> {
  /**
   * @param params - the tensors to optimize, or parameter groups with their own options
   * @param options - `lr`, `alpha`, `eps`, `weightDecay`, `momentum`, `centered`, `maximize`
   * @throws Error when `lr`, `alpha`, `eps`, `momentum` or `weightDecay` is
   *   negative, or the parameter list is empty or invalid
   */
  constructor(params: ParamsArg<RMSpropParamGroup>, options: RMSpropOptions = {}) {
    const o = options ?? {};
    super('RMSprop', params, {
      lr: o.lr ?? 1e-2,
      alpha: o.alpha ?? 0.99,
      eps: o.eps ?? 1e-8,
      weightDecay: o.weightDecay ?? 0,
      momentum: o.momentum ?? 0,
      centered: o.centered ?? false,
      maximize: o.maximize ?? false,
    });
  }

  /**
   * @param options - RMSprop's options
   * @param where - prefix for error messages
   * @throws Error naming the invalid option
   */
  protected checkOptions(options: GroupOptions<RMSpropParamGroup>, where: string): void {
    checkNonNegative(where, 'lr', options.lr);
    checkNonNegative(where, 'eps', options.eps);
    checkNonNegative(where, 'momentum', options.momentum);
    checkNonNegative(where, 'weightDecay', options.weightDecay);
    checkNonNegative(where, 'alpha', options.alpha);
    checkBoolean(where, 'centered', options.centered);
    checkBoolean(where, 'maximize', options.maximize);
  }

  /** `step`, `squareAvg`, and `momentumBuffer` / `gradAvg` when used. @returns RMSprop's state names */
  protected stateKeys(): StateKeys {
    return { required: ['step', 'squareAvg'], optional: ['momentumBuffer', 'gradAvg'] };
  }

  /**
   * One RMSprop update of `theta`, in place: the state here, the
   * per-element loop in `rmspropUpdate` (`kernels/optim.ts`, WebAssembly
   * SIMD on large tensors).
   * @param p - the parameter (keys its state)
   * @param theta - the parameter's values
   * @param grad - its gradient
   * @param group - its group's options
   */
  protected updateParam(p: Tensor, theta: Float32Array, grad: Float32Array, group: RMSpropParamGroup): void {
    const { momentum, centered } = group;
    const n = theta.length;
    let state = this.state.get(p) as RMSpropState | undefined;
    if (state === undefined) {
      state = { step: 0, squareAvg: new Float32Array(n) };
      this.state.set(p, state);
    }
    if (momentum > 0 && state.momentumBuffer === undefined) state.momentumBuffer = new Float32Array(n);
    if (centered && state.gradAvg === undefined) state.gradAvg = new Float32Array(n);
    state.step++;
    rmspropUpdate(
      theta, grad, state.squareAvg,
      centered ? state.gradAvg! : null,
      momentum > 0 ? state.momentumBuffer! : null,
      group,
    );
  }
}
