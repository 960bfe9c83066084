/**
 * The optimizers' per-element updates (torch.optim 1.13's single-tensor
 * formulas) as plain loops on Float32Array: the parameter, its gradient and
 * the optimizer's state buffers, all of one length, updated in place. The
 * optimizer classes in `optim/` keep the state and the per-step scalars
 * (bias corrections, the decayed learning rate) and call these.
 *
 * Every update computes in float64 and stores float32, reading back what it
 * stored (m, v, the buffers) as PyTorch's float32 tensors would. On the
 * `'wasm'` backend each runs in WebAssembly SIMD (`wasm/optim.ts`) from
 * {@link OPTIM_WASM_MIN_ELEMENTS} elements on, bit for bit the same; the
 * `…Js` functions are the TypeScript loops, whatever the backend.
 * @module
 */
import { getBackend } from './backend.js';
import { adagradUpdateWasm, adamUpdateWasm, rmspropUpdateWasm, sgdUpdateWasm } from './wasm/optim.js';

/**
 * Fewest elements for which the updates go to WebAssembly. Below it the
 * call's fixed cost (~0.2 µs to stage the blocks) outweighs the loop. Break
 * even, measured on Node 20: Adam at about 50 floats, RMSprop, Adagrad and
 * SGD with momentum at 70–90, plain SGD (no division) at 128, where Adam is
 * 1.8× faster in wasm; one threshold for all keeps it simple, the tensors
 * in between gain or lose a fraction of a microsecond.
 */
export const OPTIM_WASM_MIN_ELEMENTS = 128;

/** Whether an update of n elements goes to WebAssembly. */
function useWasm(n: number): boolean {
  return n >= OPTIM_WASM_MIN_ELEMENTS && getBackend() === 'wasm';
}

/** The scalars of one Adam/AdamW step of one parameter. */
export interface AdamStepOptions {
  /** Decay rate of the first-moment average m. */
  beta1: number;
  /** Decay rate of the second-moment average v. */
  beta2: number;
  /** Added to the bias-corrected √v. */
  eps: number;
  /** `lr / (1 − β₁ᵗ)`: the learning rate with m's bias correction folded in. */
  stepSize: number;
  /** `√(1 − β₂ᵗ)`: √v's bias correction (√v is divided by it). */
  biasCorrection2Sqrt: number;
  /** L2 penalty folded into the gradient, `g += weightDecay·θ` (Adam; 0 for AdamW). */
  weightDecay: number;
  /** θ's factor before the update, `1 − lr·weightDecay` for AdamW; 1 (not applied) for Adam. */
  shrink: number;
  /** Ascend the gradient instead of descending it. */
  maximize: boolean;
}

/**
 * One Adam/AdamW update in place, on the backend's kernels:
 * ```
 * θ ← θ·shrink (AdamW)        g ← ±∇ + weightDecay·θ
 * m ← β₁·m + (1 − β₁)·g       v ← β₂·v + (1 − β₂)·g²       v̂ ← max(v̂, v) (amsgrad) or v
 * θ ← θ − stepSize · m / (√v̂ / biasCorrection2Sqrt + eps)
 * ```
 * @param theta - the parameter's values, updated
 * @param grad - its gradient, same length
 * @param expAvg - first-moment average m, updated
 * @param expAvgSq - second-moment average v, updated
 * @param maxExpAvgSq - running maximum of v (amsgrad), updated; null without amsgrad
 * @param step - the step's scalars
 * @example
 * // step t = 1, lr 1e-3: stepSize = 1e-3/(1 − 0.9), biasCorrection2Sqrt = √(1 − 0.999)
 * adamUpdate(theta, grad, m, v, null, { beta1: 0.9, beta2: 0.999, eps: 1e-8, stepSize: 1e-2,
 *   biasCorrection2Sqrt: Math.sqrt(1e-3), weightDecay: 0, shrink: 1, maximize: false });
 */
export function adamUpdate(
  theta: Float32Array, grad: Float32Array, expAvg: Float32Array, expAvgSq: Float32Array,
  maxExpAvgSq: Float32Array | null, step: AdamStepOptions,
): void {
  if (useWasm(theta.length)) adamUpdateWasm(theta, grad, expAvg, expAvgSq, maxExpAvgSq, step);
  else adamUpdateJs(theta, grad, expAvg, expAvgSq, maxExpAvgSq, step);
}

/**
 * {@link adamUpdate} as a TypeScript loop, whatever the backend.
 * @param theta - the parameter's values, updated
 * @param grad - its gradient, same length
 * @param m - first-moment average, updated
 * @param v - second-moment average, updated
 * @param vMax - running maximum of v, updated; null without amsgrad
 * @param step - the step's scalars
 * @example adamUpdateJs(theta, grad, m, v, null, step);
 */
