// AssemblyScript (compiled by `npm run build:wasm`, not by tsc): conv2d as
// im2col + GEMM and max-pool, whole batches per call, so that the unrolled
// columns never leave linear memory. Same algorithms, loop order and
// summation order as the TypeScript kernels in src/kernels/conv2d.ts and
// src/kernels/pool2d.ts (the GEMM is the one in gemm.ts).
//
// Sizes come in a geometry block of i32 at byte address `g` (written by
// src/kernels/wasm/conv2d.ts and pool2d.ts); all other pointers are byte
// addresses of f32 (or i32 argmax) arrays.

import { gemm } from './gemm';

// Conv geometry block: i32 fields, in this order.
const C_IN: i32 = 0, C_H: i32 = 1, C_W: i32 = 2, C_OUT: i32 = 3, C_KH: i32 = 4, C_KW: i32 = 5;
const C_SH: i32 = 6, C_SW: i32 = 7, C_DH: i32 = 8, C_DW: i32 = 9, C_PT: i32 = 10, C_PL: i32 = 11;
const C_OH: i32 = 12, C_OW: i32 = 13, C_N: i32 = 14, C_POINTWISE: i32 = 15;

// @ts-ignore: decorator
@inline function field(g: usize, i: i32): i32 {
  return load<i32>(g + (<usize>i << 2));
}

/** Copies `n` floats from `src` to `dst` (no overlap), four at a time. */
// @ts-ignore: decorator
@inline function copyRow(dst: usize, src: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(dst + (<usize>i << 2), v128.load(src + (<usize>i << 2)));
  for (; i < n; i++) store<f32>(dst + (<usize>i << 2), load<f32>(src + (<usize>i << 2)));
}

/** Adds `n` floats from `src` onto `dst`, four at a time. */
// @ts-ignore: decorator
@inline function addRow(dst: usize, src: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const d = dst + (<usize>i << 2);
    v128.store(d, f32x4.add(v128.load(d), v128.load(src + (<usize>i << 2))));
  }
  for (; i < n; i++) {
    const d = dst + (<usize>i << 2);
    store<f32>(d, load<f32>(d) + load<f32>(src + (<usize>i << 2)));
  }
}

/** First output column whose input column `iwBase + ow·sw` is ≥ 0, clamped to [0, OW]. */
// @ts-ignore: decorator
@inline function firstInside(iwBase: i32, sw: i32, ow: i32): i32 {
  return iwBase >= 0 ? 0 : min(ow, (sw - 1 - iwBase) / sw);
}

/** One past the last output column whose input column is ≤ W − 1, clamped to [first, OW]. */
// @ts-ignore: decorator
@inline function endInside(iwBase: i32, sw: i32, w: i32, ow: i32, first: i32): i32 {
  const end = iwBase > w - 1 ? 0 : min(ow, (w - 1 - iwBase) / sw + 1);
  return end > first ? end : first;
}

/** im2col of one sample at `x` into `cols` ([C·kh·kw, OH·OW]); padding reads as 0. */
function im2col(g: usize, x: usize, cols: usize): void {
  const C = field(g, C_IN), H = field(g, C_H), W = field(g, C_W), KH = field(g, C_KH), KW = field(g, C_KW);
  const SH = field(g, C_SH), SW = field(g, C_SW), DH = field(g, C_DH), DW = field(g, C_DW);
  const PT = field(g, C_PT), PL = field(g, C_PL), OH = field(g, C_OH), OW = field(g, C_OW);
  let dst = cols;
  const rowBytes = <usize>OW << 2;
  for (let c = 0; c < C; c++) {
    const plane = x + (<usize>(c * H * W) << 2);
    for (let i = 0; i < KH; i++) {
      const ihBase = i * DH - PT;
      for (let j = 0; j < KW; j++) {
        const iwBase = j * DW - PL;
        const first = firstInside(iwBase, SW, OW);
        const end = endInside(iwBase, SW, W, OW, first);
        for (let oh = 0; oh < OH; oh++) {
          const ih = ihBase + oh * SH;
          if (ih < 0 || ih >= H) {
            memory.fill(dst, 0, rowBytes);
          } else {
            const src = plane + (<usize>(ih * W + iwBase) << 2);
            for (let ow = 0; ow < first; ow++) store<f32>(dst + (<usize>ow << 2), 0);
            if (SW == 1) {
              copyRow(dst + (<usize>first << 2), src + (<usize>first << 2), end - first);
            } else {
              for (let ow = first; ow < end; ow++) store<f32>(dst + (<usize>ow << 2), load<f32>(src + (<usize>(ow * SW) << 2)));
            }
            for (let ow = end; ow < OW; ow++) store<f32>(dst + (<usize>ow << 2), 0);
          }
          dst += rowBytes;
        }
      }
    }
  }
}

