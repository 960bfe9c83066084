// AssemblyScript (compiled by `npm run build:wasm`, not by tsc): GEMM with
// 128-bit SIMD, C (+)= op(A) · op(B) on float32 matrices that the host has
// copied into this module's memory. Same blocking scheme as the TypeScript
// kernel (src/kernels/gemm.ts: BLIS five loops, packed panels) with a 4×8
// micro-kernel of f32x4 vectors.
//
// All pointers are byte addresses in linear memory; sizes count elements.

/** Rows of C per micro-kernel call. */
const MR: i32 = 4;
/** Columns of C per micro-kernel call: two f32x4 vectors. */
const NR: i32 = 8;
/** Depth of one packed slice of k: a KC×NR sliver of B (8 KiB) stays in L1. */
const KC: i32 = 256;
/** Rows of op(A) packed at once (multiple of MR): the MC×KC A block (128 KiB) stays in L2. */
const MC: i32 = 128;
/** Columns of op(B) packed at once (multiple of NR). */
const NC: i32 = 2048;

/** First free byte after the module's static data, aligned to 16. */
export function heapBase(): usize {
  return (__heap_base + 15) & ~(15 as usize);
}

/** Bytes of scratch `gemm` needs: the packed B block, the packed A block and an edge tile. */
export function scratchBytes(): i32 {
  return (KC * NC + KC * MC + MR * NR) * 4;
}

/**
 * C (+)= op(A)·op(B). op(A) is m×k, op(B) is k×n, C is m×n, all row-major and
 * contiguous at byte addresses `a`, `b`, `c`; `scratch` has `scratchBytes()`
 * free bytes (16-aligned). Requires m, n, k ≥ 1. Without `accumulate`, C's
 * old contents are never read (NaN stays out).
 */
export function gemm(
  transA: bool, transB: bool,
  m: i32, n: i32, k: i32,
  a: usize, b: usize, c: usize,
  accumulate: bool, scratch: usize,
): void {
  gemmTile(transA, transB, m, n, k, a, b, c, accumulate, scratch, 0, m, 0, n);
}

/**
 * `gemm` restricted to the tile C[rowStart:rowEnd, colStart:colEnd], so that
 * threads sharing this memory can each compute one tile of the same product
 * (each with its own `scratch`). Every element of C is still summed in the
 * same order as by `gemm`, so a split product is bit-identical to a whole one.
 */
export function gemmTile(
  transA: bool, transB: bool,
  m: i32, n: i32, k: i32,
  a: usize, b: usize, c: usize,
  accumulate: bool, scratch: usize,
  rowStart: i32, rowEnd: i32, colStart: i32, colEnd: i32,
): void {
  const lda = transA ? m : k;
  const ldb = transB ? k : n;
  const packB = scratch;
  const packA = scratch + <usize>(KC * NC * 4);
  const edge = packA + <usize>(KC * MC * 4);
  for (let jc = colStart; jc < colEnd; jc += NC) {
    const nc = min(NC, colEnd - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      // Only the first k-slice may overwrite C; later ones add to it.
      const addToC = accumulate || pc > 0;
      packBlockB(transB, b, ldb, pc, kc, jc, nc, packB);
      for (let ic = rowStart; ic < rowEnd; ic += MC) {
        const mc = min(MC, rowEnd - ic);
        packBlockA(transA, a, lda, ic, mc, pc, kc, packA);
        macroKernel(mc, nc, kc, packA, packB, c + <usize>((ic * n + jc) << 2), n, addToC, edge);
      }
    }
  }
}

/**
 * Packs op(A)[ic:ic+mc, pc:pc+kc] into panels of MR rows; inside a panel,
 * element (i, p) sits at p·MR + i. Rows past mc are zero.
 */
function packBlockA(transA: bool, a: usize, lda: i32, ic: i32, mc: i32, pc: i32, kc: i32, dst: usize): void {
  let panel = dst;
  for (let i0 = 0; i0 < mc; i0 += MR) {
    const rows = min(MR, mc - i0);
    if (transA) {
      // Stored k×m: one k-step of op(A) is a contiguous run of a stored row.
      let src = a + <usize>(((pc * lda) + ic + i0) << 2);
      let d = panel;
      const step = <usize>(lda << 2);
      if (rows == MR) {
        for (let p = 0; p < kc; p++) {
          v128.store(d, v128.load(src));
          src += step;
          d += MR * 4;
        }
      } else {
        for (let p = 0; p < kc; p++) {
          let i = 0;
          for (; i < rows; i++) store<f32>(d + (i << 2), load<f32>(src + (i << 2)));
          for (; i < MR; i++) store<f32>(d + (i << 2), 0);
          src += step;
          d += MR * 4;
        }
      }
    } else {
      // Stored m×k: read each stored row contiguously, write with stride MR.
      for (let i = 0; i < MR; i++) {
        let d = panel + (i << 2);
        if (i < rows) {
          let src = a + <usize>(((ic + i0 + i) * lda + pc) << 2);
          for (let p = 0; p < kc; p++) {
            store<f32>(d, load<f32>(src));
            src += 4;
            d += MR * 4;
          }
        } else {
          for (let p = 0; p < kc; p++) {
            store<f32>(d, 0);
            d += MR * 4;
          }
        }
      }
    }
    panel += <usize>(kc * MR * 4);
  }
}

/**
 * Packs op(B)[pc:pc+kc, jc:jc+nc] into panels of NR columns; inside a panel,
 * element (p, j) sits at p·NR + j. Columns past nc are zero.
 */
