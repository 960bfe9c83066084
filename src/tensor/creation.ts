/**
 * Making tensors: from nested arrays or typed arrays, constant fills, ranges,
 * identity matrices and seeded random draws.
 * @module
 */
import { randomNormal, randomUniform } from './random.js';
import { assertValidShape, formatShape, sizeOf, type Shape } from './shape.js';
import { Tensor } from './tensor.js';

/** Options shared by the creation functions. */
export interface TensorOptions {
  /** Whether gradients should flow to the new tensor (default false). */
  requiresGrad?: boolean;
}

/** Options of {@link tensor}. */
export interface TensorFromDataOptions extends TensorOptions {
  /** Shape for flat data; defaults to the nesting of the arrays (or `[n]`). */
  shape?: readonly number[];
}

/** Nested arrays of numbers (or a single number), as accepted by {@link tensor}. */
export type NestedNumbers = number | readonly NestedNumbers[];

/** Typed arrays accepted by {@link tensor} (converted to float32). */
export type NumericArray =
  | Float32Array | Float64Array | Int8Array | Uint8Array | Uint8ClampedArray
  | Int16Array | Uint16Array | Int32Array | Uint32Array;

/** Infers the shape of nested arrays, rejecting ragged or non-numeric input. */
function shapeOfNested(data: NestedNumbers): number[] {
  const shape: number[] = [];
  let level: NestedNumbers = data;
  while (Array.isArray(level)) {
    shape.push(level.length);
    if (level.length === 0) break;
    level = (level as readonly NestedNumbers[])[0]!;
  }
  const check = (value: NestedNumbers, dim: number, path: number[]): void => {
    const where = path.length > 0 ? `at index [${path.join('][')}]` : 'at the top level';
    if (dim === shape.length) {
      if (typeof value !== 'number') {
        throw new Error(`tensor: ragged nested array: ${where} expected a number, got ${Array.isArray(value) ? 'an array' : typeof value}`);
      }
      return;
    }
    if (!Array.isArray(value)) {
      throw new Error(`tensor: ragged nested array: ${where} expected an array of length ${shape[dim]}, got a ${typeof value}`);
    }
    if (value.length !== shape[dim]) {
      throw new Error(`tensor: ragged nested array: ${where} expected length ${shape[dim]}, got ${value.length}`);
    }
    (value as readonly NestedNumbers[]).forEach((v, i) => check(v, dim + 1, [...path, i]));
  };
  check(data, 0, []);
  return shape;
}

/**
 * Creates a tensor from a number, nested arrays of numbers, or a typed array
 * (copied and converted to float32).
 * @param data - the values
 * @param options - `shape` for flat data, `requiresGrad`
 * @returns the new tensor (a leaf)
 * @throws Error for ragged arrays (naming the index), non-numbers, or a
 *   `shape` whose size does not match the data
 * @example
 * tensor([[1, 2], [3, 4]]).shape;                  // [2, 2]
 * tensor(new Float32Array(6), { shape: [2, 3] });  // from a buffer
 * tensor(3.5).shape;                               // [] (a scalar)
 */
export function tensor(data: NestedNumbers | NumericArray, options: TensorFromDataOptions = {}): Tensor {
  let values: Float32Array;
  let inferred: number[];
  if (ArrayBuffer.isView(data)) {
    values = Float32Array.from(data as ArrayLike<number>);
    inferred = [values.length];
  } else if (typeof data === 'number' || Array.isArray(data)) {
    inferred = shapeOfNested(data);
    values = new Float32Array(sizeOf(inferred));
    if (typeof data === 'number') values[0] = data;
    else {
      const flat = (data as unknown[]).flat(Infinity) as number[];
      values.set(flat);
    }
  } else {
    throw new Error(`tensor: expected a number, nested arrays of numbers or a typed array, got ${data === null ? 'null' : typeof data}`);
  }
  const shape = options.shape ?? inferred;
  assertValidShape(shape, 'tensor');
  if (sizeOf(shape) !== values.length) {
    throw new Error(`tensor: shape ${formatShape(shape)} needs ${sizeOf(shape)} values, got ${values.length}`);
  }
  return new Tensor(values, shape, options.requiresGrad ?? false);
}

/**
 * A tensor filled with `value`.
 * @param shape - dimensions
 * @param value - the fill value
 * @param options - `requiresGrad`
 * @returns the new tensor
 * @throws Error for an invalid shape
 * @example full([2, 2], 7).toArray(); // [[7, 7], [7, 7]]
 */
export function full(shape: Shape, value: number, options: TensorOptions = {}): Tensor {
  assertValidShape(shape, 'full');
  return new Tensor(new Float32Array(sizeOf(shape)).fill(value), shape, options.requiresGrad ?? false);
}

/**
 * A tensor of zeros.
 * @param shape - dimensions
 * @param options - `requiresGrad`
 * @returns the new tensor
 * @example zeros([2, 3]).size; // 6
 */
export function zeros(shape: Shape, options: TensorOptions = {}): Tensor {
  return full(shape, 0, options);
}