export function adamUpdateJs(
  theta: Float32Array, grad: Float32Array, m: Float32Array, v: Float32Array,
  vMax: Float32Array | null, step: AdamStepOptions,
): void {
  const { beta1, beta2, eps, stepSize, biasCorrection2Sqrt, weightDecay, shrink, maximize } = step;
  const sign = maximize ? -1 : 1;
  for (let i = 0; i < theta.length; i++) {
    if (shrink !== 1) theta[i] = theta[i]! * shrink;
    const g = sign * grad[i]! + weightDecay * theta[i]!;
    m[i] = beta1 * m[i]! + (1 - beta1) * g;
    v[i] = beta2 * v[i]! + (1 - beta2) * g * g;
    let second = v[i]!;
    if (vMax !== null) second = vMax[i] = Math.max(vMax[i]!, second);
    // denom = √v̂ / √(1 − β₂ᵗ) + eps   (eps outside the bias correction)
    const denom = Math.sqrt(second) / biasCorrection2Sqrt + eps;
    theta[i] = theta[i]! - stepSize * (m[i]! / denom);
  }
}

/** The scalars of one SGD step (an SGD parameter group fits as is). */
export interface SGDStepOptions {
  /** Learning rate. */
  lr: number;
  /** Momentum factor (used only with a momentum buffer). */
  momentum: number;
  /** Dampening of the gradient added to the momentum buffer. */
  dampening: number;
  /** L2 penalty folded into the gradient, `g += weightDecay·θ`. */
  weightDecay: number;
  /** Nesterov momentum: step along `g + momentum·b` instead of `b`. */
  nesterov: boolean;
  /** Ascend the gradient instead of descending it. */
  maximize: boolean;
}

/**
 * One SGD update in place, on the backend's kernels:
 * ```
 * g ← ±∇ + weightDecay·θ
 * b ← g (first step) or momentum·b + (1 − dampening)·g
 * θ ← θ − lr·(nesterov ? g + momentum·b : b)       (θ ← θ − lr·g without a buffer)
 * ```
 * @param theta - the parameter's values, updated
 * @param grad - its gradient, same length
 * @param momentumBuffer - the momentum buffer b, updated; null for plain SGD
 * @param first - whether the buffer is new (it then becomes g itself, not momentum·0 + …)
 * @param step - the step's scalars
 * @example sgdUpdate(theta, grad, null, false, { lr: 0.1, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false });
 */
export function sgdUpdate(
  theta: Float32Array, grad: Float32Array, momentumBuffer: Float32Array | null, first: boolean, step: SGDStepOptions,
): void {
  if (useWasm(theta.length)) sgdUpdateWasm(theta, grad, momentumBuffer, first, step);
  else sgdUpdateJs(theta, grad, momentumBuffer, first, step);
}

/**
 * {@link sgdUpdate} as a TypeScript loop, whatever the backend.
 * @param theta - the parameter's values, updated
 * @param grad - its gradient, same length
 * @param buf - the momentum buffer, updated; null for plain SGD
 * @param first - whether the buffer is new
 * @param step - the step's scalars
 * @example sgdUpdateJs(theta, grad, buffer, false, group);
 */
