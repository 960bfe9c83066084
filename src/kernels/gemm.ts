/**
 * General matrix multiply (GEMM) on Float32Array, C (+)= op(A) · op(B).
 *
 * ## Blocking scheme (GotoBLAS / BLIS)
 *
 * A naive triple loop re-reads all of B from memory for every row of A and
 * spends most of its time on loads and index arithmetic. Instead we follow the
 * classic five-loop structure:
 *
 * ```
 * for jc in 0..n step NC            // column block of C and op(B)
 *   for pc in 0..k step KC          // slice of the shared dimension
 *     pack op(B)[pc:pc+KC, jc:jc+NC]  → panels of NR columns   (~L3)
 *     for ic in 0..m step MC        // row block of C and op(A)
 *       pack op(A)[ic:ic+MC, pc:pc+KC] → panels of MR rows     (~L2)
 *       for jr in 0..NC step NR     // macro-kernel
 *         for ir in 0..MC step MR
 *           micro-kernel: C[ir:ir+MR, jr:jr+NR] (+)= Apanel · Bpanel
 * ```
 *
 * - **Packing** copies each block into a reusable buffer in exactly the order
 *   the micro-kernel consumes it (see `gemm-pack.ts`). This hides the four
 *   transpose cases and the ragged edges from the hot loop: the kernel only
 *   ever sees unit-stride, zero-padded panels. Packing costs O(mk + kn) per
 *   pass against O(mnk) arithmetic.
 * - **The micro-kernel** keeps an MR×NR tile of C in local variables (which
 *   V8 keeps in registers) and, per k-step, loads MR values of A and NR
 *   values of B and does MR·NR multiply-adds: a rank-1 update. More work per
 *   load is what makes it fast.
 * - **Cache blocking**: a KC×NR sliver of B (6 KiB) stays in L1 while it is
 *   swept against every A panel of the block, the MC×KC A block (192 KiB) in
 *   L2, the KC×NC B block in L3.
 *
 * ## Why a 4×3 micro-kernel
 *
 * Measured in Node 20 (V8 11.3) on an x86-64 AMD EPYC at 512³: 4×3 and 3×4
 * ≈ 45 ms, 4×4 ≈ 49 ms, 6×4 / 4×8 / 6×8 / 8×8 ≈ 48–52 ms, 2×8 / 8×2 ≈ 51 ms.
 * V8 emits scalar SSE code with 16 xmm registers and a bounds check per
 * typed-array load, so the loop is bound by instruction count. 12
 * accumulators + 4 A values + 1 B value is about what the register file
 * holds (V8 still spills a few); larger tiles load less per flop but spill
 * more accumulators on every k-step, which costs more than it saves.
 * Unrolling k, Float32 vs Float64 pack buffers, masking indices to drop
 * V8's overflow checks and tweaking KC/MC/NC all moved the time by less
 * than the run-to-run noise.
 *
 * Packed panels are Float64Array: V8 computes in doubles anyway, so this
 * saves a float→double conversion per load in the inner loop, and it gives
 * slightly better accuracy (products are summed in double over each KC slice).
 *
 * ## Thin shapes
 *
 * When m < MR or n < NR (a batch of one, a matrix–vector product) packing
 * would copy as much data as the product reads and the micro-kernel would
 * mostly multiply padding, so `gemmThin` uses direct loops instead (about 3×
 * faster for 1×512·512×512).
 *
 * @module
 */

import { getBackend } from './backend.js';
import { gemmPrologue } from './gemm-check.js';
import { packA, packB } from './gemm-pack.js';
import { gemmWasm } from './wasm/gemm.js';

/** Rows of C computed by one micro-kernel call. */
const MR = 4;
/** Columns of C computed by one micro-kernel call. */
const NR = 3;
/** Depth of one packed slice of the shared dimension k. */
const KC = 256;
/** Rows of op(A) packed at once (a multiple of MR). */
const MC = 96;
/** Columns of op(B) packed at once (a multiple of NR and MR). */
const NC = 768;

/**
 * Scratch buffer for the packed B block (first) and packed A block (after
 * it). Module-level and grown on demand, so steady-state calls allocate
 * nothing. Safe because JavaScript is single-threaded and gemm never
 * re-enters itself.
 */
let packBuffer = new Float64Array(0);

/** Spill slot for ragged edge tiles, which store only their valid part. */
const edgeTile = new Float64Array(MR * NR);

