/**
 * Functional differentiation, as in JAX and TensorFlow.js: `grad(f)` is a
 * function that returns the gradients of `f` instead of writing `.grad`.
 * @module
 */
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { gradientsOf } from './backward.js';
import { withGradMode } from './grad-mode.js';

/** One gradient per tensor argument, in order. */
export type GradsOf<A extends readonly Tensor[]> = { [K in keyof A]: Tensor };

/** What {@link valueAndGrad} returns. */
export interface ValueAndGrads<A extends readonly Tensor[]> {
  /** `f(...inputs)`, detached from the graph. */
  value: Tensor;
  /** `∂f/∂input` for each input, in order. */
  grads: GradsOf<A>;
}

/**
 * Wraps a scalar-valued function so that calling it returns its value and its
 * gradient with respect to every argument. Arguments' `.grad` are untouched.
 * @param f - a function of tensors returning a one-element tensor
 * @returns `(...inputs) => ({ value, grads })`
 * @throws Error (when called) if `f` does not return a one-element tensor
 * @example
 * const { value, grads: [dx] } = valueAndGrad((x: Tensor) => x.mul(x).sum())(tensor([3]));
 * // value = 9, dx = [6]
 */
export function valueAndGrad<A extends Tensor[]>(f: (...inputs: A) => Tensor): (...inputs: A) => ValueAndGrads<A> {
  return (...inputs: A) => {
    inputs.forEach((x, i) => {
      if (!(x instanceof Tensor)) throw new Error(`valueAndGrad: argument ${i} is not a Tensor`);
    });
    // Fresh leaves sharing the inputs' data: differentiate with respect to
    // exactly these, whatever graph the caller's tensors belong to.
    const leaves = inputs.map((x) => new Tensor(x.data, x.shape, true)) as A;
    const out = withGradMode(true, () => f(...leaves));
    if (!(out instanceof Tensor) || out.size !== 1) {
      const got = out instanceof Tensor ? `shape ${formatShape(out.shape)}` : typeof out;
      throw new Error(`grad: f must return a one-element tensor, got ${got}`);
    }
    const leafGrads = out.requiresGrad
      ? gradientsOf(out, new Tensor(new Float32Array([1]), out.shape), false)
      : new Map<Tensor, Tensor>();
    const grads = leaves.map((leaf) => leafGrads.get(leaf) ?? new Tensor(new Float32Array(leaf.size), leaf.shape));
    return { value: new Tensor(out.data, out.shape), grads: grads as GradsOf<A> };
  };
}

/**
 * Wraps a scalar-valued function so that calling it returns its gradient with
 * respect to every argument (zeros for arguments it does not use).
 * @param f - a function of tensors returning a one-element tensor
 * @returns `(...inputs) => [∂f/∂input₀, ∂f/∂input₁, …]`
 * @throws Error (when called) if `f` does not return a one-element tensor
 * @example
 * const [dx, dy] = grad((x: Tensor, y: Tensor) => x.mul(y).sum())(tensor([2]), tensor([5]));
 * // dx = [5], dy = [2]
 */
export function grad<A extends Tensor[]>(f: (...inputs: A) => Tensor): (...inputs: A) => GradsOf<A> {
  const withValue = valueAndGrad(f);
  return (...inputs: A) => withValue(...inputs).grads;
}
