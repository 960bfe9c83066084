/**
 * The im2col + GEMM convolution kernels against naive seven-deep loops
 * (float64), over random shapes, strides, asymmetric paddings and dilations.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  col2im, conv2dBackwardBias, conv2dBackwardInput, conv2dBackwardWeight, conv2dForward, conv2dGeometry, im2col,
  type Conv2dGeometry,
} from '../../src/kernels/conv2d.js';

/** Deterministic values in [-1, 1). */
function values(count: number, seed: number): Float32Array {
  const out = new Float32Array(count);
  let state = seed >>> 0 || 1;
  for (let i = 0; i < count; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = state / 0x80000000 - 1;
  }
  return out;
}

/** The naive definition: every (n, o, oh, ow, c, i, j), reading x only inside the image. */
function reference(g: Conv2dGeometry, x: Float32Array, w: Float32Array, b: Float32Array | null, dy: Float32Array) {
  const { batch: N, inChannels: C, inHeight: H, inWidth: W, outChannels: O, kernelHeight: KH, kernelWidth: KW } = g;
  const { outHeight: OH, outWidth: OW } = g;
  const y = new Float64Array(N * O * OH * OW);
  const dx = new Float64Array(x.length);
  const dw = new Float64Array(w.length);
  const db = new Float64Array(O);
  for (let n = 0; n < N; n++) for (let o = 0; o < O; o++) for (let oh = 0; oh < OH; oh++) for (let ow = 0; ow < OW; ow++) {
    const yi = ((n * O + o) * OH + oh) * OW + ow;
    let sum = b ? b[o]! : 0;
    db[o] += dy[yi]!;
    for (let c = 0; c < C; c++) for (let i = 0; i < KH; i++) for (let j = 0; j < KW; j++) {
      const ih = oh * g.strideHeight - g.padTop + i * g.dilationHeight;
      const iw = ow * g.strideWidth - g.padLeft + j * g.dilationWidth;
      if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
      const xi = ((n * C + c) * H + ih) * W + iw;
      const wi = ((o * C + c) * KH + i) * KW + j;
      sum += w[wi]! * x[xi]!;
      dx[xi] += w[wi]! * dy[yi]!;
      dw[wi] += x[xi]! * dy[yi]!;
    }
    y[yi] = sum;
  }
  return { y, dx, dw, db };
}

/** Random valid geometry: asymmetric padding, strides and dilations up to 3. */
const geometryArb = fc
  .record({
    batch: fc.integer({ min: 1, max: 3 }), inChannels: fc.integer({ min: 1, max: 5 }), outChannels: fc.integer({ min: 1, max: 7 }),
    height: fc.integer({ min: 1, max: 11 }), width: fc.integer({ min: 1, max: 11 }),
    kernel: fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 })),
    stride: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
    dilation: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
    padding: fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 })),
    seed: fc.integer({ min: 1, max: 1e9 }),
  })
  .filter(({ height, width, kernel, dilation, padding }) =>
    height + padding[0] + padding[1] >= dilation[0] * (kernel[0] - 1) + 1 &&
    width + padding[2] + padding[3] >= dilation[1] * (kernel[1] - 1) + 1);

const TOL = { rtol: 1e-5, atol: 1e-5 };

