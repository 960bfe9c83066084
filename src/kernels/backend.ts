/**
 * Which implementation the heavy kernels run on: `'wasm'` (WebAssembly
 * 128-bit SIMD, `wasm/`) or `'js'` (the TypeScript loops).
 *
 * The choice is made lazily, on the first kernel call or `getBackend()`:
 * the environment variable `TENSORGRAD_BACKEND` (`js` or `wasm`) when set
 * (read from `globalThis.process?.env`, so this module imports nothing from
 * Node and bundles for a browser unchanged), else `'wasm'` when the engine
 * validates the module and `'js'` otherwise. `setBackend` overrides it.
 *
 * @module
 */

import { wasmAvailable } from './wasm/runtime.js';

/** A kernel implementation: `'wasm'` (WebAssembly SIMD) or `'js'` (TypeScript). */
export type Backend = 'js' | 'wasm';

/** The environment variable that forces a backend in Node. */
export const BACKEND_ENV_VAR = 'TENSORGRAD_BACKEND';

/** The chosen backend; undefined until first needed. */
let current: Backend | undefined;

/** Reads `TENSORGRAD_BACKEND` if this is Node (or anything with `process.env`). */
function fromEnvironment(): string | undefined {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  const value = env?.[BACKEND_ENV_VAR];
  return value === undefined || value === '' ? undefined : value;
}

/** Throws unless `name` is a backend this engine can run. */
function validate(name: unknown, source: string): Backend {
  if (name !== 'js' && name !== 'wasm') {
    throw new RangeError(`${source}: unknown backend ${JSON.stringify(name)} (expected 'js' or 'wasm')`);
  }
  if (name === 'wasm' && !wasmAvailable()) {
    throw new Error(`${source}: the 'wasm' backend needs WebAssembly with 128-bit SIMD, which this JavaScript engine lacks`);
  }
  return name;
}

/**
 * Selects the implementation of the kernels for every later call: GEMM
 * (hence matmul, linear/Dense), conv2d with its im2col/col2im, max-pool, the
 * LSTM recurrence, the bulk elementwise loops (relu and its gradient,
 * exp, sigmoid, tanh, broadcast arithmetic, sums over the batch,
 * log-softmax) and the optimizers' updates. Results agree to float32
 * rounding: the WebAssembly kernels sum products in float32 and compute
 * exp, σ and tanh as float32 polynomials within 2 ulp; the TypeScript ones
 * work partly in float64. The optimizer updates are identical bit for bit
 * (float64 on both).
 *
 * @param backend - `'wasm'` for WebAssembly SIMD, `'js'` for plain TypeScript.
 * @returns Nothing.
 * @throws {RangeError} If `backend` is neither `'js'` nor `'wasm'`.
 * @throws {Error} If `'wasm'` is asked for and this engine lacks WebAssembly SIMD.
 * @example
 * import { setBackend, getBackend } from 'tensorgrad';
 * setBackend('js');   // force the TypeScript kernels
 * getBackend();       // 'js'
 */
export function setBackend(backend: Backend): void {
  current = validate(backend, 'setBackend');
}

/**
 * The backend the heavy kernels run on. Unless {@link setBackend} was
 * called, that is the environment variable `TENSORGRAD_BACKEND` (`js` or
 * `wasm`) in Node when set, else `'wasm'` where WebAssembly SIMD is available
 * and `'js'` elsewhere.
 *
 * @returns `'wasm'` or `'js'`.
 * @throws {RangeError} If `TENSORGRAD_BACKEND` holds another value.
 * @throws {Error} If `TENSORGRAD_BACKEND=wasm` and this engine lacks WebAssembly SIMD.
 * @example
 * import { getBackend } from 'tensorgrad';
 * console.log(`kernels: ${getBackend()}`); // 'wasm' in Node 20 and current browsers
 */
export function getBackend(): Backend {
  if (current === undefined) {
    const forced = fromEnvironment();
    current = forced !== undefined ? validate(forced, BACKEND_ENV_VAR) : wasmAvailable() ? 'wasm' : 'js';
  }
  return current;
}

/**
 * Forgets the chosen backend, so that the next {@link getBackend} chooses
 * again (from the environment). For tests.
 *
 * @returns Nothing.
 * @example
 * process.env.TENSORGRAD_BACKEND = 'js';
 * resetBackend();
 * getBackend(); // 'js'
 */
export function resetBackend(): void {
  current = undefined;
}