/**
 * C (+)= op(A) · op(B), all matrices row-major and contiguous, on the
 * current backend (`getBackend()` in `backend.ts`): the WebAssembly SIMD
 * kernel (`wasm/gemm.ts`, float32 sums) or the TypeScript one ({@link gemmJs}).
 *
 * op(A) is m×k and op(B) is k×n; C is m×n stored at `c[cOffset …]`.
 * The TypeScript kernel sums each KC-long slice of k in double precision,
 * then adds it into the float32 C.
 *
 * @param transA - If false, A is stored m×k (lda = k) and op(A) = A; if true,
 *   A is stored k×m (lda = m) and op(A) = Aᵀ.
 * @param transB - If false, B is stored k×n (ldb = n) and op(B) = B; if true,
 *   B is stored n×k (ldb = k) and op(B) = Bᵀ.
 * @param m - Rows of op(A) and of C.
 * @param n - Columns of op(B) and of C.
 * @param k - Columns of op(A) = rows of op(B). May be 0 (then C = 0, or C is
 *   unchanged when accumulating).
 * @param a - Buffer holding A.
 * @param aOffset - Index of A's first element in `a`.
 * @param b - Buffer holding B.
 * @param bOffset - Index of B's first element in `b`.
 * @param c - Output buffer; must not overlap A or B.
 * @param cOffset - Index of C's first element in `c`.
 * @param accumulate - If false, C = op(A)·op(B) (old contents ignored, even
 *   NaN); if true, C += op(A)·op(B).
 * @returns Nothing; writes into `c`.
 * @throws {RangeError} If a size is negative or not an integer, or a buffer is
 *   too short for the given sizes and offset.
 * @example
 * // [[1, 2], [3, 4]] · [[5, 6], [7, 8]] = [[19, 22], [43, 50]]
 * const c = new Float32Array(4);
 * gemm(false, false, 2, 2, 2,
 *   new Float32Array([1, 2, 3, 4]), 0,
 *   new Float32Array([5, 6, 7, 8]), 0,
 *   c, 0, false);
 * // c = [19, 22, 43, 50]
 */
export function gemm(
  transA: boolean, transB: boolean,
  m: number, n: number, k: number,
  a: Float32Array, aOffset: number,
  b: Float32Array, bOffset: number,
  c: Float32Array, cOffset: number,
  accumulate: boolean,
): void {
  if (getBackend() === 'wasm') gemmWasm(transA, transB, m, n, k, a, aOffset, b, bOffset, c, cOffset, accumulate);
  else gemmJs(transA, transB, m, n, k, a, aOffset, b, bOffset, c, cOffset, accumulate);
}

/**
 * The TypeScript GEMM kernel: C (+)= op(A) · op(B), all matrices row-major
 * and contiguous, whatever the backend.
 *
 * op(A) is m×k and op(B) is k×n; C is m×n stored at `c[cOffset …]`.
 * Products of each KC-long slice of k are summed in double precision, then
 * added into the float32 C.
 *
 * @param transA - If false, A is stored m×k (lda = k) and op(A) = A; if true,
 *   A is stored k×m (lda = m) and op(A) = Aᵀ.
 * @param transB - If false, B is stored k×n (ldb = n) and op(B) = B; if true,
 *   B is stored n×k (ldb = k) and op(B) = Bᵀ.
 * @param m - Rows of op(A) and of C.
 * @param n - Columns of op(B) and of C.
 * @param k - Columns of op(A) = rows of op(B). May be 0 (then C = 0, or C is
 *   unchanged when accumulating).
 * @param a - Buffer holding A.
 * @param aOffset - Index of A's first element in `a`.
 * @param b - Buffer holding B.
 * @param bOffset - Index of B's first element in `b`.
 * @param c - Output buffer; must not overlap A or B.
 * @param cOffset - Index of C's first element in `c`.
 * @param accumulate - If false, C = op(A)·op(B) (old contents ignored, even
 *   NaN); if true, C += op(A)·op(B).
 * @returns Nothing; writes into `c`.
 * @throws {RangeError} If a size is negative or not an integer, or a buffer is
 *   too short for the given sizes and offset.
 * @example
 * // [[1, 2], [3, 4]] · [[5, 6], [7, 8]] = [[19, 22], [43, 50]]
 * const c = new Float32Array(4);
 * gemmJs(false, false, 2, 2, 2,
 *   new Float32Array([1, 2, 3, 4]), 0,
 *   new Float32Array([5, 6, 7, 8]), 0,
 *   c, 0, false);
 * // c = [19, 22, 43, 50]
 */
