/**
 * Max-pool kernels against a naive reference written from PyTorch's rules:
 * −∞ padding, the first maximum of a window (row-major scan) wins ties, any
 * NaN wins (the last NaN of the window), gradients scatter-add to the winner.
 * Values are drawn from a few integers so that ties are common.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maxPool2dBackward, maxPool2dForward, pool2dGeometry, type Pool2dGeometry } from '../../src/kernels/pool2d.js';

/** The naive definition: list each window's in-image taps, then pick the winner. */
function reference(g: Pool2dGeometry, x: Float32Array, dy: Float32Array) {
  const { inHeight: H, inWidth: W, outHeight: OH, outWidth: OW } = g;
  const planes = g.batch * g.channels;
  const y = new Float64Array(planes * OH * OW);
  const idx = new Int32Array(y.length);
  const dx = new Float64Array(x.length);
  for (let p = 0; p < planes; p++) for (let oh = 0; oh < OH; oh++) for (let ow = 0; ow < OW; ow++) {
    const taps: number[] = [];
    for (let i = 0; i < g.kernelHeight; i++) for (let j = 0; j < g.kernelWidth; j++) {
      const ih = oh * g.strideHeight - g.padHeight + i * g.dilationHeight;
      const iw = ow * g.strideWidth - g.padWidth + j * g.dilationWidth;
      if (ih >= 0 && ih < H && iw >= 0 && iw < W) taps.push(ih * W + iw);
    }
    const vals = taps.map((t) => x[p * H * W + t]!);
    const nans = taps.filter((_, k) => Number.isNaN(vals[k]));
    let winner: number;
    if (taps.length === 0) winner = -1;
    else if (nans.length > 0) winner = nans[nans.length - 1]!; // the last NaN
    else winner = taps[vals.indexOf(Math.max(...vals))]!; // indexOf: the first max
    const o = (p * OH + oh) * OW + ow;
    idx[o] = winner;
    y[o] = winner < 0 ? -Infinity : x[p * H * W + winner]!;
    if (winner >= 0) dx[p * H * W + winner] += dy[o]!;
  }
  return { y, idx, dx };
}

const geometryArb = fc
  .record({
    batch: fc.integer({ min: 1, max: 2 }), channels: fc.integer({ min: 1, max: 3 }),
    height: fc.integer({ min: 1, max: 9 }), width: fc.integer({ min: 1, max: 9 }),
    kernel: fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 })),
    stride: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
    dilation: fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 })),
    padSeed: fc.tuple(fc.nat(), fc.nat()),
    ceilMode: fc.boolean(),
  })
  // padding 0..⌊k/2⌋ per axis
  .map((r) => ({ ...r, padding: [0, 1].map((a) => r.padSeed[a]! % ((r.kernel[a]! >> 1) + 1)) as [number, number] }))
  .filter(({ height, width, kernel, dilation, padding }) =>
    height + 2 * padding[0] >= dilation[0] * (kernel[0] - 1) + 1 && width + 2 * padding[1] >= dilation[1] * (kernel[1] - 1) + 1);