/** col2im: adds `cols` back onto the sample at `dx` (padding entries dropped). */
function col2im(g: usize, cols: usize, dx: usize): void {
  const C = field(g, C_IN), H = field(g, C_H), W = field(g, C_W), KH = field(g, C_KH), KW = field(g, C_KW);
  const SH = field(g, C_SH), SW = field(g, C_SW), DH = field(g, C_DH), DW = field(g, C_DW);
  const PT = field(g, C_PT), PL = field(g, C_PL), OH = field(g, C_OH), OW = field(g, C_OW);
  let src = cols;
  const rowBytes = <usize>OW << 2;
  for (let c = 0; c < C; c++) {
    const plane = dx + (<usize>(c * H * W) << 2);
    for (let i = 0; i < KH; i++) {
      const ihBase = i * DH - PT;
      for (let j = 0; j < KW; j++) {
        const iwBase = j * DW - PL;
        const first = firstInside(iwBase, SW, OW);
        const end = endInside(iwBase, SW, W, OW, first);
        for (let oh = 0; oh < OH; oh++) {
          const ih = ihBase + oh * SH;
          if (ih >= 0 && ih < H) {
            const dst = plane + (<usize>(ih * W + iwBase) << 2);
            if (SW == 1) {
              addRow(dst + (<usize>first << 2), src + (<usize>first << 2), end - first);
            } else {
              for (let ow = first; ow < end; ow++) {
                const d = dst + (<usize>(ow * SW) << 2);
                store<f32>(d, load<f32>(d) + load<f32>(src + (<usize>ow << 2)));
              }
            }
          }
          src += rowBytes;
        }
      }
    }
  }
}

/**
 * Forward over the batch: out[n] = bias (if `hasBias`) then (+)= W · cols[n].
 * `cols` has room for C·kh·kw·OH·OW floats (unused when pointwise). All sizes ≥ 1.
 */
export function conv2dForward(g: usize, x: usize, w: usize, bias: usize, hasBias: bool, out: usize, cols: usize, scratch: usize): void {
  const N = field(g, C_N), O = field(g, C_OUT), P = field(g, C_OH) * field(g, C_OW);
  const depth = field(g, C_IN) * field(g, C_KH) * field(g, C_KW);
  const inBytes = <usize>(field(g, C_IN) * field(g, C_H) * field(g, C_W)) << 2;
  const outBytes = <usize>(O * P) << 2;
  const pointwise = field(g, C_POINTWISE) != 0;
  for (let n = 0; n < N; n++) {
    const xn = x + <usize>n * inBytes;
    const yn = out + <usize>n * outBytes;
    if (hasBias) {
      for (let o = 0; o < O; o++) {
        const v = f32x4.splat(load<f32>(bias + (<usize>o << 2)));
        const row = yn + (<usize>(o * P) << 2);
        let p = 0;
        for (; p + 4 <= P; p += 4) v128.store(row + (<usize>p << 2), v);
        for (; p < P; p++) store<f32>(row + (<usize>p << 2), f32x4.extract_lane(v, 0));
      }
    }
    let b = cols;
    if (pointwise) b = xn;
    else im2col(g, xn, cols);
    gemm(false, false, O, P, depth, w, b, yn, hasBias, scratch);
  }
}

