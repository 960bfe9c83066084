/**
 * Shape arithmetic shared by every layer: sizes, strides, broadcasting and
 * axis normalisation. Plain functions on `number[]`; no Tensor here.
 * @module
 */

/** A tensor's dimensions, outermost first (row-major). */
export type Shape = readonly number[];

/**
 * Number of elements of a tensor of this shape (1 for a scalar `[]`).
 * @param shape - the dimensions
 * @returns their product
 */
export function sizeOf(shape: Shape): number {
  let size = 1;
  for (const d of shape) size *= d;
  return size;
}

/**
 * Row-major strides: how far apart, in elements, neighbours along each axis are.
 * @param shape - the dimensions
 * @returns strides, e.g. `[12, 4, 1]` for `[2, 3, 4]`
 */
export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let stride = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = stride;
    stride *= shape[i]!;
  }
  return strides;
}

/** `[2,3]` as a string, for error messages. */
export function formatShape(shape: Shape): string {
  return `[${shape.join(',')}]`;
}

/** True when both shapes have the same rank and dimensions. */
export function shapesEqual(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The shape two tensors broadcast to, by NumPy/PyTorch rules: align trailing
 * axes; each pair must be equal or contain a 1.
 * @param a - first shape
 * @param b - second shape
 * @param op - the calling op's name, for the error message
 * @returns the broadcast shape
 * @throws Error naming the op and both shapes when they do not broadcast
 */
export function broadcastShapes(a: Shape, b: Shape, op: string): number[] {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new Error(
        `${op}: shapes ${formatShape(a)} and ${formatShape(b)} cannot be broadcast together ` +
          `(axis ${i - rank}: ${da} vs ${db})`,
      );
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/**
 * Strides for reading a tensor of shape `from` as if it had the (broadcast)
 * shape `to`: broadcast axes get stride 0 so the same element is reused.
 * @param from - the tensor's own shape (broadcastable to `to`)
 * @param to - the target shape
 * @returns one stride per axis of `to`
 */
export function broadcastStrides(from: Shape, to: Shape): number[] {
  const own = stridesOf(from);
  const out = new Array<number>(to.length).fill(0);
  const offset = to.length - from.length;
  for (let i = 0; i < from.length; i++) out[i + offset] = from[i] === 1 ? 0 : own[i]!;
  return out;
}

/**
 * Turns a possibly negative axis into an index in `[0, ndim)`.
 * @param dim - the axis; -1 is the last
 * @param ndim - the tensor's rank
 * @param op - the calling op's name, for the error message
 * @returns the non-negative axis
 * @throws Error when `dim` is out of range
 */
export function normalizeDim(dim: number, ndim: number, op: string): number {
  if (!Number.isInteger(dim) || dim < -Math.max(ndim, 1) || dim >= Math.max(ndim, 1)) {
    throw new Error(
      `${op}: dim ${dim} is out of range for a tensor of rank ${ndim} ` +
        `(expected an integer in [${-Math.max(ndim, 1)}, ${Math.max(ndim, 1) - 1}])`,
    );
  }
  return dim < 0 ? dim + Math.max(ndim, 1) : dim;
}

/**
 * Normalises a reduction's `dim` argument to a sorted list of distinct axes.
 * `undefined` means every axis.
 * @param dim - one axis, several, or undefined for all
 * @param ndim - the tensor's rank
 * @param op - the calling op's name, for the error message
 * @returns sorted, non-negative, distinct axes
 * @throws Error when an axis is out of range or repeated
 */
export function normalizeDims(dim: number | readonly number[] | undefined, ndim: number, op: string): number[] {
  if (dim === undefined) return Array.from({ length: ndim }, (_, i) => i);
  const list = typeof dim === 'number' ? [dim] : [...dim];
  const axes = list.map((d) => normalizeDim(d, ndim, op));
  if (ndim === 0) return [];
  if (new Set(axes).size !== axes.length) {
    throw new Error(`${op}: dim [${list.join(',')}] names an axis more than once`);
  }
  return axes.sort((x, y) => x - y);
}

/**
 * Checks that `shape` is a list of non-negative integers.
 * @param shape - the candidate shape
 * @param op - the calling op's name, for the error message
 * @throws Error naming the op and the shape otherwise
 */
export function assertValidShape(shape: Shape, op: string): void {
  if (!Array.isArray(shape)) throw new Error(`${op}: expected a shape (array of integers), got ${String(shape)}`);
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) {
      throw new Error(`${op}: invalid shape ${formatShape(shape)} (dimensions must be non-negative integers)`);
    }
  }
}
