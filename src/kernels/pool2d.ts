/**
 * 2-D max pooling on NCHW Float32Arrays, with PyTorch's semantics:
 *
 * - the padding is −∞ (it never wins), the output size is
 *   ⌊(H + 2p − d·(k − 1) − 1) / s⌋ + 1 (or ⌈…⌉ + 1 with `ceilMode`, dropping
 *   a last window that would start in the bottom/right padding);
 * - windows are scanned row by row and a value replaces the running maximum
 *   only if it is strictly greater, so ties go to the FIRST maximum in scan
 *   order — or if it is NaN, so NaN propagates (and the last NaN of a window
 *   is the one that receives the gradient), exactly as PyTorch's CPU kernel
 *   (`val > maxval || isnan(val)`);
 * - the forward pass records, per output, the index of the winning input
 *   inside its `H×W` plane (PyTorch's `return_indices` convention); the
 *   backward pass scatter-adds each output gradient onto that position, so
 *   overlapping windows that share a maximum accumulate.
 *
 * Straight loops, no allocation.
 * @module
 */

import { getBackend } from './backend.js';
import { maxPool2dBackwardWasm, maxPool2dForwardWasm } from './wasm/conv2d.js';

/** Sizes of a max-pool, resolved once by {@link pool2dGeometry}. */
export interface Pool2dGeometry {
  /** N: samples in the batch. */
  readonly batch: number;
  /** C: channels (pooled independently). */
  readonly channels: number;
  /** H: input height. */
  readonly inHeight: number;
  /** W: input width. */
  readonly inWidth: number;
  /** Window height. */
  readonly kernelHeight: number;
  /** Window width. */
  readonly kernelWidth: number;
  /** Vertical stride. */
  readonly strideHeight: number;
  /** Horizontal stride. */
  readonly strideWidth: number;
  /** −∞ rows added above and below. */
  readonly padHeight: number;
  /** −∞ columns added left and right. */
  readonly padWidth: number;
  /** Vertical dilation (spacing between window taps). */
  readonly dilationHeight: number;
  /** Horizontal dilation. */
  readonly dilationWidth: number;
  /** OH: output height. */
  readonly outHeight: number;
  /** OW: output width. */
  readonly outWidth: number;
}

/** Output length along one axis, as PyTorch's `pooling_output_shape`. */
function outputLength(size: number, kernel: number, pad: number, stride: number, dilation: number, ceilMode: boolean): number {
  const span = size + 2 * pad - dilation * (kernel - 1) - 1;
  let length = (ceilMode ? Math.ceil(span / stride) : Math.floor(span / stride)) + 1;
  // With ceil mode, the last window must start inside the input or the left padding.
  if (ceilMode && (length - 1) * stride >= size + pad) length--;
  return length;
}

/**
 * Resolves the sizes of a max-pool and checks them.
 * @param input - input shape `[N, C, H, W]`
 * @param kernel - `[kh, kw]`, positive integers
 * @param stride - `[sh, sw]`, positive integers
 * @param padding - `[ph, pw]`, each at most half the window size (as PyTorch)
 * @param dilation - `[dh, dw]`, positive integers
 * @param ceilMode - round the output size up instead of down (default false)
 * @returns the geometry
 * @throws RangeError when a size is not an integer of the right sign, the
 *   padding exceeds half the window, or the output would be empty
 * @example
 * pool2dGeometry([32, 32, 28, 28], [2, 2], [2, 2], [0, 0], [1, 1]).outHeight; // 14
 */
