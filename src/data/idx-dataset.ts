/**
 * Loading an image-classification dataset in MNIST's four-file IDX layout
 * (MNIST, Fashion-MNIST, KMNIST, …) from a URL or from bytes. Reading a
 * folder needs the file system and lives in `tensorgrad/node`, which passes
 * its reader (and zlib) in through {@link IdxLoaderContext}.
 * @module
 */
import { Tensor } from '../tensor/tensor.js';
import { inflateWithStreams, type Inflate } from './gzip.js';
import { parseIdxWith, type IdxArray } from './idx.js';

/** One value per file of the four-file layout. */
export interface IdxFiles<T> {
  /** Training images, an IDX array `[N, height, width]`. */
  trainImages: T;
  /** Training labels, an IDX array `[N]` of integers. */
  trainLabels: T;
  /** Test images, an IDX array `[M, height, width]`. */
  testImages: T;
  /** Test labels, an IDX array `[M]` of integers. */
  testLabels: T;
}

/** The contents of one IDX file, raw or gzip-compressed. */
export type IdxBytes = Uint8Array | ArrayBuffer;

/**
 * MNIST's standard file names (Fashion-MNIST and KMNIST use the same ones).
 * Loaders also try each name with `.gz` appended.
 */
export const MNIST_FILE_NAMES: Readonly<IdxFiles<string>> = Object.freeze({
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
});

/** Per-pixel standardisation `(x − mean) / std`, applied after scaling to [0, 1]. */
export interface NormalizeOptions {
  /** Subtracted from every pixel (MNIST's is 0.1307). */
  mean: number;
  /** Divides every pixel after the subtraction (MNIST's is 0.3081). */
  std: number;
}

/** How the images tensor is laid out and scaled. */
export interface ImageOptions {
  /** Give images as `[N, height·width]` rows instead of `[N, 1, height, width]` (default false). */
  flatten?: boolean;
  /** Standardise pixels: `(x − mean) / std` after scaling to [0, 1]. */
  normalize?: NormalizeOptions;
}

/**
 * Where the four files come from (exactly one of `url`, `files`, `dir`) and
 * how to lay the images out.
 */
export interface LoadIdxDatasetOptions extends ImageOptions {
  /**
   * Base URL of a folder holding the four files, fetched with `fetch`. For
   * each file `<name>.gz` is tried first, then `<name>`.
   */
  url?: string;
  /** The four files' bytes, raw or gzip-compressed. */
  files?: IdxFiles<IdxBytes>;
  /**
   * A folder holding the four files (raw or `.gz`). Node only: use
   * `loadMnist`/`loadIdxDataset` from `tensorgrad/node`.
   */
  dir?: string;
  /** File names to use instead of {@link MNIST_FILE_NAMES} (for `url` and `dir`). */
  fileNames?: Partial<IdxFiles<string>>;
}

/** Images and their labels. */
export interface LabeledImages {
  /** `[N, 1, height, width]` float32 pixels in [0, 1] (or `[N, height·width]` with `flatten`, standardised with `normalize`). */
  images: Tensor;
  /** `N` class indices. */
  labels: Int32Array;
}

/** A dataset's training and test parts. */
export interface TrainTestImages {
  /** The training images and labels. */
  train: LabeledImages;
  /** The test images and labels. */
  test: LabeledImages;
}

/**
 * How a loader gets at bytes: the portable core inflates with
 * `DecompressionStream` and cannot read folders; `tensorgrad/node` passes
 * zlib and a folder reader.
 */
export interface IdxLoaderContext {
  /** The public function's name, for messages. */
  fn: string;
  /** Inflates gzip bytes. */
  inflate: Inflate;
  /** Reads the four files from a folder (absent outside Node). */
  readDir?: (dir: string, names: IdxFiles<string>) => Promise<IdxFiles<Located>>;
}

/** Bytes and where they came from (for messages). */
export interface Located {
  /** The file's contents. */
  bytes: Uint8Array;
  /** Its path or URL. */
  where: string;
}

const KEYS = ['trainImages', 'trainLabels', 'testImages', 'testLabels'] as const;

