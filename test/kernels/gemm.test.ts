import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { gemm } from '../../src/kernels/gemm.js';
import { gemmCaseArb, randomFloats, type GemmCase } from './random.js';

/**
 * Runs gemm on buffers with `offset` guard elements before and 3 after each
 * matrix, and checks it against a float64 triple loop:
 * |got − want| ≤ rtol·√k·Σₚ|a·b| + atol per element, with the guards untouched.
 */
function checkGemm(t: GemmCase, rtol = 1e-5, atol = 1e-30): void {
  const { transA, transB, m, n, k, accumulate, aOffset, bOffset, cOffset, seed } = t;
  const scale = t.scale ?? 1;
  const tail = 3;
  const a = randomFloats(aOffset + m * k + tail, seed, scale);
  const b = randomFloats(bOffset + k * n + tail, seed + 1, scale);
  const c = randomFloats(cOffset + m * n + tail, seed + 2, scale);
  if (!accumulate) {
    // Overwrite mode must ignore old contents entirely, even NaN.
    c.fill(Number.NaN, cOffset, cOffset + m * n);
  }
  const cBefore = c.slice();

  gemm(transA, transB, m, n, k, a, aOffset, b, bOffset, c, cOffset, accumulate);

  const lda = transA ? m : k;
  const ldb = transB ? k : n;
  // op(A)[i][p] and op(B)[p][j] read straight from the stored layouts.
  const opA = (i: number, p: number) => a[aOffset + (transA ? p * lda + i : i * lda + p)];
  const opB = (p: number, j: number) => b[bOffset + (transB ? j * ldb + p : p * ldb + j)];
  const bad: string[] = [];
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = accumulate ? cBefore[cOffset + i * n + j] : 0;
      let magnitude = Math.abs(sum);
      for (let p = 0; p < k; p++) {
        const prod = opA(i, p) * opB(p, j);
        sum += prod;
        magnitude += Math.abs(prod);
      }
      const got = c[cOffset + i * n + j];
      const tol = rtol * Math.sqrt(Math.max(k, 1)) * magnitude + atol;
      if (!(Math.abs(got - sum) <= tol) && bad.length < 5) {
        bad.push(`C[${i},${j}] = ${got}, want ${sum} (tol ${tol})`);
      }
    }
  }
  for (let i = 0; i < cOffset; i++) if (!Object.is(c[i], cBefore[i])) bad.push(`guard c[${i}] changed`);
  for (let i = cOffset + m * n; i < c.length; i++) if (!Object.is(c[i], cBefore[i])) bad.push(`guard c[${i}] changed`);
  expect(bad, JSON.stringify(t)).toEqual([]);
}

const transposes = [
  [false, false],
  [false, true],
  [true, false],
  [true, true],
] as const;

const awkward = [1, 2, 3, 5, 7, 13, 17, 33, 65, 100];

