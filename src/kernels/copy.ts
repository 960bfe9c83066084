/**
 * The strided copy: one kernel behind transpose/permute, slicing, padding,
 * concatenation and broadcasting (expand). Each of those is only a choice of
 * source strides and offsets.
 * @module
 */
import { broadcastStrides, sizeOf, stridesOf } from '../tensor/shape.js';
import { forEachRow } from './iterate.js';

/**
 * For every index `i` of `shape`:
 * `dst[dstOffset + Σ i·dstStrides] = src[srcOffset + Σ i·srcStrides]`.
 * @param shape - extent of the region to copy
 * @param src - source buffer
 * @param srcOffset - offset of the region's first element in `src`
 * @param srcStrides - element strides of `src` per axis (0 broadcasts)
 * @param dst - destination buffer
 * @param dstOffset - offset of the region's first element in `dst`
 * @param dstStrides - element strides of `dst` per axis
 * @example
 * // transpose a 2×3 row-major matrix into a 3×2 one
 * stridedCopy([3, 2], src, 0, [1, 3], dst, 0, [2, 1]);
 */
export function stridedCopy(
  shape: readonly number[],
  src: Float32Array,
  srcOffset: number,
  srcStrides: readonly number[],
  dst: Float32Array,
  dstOffset: number,
  dstStrides: readonly number[],
): void {
  forEachRow(shape, [srcStrides, dstStrides], [srcOffset, dstOffset], (offsets, length, inner) => {
    const si = offsets[0]!;
    const di = offsets[1]!;
    const ss = inner[0]!;
    const ds = inner[1]!;
    if (ss === 1 && ds === 1) {
      dst.set(src.subarray(si, si + length), di);
    } else {
      for (let i = 0; i < length; i++) dst[di + i * ds] = src[si + i * ss]!;
    }
  });
}

/**
 * Materialises a broadcast: a contiguous buffer of shape `to` whose values
 * come from `src` (shape `from`, broadcastable to `to`).
 * @param src - source values
 * @param from - source shape
 * @param to - target shape
 * @returns a new buffer of `to`'s size
 */
export function broadcastTo(src: Float32Array, from: readonly number[], to: readonly number[]): Float32Array {
  const out = new Float32Array(sizeOf(to));
  stridedCopy(to, src, 0, broadcastStrides(from, to), out, 0, stridesOf(to));
  return out;
}
