/**
 * Strided iteration, the one loop nest behind copies, broadcasting and
 * reductions. A kernel describes each operand by strides over a common
 * `shape` (stride 0 = broadcast / reduced axis); this module merges axes that
 * are contiguous for every operand, then calls the kernel once per innermost
 * row, so the hot loop is a straight `for` over a row with constant strides.
 * @module
 */

/** Axes after merging: the common shape and each operand's strides. */
export interface RowPlan {
  /** Merged dimensions; the last one is the row length. */
  shape: number[];
  /** One stride list per operand, aligned with `shape`. */
  strides: number[][];
}

/**
 * Drops axes of extent 1 and merges neighbouring axes that every operand
 * walks contiguously (`stride[i] === stride[i + 1] * shape[i + 1]`), so that,
 * e.g., adding two `[64, 128]` arrays is one row of 8192.
 * @param shape - the iteration shape
 * @param strides - one stride list per operand, same length as `shape`
 * @returns the merged plan (at least one axis)
 */
export function coalesce(shape: readonly number[], strides: readonly (readonly number[])[]): RowPlan {
  const outShape: number[] = [];
  const outStrides: number[][] = strides.map(() => []);
  for (let axis = 0; axis < shape.length; axis++) {
    const extent = shape[axis]!;
    if (extent === 1) continue;
    const last = outShape.length - 1;
    const mergeable =
      last >= 0 && strides.every((s, k) => outStrides[k]![last] === s[axis]! * extent);
    if (mergeable) {
      outShape[last] *= extent;
      strides.forEach((s, k) => (outStrides[k]![last] = s[axis]!));
    } else {
      outShape.push(extent);
      strides.forEach((s, k) => outStrides[k]!.push(s[axis]!));
    }
  }
  if (outShape.length === 0) {
    outShape.push(1);
    outStrides.forEach((s) => s.push(0));
  }
  return { shape: outShape, strides: outStrides };
}

/**
 * Calls `row(offsets, length)` once per innermost row of the coalesced
 * iteration space. `offsets[k]` is operand k's start offset for that row; the
 * row's element strides are `plan.strides[k][last]`. The `offsets` array is
 * reused between calls (read it, don't keep it).
 * @param shape - the iteration shape (an empty shape visits one element)
 * @param strides - one stride list per operand
 * @param baseOffsets - each operand's starting offset
 * @param row - the row kernel
 * @returns the coalesced plan, so callers can read the inner strides
 */
export function forEachRow(
  shape: readonly number[],
  strides: readonly (readonly number[])[],
  baseOffsets: readonly number[],
  row: (offsets: number[], length: number, innerStrides: readonly number[]) => void,
): void {
  for (const extent of shape) if (extent === 0) return;
  const plan = coalesce(shape, strides);
  const rank = plan.shape.length;
  const length = plan.shape[rank - 1]!;
  const inner = plan.strides.map((s) => s[rank - 1]!);
  const operands = strides.length;
  const offsets = [...baseOffsets];
  const counter = new Array<number>(rank - 1).fill(0);
  for (;;) {
    row(offsets, length, inner);
    // Odometer over the outer axes: bump the last one, carrying leftwards.
    let axis = rank - 2;
    for (; axis >= 0; axis--) {
      const extent = plan.shape[axis]!;
      if (++counter[axis]! < extent) {
        for (let k = 0; k < operands; k++) offsets[k]! += plan.strides[k]![axis]!;
        break;
      }
      counter[axis] = 0;
      for (let k = 0; k < operands; k++) offsets[k]! -= plan.strides[k]![axis]! * (extent - 1);
    }
    if (axis < 0) return;
  }
}