describe('gemm', () => {
  it('computes the worked example from its TSDoc', () => {
    // [[1, 2], [3, 4]] · [[5, 6], [7, 8]] = [[1·5 + 2·7, 1·6 + 2·8], [3·5 + 4·7, 3·6 + 4·8]]
    const c = new Float32Array(4);
    gemm(false, false, 2, 2, 2, new Float32Array([1, 2, 3, 4]), 0, new Float32Array([5, 6, 7, 8]), 0, c, 0, false);
    expect(Array.from(c)).toEqual([19, 22, 43, 50]);
  });

  it('handles each transpose: Aᵀ and Bᵀ read the stored matrix transposed', () => {
    // A stored 2×2 = [[1, 2], [3, 4]], so Aᵀ = [[1, 3], [2, 4]]; B likewise.
    const a = new Float32Array([1, 2, 3, 4]);
    const b = new Float32Array([5, 6, 7, 8]);
    const run = (ta: boolean, tb: boolean) => {
      const c = new Float32Array(4);
      gemm(ta, tb, 2, 2, 2, a, 0, b, 0, c, 0, false);
      return Array.from(c);
    };
    expect(run(false, false)).toEqual([19, 22, 43, 50]);
    expect(run(true, false)).toEqual([26, 30, 38, 44]); // [[1,3],[2,4]]·[[5,6],[7,8]]
    expect(run(false, true)).toEqual([17, 23, 39, 53]); // [[1,2],[3,4]]·[[5,7],[6,8]]
    expect(run(true, true)).toEqual([23, 31, 34, 46]); // [[1,3],[2,4]]·[[5,7],[6,8]]
  });

  describe.each(transposes)('transA=%s transB=%s', (transA, transB) => {
    for (const accumulate of [false, true]) {
      it(`matches float64 reference on square awkward sizes (accumulate=${accumulate})`, () => {
        for (const s of awkward) {
          checkGemm({ transA, transB, m: s, n: s, k: s, accumulate, aOffset: 3, bOffset: 5, cOffset: 7, seed: s });
        }
      });

      it(`matches float64 reference on mixed awkward shapes (accumulate=${accumulate})`, () => {
        const shapes = [
          [1, 100, 7], [100, 1, 13], [13, 17, 33], [65, 3, 100], [2, 65, 5],
          [5, 7, 1], [1, 1, 100], [33, 13, 2], [7, 100, 65], [17, 2, 3],
        ];
        for (const [m, n, k] of shapes) {
          checkGemm({ transA, transB, m, n, k, accumulate, aOffset: 1, bOffset: 0, cOffset: 2, seed: m * 31 + n });
        }
      });

      it(`spans several cache blocks in m, n and k (accumulate=${accumulate})`, () => {
        // Beyond MC = 96 rows, NC = 768 columns and KC = 256 depth, none a multiple.
        checkGemm({ transA, transB, m: 101, n: 775, k: 517, accumulate, aOffset: 2, bOffset: 3, cOffset: 1, seed: 7 });
      });
    }

    it('k = 0 gives zeros, or leaves C unchanged when accumulating', () => {
      const c = new Float32Array([9, 1, 2, 3, 4, 5, 6, 9]);
      gemm(transA, transB, 2, 3, 0, new Float32Array(0), 0, new Float32Array(0), 0, c, 1, true);
      expect(Array.from(c)).toEqual([9, 1, 2, 3, 4, 5, 6, 9]);
      gemm(transA, transB, 2, 3, 0, new Float32Array(0), 0, new Float32Array(0), 0, c, 1, false);
      expect(Array.from(c)).toEqual([9, 0, 0, 0, 0, 0, 0, 9]);
    });
  });

  it('m = 0 or n = 0 is a no-op', () => {
    const c = new Float32Array([1, 2, 3]);
    const a = new Float32Array(12);
    gemm(false, false, 0, 3, 4, a, 0, a, 0, c, 0, false);
    gemm(true, true, 3, 0, 4, a, 0, a, 0, c, 0, false);
    expect(Array.from(c)).toEqual([1, 2, 3]);
  });

  it('keeps a NaN in A to its own row of C (no leakage through padding)', () => {
    // 5×4 · 4×5: row 4 of A falls in a zero-padded edge panel.
    const m = 5, n = 5, k = 4;
    const a = new Float32Array(m * k).fill(1);
    a[4 * k + 2] = Number.NaN;
    const b = new Float32Array(k * n).fill(1);
    const c = new Float32Array(m * n);
    gemm(false, false, m, n, k, a, 0, b, 0, c, 0, false);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        if (i === 4) expect(c[i * n + j]).toBeNaN();
        else expect(c[i * n + j]).toBe(k);
      }
    }
  });

  it('gives the same answer after the pack buffer has grown (steady-state reuse)', () => {
    const small = { transA: false, transB: true, m: 9, n: 11, k: 13, accumulate: false, aOffset: 0, bOffset: 0, cOffset: 0, seed: 3 };
    checkGemm(small);
    checkGemm({ ...small, m: 300, n: 40, k: 300, seed: 4 });
    checkGemm(small);
  });

  it('throws RangeError on bad sizes or short buffers', () => {
    const x = new Float32Array(4);
    expect(() => gemm(false, false, 2, 2, 2, x, 1, x, 0, x, 0, false)).toThrow(RangeError);
    expect(() => gemm(false, false, 2, 2, 2, x, 0, x, 0, new Float32Array(3), 0, false)).toThrow(RangeError);
    expect(() => gemm(false, false, -1, 2, 2, x, 0, x, 0, x, 0, false)).toThrow(RangeError);
    expect(() => gemm(false, false, 1.5, 2, 2, x, 0, x, 0, x, 0, false)).toThrow(RangeError);
  });

  it('matches float64 reference for random shapes, layouts and values (property)', () => {
    fc.assert(
      fc.property(
        gemmCaseArb(70, 1),
        (t) => checkGemm(t),
      ),
      { numRuns: 200 },
    );
  });
});