/**
 * Loads a dataset in MNIST's four-file IDX layout (Fashion-MNIST, KMNIST, …)
 * from a URL or from bytes. Images come as a float32 tensor
 * `[N, 1, height, width]` with uint8 pixels scaled to [0, 1] (other element
 * types are kept as they are), labels as an `Int32Array`.
 *
 * This entry point runs in browsers; reading a folder (`{ dir }`) needs
 * `loadIdxDataset` from `tensorgrad/node`.
 * @param options - the source (`url`, `files` or, in Node, `dir`),
 *   `fileNames`, and the layout (`flatten`, `normalize`)
 * @returns `{ train: { images, labels }, test: { images, labels } }`
 * @throws Error when no source or more than one is given, `{ dir }` is used
 *   from this entry point, a file cannot be fetched or parsed (naming it),
 *   images are not 3-D or labels not 1-D integers, or their counts differ
 * @example
 * const fashion = await loadIdxDataset({ url: '/datasets/fashion-mnist' });
 * fashion.train.images.shape; // [60000, 1, 28, 28]
 */
export async function loadIdxDataset(options: LoadIdxDatasetOptions): Promise<TrainTestImages> {
  return loadIdxDatasetWith(options, { fn: 'loadIdxDataset', inflate: inflateWithStreams });
}

/**
 * Which source the options name.
 * @param options - loader options
 * @param fn - the public function's name, for messages
 * @returns `'url'`, `'files'`, `'dir'` or `undefined` when none is given
 * @throws Error when more than one is given
 */
export function sourceOf(options: LoadIdxDatasetOptions, fn: string): 'url' | 'files' | 'dir' | undefined {
  if (options === null || typeof options !== 'object') {
    throw new Error(`${fn}: expected an options object such as { url } or { files }, got ${options === null ? 'null' : typeof options}`);
  }
  const given = (['url', 'files', 'dir'] as const).filter((key) => options[key] !== undefined);
  if (given.length > 1) {
    throw new Error(`${fn}: expected one source, got ${given.map((k) => `{ ${k} }`).join(' and ')}`);
  }
  return given[0];
}

/**
 * {@link loadIdxDataset} with a chosen inflater and folder reader.
 * @param options - loader options
 * @param context - how bytes are inflated and folders read
 * @returns the training and test parts
 * @throws Error as {@link loadIdxDataset}
 */
export async function loadIdxDatasetWith(options: LoadIdxDatasetOptions, context: IdxLoaderContext): Promise<TrainTestImages> {
  const { fn } = context;
  const source = sourceOf(options, fn);
  checkImageOptions(options, fn);
  const names = { ...MNIST_FILE_NAMES, ...options.fileNames };
  let located: IdxFiles<Located>;
  if (source === 'files') {
    located = locatedBytes(options.files!, fn);
  } else if (source === 'url') {
    located = await fetchAll(String(options.url), names, fn);
  } else if (source === 'dir') {
    if (context.readDir === undefined) {
      throw new Error(
        `${fn}: { dir } reads the file system, which this entry point cannot do (it also runs in browsers); ` +
          `in Node use: import { ${fn} } from 'tensorgrad/node'`,
      );
    }
    located = await context.readDir(String(options.dir), names);
  } else {
    throw new Error(
      `${fn}: expected a source: { url } (a base URL serving the four files) or { files } (their bytes); ` +
        `in Node, ${fn} from 'tensorgrad/node' also reads { dir }`,
    );
  }
  const parsed = await Promise.all(KEYS.map(async (key) => parseLocated(located[key], key, context)));
  const [trainImages, trainLabels, testImages, testLabels] = parsed as [IdxArray, IdxArray, IdxArray, IdxArray];
  return {
    train: labeledImages(trainImages, trainLabels, 'train', located, options, fn),
    test: labeledImages(testImages, testLabels, 'test', located, options, fn),
  };
}

function checkImageOptions(options: ImageOptions, fn: string): void {
  const { normalize } = options;
  if (normalize === undefined) return;
  const { mean, std } = normalize;
  if (typeof mean !== 'number' || !Number.isFinite(mean) || typeof std !== 'number' || !Number.isFinite(std) || std <= 0) {
    throw new Error(`${fn}: normalize needs a finite mean and a positive finite std, got { mean: ${String(mean)}, std: ${String(std)} }`);
  }
}

function locatedBytes(files: IdxFiles<IdxBytes>, fn: string): IdxFiles<Located> {
  const out = {} as IdxFiles<Located>;
  for (const key of KEYS) {
    const bytes = files[key];
    if (bytes instanceof Uint8Array) out[key] = { bytes, where: `files.${key}` };
    else if (bytes instanceof ArrayBuffer) out[key] = { bytes: new Uint8Array(bytes), where: `files.${key}` };
    else {
      const given = bytes === undefined ? 'nothing' : bytes === null ? 'null' : (bytes as object).constructor?.name ?? typeof bytes;
      throw new Error(`${fn}: files.${key} must be a Uint8Array or ArrayBuffer, got ${given}`);
    }
  }
  return out;
}

