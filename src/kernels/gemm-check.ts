/**
 * Argument validation shared by the TypeScript and WebAssembly GEMM kernels.
 *
 * @module
 */

/**
 * Validates GEMM sizes and buffer lengths so that bad calls fail loudly
 * instead of reading `undefined` as NaN (or, in WebAssembly, stale memory).
 *
 * @param m - Rows of op(A) and C.
 * @param n - Columns of op(B) and C.
 * @param k - The shared dimension.
 * @param a - Buffer holding A.
 * @param aOffset - Index of A's first element.
 * @param b - Buffer holding B.
 * @param bOffset - Index of B's first element.
 * @param c - Buffer holding C.
 * @param cOffset - Index of C's first element.
 * @returns Nothing.
 * @throws {RangeError} If a size or offset is not a non-negative integer or a buffer is too short.
 * @example
 * checkGemmArgs(2, 2, 2, a, 0, b, 0, c, 0);
 */
export function checkGemmArgs(
  m: number, n: number, k: number,
  a: Float32Array, aOffset: number,
  b: Float32Array, bOffset: number,
  c: Float32Array, cOffset: number,
): void {
  // Separate calls rather than a loop over a tuple list: no allocation per gemm.
  checkCount('m', m); checkCount('n', n); checkCount('k', k);
  checkCount('aOffset', aOffset); checkCount('bOffset', bOffset); checkCount('cOffset', cOffset);
  if (aOffset + m * k > a.length) {
    throw new RangeError(`gemm: A needs ${m * k} elements from offset ${aOffset}, but has length ${a.length}`);
  }
  if (bOffset + k * n > b.length) {
    throw new RangeError(`gemm: B needs ${k * n} elements from offset ${bOffset}, but has length ${b.length}`);
  }
  if (cOffset + m * n > c.length) {
    throw new RangeError(`gemm: C needs ${m * n} elements from offset ${cOffset}, but has length ${c.length}`);
  }
}

/**
 * The GEMM prologue shared by both kernels: validates the arguments, then
 * settles the cases with no arithmetic (an empty C, or k = 0 where C is an
 * empty sum: 0, or unchanged when accumulating).
 *
 * @param m - Rows of op(A) and C.
 * @param n - Columns of op(B) and C.
 * @param k - The shared dimension.
 * @param a - Buffer holding A.
 * @param aOffset - Index of A's first element.
 * @param b - Buffer holding B.
 * @param bOffset - Index of B's first element.
 * @param c - Buffer holding C.
 * @param cOffset - Index of C's first element.
 * @param accumulate - Whether C is added to rather than overwritten.
 * @returns True when the call is complete and the kernel has nothing to do.
 * @throws {RangeError} As {@link checkGemmArgs}.
 * @example
 * if (gemmPrologue(m, n, k, a, 0, b, 0, c, 0, false)) return;
 */
export function gemmPrologue(
  m: number, n: number, k: number,
  a: Float32Array, aOffset: number,
  b: Float32Array, bOffset: number,
  c: Float32Array, cOffset: number,
  accumulate: boolean,
): boolean {
  checkGemmArgs(m, n, k, a, aOffset, b, bOffset, c, cOffset);
  if (m === 0 || n === 0) return true;
  if (k === 0) {
    if (!accumulate) c.fill(0, cOffset, cOffset + m * n);
    return true;
  }
  return false;
}

/** Throws unless `value` is a non-negative integer. */
function checkCount(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0) {
    throw new RangeError(`gemm: ${name} must be a non-negative integer, got ${value}`);
  }
}
