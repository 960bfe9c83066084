/**
 * The WebAssembly side of the kernels: one module instance (compiled from
 * `assembly/` by `npm run build:wasm`, embedded as base64 in
 * `module.generated.ts`) and one growable memory used as an arena.
 *
 * Nothing happens at import time. The first {@link wasmAvailable} or
 * {@link wasmKernels} call decodes the bytes, checks them with
 * `WebAssembly.validate` (false in engines without 128-bit SIMD) and
 * instantiates synchronously (the module is a few KiB, well under the 4 KiB…8 MiB
 * limits browsers put on synchronous compilation of the main thread).
 *
 * ## Arena
 *
 * A kernel call copies its Float32Array operands into linear memory, runs,
 * and copies the result out. The layout of one call is
 * `[heapBase | scratch | operand 0 | operand 1 | …]`, every region 16-byte
 * aligned; {@link reserve} grows the memory (never shrinks it) so that the
 * largest call seen so far fits, and later calls reuse the same bytes:
 * steady-state training allocates nothing. Safe because JavaScript is
 * single-threaded and no kernel re-enters another.
 *
 * ## Threads
 *
 * `setThreads` in `tensorgrad/node` swaps in, through {@link useKernels}, an
 * instance of the same kernels on a *shared* memory plus a
 * {@link KernelTeam} of worker threads instantiated on that memory; kernel
 * wrappers then hand large products to the team. Everything else (the
 * arena, the copies) is unchanged: the workers only ever touch the blocks the
 * calling thread laid out for them, and the call returns after they finish.
 *
 * @module
 */

import { decodeWasm } from './module.generated.js';

/** The functions exported by the compiled AssemblyScript module. */
export interface WasmExports {
  /** The module's linear memory (grown by {@link reserve}). */
  memory: WebAssembly.Memory;
  /** First free byte after the module's static data, 16-aligned. */
  heapBase(): number;
  /** Bytes of scratch the GEMM kernel needs for its packed panels. */
  scratchBytes(): number;
  /** C (+)= op(A)·op(B) on byte addresses; see `assembly/gemm.ts`. */
  gemm(
    transA: boolean, transB: boolean, m: number, n: number, k: number,
    a: number, b: number, c: number, accumulate: boolean, scratch: number,
  ): void;
  /** `gemm` on the tile C[rowStart:rowEnd, colStart:colEnd] only; see `assembly/gemm.ts`. */
  gemmTile(
    transA: boolean, transB: boolean, m: number, n: number, k: number,
    a: number, b: number, c: number, accumulate: boolean, scratch: number,
    rowStart: number, rowEnd: number, colStart: number, colEnd: number,
  ): void;
  /** Conv forward over a batch (im2col + GEMM in linear memory); see `assembly/conv.ts`. */
  conv2dForward(g: number, x: number, w: number, bias: number, hasBias: boolean, out: number, cols: number, scratch: number): void;
  /** Conv weight gradient over a batch; see `assembly/conv.ts`. */
  conv2dBackwardWeight(g: number, x: number, dy: number, dw: number, accumulate: boolean, cols: number, scratch: number): void;
  /** Conv input gradient over a batch (GEMM + col2im); see `assembly/conv.ts`. */
  conv2dBackwardInput(g: number, dy: number, w: number, dx: number, dcols: number, scratch: number): void;
  /** Max-pool forward with argmax; see `assembly/conv.ts`. */
  maxPool2dForward(g: number, x: number, out: number, indices: number): void;
  /** Max-pool backward (scatter-add at the argmax); see `assembly/conv.ts`. */
  maxPool2dBackward(g: number, dy: number, indices: number, dx: number): void;
  /** LSTM forward recurrence over all steps (GEMM + fused gates per step); see `assembly/lstm.ts`. */
  lstmForwardSteps(
    batch: number, steps: number, hiddenSize: number, weightHh: number, bias: number,
    gates: number, cells: number, cellTanh: number, hidden: number, scratch: number,
  ): void;
  /** LSTM backward through time (fused gate gradients + GEMM per step); see `assembly/lstm.ts`. */
  lstmBackwardSteps(
    batch: number, steps: number, hiddenSize: number, gates: number, cells: number, cellTanh: number,
    weightHh: number, dPacked: number, dGates: number, dh: number, dc: number, scratch: number,
  ): void;
  /** [P, Q, W] → [Q, P, W] (batch-first ↔ time-major); see `assembly/lstm.ts`. */
  swapLeadingAxes(src: number, dst: number, p: number, q: number, w: number): void;
  /** Column sums of a [rows, cols] matrix, cols a multiple of 4, in float64; see `assembly/lstm.ts`. */
  columnSums(m: number, rows: number, cols: number, out: number): void;
  /** out = f(x) over n floats (blocks padded to a multiple of 4); see `assembly/elementwise.ts`. */
  unary(op: number, x: number, out: number, n: number): void;
  /** dx = dy · (y > 0) over n floats (blocks padded to a multiple of 4); see `assembly/elementwise.ts`. */
  reluBackward(y: number, dy: number, dx: number, n: number): void;
  /** Broadcasting binary op over a coalesced plan; see `assembly/elementwise.ts`. */
  binary(op: number, a: number, b: number, out: number, plan: number): void;
  /** Sum over leading axes (last axis kept), float64 accumulators; see `assembly/reduce.ts`. */
  sumKeepLast(x: number, acc: number, out: number, outSize: number, plan: number): void;
  /** Log-softmax of contiguous rows; see `assembly/softmax.ts`. */
  logSoftmaxRows(x: number, out: number, rows: number, cols: number): void;
  /** Gradient of log-softmax over contiguous rows; see `assembly/softmax.ts`. */
  logSoftmaxBackwardRows(y: number, dy: number, dx: number, rows: number, cols: number): void;
  /** One Adam/AdamW update of n floats in place (`maxExpAvgSq` 0 without amsgrad); see `assembly/optim.ts`. */
  adamUpdate(
    theta: number, grad: number, expAvg: number, expAvgSq: number, maxExpAvgSq: number, n: number,
    sign: number, weightDecay: number, shrink: number, beta1: number, beta2: number, eps: number,
    stepSize: number, biasCorrection2Sqrt: number,
  ): void;
  /** One SGD update of n floats in place (`momentumBuffer` 0 without momentum); see `assembly/optim.ts`. */
  sgdUpdate(
    theta: number, grad: number, momentumBuffer: number, n: number,
    sign: number, weightDecay: number, lr: number, momentum: number, dampening: number, first: boolean, nesterov: boolean,
  ): void;
  /** One RMSprop update of n floats in place (`gradAvg`, `momentumBuffer` 0 when unused); see `assembly/optim.ts`. */
  rmspropUpdate(
    theta: number, grad: number, squareAvg: number, gradAvg: number, momentumBuffer: number, n: number,
    sign: number, weightDecay: number, lr: number, alpha: number, eps: number, momentum: number,
  ): void;
  /** One Adagrad update of n floats in place; see `assembly/optim.ts`. */
  adagradUpdate(theta: number, grad: number, sum: number, n: number, sign: number, weightDecay: number, lr: number, eps: number): void;
}

