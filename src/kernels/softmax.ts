/**
 * Log-softmax along one axis, fused: `(x − m) − log Σ exp(x − m)` with `m`
 * the maximum of the slice. Subtracting `m` before anything else keeps the
 * result exact for logits near ±1e4, where float32 spacing is ~1e-3 and the
 * unfused `x − logsumexp(x)` would lose three decimal digits.
 *
 * On the `'wasm'` backend, slices along the last axis (the usual logits
 * `[batch, classes]`) run in WebAssembly (`wasm/reduce.ts`: the same float64
 * sums, e^x on four float32 lanes; equal to about one float32 ulp); the
 * `…Js` functions are the TypeScript loops.
 * @module
 */
import { getBackend } from './backend.js';
import { WASM_MIN_ELEMENTS } from './wasm/elementwise.js';
import { logSoftmaxBackwardRowsWasm, logSoftmaxRowsWasm } from './wasm/reduce.js';

/** True when a log-softmax of this layout goes to WebAssembly: contiguous rows, enough of them. */
function onWasm(outer: number, extent: number, inner: number): boolean {
  return inner === 1 && outer * extent >= WASM_MIN_ELEMENTS && getBackend() === 'wasm';
}

/**
 * Log-softmax of every slice along `axis`.
 * @param x - logits, contiguous
 * @param outer - product of the axes before `axis`
 * @param extent - size of `axis`
 * @param inner - product of the axes after `axis`
 * @param out - output buffer of `x`'s length
 * @returns `out`
 * @example logSoftmax(new Float32Array([0, 0]), 1, 2, 1); // [-0.6931, -0.6931]
 */
export function logSoftmax(x: Float32Array, outer: number, extent: number, inner: number, out = new Float32Array(x.length)): Float32Array {
  if (onWasm(outer, extent, inner)) return logSoftmaxRowsWasm(x, outer, extent, out);
  return logSoftmaxJs(x, outer, extent, inner, out);
}

/**
 * {@link logSoftmax} in TypeScript, whatever the backend.
 * @param x - logits, contiguous
 * @param outer - product of the axes before `axis`
 * @param extent - size of `axis`
 * @param inner - product of the axes after `axis`
 * @param out - output buffer of `x`'s length
 * @returns `out`
 * @example logSoftmaxJs(new Float32Array([0, 0]), 1, 2, 1); // [-0.6931, -0.6931]
 */
export function logSoftmaxJs(x: Float32Array, outer: number, extent: number, inner: number, out = new Float32Array(x.length)): Float32Array {
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < inner; k++) {
      const base = o * extent * inner + k;
      let m = -Infinity;
      for (let j = 0; j < extent; j++) m = Math.max(m, x[base + j * inner]!);
      // A slice of all -Inf (or containing +Inf) has no finite shift.
      if (!Number.isFinite(m)) m = 0;
      let total = 0;
      for (let j = 0; j < extent; j++) total += Math.exp(x[base + j * inner]! - m);
      const logTotal = Math.log(total);
      for (let j = 0; j < extent; j++) out[base + j * inner] = x[base + j * inner]! - m - logTotal;
    }
  }
  return out;
}

/**
 * Gradient of log-softmax: `dx = dy − softmax · Σ dy` along the axis, with
 * `softmax = exp(y)` taken from the output `y`.
 * @param y - the log-softmax output
 * @param dy - gradient with respect to `y`
 * @param outer - product of the axes before the softmax axis
 * @param extent - size of the softmax axis
 * @param inner - product of the axes after it
 * @returns the gradient with respect to the logits
 * @example logSoftmaxBackward(new Float32Array([Math.log(0.5), Math.log(0.5)]), new Float32Array([1, 0]), 1, 2, 1); // [0.5, -0.5]
 */
export function logSoftmaxBackward(y: Float32Array, dy: Float32Array, outer: number, extent: number, inner: number): Float32Array {
  if (onWasm(outer, extent, inner)) return logSoftmaxBackwardRowsWasm(y, dy, outer, extent);
  return logSoftmaxBackwardJs(y, dy, outer, extent, inner);
}

/**
 * {@link logSoftmaxBackward} in TypeScript, whatever the backend.
 * @param y - the log-softmax output
 * @param dy - gradient with respect to `y`
 * @param outer - product of the axes before the softmax axis
 * @param extent - size of the softmax axis
 * @param inner - product of the axes after it
 * @returns the gradient with respect to the logits
 * @example logSoftmaxBackwardJs(new Float32Array([Math.log(0.5), Math.log(0.5)]), new Float32Array([1, 0]), 1, 2, 1); // [0.5, -0.5]
 */
export function logSoftmaxBackwardJs(y: Float32Array, dy: Float32Array, outer: number, extent: number, inner: number): Float32Array {
  const dx = new Float32Array(y.length);
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < inner; k++) {
      const base = o * extent * inner + k;
      let total = 0;
      for (let j = 0; j < extent; j++) total += dy[base + j * inner]!;
      for (let j = 0; j < extent; j++) {
        const at = base + j * inner;
        dx[at] = dy[at]! - Math.exp(y[at]!) * total;
      }
    }
  }
  return dx;
}