describe('conv2d kernels', () => {
  it('forward and all three gradients match the naive loops', () => {
    fc.assert(
      fc.property(geometryArb, ({ batch, inChannels, outChannels, height, width, kernel, stride, dilation, padding, seed }) => {
        const g = conv2dGeometry([batch, inChannels, height, width], [outChannels, inChannels, ...kernel], stride, padding, dilation);
        const x = values(batch * inChannels * height * width, seed);
        const w = values(outChannels * inChannels * kernel[0] * kernel[1], seed + 1);
        const b = values(outChannels, seed + 2);
        const outSize = batch * outChannels * g.outHeight * g.outWidth;
        const dy = values(outSize, seed + 3);
        const want = reference(g, x, w, b, dy);

        const y = new Float32Array(outSize).fill(NaN); // overwritten, never read
        conv2dForward(g, x, w, b, y);
        expect(y).toBeAllClose(want.y, TOL);
        const dx = new Float32Array(x.length).fill(NaN);
        conv2dBackwardInput(g, dy, w, dx);
        expect(dx).toBeAllClose(want.dx, TOL);
        const dw = new Float32Array(w.length).fill(NaN);
        conv2dBackwardWeight(g, x, dy, dw);
        expect(dw).toBeAllClose(want.dw, TOL);
        const db = new Float32Array(outChannels);
        conv2dBackwardBias(g, dy, db);
        expect(db).toBeAllClose(want.db, TOL);
      }),
      { numRuns: 150, seed: 7 },
    );
  });

  it('forward without bias; backward weight accumulates when asked', () => {
    const g = conv2dGeometry([2, 3, 6, 5], [4, 3, 3, 2], [2, 1], [1, 0, 2, 1], [1, 2]);
    const x = values(2 * 3 * 6 * 5, 1);
    const w = values(4 * 3 * 3 * 2, 2);
    const dy = values(2 * 4 * g.outHeight * g.outWidth, 3);
    const want = reference(g, x, w, null, dy);
    const y = new Float32Array(dy.length);
    conv2dForward(g, x, w, null, y);
    expect(y).toBeAllClose(want.y, TOL);
    const dw = new Float32Array(w.length).fill(1);
    conv2dBackwardWeight(g, x, dy, dw, true);
    expect(dw).toBeAllClose(Array.from(want.dw, (v) => v + 1), TOL);
  });

  it('1×1 stride-1 unpadded kernels skip im2col (the input is the column matrix) and agree', () => {
    const g = conv2dGeometry([3, 8, 5, 7], [6, 8, 1, 1], [1, 1], [0, 0, 0, 0], [1, 1]);
    const x = values(3 * 8 * 35, 4);
    const w = values(6 * 8, 5);
    const b = values(6, 6);
    const dy = values(3 * 6 * 35, 7);
    const want = reference(g, x, w, b, dy);
    const y = new Float32Array(dy.length);
    conv2dForward(g, x, w, b, y);
    expect(y).toBeAllClose(want.y, TOL);
    const dx = new Float32Array(x.length).fill(NaN);
    conv2dBackwardInput(g, dy, w, dx);
    expect(dx).toBeAllClose(want.dx, TOL);
    const dw = new Float32Array(w.length);
    conv2dBackwardWeight(g, x, dy, dw);
    expect(dw).toBeAllClose(want.dw, TOL);
  });

  it('the bench shape (32×16×28×28 → 32, 3×3, padding 1) matches the naive loops', () => {
    const g = conv2dGeometry([2, 16, 28, 28], [32, 16, 3, 3], [1, 1], [1, 1, 1, 1], [1, 1]);
    const x = values(2 * 16 * 784, 8);
    const w = values(32 * 144, 9);
    const dy = values(2 * 32 * 784, 10);
    const want = reference(g, x, w, null, dy);
    const y = new Float32Array(dy.length);
    conv2dForward(g, x, w, null, y);
    expect(y).toBeAllClose(want.y, TOL);
    const dx = new Float32Array(x.length);
    conv2dBackwardInput(g, dy, w, dx);
    expect(dx).toBeAllClose(want.dx, TOL);
    const dw = new Float32Array(w.length);
    conv2dBackwardWeight(g, x, dy, dw);
    // dW sums 2·784 products per entry of magnitude up to 1
    expect(dw).toBeAllClose(want.dw, { rtol: 1e-5, atol: 1e-4 });
  });

  it('col2im is the adjoint of im2col: <im2col(x), c> = <x, col2im(c)>', () => {
    fc.assert(
      fc.property(geometryArb, ({ inChannels, height, width, kernel, stride, dilation, padding, seed }) => {
        const g = conv2dGeometry([1, inChannels, height, width], [1, inChannels, ...kernel], stride, padding, dilation);
        const rows = inChannels * kernel[0] * kernel[1];
        const x = values(inChannels * height * width, seed);
        const c = values(rows * g.outHeight * g.outWidth, seed + 1);
        const cols = new Float32Array(c.length);
        im2col(g, x, 0, cols);
        const back = new Float32Array(x.length);
        col2im(g, c, back, 0);
        let left = 0;
        let right = 0;
        for (let i = 0; i < c.length; i++) left += cols[i]! * c[i]!;
        for (let i = 0; i < x.length; i++) right += x[i]! * back[i]!;
        expect(left).toBeCloseTo(right, 4);
      }),
      { numRuns: 100, seed: 11 },
    );
  });

  it('im2col unrolls receptive fields row by row, zero in the padding', () => {
    // x = [[1, 2], [3, 4]], 2×2 kernel, padding 1 on top and left only → 2×2 output
    const g = conv2dGeometry([1, 1, 2, 2], [1, 1, 2, 2], [1, 1], [1, 0, 1, 0], [1, 1]);
    const cols = new Float32Array(16).fill(NaN);
    im2col(g, new Float32Array([1, 2, 3, 4]), 0, cols);
    // rows: taps (0,0), (0,1), (1,0), (1,1); columns: outputs (0,0), (0,1), (1,0), (1,1)
    expect(Array.from(cols)).toEqual([0, 0, 0, 1, 0, 0, 1, 2, 0, 1, 0, 3, 1, 2, 3, 4]);
  });

  it('conv2dGeometry computes PyTorch output sizes and rejects bad sizes', () => {
    const g = conv2dGeometry([4, 3, 9, 10], [5, 3, 3, 3], [2, 2], [1, 1, 1, 1], [2, 2]);
    // ⌊(9 + 2 − 2·2 − 1) / 2⌋ + 1 = 4, ⌊(10 + 2 − 4 − 1) / 2⌋ + 1 = 4
    expect([g.outHeight, g.outWidth]).toEqual([4, 4]);
    expect(() => conv2dGeometry([1, 2, 5, 5], [1, 3, 3, 3], [1, 1], [0, 0, 0, 0], [1, 1])).toThrow(/2 channels but weight \[1,3,3,3\] expects 3/);
    expect(() => conv2dGeometry([1, 1, 2, 2], [1, 1, 3, 3], [1, 1], [0, 0, 0, 0], [1, 1])).toThrow(/smaller than the dilated kernel 3×3/);
    expect(() => conv2dGeometry([1, 1, 5, 5], [1, 1, 3, 3], [0, 1], [0, 0, 0, 0], [1, 1])).toThrow(/positive integers/);
    expect(() => conv2dGeometry([1, 1, 5, 5], [1, 1, 3, 3], [1, 1], [-1, 0, 0, 0], [1, 1])).toThrow(/non-negative/);
    expect(() => conv2dGeometry([1, 5, 5], [1, 1, 3, 3], [1, 1], [0, 0, 0, 0], [1, 1])).toThrow(/\[N, C, H, W\]/);
  });

  it('a batch of zero samples gives a zero weight gradient', () => {
    const g = conv2dGeometry([0, 2, 4, 4], [3, 2, 3, 3], [1, 1], [0, 0, 0, 0], [1, 1]);
    const dw = new Float32Array(3 * 2 * 9).fill(5);
    conv2dBackwardWeight(g, new Float32Array(0), new Float32Array(0), dw);
    expect(dw.every((v) => v === 0)).toBe(true);
  });
});