/** The kernels a {@link KernelTeam} can run on its worker threads. */
export const TEAM_KERNELS = ['gemmTile', 'conv2dForward', 'conv2dBackwardWeight', 'conv2dBackwardInput'] as const;

/** The name of a kernel a {@link KernelTeam} can run on a worker. */
export type TeamKernel = (typeof TEAM_KERNELS)[number];

/** One kernel call for a team: an export of the module and its arguments (booleans as 0 or 1). */
export interface KernelCall {
  /** The export to call. */
  kernel: TeamKernel;
  /** Its arguments: sizes, byte addresses, flags as 0/1. */
  args: readonly number[];
}

/**
 * Calls one of the module's exports by name with numeric arguments (what a
 * worker does with a {@link KernelCall}; the calling thread does the same).
 *
 * @param exports - The instance to call into.
 * @param call - The export's name and arguments.
 * @returns Nothing.
 * @example
 * callKernel(wasmKernels(), { kernel: 'gemmTile', args });
 */
export function callKernel(exports: WasmExports, { kernel, args }: KernelCall): void {
  (exports[kernel] as (...values: number[]) => void)(...args);
}

/**
 * Worker threads that share this module's memory and split large kernel
 * calls with the calling thread. Installed by `setThreads` in
 * `tensorgrad/node` (the core never starts threads: it bundles for browsers).
 */
export interface KernelTeam {
  /** Threads that share a call, the calling thread included (at least 2). */
  readonly size: number;
  /**
   * Runs `calls[0]` on the calling thread and the others (at most `size − 1`)
   * on the workers, all at once; returns when every call is done. The calls
   * must write disjoint memory.
   */
  run(calls: readonly KernelCall[]): void;
}

/** Instance state: undefined before the first use, null when WebAssembly SIMD is unavailable. */
let kernels: WasmExports | null | undefined;
/** The instance loaded from `module.generated.ts`, kept while another is in use. */
let ownKernels: WasmExports | null | undefined;
/** The threads in use, if any. */
let team: KernelTeam | null = null;
/** Float32 view of the memory, recreated after each growth (growing detaches the old buffer). */
let heapF32 = new Float32Array(0);
/** Int32 view of the same memory, kept in step with {@link heapF32}. */
let heapI32 = new Int32Array(0);