export function gemmJs(
  transA: boolean, transB: boolean,
  m: number, n: number, k: number,
  a: Float32Array, aOffset: number,
  b: Float32Array, bOffset: number,
  c: Float32Array, cOffset: number,
  accumulate: boolean,
): void {
  if (gemmPrologue(m, n, k, a, aOffset, b, bOffset, c, cOffset, accumulate)) return;

  const lda = transA ? m : k;
  const ldb = transB ? k : n;

  if (m < MR || n < NR) {
    gemmThin(transA, transB, m, n, k, a, aOffset, lda, b, bOffset, ldb, c, cOffset, accumulate);
    return;
  }

  // B block first, A block after it; sizes rounded up to whole panels.
  const kcMax = Math.min(KC, k);
  const bSize = kcMax * roundUp(Math.min(NC, n), NR);
  const aSize = kcMax * roundUp(Math.min(MC, m), MR);
  if (packBuffer.length < bSize + aSize) packBuffer = new Float64Array(bSize + aSize);
  const pack = packBuffer;
  const aStart = bSize;

  for (let jc = 0; jc < n; jc += NC) {
    const nc = Math.min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = Math.min(KC, k - pc);
      // Only the first k-slice may overwrite C; later slices add to it.
      const addToC = accumulate || pc > 0;
      packB(transB, b, bOffset, ldb, pc, kc, jc, nc, NR, pack, 0);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = Math.min(MC, m - ic);
        packA(transA, a, aOffset, lda, ic, mc, pc, kc, MR, pack, aStart);
        macroKernel(mc, nc, kc, pack, aStart, c, cOffset + ic * n + jc, n, addToC);
      }
    }
  }
}

/**
 * Multiplies a packed mc×kc block of A by a packed kc×nc block of B into the
 * mc×nc block of C at `c[cIndex …]`, one MR×NR tile at a time.
 */
function macroKernel(
  mc: number, nc: number, kc: number,
  pack: Float64Array, aStart: number,
  c: Float32Array, cIndex: number, ldc: number,
  addToC: boolean,
): void {
  for (let jr = 0; jr < nc; jr += NR) {
    const nr = Math.min(NR, nc - jr);
    const bPanel = (jr / NR) * kc * NR;
    for (let ir = 0; ir < mc; ir += MR) {
      const mr = Math.min(MR, mc - ir);
      const aPanel = aStart + (ir / MR) * kc * MR;
      microKernel(kc, pack, aPanel, bPanel, c, cIndex + ir * ldc + jr, ldc, addToC, mr, nr);
    }
  }
}

/**
 * The 4×3 micro-kernel: tile (+)= Σₚ A[:, p] ⊗ B[p, :] over kc rank-1
 * updates, with the 12 tile entries held in locals.
 *
 * Reads a 4-row A panel at `pack[ai …]` (4 values per k-step) and a 3-column
 * B panel at `pack[bi …]` (3 values per k-step). Stores the top-left mr×nr
 * corner of the tile into C (mr < 4 or nr < 3 only at the matrix edges).
 */