function packBlockB(transB: bool, b: usize, ldb: i32, pc: i32, kc: i32, jc: i32, nc: i32, dst: usize): void {
  let panel = dst;
  for (let j0 = 0; j0 < nc; j0 += NR) {
    const cols = min(NR, nc - j0);
    if (transB) {
      // Stored n×k: each stored row is a column of op(B); write with stride NR.
      for (let j = 0; j < NR; j++) {
        let d = panel + (j << 2);
        if (j < cols) {
          let src = b + <usize>(((jc + j0 + j) * ldb + pc) << 2);
          for (let p = 0; p < kc; p++) {
            store<f32>(d, load<f32>(src));
            src += 4;
            d += NR * 4;
          }
        } else {
          for (let p = 0; p < kc; p++) {
            store<f32>(d, 0);
            d += NR * 4;
          }
        }
      }
    } else {
      // Stored k×n: one k-step of the panel is a contiguous run of a stored row.
      let src = b + <usize>((pc * ldb + jc + j0) << 2);
      let d = panel;
      const step = <usize>(ldb << 2);
      if (cols == NR) {
        for (let p = 0; p < kc; p++) {
          v128.store(d, v128.load(src));
          v128.store(d, v128.load(src, 16), 16);
          src += step;
          d += NR * 4;
        }
      } else {
        for (let p = 0; p < kc; p++) {
          let j = 0;
          for (; j < cols; j++) store<f32>(d + (j << 2), load<f32>(src + (j << 2)));
          for (; j < NR; j++) store<f32>(d + (j << 2), 0);
          src += step;
          d += NR * 4;
        }
      }
    }
    panel += <usize>(kc * NR * 4);
  }
}

/** Sweeps the packed mc×kc A block against the packed kc×nc B block, one MR×NR tile of C at a time. */
function macroKernel(
  mc: i32, nc: i32, kc: i32, packA: usize, packB: usize,
  c: usize, ldc: i32, addToC: bool, edge: usize,
): void {
  for (let jr = 0; jr < nc; jr += NR) {
    const nr = min(NR, nc - jr);
    const bPanel = packB + <usize>(jr * kc * 4);
    for (let ir = 0; ir < mc; ir += MR) {
      const mr = min(MR, mc - ir);
      const aPanel = packA + <usize>(ir * kc * 4);
      const tile = c + <usize>((ir * ldc + jr) << 2);
      if (mr == MR && nr == NR) {
        microKernel(kc, aPanel, bPanel, tile, ldc, addToC);
      } else {
        // Ragged edge: compute the full tile into scratch, copy the valid corner.
        microKernel(kc, aPanel, bPanel, edge, NR, false);
        for (let i = 0; i < mr; i++) {
          const row = tile + <usize>((i * ldc) << 2);
          const src = edge + <usize>((i * NR) << 2);
          for (let j = 0; j < nr; j++) {
            const v = load<f32>(src + (j << 2));
            const dst = row + (j << 2);
            store<f32>(dst, addToC ? load<f32>(dst) + v : v);
          }
        }
      }
    }
  }
}

/** Adds (or stores) one row of the tile: two f32x4 vectors at `p`. */
// @ts-ignore: decorator
@inline function storeRow(p: usize, lo: v128, hi: v128, addToC: bool): void {
  if (addToC) {
    lo = f32x4.add(v128.load(p), lo);
    hi = f32x4.add(v128.load(p, 16), hi);
  }
  v128.store(p, lo);
  v128.store(p, hi, 16);
}

/**
 * The 4×8 micro-kernel: tile (+)= Σₚ A[:, p] ⊗ B[p, :] over kc rank-1 updates.
 * Eight f32x4 accumulators, two B vectors, one broadcast A value and one
 * product: 12 of the 15 xmm registers V8 allocates.
 *
 * Measured in Node 20 (V8 11.3) on the 2-core AMD EPYC CI machine, GFLOPS at
 * 512³ / 1024³: 4×8 42.7 / 43.0; 6×8 27 / 28 (V8 spills 4 accumulators:
 * 12 + 2 B + a + product is one register too many); 5×8 24; unrolling k by 2
 * or 4 33–38 (more live values, spills); A lanes splatted with
 * i32x4.shuffle from one load instead of `load32_splat` 42. Without FMA (relaxed
 * SIMD is not on by default in Node 20) each product is a mul and an add.
 * Against the machine's f32x4 mul+add peak (bench/ceiling.ts: 53 GFLOPS),
 * this kernel alone on L1-resident panels reaches 49 (93 %), the whole GEMM
 * 46 (87 %; MC/KC from 64 to 512 moved it by under 3 %).
 */
function microKernel(kc: i32, ap: usize, bp: usize, c: usize, ldc: i32, addToC: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  const bEnd = bp + <usize>(kc * NR * 4);
  while (bp < bEnd) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    let a = v128.load32_splat(ap);
    c00 = f32x4.add(c00, f32x4.mul(a, b0)); c01 = f32x4.add(c01, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 4);
    c10 = f32x4.add(c10, f32x4.mul(a, b0)); c11 = f32x4.add(c11, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 8);
    c20 = f32x4.add(c20, f32x4.mul(a, b0)); c21 = f32x4.add(c21, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 12);
    c30 = f32x4.add(c30, f32x4.mul(a, b0)); c31 = f32x4.add(c31, f32x4.mul(a, b1));
    ap += MR * 4;
    bp += NR * 4;
  }
  const ld = <usize>(ldc << 2);
  storeRow(c, c00, c01, addToC); c += ld;
  storeRow(c, c10, c11, addToC); c += ld;
  storeRow(c, c20, c21, addToC); c += ld;
  storeRow(c, c30, c31, addToC);
}