export function pool2dGeometry(
  input: readonly number[],
  kernel: readonly [number, number],
  stride: readonly [number, number],
  padding: readonly [number, number],
  dilation: readonly [number, number],
  ceilMode = false,
): Pool2dGeometry {
  if (input.length !== 4) throw new RangeError(`pool2dGeometry: expected input [N, C, H, W], got [${input}]`);
  for (const v of [...input, ...padding]) {
    if (!Number.isInteger(v) || v < 0) throw new RangeError(`pool2dGeometry: sizes and padding must be non-negative integers, got input [${input}], padding [${padding}]`);
  }
  for (const v of [...kernel, ...stride, ...dilation]) {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`pool2dGeometry: kernel, stride and dilation must be positive integers, got [${kernel}], [${stride}], [${dilation}]`);
  }
  const [batch, channels, inHeight, inWidth] = input as [number, number, number, number];
  const [kernelHeight, kernelWidth] = kernel;
  const [strideHeight, strideWidth] = stride;
  const [padHeight, padWidth] = padding;
  const [dilationHeight, dilationWidth] = dilation;
  if (2 * padHeight > kernelHeight || 2 * padWidth > kernelWidth) {
    throw new RangeError(`pool2dGeometry: padding [${padding}] must be at most half the kernel size [${kernel}]`);
  }
  const outHeight = outputLength(inHeight, kernelHeight, padHeight, strideHeight, dilationHeight, ceilMode);
  const outWidth = outputLength(inWidth, kernelWidth, padWidth, strideWidth, dilationWidth, ceilMode);
  if (outHeight < 1 || outWidth < 1) {
    throw new RangeError(
      `pool2dGeometry: input ${inHeight}×${inWidth} with padding [${padding}] is smaller than the dilated window ` +
        `${dilationHeight * (kernelHeight - 1) + 1}×${dilationWidth * (kernelWidth - 1) + 1}`,
    );
  }
  return {
    batch, channels, inHeight, inWidth, kernelHeight, kernelWidth, strideHeight, strideWidth,
    padHeight, padWidth, dilationHeight, dilationWidth, outHeight, outWidth,
  };
}

/**
 * Max-pool forward: each output is the maximum of its window, and `indices`
 * records where (index `ih·W + iw` inside the input plane). A window that
 * lies entirely in the padding (possible only with dilation) yields −∞ and
 * index −1, and receives no gradient.
 * @param g - the geometry (see {@link pool2dGeometry})
 * @param x - input `[N, C, H, W]`
 * @param out - output `[N, C, OH, OW]` (overwritten)
 * @param indices - argmax per output, same length as `out` (overwritten)
 * @returns nothing; writes into `out` and `indices`
 * @example
 * const g = pool2dGeometry([1, 1, 2, 2], [2, 2], [2, 2], [0, 0], [1, 1]);
 * const out = new Float32Array(1), idx = new Int32Array(1);
 * maxPool2dForward(g, new Float32Array([1, 4, 4, 2]), out, idx); // out = [4], idx = [1] (first of the tie)
 */
export function maxPool2dForward(g: Pool2dGeometry, x: Float32Array, out: Float32Array, indices: Int32Array): void {
  if (getBackend() === 'wasm') maxPool2dForwardWasm(g, x, out, indices);
  else maxPool2dForwardJs(g, x, out, indices);
}

/**
 * {@link maxPool2dForward} in TypeScript, whatever the backend.
 * @param g - the geometry (see {@link pool2dGeometry})
 * @param x - input `[N, C, H, W]`
 * @param out - output `[N, C, OH, OW]` (overwritten)
 * @param indices - argmax per output, same length as `out` (overwritten)
 * @returns nothing; writes into `out` and `indices`
 * @example
 * const g = pool2dGeometry([1, 1, 2, 2], [2, 2], [2, 2], [0, 0], [1, 1]);
 * const out = new Float32Array(1), idx = new Int32Array(1);
 * maxPool2dForwardJs(g, new Float32Array([1, 4, 4, 2]), out, idx); // out = [4], idx = [1]
 */
