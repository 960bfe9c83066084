/**
 * Packing routines for {@link gemm}: copy a block of op(A) or op(B) into a
 * contiguous scratch buffer laid out in the exact order the micro-kernel
 * reads it, so the innermost loop walks memory with unit stride and never
 * needs to know about transposes, leading dimensions or ragged edges.
 *
 * Both routines zero-pad the last panel up to a full MR (or NR) width, so the
 * micro-kernel always computes a full MR×NR tile. The padded lanes only feed
 * accumulators that are never stored; zeroing them (rather than leaving stale
 * values from an earlier call) just keeps them deterministic and free of
 * subnormals, which are slow on x86.
 *
 * @module
 */

/**
 * Packs the block op(A)[ic : ic+mc, pc : pc+kc] into row panels of `mr` rows.
 *
 * Layout: panel q (rows ic + q·mr …) is stored at
 * `dst + q·kc·mr`, and within a panel element (i, p) sits at `p·mr + i`,
 * i.e. column-major inside the panel: one k-step of the micro-kernel reads
 * `mr` consecutive values.
 *
 * @param transA - If false, A is stored m×k row-major (op(A)[i][p] =
 *   a[i·lda + p]); if true, A is stored k×m row-major and op(A) = Aᵀ
 *   (op(A)[i][p] = a[p·lda + i]).
 * @param a - Source buffer holding A.
 * @param aOffset - Index of A's first element in `a`.
 * @param lda - Row stride of A as stored (k if !transA, m if transA).
 * @param ic - First row of op(A) to pack.
 * @param mc - Number of rows to pack.
 * @param pc - First column (k index) of op(A) to pack.
 * @param kc - Number of columns to pack.
 * @param mr - Panel height (the micro-kernel's MR).
 * @param dst - Destination buffer; needs `ceil(mc/mr)·mr·kc` free slots.
 * @param dstOffset - Index in `dst` where the first panel starts.
 * @returns Nothing; writes into `dst`.
 * @example
 * // A = [[1, 2], [3, 4]] packed as one 4-row panel (rows 2, 3 are padding):
 * const dst = new Float64Array(8);
 * packA(false, new Float32Array([1, 2, 3, 4]), 0, 2, 0, 2, 0, 2, 4, dst, 0);
 * // dst = [1, 3, 0, 0, 2, 4, 0, 0]
 */
export function packA(
  transA: boolean,
  a: Float32Array, aOffset: number, lda: number,
  ic: number, mc: number, pc: number, kc: number,
  mr: number,
  dst: Float64Array, dstOffset: number,
): void {
  let panel = dstOffset;
  for (let i0 = 0; i0 < mc; i0 += mr) {
    const rows = Math.min(mr, mc - i0);
    if (transA) {
      // Stored k×m: a k-step of op(A) is a contiguous run of a stored row.
      let src = aOffset + pc * lda + ic + i0;
      let d = panel;
      for (let p = 0; p < kc; p++) {
        let i = 0;
        for (; i < rows; i++) dst[d + i] = a[src + i];
        for (; i < mr; i++) dst[d + i] = 0;
        src += lda;
        d += mr;
      }
    } else {
      // Stored m×k: read each stored row contiguously, scatter with stride mr.
      for (let i = 0; i < rows; i++) {
        const src = aOffset + (ic + i0 + i) * lda + pc;
        let d = panel + i;
        for (let p = 0; p < kc; p++) {
          dst[d] = a[src + p];
          d += mr;
        }
      }
      for (let i = rows; i < mr; i++) {
        let d = panel + i;
        for (let p = 0; p < kc; p++) {
          dst[d] = 0;
          d += mr;
        }
      }
    }
    panel += kc * mr;
  }
}

/**
 * Packs the block op(B)[pc : pc+kc, jc : jc+nc] into column panels of `nr`
 * columns.
 *
 * Layout: panel q (columns jc + q·nr …) is stored at `dst + q·kc·nr`, and
 * within a panel element (p, j) sits at `p·nr + j`, i.e. row-major inside the
 * panel: one k-step of the micro-kernel reads `nr` consecutive values.
 *
 * @param transB - If false, B is stored k×n row-major (op(B)[p][j] =
 *   b[p·ldb + j]); if true, B is stored n×k row-major and op(B) = Bᵀ
 *   (op(B)[p][j] = b[j·ldb + p]).
 * @param b - Source buffer holding B.
 * @param bOffset - Index of B's first element in `b`.
 * @param ldb - Row stride of B as stored (n if !transB, k if transB).
 * @param pc - First row (k index) of op(B) to pack.
 * @param kc - Number of rows to pack.
 * @param jc - First column of op(B) to pack.
 * @param nc - Number of columns to pack.
 * @param nr - Panel width (the micro-kernel's NR).
 * @param dst - Destination buffer; needs `ceil(nc/nr)·nr·kc` free slots.
 * @param dstOffset - Index in `dst` where the first panel starts.
 * @returns Nothing; writes into `dst`.
 * @example
 * // B = [[1, 2], [3, 4]] packed as one 3-column panel (column 2 is padding):
 * const dst = new Float64Array(6);
 * packB(false, new Float32Array([1, 2, 3, 4]), 0, 2, 0, 2, 0, 2, 3, dst, 0);
 * // dst = [1, 2, 0, 3, 4, 0]
 */
export function packB(
  transB: boolean,
  b: Float32Array, bOffset: number, ldb: number,
  pc: number, kc: number, jc: number, nc: number,
  nr: number,
  dst: Float64Array, dstOffset: number,
): void {
  let panel = dstOffset;
  for (let j0 = 0; j0 < nc; j0 += nr) {
    const cols = Math.min(nr, nc - j0);
    if (transB) {
      // Stored n×k: read each stored row (a column of op(B)) contiguously,
      // scatter with stride nr.
      for (let j = 0; j < cols; j++) {
        const src = bOffset + (jc + j0 + j) * ldb + pc;
        let d = panel + j;
        for (let p = 0; p < kc; p++) {
          dst[d] = b[src + p];
          d += nr;
        }
      }
      for (let j = cols; j < nr; j++) {
        let d = panel + j;
        for (let p = 0; p < kc; p++) {
          dst[d] = 0;
          d += nr;
        }
      }
    } else {
      // Stored k×n: a k-step of the panel is a contiguous run of a stored row.
      let src = bOffset + pc * ldb + jc + j0;
      let d = panel;
      for (let p = 0; p < kc; p++) {
        let j = 0;
        for (; j < cols; j++) dst[d + j] = b[src + j];
        for (; j < nr; j++) dst[d + j] = 0;
        src += ldb;
        d += nr;
      }
    }
    panel += kc * nr;
  }
}