export function sgdUpdateJs(
  theta: Float32Array, grad: Float32Array, buf: Float32Array | null, first: boolean, step: SGDStepOptions,
): void {
  const { lr, momentum, dampening, weightDecay, nesterov, maximize } = step;
  const sign = maximize ? -1 : 1;
  const n = theta.length;
  if (buf === null) {
    for (let i = 0; i < n; i++) {
      const g = sign * grad[i]! + weightDecay * theta[i]!;
      theta[i] = theta[i]! - lr * g;
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    const g = sign * grad[i]! + weightDecay * theta[i]!;
    buf[i] = first ? g : momentum * buf[i]! + (1 - dampening) * g;
    theta[i] = theta[i]! - lr * (nesterov ? g + momentum * buf[i]! : buf[i]!);
  }
}

/** The scalars of one RMSprop step (an RMSprop parameter group fits as is). */
export interface RMSpropStepOptions {
  /** Learning rate. */
  lr: number;
  /** Smoothing constant of the averages. */
  alpha: number;
  /** Added to the square root in the denominator. */
  eps: number;
  /** L2 penalty folded into the gradient, `g += weightDecay·θ`. */
  weightDecay: number;
  /** Momentum factor (used only with a momentum buffer). */
  momentum: number;
  /** Ascend the gradient instead of descending it. */
  maximize: boolean;
}

/**
 * One RMSprop update in place, on the backend's kernels:
 * ```
 * g ← ±∇ + weightDecay·θ          s ← α·s + (1 − α)·g²
 * ḡ ← α·ḡ + (1 − α)·g (centered)  d ← √(s − ḡ²) + eps, or √s + eps
 * b ← momentum·b + g/d            θ ← θ − lr·b, or θ − lr·(g/d) without a buffer
 * ```
 * @param theta - the parameter's values, updated
 * @param grad - its gradient, same length
 * @param squareAvg - average of squared gradients s, updated
 * @param gradAvg - average of gradients ḡ, updated; null unless centered
 * @param momentumBuffer - momentum buffer b, updated; null without momentum
 * @param step - the step's scalars
 * @example rmspropUpdate(theta, grad, squareAvg, null, null, { lr: 0.01, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, maximize: false });
 */
export function rmspropUpdate(
  theta: Float32Array, grad: Float32Array, squareAvg: Float32Array,
  gradAvg: Float32Array | null, momentumBuffer: Float32Array | null, step: RMSpropStepOptions,
): void {
  if (useWasm(theta.length)) rmspropUpdateWasm(theta, grad, squareAvg, gradAvg, momentumBuffer, step);
  else rmspropUpdateJs(theta, grad, squareAvg, gradAvg, momentumBuffer, step);
}

/**
 * {@link rmspropUpdate} as a TypeScript loop, whatever the backend.
 * @param theta - the parameter's values, updated
 * @param grad - its gradient, same length
 * @param s - average of squared gradients, updated
 * @param mean - average of gradients, updated; null unless centered
 * @param buf - momentum buffer, updated; null without momentum
 * @param step - the step's scalars
 * @example rmspropUpdateJs(theta, grad, s, null, null, group);
 */
export function rmspropUpdateJs(
  theta: Float32Array, grad: Float32Array, s: Float32Array,
  mean: Float32Array | null, buf: Float32Array | null, step: RMSpropStepOptions,
): void {
  const { lr, alpha, eps, weightDecay, momentum, maximize } = step;
  const sign = maximize ? -1 : 1;
  for (let i = 0; i < theta.length; i++) {
    const g = sign * grad[i]! + weightDecay * theta[i]!;
    s[i] = alpha * s[i]! + (1 - alpha) * g * g;
    let denom: number;
    if (mean !== null) {
      mean[i] = alpha * mean[i]! + (1 - alpha) * g;
      denom = Math.sqrt(s[i]! - mean[i]! * mean[i]!) + eps; // √(E[g²] − E[g]²) + eps
    } else {
      denom = Math.sqrt(s[i]!) + eps;
    }
    if (buf !== null) {
      buf[i] = momentum * buf[i]! + g / denom;
      theta[i] = theta[i]! - lr * buf[i]!;
    } else {
      theta[i] = theta[i]! - lr * (g / denom);
    }
  }
}

/** The scalars of one Adagrad step. */
export interface AdagradStepOptions {
  /** This step's learning rate, `lr / (1 + (t − 1)·lrDecay)`. */
  lr: number;
  /** Added to √(sum) in the denominator. */
  eps: number;
  /** L2 penalty folded into the gradient, `g += weightDecay·θ`. */
  weightDecay: number;
  /** Ascend the gradient instead of descending it. */
  maximize: boolean;
}

/**
 * One Adagrad update in place, on the backend's kernels:
 * `g ← ±∇ + weightDecay·θ; Σ ← Σ + g²; θ ← θ − lr·g/(√Σ + eps)`.
 * @param theta - the parameter's values, updated
 * @param grad - its gradient, same length
 * @param sum - sum of squared gradients Σ, updated
 * @param step - the step's scalars
 * @example adagradUpdate(theta, grad, sum, { lr: 0.01, eps: 1e-10, weightDecay: 0, maximize: false });
 */
export function adagradUpdate(theta: Float32Array, grad: Float32Array, sum: Float32Array, step: AdagradStepOptions): void {
  if (useWasm(theta.length)) adagradUpdateWasm(theta, grad, sum, step);
  else adagradUpdateJs(theta, grad, sum, step);
}

/**
 * {@link adagradUpdate} as a TypeScript loop, whatever the backend.
 * @param theta - the parameter's values, updated
 * @param grad - its gradient, same length
 * @param sum - sum of squared gradients, updated
 * @param step - the step's scalars
 * @example adagradUpdateJs(theta, grad, sum, { lr: 0.01, eps: 1e-10, weightDecay: 0, maximize: false });
 */
export function adagradUpdateJs(theta: Float32Array, grad: Float32Array, sum: Float32Array, step: AdagradStepOptions): void {
  const { lr, eps, weightDecay, maximize } = step;
  const sign = maximize ? -1 : 1;
  for (let i = 0; i < theta.length; i++) {
    const g = sign * grad[i]! + weightDecay * theta[i]!;
    sum[i] = sum[i]! + g * g;
    theta[i] = theta[i]! - lr * (g / (Math.sqrt(sum[i]!) + eps));
  }
}
