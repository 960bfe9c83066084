/**
 * Square matrix multiply C = A·B: tensorgrad's two GEMM kernels (TypeScript
 * and WebAssembly SIMD, one row each, plus the WebAssembly kernel on every
 * core through `setThreads` when there are several) against `tf.matMul` on
 * the tfjs CPU and wasm backends (timed once per size, shown on every row;
 * tfjs-wasm is single-threaded, see `tfjs.ts`).
 *
 * @module
 */

import { availableParallelism } from 'node:os';
import { gemmJs } from '../src/kernels/gemm.js';
import { wasmAvailable } from '../src/kernels/wasm/runtime.js';
import { getThreads, setThreads } from '../src/node/threads.js';
import { gemmWasm } from '../src/kernels/wasm/gemm.js';
import { timeIt, type BenchConfig, type BenchRow, type BenchSuite } from './harness.js';
import type { Tf } from './tfjs.js';

/** Uniform(-1, 1) values; the distribution does not affect GEMM speed. */
function randomMatrix(size: number): Float32Array {
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) out[i] = Math.random() * 2 - 1;
  return out;
}

/**
 * The GEMM suite: n×n·n×n at n = 128, 256, 512, 1024 (128 and 256 with
 * `--quick`), rows `gemm … js`, `gemm … wasm` and `gemm … wasm N threads`
 * (the wasm rows only where WebAssembly SIMD is available).
 *
 * @example
 * const rows = await gemmSuite.run(makeConfig(false, await import('./tfjs.js')));
 */
export const gemmSuite: BenchSuite = {
  name: 'gemm',
  async run(config: BenchConfig): Promise<BenchRow[]> {
    const sizes = config.quick ? [128, 256] : [128, 256, 512, 1024];
    const rows: BenchRow[] = [];
    const cores = availableParallelism();
    for (const n of sizes) {
      const a = randomMatrix(n * n);
      const b = randomMatrix(n * n);
      const c = new Float32Array(n * n);
      const js = timeIt(() => gemmJs(false, false, n, n, n, a, 0, b, 0, c, 0, false), config.timing);
      const wasm = wasmAvailable()
        ? timeIt(() => gemmWasm(false, false, n, n, n, a, 0, b, 0, c, 0, false), config.timing)
        : null;
      const setup = (tf: Tf) => {
        const ta = tf.tensor2d(a, [n, n]);
        const tb = tf.tensor2d(b, [n, n]);
        return { inputs: [ta, tb], compute: () => tf.matMul(ta, tb) };
      };
      const threaded = wasmAvailable() && getThreads() === 1 && cores > 1
        ? onThreads(cores, () => timeIt(() => gemmWasm(false, false, n, n, n, a, 0, b, 0, c, 0, false), config.timing))
        : null;
      const tfjsCpu = config.tfjs && (await config.tfjs.timeTfjs('cpu', setup, config.timing));
      const tfjsWasm = config.tfjs && (await config.tfjs.timeTfjs('wasm', setup, config.timing));
      const name = `gemm ${n}x${n}x${n}`;
      rows.push({ name: `${name} js`, tensorgrad: js, tfjsCpu, tfjsWasm });
      rows.push({
        name: `${name} wasm`, tensorgrad: wasm, tfjsCpu, tfjsWasm,
        ...(wasm === null ? { notes: { tensorgrad: 'no wasm simd' } } : {}),
      });
      if (threaded !== null) rows.push({ name: `${name} wasm ${cores} threads`, tensorgrad: threaded, tfjsCpu, tfjsWasm });
    }
    return rows;
  },
};

/** Runs `measure` with the kernels on `threads` threads, then back on one. */
function onThreads<T>(threads: number, measure: () => T): T {
  setThreads(threads);
  try {
    return measure();
  } finally {
    setThreads(1);
  }
}