describe('max-pool kernels', () => {
  it('forward (values, argmax) and backward match the naive reference, ties and NaN included', () => {
    fc.assert(
      fc.property(geometryArb, fc.integer({ min: 0, max: 1e9 }), fc.boolean(), (r, seed, withNaN) => {
        const g = pool2dGeometry([r.batch, r.channels, r.height, r.width], r.kernel, r.stride, r.padding, r.dilation, r.ceilMode);
        const x = new Float32Array(r.batch * r.channels * r.height * r.width);
        let s = seed;
        for (let i = 0; i < x.length; i++) {
          s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
          // three levels (many ties), all negative (so −∞ padding must not win), sometimes NaN
          x[i] = withNaN && s % 7 === 0 ? NaN : -1 - (s % 3);
        }
        const count = r.batch * r.channels * g.outHeight * g.outWidth;
        const dy = Float32Array.from({ length: count }, (_, i) => (i % 5) - 2);
        const want = reference(g, x, dy);
        const y = new Float32Array(count);
        const idx = new Int32Array(count);
        maxPool2dForward(g, x, y, idx);
        expect(Array.from(idx)).toEqual(Array.from(want.idx));
        expect(y).toBeAllClose(want.y, { rtol: 0, atol: 0 });
        const dx = new Float32Array(x.length).fill(NaN);
        maxPool2dBackward(g, dy, idx, dx);
        expect(dx).toBeAllClose(want.dx, { rtol: 0, atol: 0 });
      }),
      { numRuns: 300, seed: 3 },
    );
  });

  it('ties go to the first max in row-major window order; overlapping windows accumulate', () => {
    // 3×3 input, 2×2 windows with stride 1: every window contains the centre 5s
    // x = [[1, 5, 5],
    //      [5, 5, 2],
    //      [0, 3, 5]]
    const g = pool2dGeometry([1, 1, 3, 3], [2, 2], [1, 1], [0, 0], [1, 1]);
    const y = new Float32Array(4);
    const idx = new Int32Array(4);
    maxPool2dForward(g, new Float32Array([1, 5, 5, 5, 5, 2, 0, 3, 5]), y, idx);
    expect(Array.from(y)).toEqual([5, 5, 5, 5]);
    expect(Array.from(idx)).toEqual([1, 1, 3, 4]); // first 5 of each window
    const dx = new Float32Array(9);
    maxPool2dBackward(g, new Float32Array([1, 10, 100, 1000]), idx, dx);
    expect(Array.from(dx)).toEqual([0, 11, 0, 100, 1000, 0, 0, 0, 0]);
  });

  it('padding is −∞: an all-negative input never pools to a padded zero', () => {
    const g = pool2dGeometry([1, 1, 2, 2], [3, 3], [2, 2], [1, 1], [1, 1]);
    const y = new Float32Array(1);
    const idx = new Int32Array(1);
    maxPool2dForward(g, new Float32Array([-4, -3, -2, -1]), y, idx);
    expect([y[0], idx[0]]).toEqual([-1, 3]);
  });

  it('NaN propagates; the last NaN in the window receives the gradient (as PyTorch)', () => {
    const g = pool2dGeometry([1, 1, 1, 4], [1, 4], [1, 1], [0, 0], [1, 1]);
    const y = new Float32Array(1);
    const idx = new Int32Array(1);
    maxPool2dForward(g, new Float32Array([NaN, 1, NaN, 2]), y, idx);
    expect(Number.isNaN(y[0])).toBe(true);
    expect(idx[0]).toBe(2);
  });

  it('a window wholly in the padding (dilated) gives −∞ and no gradient', () => {
    // taps at −1 and 2 of a 2-wide axis: PyTorch returns −∞ with an out-of-plane index; we use −1
    const g = pool2dGeometry([1, 1, 2, 2], [2, 2], [2, 2], [1, 1], [3, 3]);
    const y = new Float32Array(1);
    const idx = new Int32Array(1);
    maxPool2dForward(g, new Float32Array([1, 2, 3, 4]), y, idx);
    expect([y[0], idx[0]]).toEqual([-Infinity, -1]);
    const dx = new Float32Array(4);
    maxPool2dBackward(g, new Float32Array([1]), idx, dx);
    expect(Array.from(dx)).toEqual([0, 0, 0, 0]);
  });

  it('output sizes follow PyTorch, with and without ceil mode', () => {
    const size = (h: number, k: number, s: number, p: number, d: number, ceil: boolean) =>
      pool2dGeometry([1, 1, h, h], [k, k], [s, s], [p, p], [d, d], ceil).outHeight;
    expect(size(28, 2, 2, 0, 1, false)).toBe(14);
    expect(size(5, 2, 2, 0, 1, false)).toBe(2);
    expect(size(5, 2, 2, 0, 1, true)).toBe(3); // torch: [[6, 8, 9], …]
    expect(size(5, 3, 2, 1, 1, true)).toBe(3);
    expect(size(5, 2, 2, 1, 1, true)).toBe(3); // ⌈5/2⌉ + 1 = 4, but the 4th window would start in the padding
    expect(size(7, 3, 2, 1, 2, false)).toBe(3);
    expect(() => pool2dGeometry([1, 1, 4, 4], [2, 2], [1, 1], [2, 0], [1, 1])).toThrow(/at most half/);
    expect(() => pool2dGeometry([1, 1, 1, 1], [3, 3], [1, 1], [0, 0], [1, 1])).toThrow(/smaller than the dilated window 3×3/);
    expect(() => pool2dGeometry([1, 1, 4, 4], [0, 2], [1, 1], [0, 0], [1, 1])).toThrow(/positive integers/);
  });
});