export function maxPool2dForwardJs(g: Pool2dGeometry, x: Float32Array, out: Float32Array, indices: Int32Array): void {
  const { inHeight, inWidth, kernelHeight, kernelWidth, strideHeight, strideWidth } = g;
  const { padHeight, padWidth, dilationHeight, dilationWidth, outHeight, outWidth } = g;
  const planes = g.batch * g.channels;
  const inPlane = inHeight * inWidth;
  let o = 0;
  for (let plane = 0; plane < planes; plane++) {
    const base = plane * inPlane;
    for (let oh = 0; oh < outHeight; oh++) {
      let ih0 = oh * strideHeight - padHeight;
      const ih1 = Math.min(ih0 + (kernelHeight - 1) * dilationHeight + 1, inHeight);
      while (ih0 < 0) ih0 += dilationHeight;
      for (let ow = 0; ow < outWidth; ow++, o++) {
        let iw0 = ow * strideWidth - padWidth;
        const iw1 = Math.min(iw0 + (kernelWidth - 1) * dilationWidth + 1, inWidth);
        while (iw0 < 0) iw0 += dilationWidth;
        let maxValue = -Infinity;
        let maxIndex = ih0 < ih1 && iw0 < iw1 ? ih0 * inWidth + iw0 : -1;
        for (let ih = ih0; ih < ih1; ih += dilationHeight) {
          const row = ih * inWidth;
          for (let iw = iw0; iw < iw1; iw += dilationWidth) {
            const v = x[base + row + iw]!;
            // NOTE: strictly greater, so ties go to the first max; v !== v is NaN, which always wins.
            if (v > maxValue || v !== v) {
              maxValue = v;
              maxIndex = row + iw;
            }
          }
        }
        out[o] = maxValue;
        indices[o] = maxIndex;
      }
    }
  }
}

/**
 * Max-pool backward: `dx[argmax] += dy` for every output (overlapping
 * windows that share a maximum add up).
 * @param g - the geometry
 * @param dy - output gradient `[N, C, OH, OW]`
 * @param indices - the argmax indices from {@link maxPool2dForward}
 * @param dx - input gradient `[N, C, H, W]` (overwritten)
 * @returns nothing; writes into `dx`
 * @example
 * const g = pool2dGeometry([1, 1, 2, 2], [2, 2], [2, 2], [0, 0], [1, 1]);
 * const dx = new Float32Array(4);
 * maxPool2dBackward(g, new Float32Array([5]), new Int32Array([1]), dx); // dx = [0, 5, 0, 0]
 */
export function maxPool2dBackward(g: Pool2dGeometry, dy: Float32Array, indices: Int32Array, dx: Float32Array): void {
  if (getBackend() === 'wasm') maxPool2dBackwardWasm(g, dy, indices, dx);
  else maxPool2dBackwardJs(g, dy, indices, dx);
}

/**
 * {@link maxPool2dBackward} in TypeScript, whatever the backend.
 * @param g - the geometry
 * @param dy - output gradient `[N, C, OH, OW]`
 * @param indices - the argmax indices from {@link maxPool2dForward}
 * @param dx - input gradient `[N, C, H, W]` (overwritten)
 * @returns nothing; writes into `dx`
 * @example
 * const g = pool2dGeometry([1, 1, 2, 2], [2, 2], [2, 2], [0, 0], [1, 1]);
 * const dx = new Float32Array(4);
 * maxPool2dBackwardJs(g, new Float32Array([5]), new Int32Array([1]), dx); // dx = [0, 5, 0, 0]
 */
export function maxPool2dBackwardJs(g: Pool2dGeometry, dy: Float32Array, indices: Int32Array, dx: Float32Array): void {
  const planes = g.batch * g.channels;
  const inPlane = g.inHeight * g.inWidth;
  const outPlane = g.outHeight * g.outWidth;
  dx.fill(0, 0, planes * inPlane);
  let o = 0;
  for (let plane = 0; plane < planes; plane++) {
    const base = plane * inPlane;
    const end = o + outPlane;
    for (; o < end; o++) {
      const index = indices[o]!;
      if (index >= 0) dx[base + index] += dy[o]!;
    }
  }
}
