/**
 * Splitting a dataset: `randomSplit` (PyTorch's `random_split`) and
 * `trainValSplit` (Keras's `validation_split`, which takes the last samples).
 * @module
 */
import { Subset, type Dataset } from './dataset.js';
import { assertSeed, randomPermutation } from './rng.js';

/**
 * Splits a dataset into non-overlapping random subsets (PyTorch's
 * `random_split`). `lengths` are either fractions summing to 1 — each part
 * gets ⌊N·f⌋ items and the remainder goes one by one to the first parts, as
 * in PyTorch — or item counts summing to N.
 * @param dataset - the dataset to split
 * @param lengths - fractions (summing to 1) or counts (summing to `dataset.length`)
 * @param seed - fixes the split; without it the global generator (`manualSeed`) is used
 * @returns one {@link Subset} per entry of `lengths`
 * @throws Error when `lengths` are neither fractions summing to 1 nor
 *   non-negative integers summing to the dataset's length, or `seed` is not an integer
 * @example
 * const [train, val] = randomSplit(dataset, [0.9, 0.1], 42);
 */
export function randomSplit<D extends Dataset>(dataset: D, lengths: readonly number[], seed?: number): Array<Subset<D>> {
  assertSeed(seed, 'randomSplit');
  const n = dataset.length;
  const counts = splitCounts(lengths, n);
  const order = randomPermutation(n, seed);
  const parts: Array<Subset<D>> = [];
  let start = 0;
  for (const count of counts) {
    parts.push(new Subset(dataset, order.slice(start, start + count)));
    start += count;
  }
  return parts;
}

function splitCounts(lengths: readonly number[], n: number): number[] {
  const given = `[${lengths.join(', ')}]`;
  if (lengths.length === 0) throw new Error('randomSplit: expected at least one length, got []');
  if (lengths.some((l) => typeof l !== 'number' || !Number.isFinite(l) || l < 0)) {
    throw new Error(`randomSplit: lengths must be non-negative numbers, got ${given}`);
  }
  const total = lengths.reduce((a, b) => a + b, 0);
  // Fractions first, as PyTorch does (so [1, 0] means "everything, nothing").
  if (Math.abs(total - 1) <= 1e-9) {
    const counts = lengths.map((f) => Math.floor(n * f));
    const remainder = n - counts.reduce((a, b) => a + b, 0);
    for (let i = 0; i < remainder; i++) counts[i % counts.length]! += 1;
    return counts;
  }
  if (lengths.every(Number.isInteger)) {
    if (total !== n) throw new Error(`randomSplit: counts ${given} sum to ${total}, but the dataset has ${n} items`);
    return [...lengths];
  }
  throw new Error(`randomSplit: fractions ${given} sum to ${total}, expected 1 (or integer counts summing to ${n})`);
}

/** Options of {@link trainValSplit}. */
export interface TrainValSplitOptions {
  /** Fraction of the items held out for validation, in (0, 1) (Keras's `validation_split`). */
  validationSplit: number;
  /**
   * false (default): the validation items are the LAST ones, in order, as
   * with Keras's `validation_split`; true: a random split.
   */
  shuffle?: boolean;
  /** Fixes a shuffled split; without it the global generator (`manualSeed`) is used. */
  seed?: number;
}

/** The two parts made by {@link trainValSplit}. */
export interface TrainValSplit<D extends Dataset> {
  /** The items to train on. */
  train: Subset<D>;
  /** The held-out items. */
  validation: Subset<D>;
}

/**
 * Holds out a fraction of a dataset for validation. By default it does what
 * Keras's `fit(validation_split=…)` does: the first ⌊N·(1 − f)⌋ items train
 * and the rest, the last ones, validate, in their original order. With
 * `shuffle: true` the held-out items are drawn at random instead.
 * @param dataset - the dataset to split
 * @param options - `validationSplit` (fraction in (0, 1)), `shuffle`, `seed`
 * @returns `{ train, validation }` subsets
 * @throws Error when `validationSplit` is not in (0, 1) or `seed` is not an integer
 * @example
 * const { train, validation } = trainValSplit(dataset, { validationSplit: 0.1 });
 * // 60000 items → train: items 0…53999, validation: items 54000…59999
 */
export function trainValSplit<D extends Dataset>(dataset: D, options: TrainValSplitOptions): TrainValSplit<D> {
  const { validationSplit, shuffle = false, seed } = options;
  if (typeof validationSplit !== 'number' || !(validationSplit > 0 && validationSplit < 1)) {
    throw new Error(`trainValSplit: validationSplit must be a fraction in (0, 1), got ${String(validationSplit)}`);
  }
  assertSeed(seed, 'trainValSplit');
  const n = dataset.length;
  // Keras: split_at = int(num_samples * (1 - validation_split)).
  const splitAt = Math.floor(n * (1 - validationSplit));
  let order: Int32Array;
  if (shuffle) {
    order = randomPermutation(n, seed);
  } else {
    order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
  }
  return {
    train: new Subset(dataset, order.slice(0, splitAt)),
    validation: new Subset(dataset, order.slice(splitAt)),
  };
}