/** dW (+)= Σₙ dy[n] · cols[n]ᵀ over the batch (N ≥ 1, all sizes ≥ 1). */
export function conv2dBackwardWeight(g: usize, x: usize, dy: usize, dw: usize, accumulate: bool, cols: usize, scratch: usize): void {
  const N = field(g, C_N), O = field(g, C_OUT), P = field(g, C_OH) * field(g, C_OW);
  const depth = field(g, C_IN) * field(g, C_KH) * field(g, C_KW);
  const inBytes = <usize>(field(g, C_IN) * field(g, C_H) * field(g, C_W)) << 2;
  const outBytes = <usize>(O * P) << 2;
  const pointwise = field(g, C_POINTWISE) != 0;
  for (let n = 0; n < N; n++) {
    const xn = x + <usize>n * inBytes;
    let b = cols;
    if (pointwise) b = xn;
    else im2col(g, xn, cols);
    gemm(false, true, O, depth, P, dy + <usize>n * outBytes, b, dw, accumulate || n > 0, scratch);
  }
}

/** dx[n] = col2im(Wᵀ · dy[n]) over the batch (all sizes ≥ 1); `dcols` as `cols` above. */
export function conv2dBackwardInput(g: usize, dy: usize, w: usize, dx: usize, dcols: usize, scratch: usize): void {
  const N = field(g, C_N), O = field(g, C_OUT), P = field(g, C_OH) * field(g, C_OW);
  const depth = field(g, C_IN) * field(g, C_KH) * field(g, C_KW);
  const inBytes = <usize>(field(g, C_IN) * field(g, C_H) * field(g, C_W)) << 2;
  const outBytes = <usize>(O * P) << 2;
  if (field(g, C_POINTWISE) != 0) {
    for (let n = 0; n < N; n++) gemm(true, false, depth, P, O, w, dy + <usize>n * outBytes, dx + <usize>n * inBytes, false, scratch);
    return;
  }
  memory.fill(dx, 0, <usize>N * inBytes);
  for (let n = 0; n < N; n++) {
    gemm(true, false, depth, P, O, w, dy + <usize>n * outBytes, dcols, false, scratch);
    col2im(g, dcols, dx + <usize>n * inBytes);
  }
}

// Pool geometry block: i32 fields, in this order.
const P_PLANES: i32 = 0, P_H: i32 = 1, P_W: i32 = 2, P_KH: i32 = 3, P_KW: i32 = 4, P_SH: i32 = 5, P_SW: i32 = 6;
const P_PH: i32 = 7, P_PW: i32 = 8, P_DH: i32 = 9, P_DW: i32 = 10, P_OH: i32 = 11, P_OW: i32 = 12;

/**
 * Max-pool forward over N·C planes: out = window maximum (ties to the first
 * in scan order, NaN wins), indices = its `ih·W + iw` (−1 for an all-padding
 * window, whose output is −∞). The common 2×2, stride-2, unpadded window
 * runs four outputs at a time ({@link maxPool2x2Row}); the result is the
 * same bit for bit.
 */
export function maxPool2dForward(g: usize, x: usize, out: usize, indices: usize): void {
  const planes = field(g, P_PLANES), H = field(g, P_H), W = field(g, P_W), KH = field(g, P_KH), KW = field(g, P_KW);
  const SH = field(g, P_SH), SW = field(g, P_SW), PH = field(g, P_PH), PW = field(g, P_PW);
  const DH = field(g, P_DH), DW = field(g, P_DW), OH = field(g, P_OH), OW = field(g, P_OW);
  const twoByTwo = KH == 2 && KW == 2 && SH == 2 && SW == 2 && PH == 0 && PW == 0 && DH == 1 && DW == 1;
  let o: usize = 0;
  for (let plane = 0; plane < planes; plane++) {
    const base = x + (<usize>(plane * H * W) << 2);
    for (let oh = 0; oh < OH; oh++) {
      let ih0 = oh * SH - PH;
      const ih1 = min(ih0 + (KH - 1) * DH + 1, H);
      while (ih0 < 0) ih0 += DH;
      let ow = 0;
      // Whole blocks of four windows whose eight columns all exist (with
      // ceil mode the last window may be cut short; it goes below).
      if (twoByTwo && ih1 - ih0 == 2) {
        const blocks = min(OW, W >> 1) >> 2;
        maxPool2x2Row(base, W, ih0, blocks, out + o, indices + o);
        ow = blocks << 2;
        o += <usize>(ow << 2);
      }
      for (; ow < OW; ow++, o += 4) {
        let iw0 = ow * SW - PW;
        const iw1 = min(iw0 + (KW - 1) * DW + 1, W);
        while (iw0 < 0) iw0 += DW;
        let maxValue: f32 = -Infinity;
        let maxIndex = ih0 < ih1 && iw0 < iw1 ? ih0 * W + iw0 : -1;
        for (let ih = ih0; ih < ih1; ih += DH) {
          const row = ih * W;
          for (let iw = iw0; iw < iw1; iw += DW) {
            const v = load<f32>(base + (<usize>(row + iw) << 2));
            if (v > maxValue || v != v) {
              maxValue = v;
              maxIndex = row + iw;
            }
          }
        }
        store<f32>(out + o, maxValue);
        store<i32>(indices + o, maxIndex);
      }
    }
  }
}

