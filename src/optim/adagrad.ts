/**
 * Adagrad: per-coordinate learning rates from the sum of squared gradients.
 * @module
 */
import { adagradUpdate } from '../kernels/optim.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkBoolean, checkNonNegative, Optimizer, type GroupOptions, type ParamGroup, type ParamGroupSpec, type ParamsArg, type StateKeys } from './optimizer.js';

/** Options of {@link Adagrad} (PyTorch's names in camelCase, same defaults). */
export interface AdagradOptions {
  /** Learning rate (default 1e-2). */
  lr?: number;
  /** Learning-rate decay: step t uses `lr / (1 + (t − 1)·lrDecay)` (default 0). */
  lrDecay?: number;
  /** L2 penalty added to the gradient: `g += weightDecay · θ` (default 0). */
  weightDecay?: number;
  /** Starting value of the sum of squared gradients (default 0). */
  initialAccumulatorValue?: number;
  /** Added to √(sum) in the denominator (default 1e-10). */
  eps?: number;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize?: boolean;
}

/** A parameter group of {@link Adagrad}: its tensors and every option. */
export interface AdagradParamGroup extends ParamGroup, Required<AdagradOptions> {}

/** Adagrad's per-parameter state. */
type AdagradState = { step: number; sum: Float32Array };

/**
 * Adagrad, exactly as `torch.optim.Adagrad` (1.13). With t the parameter's
 * step count:
 * ```
 * g ← ∇θ (negated if maximize) + weightDecay·θ
 * S ← S + g²
 * θ ← θ − lr/(1 + (t − 1)·lrDecay) · g / (√S + eps)
 * ```
 * As in PyTorch, the state (`sum` filled with `initialAccumulatorValue`,
 * `step` 0) exists from construction.
 * @example
 * const opt = new Adagrad(model.parameters(), { lr: 0.1 });
 * opt.zeroGrad(); loss.backward(); opt.step();
 */
export class Adagrad extends Optimizer<AdagradParamGroup> {
  /**
   * @param params - the tensors to optimize, or parameter groups with their own options
   * @param options - `lr`, `lrDecay`, `weightDecay`, `initialAccumulatorValue`, `eps`, `maximize`
   * @throws Error when `lr`, `lrDecay`, `weightDecay`,
   *   `initialAccumulatorValue` or `eps` is negative, or the parameter list
   *   is empty or invalid
   */
  constructor(params: ParamsArg<AdagradParamGroup>, options: AdagradOptions = {}) {
    const o = options ?? {};
    super('Adagrad', params, {
      lr: o.lr ?? 1e-2,
      lrDecay: o.lrDecay ?? 0,
      weightDecay: o.weightDecay ?? 0,
      initialAccumulatorValue: o.initialAccumulatorValue ?? 0,
      eps: o.eps ?? 1e-10,
      maximize: o.maximize ?? false,
    });
    for (const group of this.paramGroups) this.initState(group);
  }

  /**
   * Adds a parameter group and creates its state, as the constructor does.
   * @param spec - the tensors and any options that differ from the defaults
   * @throws Error as {@link Optimizer.addParamGroup}
   * @example opt.addParamGroup({ params: head.parameters(), lr: 0.05 });
   */
  override addParamGroup(spec: ParamGroupSpec<AdagradParamGroup>): void {
    super.addParamGroup(spec);
    this.initState(this.paramGroups[this.paramGroups.length - 1]!);
  }

  private initState(group: AdagradParamGroup): void {
    for (const p of group.params) this.stateOf(p, group);
  }

  private stateOf(p: Tensor, group: AdagradParamGroup): AdagradState {
    let state = this.state.get(p) as AdagradState | undefined;
    if (state === undefined) {
      state = { step: 0, sum: new Float32Array(p.size).fill(group.initialAccumulatorValue) };
      this.state.set(p, state);
    }
    return state;
  }

  /**
   * @param options - Adagrad's options
   * @param where - prefix for error messages
   * @throws Error naming the invalid option
   */
  protected checkOptions(options: GroupOptions<AdagradParamGroup>, where: string): void {
    checkNonNegative(where, 'lr', options.lr);
    checkNonNegative(where, 'lrDecay', options.lrDecay);
    checkNonNegative(where, 'weightDecay', options.weightDecay);
    checkNonNegative(where, 'initialAccumulatorValue', options.initialAccumulatorValue);
    checkNonNegative(where, 'eps', options.eps);
    checkBoolean(where, 'maximize', options.maximize);
  }

  /** `step` and `sum`. @returns Adagrad's state names */
  protected stateKeys(): StateKeys {
    return { required: ['step', 'sum'], optional: [] };
  }

  /**
   * One Adagrad update of `theta`, in place: the state and this step's
   * decayed learning rate here, the per-element loop in `adagradUpdate`
   * (`kernels/optim.ts`, WebAssembly SIMD on large tensors).
   * @param p - the parameter (keys its state)
   * @param theta - the parameter's values
   * @param grad - its gradient
   * @param group - its group's options
   */
  protected updateParam(p: Tensor, theta: Float32Array, grad: Float32Array, group: AdagradParamGroup): void {
    const { lr, lrDecay, weightDecay, eps, maximize } = group;
    const state = this.stateOf(p, group);
    const t = ++state.step;
    adagradUpdate(theta, grad, state.sum, { lr: lr / (1 + (t - 1) * lrDecay), eps, weightDecay, maximize });
  }
}
