/**
 * Checks analytic gradients against central finite differences. The test
 * suite runs it over every op; users can run it on their own functions.
 * @module
 */
import { Tensor } from '../tensor/tensor.js';
import { gradientsOf } from './backward.js';
import { withGradMode } from './grad-mode.js';

/** Options of {@link gradcheck}. */
export interface GradcheckOptions {
  /** Finite-difference step (default 1e-3; float32 forward passes need a large one). */
  eps?: number;
  /** Absolute tolerance (default 1e-3). */
  atol?: number;
  /** Relative tolerance (default 1e-2). */
  rtol?: number;
  /** Seed of the random projection of non-scalar outputs (default 0). */
  seed?: number;
}

/** Both gradients of one checked input, flattened. */
export interface GradcheckInputReport {
  /** Position of the input in the `inputs` argument. */
  index: number;
  /** The gradient computed by backward. */
  analytic: Float64Array;
  /** The gradient estimated by central differences. */
  numeric: Float64Array;
}

/** What {@link gradcheck} found. */
export interface GradcheckResult {
  /** True when every checked gradient entry is within tolerance. */
  ok: boolean;
  /** Largest |analytic − numeric| over all checked entries. */
  maxAbsError: number;
  /** Per checked input (those with `requiresGrad`): both gradients, flat. */
  inputs: GradcheckInputReport[];
  /** A sentence on the worst mismatch, or 'ok'. */
  message: string;
}

/** A small deterministic generator for the projection weights, so gradcheck never disturbs the global RNG. */
function projectionWeights(count: number, seed: number): Float32Array {
  const w = new Float32Array(count);
  let state = (seed * 2654435761 + 1) >>> 0;
  for (let i = 0; i < count; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    w[i] = 0.5 + state / 0x100000000; // in [0.5, 1.5): no cancellation
  }
  return w;
}

/**
 * Compares the gradients that backward computes for `f` with central finite
 * differences `(f(x + h) − f(x − h)) / 2h`, evaluated in float64 from the
 * float32 outputs. A non-scalar output is first projected to a scalar with
 * fixed random weights, so every output element is checked.
 *
 * Only inputs with `requiresGrad: true` are checked; the others are held fixed.
 * @param f - the function under test
 * @param inputs - its tensor arguments
 * @param options - step and tolerances
 * @returns the comparison; `ok` tells whether it passed
 * @throws Error when no input requires grad
 * @example
 * const x = randn([3, 4], { requiresGrad: true });
 * gradcheck((t) => t.tanh().sum(), [x]).ok; // true
 */
export function gradcheck(
  f: (...inputs: Tensor[]) => Tensor,
  inputs: readonly Tensor[],
  options: GradcheckOptions = {},
): GradcheckResult {
  const { eps = 1e-3, atol = 1e-3, rtol = 1e-2, seed = 0 } = options;
  const checked = inputs.map((t, i) => (t.requiresGrad ? i : -1)).filter((i) => i >= 0);
  if (checked.length === 0) throw new Error('gradcheck: no input has requiresGrad: true, so there is nothing to check');

  // Private copies, so perturbing them never touches the caller's tensors.
  const leaves = inputs.map((t) => new Tensor(t.data.slice(), t.shape, t.requiresGrad));
  const first = withGradMode(true, () => f(...leaves));
  const weights = projectionWeights(first.size, seed);
  const objective = (): number =>
    withGradMode(false, () => {
      const out = f(...leaves).data;
      let total = 0;
      for (let i = 0; i < out.length; i++) total += weights[i]! * out[i]!;
      return total;
    });

  const analyticGrads = first.requiresGrad
    ? gradientsOf(first, new Tensor(weights, first.shape), false)
    : new Map<Tensor, Tensor>();

  let ok = true;
  let maxAbsError = 0;
  let worst = 'ok';
  let worstExcess = -Infinity;
  const report = checked.map((index) => {
    const leaf = leaves[index]!;
    const analyticTensor = analyticGrads.get(leaf);
    const analytic = Float64Array.from(analyticTensor?.data ?? new Float32Array(leaf.size));
    const numeric = new Float64Array(leaf.size);
    for (let j = 0; j < leaf.size; j++) {
      const original = leaf.data[j]!;
      leaf.data[j] = original + eps;
      const plusStep = leaf.data[j]!; // the step actually taken, after float32 rounding
      const fPlus = objective();
      leaf.data[j] = original - eps;
      const minusStep = leaf.data[j]!;
      const fMinus = objective();
      leaf.data[j] = original;
      numeric[j] = (fPlus - fMinus) / (plusStep - minusStep);
      const error = Math.abs(analytic[j]! - numeric[j]!);
      const allowed = atol + rtol * Math.abs(numeric[j]!);
      maxAbsError = Math.max(maxAbsError, error);
      if (!(error <= allowed)) ok = false;
      if (error - allowed > worstExcess) {
        worstExcess = error - allowed;
        if (!(error <= allowed)) {
          worst = `input ${index}, element ${j}: analytic ${analytic[j]} vs numeric ${numeric[j]} (|diff| ${error.toExponential(2)} > ${allowed.toExponential(2)})`;
        }
      }
    }
    return { index, analytic, numeric };
  });
  return { ok, maxAbsError, inputs: report, message: ok ? 'ok' : `gradcheck failed: ${worst}` };
}
