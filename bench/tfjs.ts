/**
 * TensorFlow.js as the reference: tfjs-core with the pure-JS CPU backend and
 * the WebAssembly backend registered in the same process, switched with
 * `tf.setBackend`.
 *
 * The wasm backend is kept single-threaded (tensorgrad is single-threaded
 * too); it picks the SIMD binary when the runtime supports it, which Node 20
 * does.
 *
 * NOTE: loading tfjs-core slows every typed-array loop in the process, ours
 * included, by ~15–20%. tfjs-core depends on `long`, which instantiates a
 * small WebAssembly module at import time; that invalidates V8's
 * "ArrayBuffer detaching" protector, after which optimised code checks a
 * detached bit on each typed-array access (seen as `testb [buf+0x3f],0x4`
 * before every load with `--print-opt-code`). tensorgrad and tfjs-cpu pay it
 * alike, so in-process ratios stay fair; `npm run bench -- --no-tfjs` times
 * tensorgrad without loading tfjs at all. This module is therefore only
 * ever loaded dynamically (see `run.ts`).
 *
 * @module
 */

import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { timeIt, type Timing, type TimingOptions } from './harness.js';

/** The tfjs-core namespace, handed to `timeTfjs` setup callbacks. */
export type Tf = typeof tf;

/** The two tfjs backends compared against. */
export type Backend = 'cpu' | 'wasm';

let initialised = false;
const available = new Map<Backend, boolean>();

/**
 * One-time tfjs setup: production mode (skips debug checks, silences the
 * "install tfjs-node" banner), the wasm binaries' folder, and threads off.
 */
function init(): void {
  if (initialised) return;
  initialised = true;
  tf.enableProdMode();
  // Locate the .wasm files through Node's resolver, not a machine path. The
  // Node build of the backend would also find them next to itself via
  // __dirname; being explicit keeps this working under bundlers and loaders.
  const require = createRequire(import.meta.url);
  const distDir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
  setWasmPaths(distDir + path.sep);
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
}

/**
 * Makes `backend` the active tfjs backend.
 *
 * @param backend - `'cpu'` or `'wasm'`.
 * @returns True if the backend initialised, false if it is unavailable here.
 * @example
 * if (await useBackend('wasm')) tf.matMul(a, b);
 */
export async function useBackend(backend: Backend): Promise<boolean> {
  init();
  if (available.get(backend) === false) return false;
  let ok = false;
  try {
    ok = await tf.setBackend(backend);
    await tf.ready();
  } catch {
    ok = false;
  }
  available.set(backend, ok);
  return ok;
}

/**
 * Times one tfjs computation on one backend. Inputs are created once by
 * `setup` on that backend; each timed call runs `compute`, forces the result
 * with `dataSync()` (tfjs may defer work) and disposes it.
 *
 * @param backend - Backend to time on.
 * @param setup - Given the tfjs namespace, creates the input tensors and
 *   returns them with the computation to time.
 * @param timing - Warm-up, repetition and budget settings.
 * @returns The timing, or null if the backend is unavailable.
 * @example
 * const t = await timeTfjs('cpu', (tf) => {
 *   const a = tf.randomNormal([256, 256]), b = tf.randomNormal([256, 256]);
 *   return { inputs: [a, b], compute: () => tf.matMul(a, b) };
 * }, config.timing);
 */
export async function timeTfjs(
  backend: Backend,
  setup: (tfjs: Tf) => { inputs: tf.Tensor[]; compute: () => tf.Tensor },
  timing: TimingOptions,
): Promise<Timing | null> {
  if (!(await useBackend(backend))) return null;
  const { inputs, compute } = setup(tf);
  try {
    return timeIt(() => {
      const y = compute();
      y.dataSync();
      y.dispose();
    }, timing);
  } finally {
    for (const t of inputs) t.dispose();
  }
}

/**
 * Describes the tfjs setup: version and the wasm backend's SIMD/threads flags.
 *
 * @returns One line of text.
 * @example
 * console.log(await tfjsInfo()); // "tfjs 4.22.0 | wasm: simd=true threads=false"
 */
export async function tfjsInfo(): Promise<string> {
  if (!(await useBackend('wasm'))) return `tfjs ${tf.version_core} | wasm: unavailable`;
  const simd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT');
  const threads = tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT');
  return `tfjs ${tf.version_core} | wasm: simd=${simd} threads=${threads}`;
}
