/**
 * How kernel calls are cut into pieces for a team of threads (see
 * `KernelTeam` in `runtime.ts`): GEMM into tiles of C along its longer side,
 * conv into slices of the batch. Plain arithmetic, no WebAssembly.
 *
 * @module
 */

/**
 * The least work, in multiply-adds, worth splitting across threads: waking a
 * parked worker costs tens of microseconds, about what one thread needs for
 * two million multiply-adds at 40 GFLOPS.
 */
export const MIN_SPLIT_MACS = 1 << 22;

/** A half-open range [start, end) of rows, columns or samples. */
export type Range = readonly [start: number, end: number];

/**
 * Cuts [0, length) into at most `parts` consecutive ranges of nearly equal
 * size whose boundaries are multiples of `align` (only the last range may be
 * shorter). Fewer ranges come back when `length` is too short to cut.
 *
 * @param length - What to cut (≥ 0).
 * @param parts - Ranges wanted (≥ 1), usually the thread count.
 * @param align - Every boundary is a multiple of this (≥ 1).
 * @returns The ranges, in order, covering [0, length) exactly once.
 * @example
 * splitRange(100, 2, 8); // [[0, 56], [56, 100]]
 * splitRange(5, 2, 8);   // [[0, 5]]
 */
export function splitRange(length: number, parts: number, align: number): Range[] {
  const step = Math.max(align, Math.ceil(length / parts / align) * align);
  const ranges: Range[] = [];
  for (let start = 0; start < length; start += step) ranges.push([start, Math.min(length, start + step)]);
  return ranges;
}