/** Decodes, validates and instantiates the module once; null if this engine cannot run it. */
function load(): WasmExports | null {
  if (kernels !== undefined) return kernels;
  kernels = null;
  try {
    if (typeof WebAssembly !== 'object' || typeof atob !== 'function') return null;
    const bytes = decodeWasm();
    if (!WebAssembly.validate(bytes)) return null;
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
    kernels = instance.exports as unknown as WasmExports;
    heapF32 = new Float32Array(kernels.memory.buffer);
    heapI32 = new Int32Array(kernels.memory.buffer);
  } catch {
    kernels = null;
  }
  ownKernels = kernels;
  return kernels;
}

/**
 * Runs the kernels on another instance of the same module, with a team of
 * threads on its memory (`setThreads` in `tensorgrad/node`), or goes back to
 * the module's own instance, single-threaded (`instance` null). Call between
 * kernel calls only: the arena's contents do not outlive a call, so nothing
 * needs to move.
 *
 * @param instance - Exports of an instance on a shared memory, or null for the default instance.
 * @param threads - The team sharing that memory, or null.
 * @returns Nothing.
 * @throws {Error} If WebAssembly SIMD is unavailable.
 * @example
 * useKernels(sharedExports, team); // threads on
 * useKernels(null, null);          // back to one thread
 */
export function useKernels(instance: WasmExports | null, threads: KernelTeam | null): void {
  wasmKernels();
  kernels = instance ?? ownKernels;
  team = threads;
}

/**
 * The team of threads large kernel calls are split across, or null when
 * kernels run on the calling thread only (the default).
 *
 * @returns The team, or null.
 * @example
 * const team = kernelTeam();
 * if (team !== null && team.worthSplitting(m, n, k)) team.gemm(...args);
 */
export function kernelTeam(): KernelTeam | null {
  return team;
}

/**
 * Whether the WebAssembly SIMD kernels can run here (the engine has
 * WebAssembly with 128-bit SIMD and the module instantiates).
 *
 * @returns True if {@link wasmKernels} will succeed.
 * @example
 * if (wasmAvailable()) console.log('using WebAssembly SIMD');
 */
export function wasmAvailable(): boolean {
  return load() !== null;
}

/**
 * The instantiated module's exports.
 *
 * @returns The exports.
 * @throws {Error} If WebAssembly SIMD is unavailable in this engine.
 * @example
 * const { gemm } = wasmKernels();
 */
export function wasmKernels(): WasmExports {
  const k = load();
  if (k === null) throw new Error('tensorgrad: WebAssembly SIMD is not available in this JavaScript engine');
  return k;
}

/** Rounds a byte count up to a multiple of 16 (v128 alignment). */
export function align16(bytes: number): number {
  return (bytes + 15) & ~15;
}

/** Where {@link placeBlocks} put each block, and the heap view to copy through. */
export interface PlacedBlocks {
  /** Byte address of each block, in the order given. */
  ptrs: number[];
  /** The memory as float32, valid until the next {@link reserve}. */
  heap: Float32Array;
}

/**
 * Lays out blocks of float32 values one after another from byte `start`,
 * each 16-byte aligned (for v128 loads), and reserves the memory they need:
 * the one arena layout every kernel wrapper uses.
 *
 * @param start - Byte address of the first block.
 * @param floatCounts - Each block's length in float32 values.
 * @returns The blocks' addresses and the heap view.
 * @example
 * const { ptrs: [aPtr, bPtr], heap } = placeBlocks(next, m * k, k * n);
 */
export function placeBlocks(start: number, ...floatCounts: number[]): PlacedBlocks {
  const ptrs: number[] = [];
  let at = start;
  for (const count of floatCounts) {
    at = align16(at);
    ptrs.push(at);
    at += 4 * count;
  }
  return { ptrs, heap: reserve(at) };
}

/**
 * Makes the memory at least `bytes` long, growing it in whole 64 KiB pages
 * (with 1/8 headroom, so that slowly growing shapes do not regrow every call).
 *
 * @param bytes - Bytes needed from address 0.
 * @returns The Float32Array view of the whole memory, valid until the next growth.
 * @example
 * const heap = reserve(base + 4 * size);
 * heap.set(data, base >> 2);
 */
export function reserve(bytes: number): Float32Array {
  const memory = wasmKernels().memory;
  const have = memory.buffer.byteLength;
  if (bytes > have) {
    const want = bytes + (bytes >> 3);
    memory.grow(Math.ceil((want - have) / 65536));
  }
  if (heapF32.buffer !== memory.buffer) {
    heapF32 = new Float32Array(memory.buffer);
    heapI32 = new Int32Array(memory.buffer);
  }
  return heapF32;
}

/**
 * The Int32Array view of the whole memory (for geometry blocks and argmax
 * indices), valid until the next growth: call it after {@link reserve}.
 *
 * @returns The view.
 * @example
 * reserve(end);
 * heapInt32().set([n, c, h, w], geometry >> 2);
 */
export function heapInt32(): Int32Array {
  return heapI32;
}
