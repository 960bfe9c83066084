/**
 * Reductions over any set of axes: sum (float64 accumulation), max/min
 * (NaN-propagating, as PyTorch), argmax/argmin along one axis (first index
 * wins ties, as PyTorch) and a stable log-sum-exp. The reduced output is read
 * through strides that are 0 on the reduced axes, so one loop serves every
 * choice of axes.
 * @module
 */
import { stridesOf } from '../tensor/shape.js';
import { getBackend } from './backend.js';
import { forEachRow } from './iterate.js';
import { WASM_MIN_ELEMENTS } from './wasm/elementwise.js';
import { sumWasm, sumWasmPlan } from './wasm/reduce.js';

/**
 * Shape of a reduction's result with the reduced axes kept as 1.
 * @param shape - input shape
 * @param axes - reduced axes (non-negative)
 * @returns the shape with those axes set to 1
 */
export function keptShape(shape: readonly number[], axes: readonly number[]): number[] {
  return shape.map((d, i) => (axes.includes(i) ? 1 : d));
}

/** Strides of the kept-dims output over the input's shape: 0 on reduced axes. */
function reducedStrides(shape: readonly number[], axes: readonly number[]): number[] {
  const strides = stridesOf(keptShape(shape, axes));
  return strides.map((s, i) => (axes.includes(i) ? 0 : s));
}

function outputSize(shape: readonly number[], axes: readonly number[]): number {
  let size = 1;
  shape.forEach((d, i) => { if (!axes.includes(i)) size *= d; });
  return size;
}

/**
 * Sums `x` over `axes`, accumulating in float64 so long sums stay accurate.
 * On the `'wasm'` backend a sum that keeps the last axis (over the batch,
 * say) runs in WebAssembly SIMD with the same accumulators in the same
 * order, so the result is identical; a sum along the last axis is one serial
 * chain of additions and stays in TypeScript.
 * @param x - input values, contiguous with `shape`
 * @param shape - input shape
 * @param axes - axes to reduce (sorted, distinct, non-negative)
 * @returns the sums, laid out as the input shape with reduced axes removed
 * @example sum(new Float32Array([1, 2, 3, 4]), [2, 2], [0]); // [4, 6]
 */
export function sum(x: Float32Array, shape: readonly number[], axes: readonly number[]): Float32Array {
  if (getBackend() === 'wasm') {
    let size = 1;
    for (const extent of shape) size *= extent;
    const plan = size >= WASM_MIN_ELEMENTS ? sumWasmPlan(shape, stridesOf(shape), reducedStrides(shape, axes)) : null;
    if (plan !== null) return sumWasm(x, plan, outputSize(shape, axes));
  }
  return sumJs(x, shape, axes);
}

/**
 * {@link sum} in TypeScript, whatever the backend.
 * @param x - input values, contiguous with `shape`
 * @param shape - input shape
 * @param axes - axes to reduce (sorted, distinct, non-negative)
 * @returns the sums, laid out as the input shape with reduced axes removed
 * @example sumJs(new Float32Array([1, 2, 3, 4]), [2, 2], [1]); // [3, 7]
 */
export function sumJs(x: Float32Array, shape: readonly number[], axes: readonly number[]): Float32Array {
  const acc = new Float64Array(outputSize(shape, axes));
  forEachRow(shape, [stridesOf(shape), reducedStrides(shape, axes)], [0, 0], (o, n, s) => {
    const xi = o[0]!, ai = o[1]!, xs = s[0]!, as = s[1]!;
    if (as === 0) {
      let total = 0;
      for (let i = 0; i < n; i++) total += x[xi + i * xs]!;
      acc[ai] += total;
    } else {
      for (let i = 0; i < n; i++) acc[ai + i * as] += x[xi + i * xs]!;
    }
  });
  return Float32Array.from(acc);
}

/**
 * Maximum (or minimum) of `x` over `axes`. NaN wins, as in PyTorch.
 * @param kind - 'max' or 'min'
 * @param x - input values
 * @param shape - input shape
 * @param axes - axes to reduce
 * @returns the extrema, laid out as the input shape without reduced axes
 *   (±Infinity for an empty reduced axis; callers reject that case)
 */
export function extreme(kind: 'max' | 'min', x: Float32Array, shape: readonly number[], axes: readonly number[]): Float32Array {
  const out = new Float32Array(outputSize(shape, axes)).fill(kind === 'max' ? -Infinity : Infinity);
  const sign = kind === 'max' ? 1 : -1;
  forEachRow(shape, [stridesOf(shape), reducedStrides(shape, axes)], [0, 0], (o, n, s) => {
    const xi = o[0]!, oi = o[1]!, xs = s[0]!, os = s[1]!;
    for (let i = 0; i < n; i++) {
      const v = x[xi + i * xs]!;
      const j = oi + i * os;
      const best = out[j]!;
      // Once NaN is stored every comparison is false, so NaN sticks.
      if (v * sign > best * sign || v !== v) out[j] = v;
    }
  });
  return out;
}

/**
 * Index of the maximum (or minimum) along one axis; ties go to the first
 * index and NaN counts as the extreme, as in PyTorch.
 * @param kind - 'argmax' or 'argmin'
 * @param x - input values
 * @param shape - input shape
 * @param axis - the axis to search along
 * @returns indices (as integers in an Int32Array) for the shape without `axis`
 */
export function argExtreme(kind: 'argmax' | 'argmin', x: Float32Array, shape: readonly number[], axis: number): Int32Array {
  const extent = shape[axis]!;
  let outer = 1;
  for (let i = 0; i < axis; i++) outer *= shape[i]!;
  let inner = 1;
  for (let i = axis + 1; i < shape.length; i++) inner *= shape[i]!;
  const indices = new Int32Array(outer * inner);
  const sign = kind === 'argmax' ? 1 : -1;
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < inner; k++) {
      const base = o * extent * inner + k;
      let best = x[base]!;
      let bestIndex = 0;
      for (let j = 1; j < extent && best === best; j++) {
        const v = x[base + j * inner]!;
        if (v * sign > best * sign || v !== v) { best = v; bestIndex = j; }
      }
      indices[o * inner + k] = bestIndex;
    }
  }
  return indices;
}

/**
 * `log Σ exp(x)` over `axes`, computed as `m + log Σ exp(x - m)` with `m` the
 * maximum so that logits of ±1e4 neither overflow nor underflow.
 * @param x - input values
 * @param shape - input shape
 * @param axes - axes to reduce
 * @returns the log-sum-exp, laid out as the input shape without reduced axes
 */
export function logSumExp(x: Float32Array, shape: readonly number[], axes: readonly number[]): Float32Array {
  const shift = extreme('max', x, shape, axes);
  // An all -Inf (or +Inf) slice has no finite maximum to subtract; shift by 0.
  for (let i = 0; i < shift.length; i++) if (!Number.isFinite(shift[i]!)) shift[i] = 0;
  const acc = new Float64Array(shift.length);
  forEachRow(shape, [stridesOf(shape), reducedStrides(shape, axes)], [0, 0], (o, n, s) => {
    const xi = o[0]!, ai = o[1]!, xs = s[0]!, as = s[1]!;
    for (let i = 0; i < n; i++) acc[ai + i * as] += Math.exp(x[xi + i * xs]! - shift[ai + i * as]!);
  });
  const out = new Float32Array(shift.length);
  for (let i = 0; i < out.length; i++) out[i] = shift[i]! + Math.log(acc[i]!);
  return out;
}
