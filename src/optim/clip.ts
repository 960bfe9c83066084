/**
 * Gradient clipping: by total norm and by value, in place on `.grad`.
 * @module
 */
import { Tensor } from '../tensor/tensor.js';

/** The tensors whose gradients to clip: one tensor or a list (e.g. `model.parameters()`). */
export type ClipParams = Tensor | Iterable<Tensor>;

/** The tensors of `params` that have a gradient; throws on anything but tensors. */
function gradsOf(where: string, params: ClipParams): Float32Array[] {
  const list = params instanceof Tensor ? [params] : params;
  if (list === null || typeof list !== 'object' || typeof (list as Iterable<unknown>)[Symbol.iterator] !== 'function') {
    throw new Error(`${where}: params must be a Tensor or a list of tensors, got ${list === null ? 'null' : typeof list}`);
  }
  const grads: Float32Array[] = [];
  let i = 0;
  for (const p of list) {
    if (!(p instanceof Tensor)) throw new Error(`${where}: params[${i}] is not a Tensor (got ${p === null ? 'null' : typeof p})`);
    if (p.grad !== null) grads.push(p.grad.data);
    i++;
  }
  return grads;
}

/** The p-norm of `values` (max |x| for p = ∞), accumulated in float64. */
function norm(values: ArrayLike<number>, p: number): number {
  let acc = 0;
  if (p === Infinity) {
    for (let i = 0; i < values.length; i++) {
      const a = Math.abs(values[i]!);
      if (a > acc || Number.isNaN(a)) acc = a;
    }
    return acc;
  }
  if (p === 2) {
    for (let i = 0; i < values.length; i++) acc += values[i]! * values[i]!;
    return Math.sqrt(acc);
  }
  if (p === 1) {
    for (let i = 0; i < values.length; i++) acc += Math.abs(values[i]!);
    return acc;
  }
  for (let i = 0; i < values.length; i++) acc += Math.abs(values[i]!) ** p;
  return acc ** (1 / p);
}

/**
 * Scales all gradients together so that their total norm (as if
 * concatenated into one vector) is at most `maxNorm`, in place, like
 * `torch.nn.utils.clip_grad_norm_`: each gradient is multiplied by
 * `min(1, maxNorm / (totalNorm + 1e-6))`. Tensors without a gradient are
 * ignored.
 * @param params - the tensors whose `.grad` to clip (e.g. `model.parameters()`)
 * @param maxNorm - the largest total norm allowed
 * @param normType - the p of the p-norm (> 0), or `Infinity` for the max-norm (default 2)
 * @param errorIfNonfinite - throw when the total norm is NaN or infinite (default false, as in PyTorch 1.13)
 * @returns the total norm of the gradients before clipping (as float32); 0 when none has a gradient
 * @throws Error when `maxNorm` is negative or not a number, `normType` is
 *   not positive, a list entry is not a Tensor, or (with `errorIfNonfinite`)
 *   the total norm is not finite
 * @example
 * loss.backward();
 * const norm = clipGradNorm(model.parameters(), 1.0);
 * opt.step();
 */
export function clipGradNorm(params: ClipParams, maxNorm: number, normType = 2, errorIfNonfinite = false): number {
  const where = 'clipGradNorm';
  if (typeof maxNorm !== 'number' || !(maxNorm >= 0)) throw new Error(`${where}: invalid maxNorm ${String(maxNorm)} (must be >= 0)`);
  if (typeof normType !== 'number' || !(normType > 0)) {
    throw new Error(`${where}: invalid normType ${String(normType)} (must be > 0, or Infinity for the max-norm)`);
  }
  const grads = gradsOf(where, params);
  if (grads.length === 0) return 0;
  // As PyTorch: the norm of the per-tensor norms, each rounded to float32.
  const norms = grads.map((g) => Math.fround(norm(g, normType)));
  const total = Math.fround(norm(norms, normType));
  if (errorIfNonfinite && !Number.isFinite(total)) {
    throw new Error(
      `${where}: the total norm of order ${normType} of the gradients is ${total}, so it cannot be clipped ` +
        '(pass errorIfNonfinite = false to scale by it anyway)',
    );
  }
  // clip coefficient in float32, clamped to 1 (a no-op multiply when not clipping, as in PyTorch)
  const coef = Math.min(Math.fround(maxNorm / Math.fround(total + 1e-6)), 1);
  for (const g of grads) {
    for (let i = 0; i < g.length; i++) g[i] = g[i]! * coef;
  }
  return total;
}

/**
 * Clamps every gradient element into `[-clipValue, clipValue]`, in place,
 * like `torch.nn.utils.clip_grad_value_`. Tensors without a gradient are
 * ignored; NaN stays NaN.
 * @param params - the tensors whose `.grad` to clip
 * @param clipValue - the largest magnitude allowed (≥ 0)
 * @throws Error when `clipValue` is negative or not a number, or a list entry is not a Tensor
 * @example
 * loss.backward();
 * clipGradValue(model.parameters(), 0.5);
 * opt.step();
 */
export function clipGradValue(params: ClipParams, clipValue: number): void {
  const where = 'clipGradValue';
  if (typeof clipValue !== 'number' || !(clipValue >= 0)) throw new Error(`${where}: invalid clipValue ${String(clipValue)} (must be >= 0)`);
  for (const g of gradsOf(where, params)) {
    for (let i = 0; i < g.length; i++) {
      const x = g[i]!;
      if (x > clipValue) g[i] = clipValue;
      else if (x < -clipValue) g[i] = -clipValue;
    }
  }
}
