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
import { wasmCeilingGflops } from './ceiling.js';
import { timeIt, type BenchConfig, type BenchRow, type BenchSuite, type Timing } from './harness.js';
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
    const gflops: GflopsRow[] = [];
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
      gflops.push({ n, wasm, threaded, tfjsWasm: tfjsWasm ?? null });
    }
    printGflops(gflops, await wasmCeilingGflops(config.timing), cores);
    return rows;
  },
};

/** The timings of one size that the GFLOPS summary reports. */
interface GflopsRow {
  n: number;
  wasm: Timing | null;
  threaded: Timing | null;
  tfjsWasm: Timing | null;
}

/**
 * Prints each size's median GFLOPS (2n³ flops per product) for tensorgrad's
 * wasm kernel, the same on every core, and tfjs-wasm, with the single-thread
 * ones as a share of the machine's f32x4 mul+add ceiling (`ceiling.ts`).
 */
function printGflops(rows: GflopsRow[], ceiling: number | null, cores: number): void {
  const rate = (n: number, t: Timing | null): number | null => (t === null ? null : (2 * n ** 3) / (t.medianMs * 1e6));
  const show = (g: number | null): string => {
    if (g === null) return '-';
    return ceiling === null ? g.toFixed(1) : `${g.toFixed(1)} (${Math.round((100 * g) / ceiling)}%)`;
  };
  console.log('');
  console.log(`GEMM GFLOPS, median; in brackets, share of the single-thread f32x4 mul+add ceiling, ${ceiling === null ? 'unavailable' : `${ceiling.toFixed(1)} GFLOPS`}:`);
  for (const { n, wasm, threaded, tfjsWasm } of rows) {
    const many = rate(n, threaded);
    console.log(`  ${n}³: tensorgrad wasm ${show(rate(n, wasm))}` +
      (many === null ? '' : `, on ${cores} threads ${many.toFixed(1)}`) + `, tfjs-wasm ${show(rate(n, tfjsWasm))}`);
  }
}

/** Runs `measure` with the kernels on `threads` threads, then back on one. */
function onThreads<T>(threads: number, measure: () => T): T {
  setThreads(threads);
  try {
    return measure();
  } finally {
    setThreads(1);
  }
}