/** The URLs to try for one file: `<name>.gz` first (what servers usually hold), then `<name>`. */
function candidates(name: string): string[] {
  return name.endsWith('.gz') ? [name] : [`${name}.gz`, name];
}

async function fetchAll(base: string, names: IdxFiles<string>, fn: string): Promise<IdxFiles<Located>> {
  if (typeof fetch !== 'function') throw new Error(`${fn}: { url } needs a global fetch, which this runtime lacks`);
  const root = base.replace(/\/+$/, '');
  const results = await Promise.all(KEYS.map(async (key) => fetchOne(root, names[key], key, fn)));
  const out = {} as IdxFiles<Located>;
  KEYS.forEach((key, i) => (out[key] = results[i]!));
  return out;
}

async function fetchOne(root: string, name: string, key: string, fn: string): Promise<Located> {
  const failures: string[] = [];
  for (const candidate of candidates(name)) {
    const url = `${root}/${candidate}`;
    let response: Response;
    try {
      response = await fetch(url);
    } catch (error) {
      const cause = (error as { cause?: { message?: string } }).cause?.message;
      failures.push(`${url}: ${(error as Error).message}${cause ? ` (${cause})` : ''}`);
      continue;
    }
    if (!response.ok) {
      failures.push(`${url}: HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`);
      await response.body?.cancel();
      continue;
    }
    try {
      return { bytes: new Uint8Array(await response.arrayBuffer()), where: url };
    } catch (error) {
      failures.push(`${url}: the download broke off (${(error as Error).message})`);
    }
  }
  throw new Error(`${fn}: cannot fetch ${key}: ${failures.join('; ')}`);
}

async function parseLocated(file: Located, key: string, context: IdxLoaderContext): Promise<IdxArray> {
  try {
    return await parseIdxWith(file.bytes, context.inflate, 'parseIdx');
  } catch (error) {
    throw new Error(`${context.fn}: ${key} (${file.where}) is not a valid IDX file: ${(error as Error).message}`, { cause: error });
  }
}

function labeledImages(
  images: IdxArray, labels: IdxArray, part: 'train' | 'test', located: IdxFiles<Located>, options: ImageOptions, fn: string,
): LabeledImages {
  const imagesKey = `${part}Images` as const;
  const labelsKey = `${part}Labels` as const;
  if (images.shape.length !== 3) {
    throw new Error(
      `${fn}: ${imagesKey} (${located[imagesKey].where}) must be a 3-D IDX array [N, height, width], got shape [${images.shape.join(',')}]`,
    );
  }
  if (labels.shape.length !== 1 || labels.dtype === 'float32' || labels.dtype === 'float64') {
    throw new Error(
      `${fn}: ${labelsKey} (${located[labelsKey].where}) must be a 1-D IDX array of integers, got shape [${labels.shape.join(',')}] of ${labels.dtype}`,
    );
  }
  const [count, height, width] = images.shape as [number, number, number];
  if (labels.shape[0] !== count) {
    throw new Error(`${fn}: ${imagesKey} holds ${count} images but ${labelsKey} holds ${labels.shape[0]} labels`);
  }
  const shape = options.flatten ? [count, height * width] : [count, 1, height, width];
  return {
    images: new Tensor(toPixels(images, options.normalize), shape),
    labels: labels.values instanceof Int32Array ? labels.values : Int32Array.from(labels.values),
  };
}

/** IDX image values → float32: uint8 scaled to [0, 1], then `(x − mean) / std`. */
function toPixels(images: IdxArray, normalize: NormalizeOptions | undefined): Float32Array {
  const { values } = images;
  const mean = normalize?.mean ?? 0;
  const std = normalize?.std ?? 1;
  const out = new Float32Array(values.length);
  if (values instanceof Uint8Array) {
    // 256 possible bytes: look each up instead of dividing per pixel.
    const table = new Float32Array(256);
    for (let byte = 0; byte < 256; byte++) table[byte] = (byte / 255 - mean) / std;
    for (let i = 0; i < values.length; i++) out[i] = table[values[i]!]!;
  } else {
    for (let i = 0; i < values.length; i++) out[i] = (values[i]! - mean) / std;
  }
  return out;
}
