/**
 * DataLoader: batches of a dataset, optionally shuffled each epoch.
 * @module
 */
import { collate, type BatchOf, type Dataset } from './dataset.js';
import { assertSeed, randomPermutation } from './rng.js';

/** Options of {@link DataLoader} (PyTorch's names, camelCased). */
export interface DataLoaderOptions {
  /** Items per batch (default 1, as in PyTorch). */
  batchSize?: number;
  /** Visit the items in a new random order each epoch (default false). */
  shuffle?: boolean;
  /** Leave out the last batch when it would be smaller than `batchSize` (default false). */
  dropLast?: boolean;
  /**
   * Fixes the shuffle: epoch `e` (the `e`-th iteration over the loader) gets
   * the same order in every run, independently of the global generator.
   * Without it, each epoch draws its order from the global generator, so
   * `manualSeed` makes it reproducible instead.
   */
  seed?: number;
}

/**
 * Iterates over a dataset in batches (PyTorch's `DataLoader`): each
 * `for … of` is one epoch. With `shuffle`, every epoch visits the items in a
 * fresh random order, reproducible from `seed` (or from `manualSeed`).
 *
 * Batches come from the dataset's `getBatch` (a {@link TensorDataset} copies
 * whole rows with `TypedArray.set`), or are arrays of items for datasets
 * without one.
 * @example
 * const loader = new DataLoader(new TensorDataset(images, labels), { batchSize: 64, shuffle: true, seed: 0 });
 * for (let epoch = 0; epoch < 3; epoch++) {
 *   for (const [x, y] of loader) {
 *     // x: Tensor [64, 1, 28, 28], y: Int32Array(64)
 *   }
 * }
 * loader.length; // number of batches per epoch
 */
export class DataLoader<D extends Dataset = Dataset> implements Iterable<BatchOf<D>> {
  /** The dataset batches are drawn from. */
  readonly dataset: D;
  /** Items per batch. */
  readonly batchSize: number;
  /** Whether each epoch is shuffled. */
  readonly shuffle: boolean;
  /** Whether a smaller last batch is left out. */
  readonly dropLast: boolean;
  /** The shuffle seed, if one was given. */
  readonly seed: number | undefined;
  private epochsStarted = 0;

  /**
   * @param dataset - any {@link Dataset}
   * @param options - `batchSize`, `shuffle`, `dropLast`, `seed`
   * @throws Error when `batchSize` is not a positive integer or `seed` not an integer
   */
  constructor(dataset: D, options: DataLoaderOptions = {}) {
    const { batchSize = 1, shuffle = false, dropLast = false, seed } = options;
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new Error(`DataLoader: batchSize must be a positive integer, got ${String(batchSize)}`);
    }
    if (dataset === null || typeof dataset !== 'object' || typeof dataset.get !== 'function' || !Number.isInteger(dataset.length)) {
      throw new Error('DataLoader: expected a dataset with an integer length and a get(index) method');
    }
    assertSeed(seed, 'DataLoader');
    this.dataset = dataset;
    this.batchSize = batchSize;
    this.shuffle = shuffle;
    this.dropLast = dropLast;
    this.seed = seed;
  }

  /** Number of batches per epoch: ⌈N / batchSize⌉, or ⌊N / batchSize⌋ with `dropLast`. */
  get length(): number {
    const n = this.dataset.length;
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  /** How many epochs (iterations over the loader) have begun. */
  get epoch(): number {
    return this.epochsStarted;
  }

  /**
   * Starts an epoch: draws its order now (so an epoch that is abandoned
   * half-way still advances the sequence of orders in a fixed way).
   * @returns an iterator over the epoch's batches
   */
  [Symbol.iterator](): Iterator<BatchOf<D>> {
    const n = this.dataset.length;
    const epoch = this.epochsStarted++;
    let order: Int32Array;
    if (this.shuffle) {
      order = randomPermutation(n, this.seed, epoch);
    } else {
      order = new Int32Array(n);
      for (let i = 0; i < n; i++) order[i] = i;
    }
    return this.batches(order);
  }

  private *batches(order: Int32Array): Generator<BatchOf<D>, void, undefined> {
    const batches = this.length;
    for (let b = 0; b < batches; b++) {
      const start = b * this.batchSize;
      yield collate(this.dataset, order.subarray(start, Math.min(start + this.batchSize, order.length)));
    }
  }
}