/** Lanes where `v` takes over from `max`: larger, or NaN (the scalar loop's rule). */
// @ts-ignore: decorator
@inline function takes(v: v128, max: v128): v128 {
  return v128.or(f32x4.gt(v, max), f32x4.ne(v, v));
}

/**
 * `blocks` × 4 windows of 2×2, stride 2, along rows `ih` and `ih + 1` of one
 * plane, four at a time: the window elements are taken in the scalar scan
 * order (top-left, top-right, bottom-left, bottom-right), and a lane takes a
 * value when it is larger or NaN, exactly as the scalar loop, but with masks
 * instead of branches. (The scalar loop's branch mispredicts about once per
 * window on random data: 18 ns per window against 8 on sorted data; this
 * runs about 1.)
 */
function maxPool2x2Row(base: usize, W: i32, ih: i32, blocks: i32, out: usize, indices: usize): void {
  const top = base + (<usize>(ih * W) << 2);
  const bottom = top + (<usize>W << 2);
  // Index of each lane's top-left element; the others are +1, +W, +W+1.
  let index = i32x4.add(i32x4.splat(ih * W), i32x4(0, 2, 4, 6));
  const one = i32x4.splat(1), down = i32x4.splat(W), eight = i32x4.splat(8);
  for (let b = 0; b < blocks; b++) {
    const at = <usize>(b << 5); // 8 floats of input per block
    const t0 = v128.load(top + at), t1 = v128.load(top + at, 16);
    const b0 = v128.load(bottom + at), b1 = v128.load(bottom + at, 16);
    let max = v128.shuffle<f32>(t0, t1, 0, 2, 4, 6);
    let arg = index;
    let v = v128.shuffle<f32>(t0, t1, 1, 3, 5, 7);
    let m = takes(v, max);
    max = v128.bitselect(v, max, m);
    arg = v128.bitselect(i32x4.add(index, one), arg, m);
    v = v128.shuffle<f32>(b0, b1, 0, 2, 4, 6);
    m = takes(v, max);
    max = v128.bitselect(v, max, m);
    arg = v128.bitselect(i32x4.add(index, down), arg, m);
    v = v128.shuffle<f32>(b0, b1, 1, 3, 5, 7);
    m = takes(v, max);
    max = v128.bitselect(v, max, m);
    arg = v128.bitselect(i32x4.add(i32x4.add(index, down), one), arg, m);
    v128.store(out + <usize>(b << 4), max);
    v128.store(indices + <usize>(b << 4), arg);
    index = i32x4.add(index, eight);
  }
}
/** Max-pool backward: dx = 0, then dx[plane, argmax] += dy for every output. */
export function maxPool2dBackward(g: usize, dy: usize, indices: usize, dx: usize): void {
  const planes = field(g, P_PLANES), inPlane = field(g, P_H) * field(g, P_W);
  const outPlane = field(g, P_OH) * field(g, P_OW);
  memory.fill(dx, 0, <usize>(planes * inPlane) << 2);
  let o: usize = 0;
  for (let plane = 0; plane < planes; plane++) {
    const base = dx + (<usize>(plane * inPlane) << 2);
    for (let q = 0; q < outPlane; q++, o += 4) {
      const index = load<i32>(indices + o);
      if (index >= 0) {
        const d = base + (<usize>index << 2);
        store<f32>(d, load<f32>(d) + load<f32>(dy + o));
      }
    }
  }
}
