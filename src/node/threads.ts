/**
 * Kernels on several threads in Node: `setThreads(n)` starts n − 1
 * `worker_threads`, each instantiating the WebAssembly kernels on one
 * *shared* memory (the module variant in `module-shared.generated.ts`), and
 * switches the calling thread to an instance on the same memory. The kernel
 * wrappers then cut large calls into pieces (`src/kernels/wasm/split.ts`):
 * a GEMM into tiles of C, each summed in exactly the order one thread would
 * use (so products are bit-identical whatever the thread count); a conv
 * into slices of the batch.
 *
 * ## Hand-over
 *
 * The calling thread and the workers meet on a small `Int32Array` over a
 * SharedArrayBuffer (the control block). For each call the caller writes one
 * job per worker (a kernel's index and its arguments) and marks it OPEN,
 * bumps the generation counter and wakes the workers with `Atomics.notify`,
 * then computes its own piece. A woken worker *claims* its job with
 * `Atomics.compareExchange` (OPEN → CLAIMED), runs it and marks it DONE.
 * When the caller has finished its own piece it claims, and runs itself,
 * every job still OPEN (TAKEN): a worker that the operating system has not
 * yet scheduled, because the cores are busy, costs nothing but its share of
 * the split. Then it waits for the CLAIMED jobs to turn DONE.
 *
 * Workers park in `Atomics.wait` as soon as they are idle. Waking one whose
 * core has gone idle takes 150–300 µs on the 2-core CI machine (a virtual
 * machine), so short calls often end up run by the caller alone; polling
 * for the next job instead (tried for 0.3–2 ms) made a LeNet epoch slower,
 * 6.0–7.0 s against 5.6 s, because on two cores the polling worker takes
 * the core that V8's garbage collector and compiler threads need.
 *
 * The atomic operations order everything else: a worker sees the operands
 * the caller copied into the memory, and the caller sees what the workers
 * wrote. A worker whose job fails (a trap) still marks it DONE and flags the
 * failure, so the caller throws instead of waiting forever.
 *
 * @module
 */

import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { SHARED_MEMORY_MAX_PAGES, SHARED_WASM_BASE64 } from '../kernels/wasm/module-shared.generated.js';
import {
  TEAM_KERNELS, callKernel, useKernels, wasmAvailable, type KernelCall, type KernelTeam, type WasmExports,
} from '../kernels/wasm/runtime.js';

/** Control block: generation counter (bumped once per call). */
const GENERATION = 0;
/** Control block: workers that have instantiated the module and wait for jobs. */
const READY = 1;
/** Control block: set to 1 by a worker whose job threw. */
const FAILED = 2;
/** Control block: first job slot; worker w's slot starts at `JOBS + w·JOB_INTS`. */
const JOBS = 4;
/** Int32 values per job: its state, the kernel's index in `TEAM_KERNELS`, then the kernel's arguments. */
const JOB_INTS = 16;
/** Job state: written, not yet claimed. */
const OPEN = 0;
/** Job state: a worker runs it. */
const CLAIMED = 1;
/** Job state: the worker has finished it. */
const DONE = 2;
/** Job state: the calling thread ran it itself (also the state between calls, so a stray wake-up finds nothing). */
const TAKEN = 3;

/** How long `setThreads` waits for the workers to start before giving up. */
const START_TIMEOUT_MS = 30_000;

