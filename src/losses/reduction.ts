/**
 * What every loss shares: the `reduction` option, its check and its
 * application, and the checks on the tensors a loss receives.
 * @module
 */
import { mean, sum } from '../ops/reduce.js';
import { assertTensor } from '../ops/record.js';
import { broadcastShapes, formatShape, shapesEqual } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';

/**
 * How a loss turns per-element losses into its result: `'mean'` (the
 * default) averages them, `'sum'` adds them, `'none'` returns them all.
 */
export type Reduction = 'mean' | 'sum' | 'none';

/** The option every loss takes. */
export interface ReductionOptions {
  /** `'mean'` (default), `'sum'` or `'none'`. */
  reduction?: Reduction;
}

/**
 * Checks the `reduction` option.
 * @param fn - the loss's name, for the error message
 * @param reduction - the option as given
 * @returns it, typed
 * @throws Error naming `fn` unless it is 'mean', 'sum' or 'none'
 */
export function checkReduction(fn: string, reduction: unknown): Reduction {
  if (reduction === 'mean' || reduction === 'sum' || reduction === 'none') return reduction;
  throw new Error(`${fn}: reduction must be 'mean', 'sum' or 'none', got ${JSON.stringify(reduction) ?? String(reduction)}`);
}

/**
 * Applies `reduction` to per-element losses.
 * @param losses - one loss per element
 * @param reduction - 'none' returns `losses`; 'sum' and 'mean' reduce over every element
 * @returns the reduced loss
 */
export function reduce(losses: Tensor, reduction: Reduction): Tensor {
  if (reduction === 'none') return losses;
  return reduction === 'sum' ? sum(losses) : mean(losses);
}

/**
 * Checks that `input` and `target` are tensors of one shape. (PyTorch's
 * regression losses warn and broadcast; a silent broadcast of `[N]` against
 * `[N, 1]` is a classic bug, so here it is an error.)
 * @param fn - the loss's name, for the error message
 * @param input - the prediction
 * @param target - the target
 * @param inputName - what the prediction is called in messages
 * @returns both, typed as tensors
 * @throws Error naming `fn` and both shapes when they differ
 */
export function checkSameShape(fn: string, input: unknown, target: unknown, inputName = 'input'): [Tensor, Tensor] {
  const x = assertTensor(input, fn, inputName);
  const y = assertTensor(target, fn, 'target');
  if (!shapesEqual(x.shape, y.shape)) {
    throw new Error(`${fn}: target shape ${formatShape(y.shape)} does not match ${inputName} shape ${formatShape(x.shape)}`);
  }
  return [x, y];
}

/**
 * Checks a number option: finite and at least `min` (above it when `strict`).
 * @param fn - the loss's name, for the error message
 * @param name - the option's name
 * @param value - the option as given
 * @param min - the lower bound
 * @param strict - whether `min` itself is excluded
 * @returns the value
 * @throws Error naming `fn` and the option otherwise
 */
export function checkNumber(fn: string, name: string, value: unknown, min: number, strict = false): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || (strict && value === min)) {
    throw new Error(`${fn}: ${name} must be a finite number ${strict ? '>' : '≥'} ${min}, got ${String(value)}`);
  }
  return value;
}

/**
 * A constant (never differentiated) weight tensor that broadcasts to
 * `shape`, from a tensor or a flat list; PyTorch does not differentiate loss
 * weights either.
 * @param fn - the loss's name, for the error message
 * @param name - the option's name
 * @param weight - the weights
 * @param shape - the shape they must broadcast to
 * @returns a detached tensor
 * @throws Error naming `fn` and both shapes when they do not broadcast
 */
export function elementWeight(fn: string, name: string, weight: Tensor | ArrayLike<number>, shape: readonly number[]): Tensor {
  const w = weight instanceof Tensor ? weight.detach() : toVector(fn, name, weight);
  let fits: boolean;
  try {
    fits = shapesEqual(broadcastShapes(w.shape, shape, fn), shape);
  } catch {
    fits = false;
  }
  if (!fits) {
    throw new Error(`${fn}: ${name} of shape ${formatShape(w.shape)} does not broadcast to the input shape ${formatShape(shape)}`);
  }
  return w;
}

/** A flat list of numbers as a constant 1-D tensor. */
function toVector(fn: string, name: string, values: ArrayLike<number>): Tensor {
  if (values === null || typeof values !== 'object' || typeof values.length !== 'number') {
    throw new Error(`${fn}: ${name} must be a Tensor or an array of numbers, got ${String(values)}`);
  }
  const data = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    if (typeof values[i] !== 'number') throw new Error(`${fn}: ${name} must hold numbers, got ${String(values[i])} at position ${i}`);
    data[i] = values[i]!;
  }
  return new Tensor(data, [data.length]);
}
