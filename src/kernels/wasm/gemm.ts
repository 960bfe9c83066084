/**
 * GEMM through the WebAssembly SIMD kernel (`assembly/gemm.ts`: packed
 * panels, a 4×8 micro-kernel of f32x4 vectors), behind the same signature as
 * the TypeScript kernel in `../gemm.ts`, which dispatches here when the
 * backend is `'wasm'`.
 *
 * Operands are copied into the arena (see `runtime.ts`), the kernel runs, and
 * C is copied back: O(mk + kn + mn) copies against O(mnk) arithmetic.
 *
 * @module
 */

import { gemmPrologue } from '../gemm-check.js';
import { align16, kernelTeam, placeBlocks, wasmKernels } from './runtime.js';
import { MIN_SPLIT_MACS, splitRange } from './split.js';

/** Tiles of C are cut at multiples of 8, which the 4×8 micro-kernel divides. */
const TILE_ALIGN = 8;

/**
 * C (+)= op(A) · op(B) with WebAssembly SIMD; arguments and results exactly
 * as `gemm` in `src/kernels/gemm.ts`. Products are summed in float32 (four
 * lanes at a time), where the TypeScript kernel sums each slice of k in
 * float64, so results differ in the last bits.
 *
 * @param transA - If true, A is stored k×m and op(A) = Aᵀ; else A is m×k.
 * @param transB - If true, B is stored n×k and op(B) = Bᵀ; else B is k×n.
 * @param m - Rows of op(A) and of C.
 * @param n - Columns of op(B) and of C.
 * @param k - Columns of op(A) = rows of op(B); may be 0.
 * @param a - Buffer holding A.
 * @param aOffset - Index of A's first element in `a`.
 * @param b - Buffer holding B.
 * @param bOffset - Index of B's first element in `b`.
 * @param c - Output buffer; must not overlap A or B.
 * @param cOffset - Index of C's first element in `c`.
 * @param accumulate - If false, C = op(A)·op(B) (old contents ignored, even
 *   NaN); if true, C += op(A)·op(B).
 * @returns Nothing; writes into `c`.
 * @throws {RangeError} If a size is negative or not an integer, or a buffer
 *   is too short.
 * @throws {Error} If WebAssembly SIMD is unavailable.
 * @example
 * const c = new Float32Array(4);
 * gemmWasm(false, false, 2, 2, 2,
 *   new Float32Array([1, 2, 3, 4]), 0, new Float32Array([5, 6, 7, 8]), 0, c, 0, false);
 * // c = [19, 22, 43, 50]
 */
export function gemmWasm(
  transA: boolean, transB: boolean,
  m: number, n: number, k: number,
  a: Float32Array, aOffset: number,
  b: Float32Array, bOffset: number,
  c: Float32Array, cOffset: number,
  accumulate: boolean,
): void {
  if (gemmPrologue(m, n, k, a, aOffset, b, bOffset, c, cOffset, accumulate)) return;
  const wasm = wasmKernels();
  const team = kernelTeam();
  // Large products are cut into one tile of C per thread (each thread packs
  // its own panels, so each needs its own scratch block).
  const tiles = team !== null && m * n * k >= MIN_SPLIT_MACS ? splitRange(Math.max(m, n), team.size, TILE_ALIGN) : [];
  const scratchBytes = wasm.scratchBytes();
  const scratch = align16(wasm.heapBase());
  const { ptrs: [aPtr, bPtr, cPtr, moreScratch], heap } = placeBlocks(
    scratch + scratchBytes, m * k, k * n, m * n, (Math.max(tiles.length, 1) - 1) * scratchBytes / 4,
  );
  heap.set(a.subarray(aOffset, aOffset + m * k), aPtr >> 2);
  heap.set(b.subarray(bOffset, bOffset + k * n), bPtr >> 2);
  if (accumulate) heap.set(c.subarray(cOffset, cOffset + m * n), cPtr >> 2);
  if (tiles.length > 1 && team !== null) {
    const alongRows = m >= n;
    team.run(tiles.map(([start, end], t) => ({
      kernel: 'gemmTile',
      args: [+transA, +transB, m, n, k, aPtr, bPtr, cPtr, +accumulate, t === 0 ? scratch : moreScratch + (t - 1) * scratchBytes,
        ...(alongRows ? [start, end, 0, n] : [0, m, start, end])],
    })));
  } else {
    wasm.gemm(transA, transB, m, n, k, aPtr, bPtr, cPtr, accumulate, scratch);
  }
  c.set(heap.subarray(cPtr >> 2, (cPtr >> 2) + m * n), cOffset);
}
