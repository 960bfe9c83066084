/**
 * Stochastic gradient descent with momentum, dampening, Nesterov momentum
 * and weight decay.
 * @module
 */
import { sgdUpdate } from '../kernels/optim.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkBoolean, checkNonNegative, Optimizer, type GroupOptions, type ParamGroup, type ParamsArg, type StateKeys } from './optimizer.js';

/** Options of {@link SGD} (PyTorch's names in camelCase, same defaults). */
export interface SGDOptions {
  /** Learning rate (required, as in PyTorch). */
  lr: number;
  /** Momentum factor (default 0: plain SGD). */
  momentum?: number;
  /** Dampening for momentum (default 0). */
  dampening?: number;
  /** L2 penalty added to the gradient: `g += weightDecay · θ` (default 0). */
  weightDecay?: number;
  /** Nesterov momentum (default false; needs momentum > 0 and dampening 0). */
  nesterov?: boolean;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize?: boolean;
}

/** A parameter group of {@link SGD}: its tensors and every option. */
export interface SGDParamGroup extends ParamGroup, Required<SGDOptions> {}

/** SGD's per-parameter state: the momentum buffer (only with momentum). */
type SGDState = { momentumBuffer?: Float32Array };

/**
 * Stochastic gradient descent, exactly as `torch.optim.SGD` (1.13):
 * ```
 * g ← ∇θ (negated if maximize) + weightDecay·θ
 * b ← g on the first step, else momentum·b + (1 − dampening)·g
 * g ← g + momentum·b  (nesterov)   or   g ← b  (momentum > 0)
 * θ ← θ − lr·g
 * ```
 * The momentum buffer starts as a copy of the first gradient (not zeros).
 * @example
 * const opt = new SGD(model.parameters(), { lr: 0.01, momentum: 0.9, nesterov: true });
 * opt.zeroGrad(); loss.backward(); opt.step();
 */
export class SGD extends Optimizer<SGDParamGroup> {
  /**
   * @param params - the tensors to optimize, or parameter groups with their own options
   * @param options - `lr` (required), `momentum`, `dampening`, `weightDecay`, `nesterov`, `maximize`
   * @throws Error when `lr` is missing or negative, `momentum` or
   *   `weightDecay` is negative, `nesterov` is set without momentum or with
   *   dampening, or the parameter list is empty or invalid
   */
  constructor(params: ParamsArg<SGDParamGroup>, options: SGDOptions) {
    const o = (options ?? {}) as Partial<SGDOptions>;
    super('SGD', params, {
      lr: o.lr as number,
      momentum: o.momentum ?? 0,
      dampening: o.dampening ?? 0,
      weightDecay: o.weightDecay ?? 0,
      nesterov: o.nesterov ?? false,
      maximize: o.maximize ?? false,
    });
  }

  /**
   * @param options - SGD's options
   * @param where - prefix for error messages
   * @param isDefaults - `lr` may be missing in the defaults when every group sets it
   * @throws Error naming the invalid option
   */
  protected checkOptions(options: GroupOptions<SGDParamGroup>, where: string, isDefaults: boolean): void {
    if (options.lr === undefined) {
      if (!isDefaults) throw new Error(`${where}: lr is required (e.g. new SGD(params, { lr: 0.01 }))`);
    } else checkNonNegative(where, 'lr', options.lr);
    checkNonNegative(where, 'momentum', options.momentum);
    checkNonNegative(where, 'weightDecay', options.weightDecay);
    if (typeof options.dampening !== 'number' || !Number.isFinite(options.dampening)) {
      throw new Error(`${where}: invalid dampening ${String(options.dampening)} (must be a finite number)`);
    }
    checkBoolean(where, 'nesterov', options.nesterov);
    checkBoolean(where, 'maximize', options.maximize);
    if (options.nesterov && (options.momentum <= 0 || options.dampening !== 0)) {
      throw new Error(
        `${where}: Nesterov momentum requires a momentum > 0 and zero dampening (got momentum ${options.momentum}, dampening ${options.dampening})`,
      );
    }
  }

  /** The momentum buffer, when momentum is on. @returns SGD's state names */
  protected stateKeys(): StateKeys {
    return { required: [], optional: ['momentumBuffer'] };
  }

  /**
   * One SGD update of `theta`, in place: the state here, the per-element
   * loop in `sgdUpdate` (`kernels/optim.ts`, WebAssembly SIMD on large
   * tensors).
   * @param p - the parameter (keys its momentum buffer)
   * @param theta - the parameter's values
   * @param grad - its gradient
   * @param group - its group's options
   */
  protected updateParam(p: Tensor, theta: Float32Array, grad: Float32Array, group: SGDParamGroup): void {
    if (group.momentum === 0) {
      sgdUpdate(theta, grad, null, false, group);
      return;
    }
    let state = this.state.get(p) as SGDState | undefined;
    if (state === undefined) this.state.set(p, (state = {}));
    const first = state.momentumBuffer === undefined;
    state.momentumBuffer ??= new Float32Array(theta.length);
    // First step: the buffer becomes the (decayed) gradient itself, not zeros.
    sgdUpdate(theta, grad, state.momentumBuffer, first, group);
  }
}
