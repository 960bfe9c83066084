/**
 * Log-softmax along one axis, fused: `(x − m) − log Σ exp(x − m)` with `m`
 * the maximum of the slice. Subtracting `m` before anything else keeps the
 * result exact for logits near ±1e4, where float32 spacing is ~1e-3 and the
 * unfused `x − logsumexp(x)` would lose three decimal digits.
 * @module
 */

/**
 * Log-softmax of every slice along `axis`.
 * @param x - logits, contiguous
 * @param outer - product of the axes before `axis`
 * @param extent - size of `axis`
 * @param inner - product of the axes after `axis`
 * @param out - output buffer of `x`'s length
 * @returns `out`
 */
export function logSoftmax(x: Float32Array, outer: number, extent: number, inner: number, out = new Float32Array(x.length)): Float32Array {
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
 */
export function logSoftmaxBackward(y: Float32Array, dy: Float32Array, outer: number, extent: number, inner: number): Float32Array {
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