/**
 * A tensor of ones.
 * @param shape - dimensions
 * @param options - `requiresGrad`
 * @returns the new tensor
 * @example ones([2]).toArray(); // [1, 1]
 */
export function ones(shape: Shape, options: TensorOptions = {}): Tensor {
  return full(shape, 1, options);
}

/**
 * Zeros with the shape of `like`.
 * @param like - the tensor whose shape to copy
 * @param options - `requiresGrad`
 * @returns the new tensor
 * @example zerosLike(ones([2, 2])).toArray(); // [[0, 0], [0, 0]]
 */
export function zerosLike(like: Tensor, options: TensorOptions = {}): Tensor {
  return full(like.shape, 0, options);
}

/**
 * Ones with the shape of `like`.
 * @param like - the tensor whose shape to copy
 * @param options - `requiresGrad`
 * @returns the new tensor
 * @example onesLike(zeros([3])).toArray(); // [1, 1, 1]
 */
export function onesLike(like: Tensor, options: TensorOptions = {}): Tensor {
  return full(like.shape, 1, options);
}

/**
 * Uniform random values in [0, 1) from the global seeded generator.
 * @param shape - dimensions
 * @param options - `requiresGrad`
 * @returns the new tensor
 * @example manualSeed(0); rand([2]); // reproducible
 */
export function rand(shape: Shape, options: TensorOptions = {}): Tensor {
  assertValidShape(shape, 'rand');
  const data = new Float32Array(sizeOf(shape));
  for (let i = 0; i < data.length; i++) data[i] = randomUniform();
  return new Tensor(data, shape, options.requiresGrad ?? false);
}

/**
 * Standard normal random values from the global seeded generator.
 * @param shape - dimensions
 * @param options - `requiresGrad`
 * @returns the new tensor
 * @example manualSeed(0); randn([2, 2]); // reproducible
 */
export function randn(shape: Shape, options: TensorOptions = {}): Tensor {
  assertValidShape(shape, 'randn');
  const data = new Float32Array(sizeOf(shape));
  for (let i = 0; i < data.length; i++) data[i] = randomNormal();
  return new Tensor(data, shape, options.requiresGrad ?? false);
}

/**
 * Evenly spaced values `start, start + step, …` below `end`, like
 * `torch.arange`. With one argument, `arange(end)` counts from 0.
 * @param start - first value (or `end` when called with one argument)
 * @param end - exclusive end
 * @param step - spacing, non-zero (default 1)
 * @param options - `requiresGrad`
 * @returns a 1-D tensor
 * @throws Error when `step` is 0 or a bound is not finite
 * @example arange(1, 7, 2).toArray(); // [1, 3, 5]
 */
export function arange(start: number, end?: number, step = 1, options: TensorOptions = {}): Tensor {
  const [from, to] = end === undefined ? [0, start] : [start, end];
  if (!Number.isFinite(from) || !Number.isFinite(to) || !Number.isFinite(step) || step === 0) {
    throw new Error(`arange: expected finite start/end and a non-zero step, got start=${from}, end=${to}, step=${step}`);
  }
  const count = Math.max(0, Math.ceil((to - from) / step));
  const data = new Float32Array(count);
  for (let i = 0; i < count; i++) data[i] = from + i * step;
  return new Tensor(data, [count], options.requiresGrad ?? false);
}

/**
 * `steps` evenly spaced values from `start` to `end` inclusive, like
 * `torch.linspace`.
 * @param start - first value
 * @param end - last value
 * @param steps - how many values (≥ 0)
 * @param options - `requiresGrad`
 * @returns a 1-D tensor
 * @throws Error when `steps` is not a non-negative integer
 * @example linspace(0, 1, 5).toArray(); // [0, 0.25, 0.5, 0.75, 1]
 */
export function linspace(start: number, end: number, steps: number, options: TensorOptions = {}): Tensor {
  if (!Number.isInteger(steps) || steps < 0) throw new Error(`linspace: steps must be a non-negative integer, got ${steps}`);
  const data = new Float32Array(steps);
  const step = steps > 1 ? (end - start) / (steps - 1) : 0;
  // Fill from both ends, as PyTorch does, so the last value is exactly `end`
  // (and a single step is `start`).
  const half = steps === 1 ? 1 : Math.floor(steps / 2);
  for (let i = 0; i < steps; i++) data[i] = i < half ? start + step * i : end - step * (steps - 1 - i);
  return new Tensor(data, [steps], options.requiresGrad ?? false);
}

/**
 * Identity matrix (ones on the diagonal).
 * @param n - rows
 * @param m - columns (default `n`)
 * @param options - `requiresGrad`
 * @returns an `[n, m]` tensor
 * @throws Error when a size is not a non-negative integer
 * @example eye(2).toArray(); // [[1, 0], [0, 1]]
 */
export function eye(n: number, m: number = n, options: TensorOptions = {}): Tensor {
  assertValidShape([n, m], 'eye');
  const data = new Float32Array(n * m);
  for (let i = 0; i < Math.min(n, m); i++) data[i * m + i] = 1;
  return new Tensor(data, [n, m], options.requiresGrad ?? false);
}