/**
 * The worker's program (CommonJS, run with `eval: true`, so no file of ours
 * has to be found at run time, bundled or not): instantiate the kernels on
 * the shared memory, report ready, then run one job per generation. Extra
 * arguments are ignored by the WebAssembly call.
 */
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, control, slot, names } = workerData;
const ctl = new Int32Array(control);
const state = ${JOBS} + slot * ${JOB_INTS};
const job = ctl.subarray(state + 1, state + ${JOB_INTS});
let kernels = null;
try {
  const exports = new WebAssembly.Instance(module, { env: { memory } }).exports;
  kernels = names.map((name) => exports[name]);
} catch {
  Atomics.store(ctl, ${FAILED}, 1); // setThreads sees it once every worker has reported
}
Atomics.add(ctl, ${READY}, 1);
Atomics.notify(ctl, ${READY});
let generation = 0;
while (kernels !== null) {
  Atomics.wait(ctl, ${GENERATION}, generation);
  generation = Atomics.load(ctl, ${GENERATION});
  if (Atomics.compareExchange(ctl, state, ${OPEN}, ${CLAIMED}) !== ${OPEN}) continue;
  try {
    kernels[job[0]](...job.subarray(1));
  } catch {
    Atomics.store(ctl, ${FAILED}, 1);
  }
  Atomics.store(ctl, state, ${DONE});
  Atomics.notify(ctl, state);
}
`;

/** Running workers with their shared memory, or null when single-threaded. */
interface Pool {
  workers: Worker[];
  control: Int32Array;
  kernels: WasmExports;
}

let pool: Pool | null = null;

/** Starts `helpers` workers on one shared memory; blocks until all are ready. */
function startPool(helpers: number): Pool {
  const module = new WebAssembly.Module(Buffer.from(SHARED_WASM_BASE64, 'base64'));
  const memory = new WebAssembly.Memory({ initial: 1, maximum: SHARED_MEMORY_MAX_PAGES, shared: true });
  const kernels = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as WasmExports;
  const control = new Int32Array(new SharedArrayBuffer(4 * (JOBS + helpers * JOB_INTS)));
  for (let w = 0; w < helpers; w++) control[JOBS + w * JOB_INTS] = TAKEN;
  const workers: Worker[] = [];
  for (let slot = 0; slot < helpers; slot++) {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { module, memory, control: control.buffer, slot, names: TEAM_KERNELS },
    });
    worker.unref(); // parked workers must not keep the process alive
    workers.push(worker);
  }
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (let ready = Atomics.load(control, READY); ready < helpers; ready = Atomics.load(control, READY)) {
    const left = deadline - Date.now();
    if (left <= 0) {
      for (const worker of workers) void worker.terminate();
      throw new Error(`setThreads: only ${ready} of ${helpers} worker threads started within ${START_TIMEOUT_MS / 1000} s`);
    }
    Atomics.wait(control, READY, ready, left);
  }
  if (Atomics.load(control, FAILED) !== 0) {
    for (const worker of workers) void worker.terminate();
    throw new Error('setThreads: a worker thread could not instantiate the WebAssembly kernels on the shared memory');
  }
  return { workers, control, kernels };
}

/** The team the kernel wrappers hand their pieces to (see `KernelTeam` in the runtime). */
function teamOf({ workers, control, kernels }: Pool): KernelTeam {
  return {
    size: workers.length + 1,
    run(calls) {
      if (calls.length > workers.length + 1) {
        throw new RangeError(`KernelTeam.run: ${calls.length} calls for ${workers.length + 1} threads`);
      }
      const jobs = calls.slice(1);
      jobs.forEach((call, w) => {
        const state = JOBS + w * JOB_INTS;
        control[state + 1] = TEAM_KERNELS.indexOf(call.kernel);
        control.set(call.args, state + 2);
        Atomics.store(control, state, OPEN);
      });
      Atomics.store(control, FAILED, 0);
      Atomics.add(control, GENERATION, 1);
      Atomics.notify(control, GENERATION);
      // Whatever fails here, every job a worker claimed is waited for before
      // returning: the next call must not overwrite memory still in use.
      let failure: unknown = null;
      const attempt = (call: KernelCall): void => {
        if (failure !== null) return;
        try {
          callKernel(kernels, call);
        } catch (error) {
          failure = error;
        }
      };
      attempt(calls[0]!);
      // Run what no worker has claimed yet; then wait for what they have.
      jobs.forEach((call, w) => {
        if (Atomics.compareExchange(control, JOBS + w * JOB_INTS, OPEN, TAKEN) === OPEN) attempt(call);
      });
      jobs.forEach((_, w) => {
        const state = JOBS + w * JOB_INTS;
        while (Atomics.load(control, state) === CLAIMED) Atomics.wait(control, state, CLAIMED);
        Atomics.store(control, state, TAKEN);
      });
      if (failure !== null) throw failure;
      if (Atomics.load(control, FAILED) !== 0) throw new Error('tensorgrad: a kernel worker thread failed (WebAssembly trap)');
    },
  };
}

/**
 * Runs the WebAssembly kernels on `count` threads: the calling one plus
 * `count − 1` worker threads sharing its memory. Large matrix products (hence
 * matmul and Dense/linear on big batches) and convolutions are split
 * between them; small ones stay on the calling thread, where waking a
 * worker would cost more than it saves. Matrix products are bit-identical
 * for every thread count; a conv weight gradient sums per-thread partial
 * sums, so it agrees to float32 rounding. `setThreads(1)` stops the workers
 * (the default: one thread).
 *
 * Node only (worker_threads); the workers do not keep a finished process
 * alive. Has no effect on the `'js'` backend.
 *
 * @param count - Threads to use, a whole number ≥ 1; `'auto'` for
 *   `os.availableParallelism()`.
 * @returns Nothing.
 * @throws {RangeError} If `count` is not a whole number ≥ 1 (or `'auto'`).
 * @throws {Error} If WebAssembly SIMD is unavailable, or workers fail to start.
 * @example
 * import { setThreads } from 'tensorgrad/node';
 * setThreads('auto'); // every core
 * // … train …
 * setThreads(1);      // back to one thread
 */
export function setThreads(count: number | 'auto'): void {
  const wanted = count === 'auto' ? availableParallelism() : count;
  if (typeof wanted !== 'number' || !Number.isInteger(wanted) || wanted < 1) {
    throw new RangeError(`setThreads: expected a whole number of threads ≥ 1 or 'auto', got ${String(count)}`);
  }
  if (!wasmAvailable()) throw new Error('setThreads: threads run the WebAssembly SIMD kernels, which this JavaScript engine lacks');
  if (pool !== null && pool.workers.length === wanted - 1) return;
  if (pool !== null) {
    useKernels(null, null);
    for (const worker of pool.workers) void worker.terminate();
    pool = null;
  }
  if (wanted === 1) return;
  pool = startPool(wanted - 1);
  useKernels(pool.kernels, teamOf(pool));
}

/**
 * The number of threads the WebAssembly kernels run on (see {@link setThreads}).
 *
 * @returns 1 unless `setThreads` started workers.
 * @example
 * import { getThreads } from 'tensorgrad/node';
 * getThreads(); // 1
 */
export function getThreads(): number {
  return pool === null ? 1 : pool.workers.length + 1;
}
