/**
 * Turning `{ x, y }` arrays into batch sources for the loop.
 * @module
 */
import { DataLoader } from '../data/dataloader.js';
import { TensorDataset, type Dataset, type LabelArray } from '../data/dataset.js';
import { trainValSplit } from '../data/split.js';
import { Tensor } from '../tensor/tensor.js';
import type { ArrayData, BatchSource } from './types.js';

/**
 * True for `{ x, y }` data (as opposed to a DataLoader).
 * @param data - what was passed to fit/evaluate
 * @returns whether it is in-memory `{ x, y }`
 */
export function isArrayData(data: unknown): data is ArrayData {
  return typeof data === 'object' && data !== null && (data as ArrayData).x instanceof Tensor && 'y' in data;
}

/**
 * `{ x, y }` as a dataset of `[x_i, y_i]` rows (no copy).
 * @param data - inputs and targets with the same first dimension
 * @param op - the caller, for the error message
 * @returns the dataset
 * @throws Error when x and y have different numbers of samples
 */
export function arrayDataset(data: ArrayData, op: string): TensorDataset {
  const n = data.x.shape[0];
  const m = data.y instanceof Tensor ? data.y.shape[0] : data.y.length;
  if (n === undefined || n !== m) {
    throw new Error(`${op}: x has ${n ?? 'no'} samples (shape [${data.x.shape.join(',')}]) but y has ${m}`);
  }
  return new TensorDataset(data.x, data.y as Tensor | LabelArray);
}

/**
 * Batches a dataset with a DataLoader.
 * @param dataset - rows of `[x, y]`
 * @param batchSize - samples per batch
 * @param shuffle - reshuffle each epoch
 * @param seed - shuffle seed
 * @returns a batch source
 */
export function loaderOf(dataset: Dataset, batchSize: number, shuffle: boolean, seed?: number): BatchSource {
  return new DataLoader(dataset, { batchSize, shuffle, ...(seed !== undefined ? { seed } : {}) }) as unknown as BatchSource;
}

/**
 * Splits `{ x, y }` into training and validation batch sources, holding out
 * the LAST `fraction` of the samples (Keras's `validation_split`).
 * @param data - inputs and targets
 * @param fraction - share held out, in (0, 1)
 * @param batchSize - samples per batch
 * @param shuffle - reshuffle the training part each epoch
 * @param seed - shuffle seed
 * @returns the two batch sources
 */
export function splitSources(data: ArrayData, fraction: number, batchSize: number, shuffle: boolean, seed?: number): { train: BatchSource; validation: BatchSource } {
  const { train, validation } = trainValSplit(arrayDataset(data, 'fit'), { validationSplit: fraction });
  return { train: loaderOf(train, batchSize, shuffle, seed), validation: loaderOf(validation, batchSize, false) };
}