function microKernel(
  kc: number, pack: Float64Array, ai: number, bi: number,
  c: Float32Array, ci: number, ldc: number, addToC: boolean,
  mr: number, nr: number,
): void {
  let c00 = 0, c01 = 0, c02 = 0;
  let c10 = 0, c11 = 0, c12 = 0;
  let c20 = 0, c21 = 0, c22 = 0;
  let c30 = 0, c31 = 0, c32 = 0;
  for (let p = 0; p < kc; p++) {
    const a0 = pack[ai], a1 = pack[ai + 1], a2 = pack[ai + 2], a3 = pack[ai + 3];
    // Load one B value at a time and use it at once: register pressure
    // stays at 12 + 4 + 1 values.
    const b0 = pack[bi];
    c00 += a0 * b0; c10 += a1 * b0; c20 += a2 * b0; c30 += a3 * b0;
    const b1 = pack[bi + 1];
    c01 += a0 * b1; c11 += a1 * b1; c21 += a2 * b1; c31 += a3 * b1;
    const b2 = pack[bi + 2];
    c02 += a0 * b2; c12 += a1 * b2; c22 += a2 * b2; c32 += a3 * b2;
    ai += MR;
    bi += NR;
  }

  if (mr === MR && nr === NR) {
    const r0 = ci, r1 = ci + ldc, r2 = ci + 2 * ldc, r3 = ci + 3 * ldc;
    if (addToC) {
      c[r0] += c00; c[r0 + 1] += c01; c[r0 + 2] += c02;
      c[r1] += c10; c[r1 + 1] += c11; c[r1 + 2] += c12;
      c[r2] += c20; c[r2 + 1] += c21; c[r2 + 2] += c22;
      c[r3] += c30; c[r3 + 1] += c31; c[r3 + 2] += c32;
    } else {
      c[r0] = c00; c[r0 + 1] = c01; c[r0 + 2] = c02;
      c[r1] = c10; c[r1 + 1] = c11; c[r1 + 2] = c12;
      c[r2] = c20; c[r2 + 1] = c21; c[r2 + 2] = c22;
      c[r3] = c30; c[r3 + 1] = c31; c[r3 + 2] = c32;
    }
    return;
  }

  // Edge tile: the tile's padded rows/columns (computed from zero padding)
  // have no place in C, so spill the tile and copy only the valid corner.
  const t = edgeTile;
  t[0] = c00; t[1] = c01; t[2] = c02;
  t[3] = c10; t[4] = c11; t[5] = c12;
  t[6] = c20; t[7] = c21; t[8] = c22;
  t[9] = c30; t[10] = c31; t[11] = c32;
  for (let i = 0; i < mr; i++) {
    const row = ci + i * ldc;
    for (let j = 0; j < nr; j++) {
      if (addToC) c[row + j] += t[i * NR + j];
      else c[row + j] = t[i * NR + j];
    }
  }
}

/** Row accumulator for {@link gemmThin}, grown on demand like the pack buffer. */
let thinRow = new Float64Array(0);

/**
 * Unpacked C (+)= op(A)·op(B) for thin shapes (m < MR or n < NR), summing in
 * double like the packed path. One row of C at a time, in whichever form
 * reads B contiguously in the inner loop:
 * - op(B) = B with a wide C: C[i, :] = Σₚ op(A)[i, p] · B[p, :], an axpy over
 *   a row of B per k-step;
 * - otherwise (op(B) = Bᵀ, or C only 1–2 columns wide): C[i, j] =
 *   Σₚ op(A)[i, p] · op(B)[p, j], one dot product per entry (over a row of B
 *   when transposed).
 */
function gemmThin(
  transA: boolean, transB: boolean,
  m: number, n: number, k: number,
  a: Float32Array, aOffset: number, lda: number,
  b: Float32Array, bOffset: number, ldb: number,
  c: Float32Array, cOffset: number,
  accumulate: boolean,
): void {
  // Index steps: along k within one row of op(A), and between rows of op(A);
  // along k within one column of op(B), and between columns of op(B).
  const aStepP = transA ? lda : 1;
  const aStepI = transA ? 1 : lda;
  const bStepP = transB ? 1 : ldb;
  const bStepJ = transB ? ldb : 1;
  const axpy = !transB && n >= NR;
  if (thinRow.length < n) thinRow = new Float64Array(n);
  const row = thinRow;
  for (let i = 0; i < m; i++) {
    const aRow = aOffset + i * aStepI;
    if (axpy) {
      row.fill(0, 0, n);
      for (let p = 0, ai = aRow, bi = bOffset; p < k; p++, ai += aStepP, bi += ldb) {
        const aip = a[ai];
        for (let j = 0; j < n; j++) row[j] += aip * b[bi + j];
      }
    } else {
      for (let j = 0; j < n; j++) {
        let sum = 0;
        for (let p = 0, ai = aRow, bi = bOffset + j * bStepJ; p < k; p++, ai += aStepP, bi += bStepP) {
          sum += a[ai] * b[bi];
        }
        row[j] = sum;
      }
    }
    const cRow = cOffset + i * n;
    if (accumulate) for (let j = 0; j < n; j++) c[cRow + j] += row[j];
    else for (let j = 0; j < n; j++) c[cRow + j] = row[j];
  }
}

/** Rounds `x` up to a multiple of `step`. */
function roundUp(x: number, step: number): number {
  return Math.ceil(x / step) * step;
}
