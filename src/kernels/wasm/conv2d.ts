/**
 * Conv2d and max-pool through the WebAssembly kernels (`assembly/conv.ts`),
 * behind the same signatures as the TypeScript kernels in `../conv2d.ts` and
 * `../pool2d.ts`, which dispatch here when the backend is `'wasm'`.
 *
 * One call handles the whole batch: the input, weight and output are copied
 * into the arena once, and im2col/col2im run in linear memory next to the
 * GEMM, so the unrolled columns (kh·kw times larger than the input) never
 * cross into JavaScript. Layout of one conv call:
 * `[heapBase | operands… | geometry | cols | GEMM scratch]`, 16-byte aligned,
 * with one `geometry | cols | scratch` group per thread when a team of
 * threads (`setThreads` in `tensorgrad/node`) shares the batch. Max-pool
 * needs no GEMM scratch: `[heapBase | geometry | operands…]`.
 *
 * The loops and the summation order are those of the TypeScript kernels
 * (the GEMM is the wasm one, so sums are float32 as in `gemmWasm`); the
 * max-pool results are identical bit for bit.
 *
 * Degenerate sizes (an empty batch, zero channels, …) fall back to the
 * TypeScript kernels, which handle them without any arithmetic.
 *
 * @module
 */

import type { Conv2dGeometry } from '../conv2d.js';
import type { Pool2dGeometry } from '../pool2d.js';
import {
  align16, callKernel, heapInt32, kernelTeam, placeBlocks, wasmKernels, type KernelCall, type WasmExports,
} from './runtime.js';
import { MIN_SPLIT_MACS, splitRange } from './split.js';

/** The geometry block's size in 4-byte slots (16 i32, see `assembly/conv.ts`), for {@link placeBlocks}. */
const GEOMETRY_FLOATS = 16;

/** Sizes shared by the three conv kernels. */
interface ConvSizes {
  depth: number; positions: number; inSize: number; outSize: number; pointwise: boolean;
  /** Floats of the im2col buffer (none for a pointwise conv, which reads x directly). */
  colsSize: number;
}

function convSizes(g: Conv2dGeometry): ConvSizes {
  const pointwise = g.kernelHeight === 1 && g.kernelWidth === 1 && g.strideHeight === 1 && g.strideWidth === 1 &&
    g.padTop === 0 && g.padBottom === 0 && g.padLeft === 0 && g.padRight === 0;
  const depth = g.inChannels * g.kernelHeight * g.kernelWidth;
  const positions = g.outHeight * g.outWidth;
  return {
    depth,
    positions,
    inSize: g.inChannels * g.inHeight * g.inWidth,
    outSize: g.outChannels * g.outHeight * g.outWidth,
    pointwise,
    colsSize: pointwise ? 0 : depth * positions,
  };
}

/**
 * True when the wasm conv kernels can run these sizes: every GEMM dimension
 * and the batch at least 1 (the callers fall back to JS otherwise).
 *
 * @param g - The geometry.
 * @returns Whether {@link conv2dForwardWasm} and friends accept it.
 * @example
 * if (!convWasmSupports(g)) conv2dForwardJs(g, x, w, b, out);
 */
export function convWasmSupports(g: Conv2dGeometry): boolean {
  return g.batch > 0 && g.inChannels > 0 && g.outChannels > 0 && g.outHeight > 0 && g.outWidth > 0 &&
    g.inHeight > 0 && g.inWidth > 0;
}

/** Writes a conv geometry block for `batch` samples (after {@link reserve}). */
function writeConvGeometry(at: number, g: Conv2dGeometry, pointwise: boolean, batch: number): void {
  heapInt32().set([
    g.inChannels, g.inHeight, g.inWidth, g.outChannels, g.kernelHeight, g.kernelWidth,
    g.strideHeight, g.strideWidth, g.dilationHeight, g.dilationWidth, g.padTop, g.padLeft,
    g.outHeight, g.outWidth, batch, pointwise ? 1 : 0,
  ], at >> 2);
}

/**
 * One thread's share of a conv call: a slice of the batch, with its own
 * geometry block, im2col buffer, GEMM scratch and (weight gradient only, for
 * every piece but the first) a partial-sum buffer.
 */
interface Piece {
  /** First sample. */
  first: number;
  /** Byte addresses of the piece's own blocks. */
  geometry: number; cols: number; scratch: number; partial: number;
}

/** The operands' addresses, the pieces and the heap view of one conv call. */
interface ConvLayout {
  operands: number[];
  pieces: Piece[];
  heap: Float32Array;
}

/**
 * Lays out one conv call: the operands, then each piece's private blocks.
 * With a {@link kernelTeam} and enough work, the batch is cut into one piece
 * per thread; otherwise there is one piece, the whole batch.
 */
function layOut(wasm: WasmExports, g: Conv2dGeometry, s: ConvSizes, operandSizes: number[], partialSize = 0): ConvLayout {
  const team = kernelTeam();
  const macs = g.batch * g.outChannels * s.depth * s.positions;
  const slices = team !== null && macs >= MIN_SPLIT_MACS ? splitRange(g.batch, team.size, 1) : [[0, g.batch] as const];
  const pieceBlocks = slices.flatMap((_, t) => [GEOMETRY_FLOATS, s.colsSize, wasm.scratchBytes() / 4, t === 0 ? 0 : partialSize]);
  const { ptrs, heap } = placeBlocks(align16(wasm.heapBase()), ...operandSizes, ...pieceBlocks);
  const operands = ptrs.slice(0, operandSizes.length);
  const pieces = slices.map(([first, end], t) => {
    const [geometry, cols, scratch, partial] = ptrs.slice(operands.length + 4 * t);
    writeConvGeometry(geometry, g, s.pointwise, end - first);
    return { first, geometry, cols, scratch, partial };
  });
  return { operands, pieces, heap };
}

/** Runs one call per piece: on this thread alone, or across the team at once. */
function runPieces(wasm: WasmExports, calls: KernelCall[]): void {
  if (calls.length === 1) callKernel(wasm, calls[0]);
  else kernelTeam()?.run(calls);
}

/**
 * Conv forward with WebAssembly SIMD: arguments and result as
 * `conv2dForward` in `../conv2d.ts`. Requires {@link convWasmSupports}.
 *
 * @param g - The geometry.
 * @param x - Input `[N, C, H, W]`.
 * @param weight - `[O, C, kh, kw]`.
 * @param bias - `[O]`, or null.
 * @param out - Output `[N, O, OH, OW]` (overwritten).
 * @returns Nothing; writes into `out`.
 * @example
 * conv2dForwardWasm(g, x, w, null, out);
 */
export function conv2dForwardWasm(
  g: Conv2dGeometry, x: Float32Array, weight: Float32Array, bias: Float32Array | null, out: Float32Array,
): void {
  const wasm = wasmKernels();
  const s = convSizes(g);
  const { operands: [xPtr, wPtr, bPtr, yPtr], pieces, heap } = layOut(
    wasm, g, s, [g.batch * s.inSize, g.outChannels * s.depth, g.outChannels, g.batch * s.outSize],
  );
  heap.set(x.subarray(0, g.batch * s.inSize), xPtr >> 2);
  heap.set(weight.subarray(0, g.outChannels * s.depth), wPtr >> 2);
  if (bias !== null) heap.set(bias.subarray(0, g.outChannels), bPtr >> 2);
  runPieces(wasm, pieces.map((p) => ({
    kernel: 'conv2dForward',
    args: [p.geometry, xPtr + 4 * p.first * s.inSize, wPtr, bPtr, +(bias !== null), yPtr + 4 * p.first * s.outSize, p.cols, p.scratch],
  })));
  out.set(heap.subarray(yPtr >> 2, (yPtr >> 2) + g.batch * s.outSize));
}

/**
 * Conv input gradient with WebAssembly SIMD: arguments and result as
 * `conv2dBackwardInput` in `../conv2d.ts`. Requires {@link convWasmSupports}.
 *
 * @param g - The geometry.
 * @param dy - Output gradient `[N, O, OH, OW]`.
 * @param weight - `[O, C, kh, kw]`.
 * @param dx - Input gradient `[N, C, H, W]` (overwritten).
 * @returns Nothing; writes into `dx`.
 * @example
 * conv2dBackwardInputWasm(g, dy, w, dx);
 */
export function conv2dBackwardInputWasm(g: Conv2dGeometry, dy: Float32Array, weight: Float32Array, dx: Float32Array): void {
  const wasm = wasmKernels();
  const s = convSizes(g);
  const { operands: [dyPtr, wPtr, dxPtr], pieces, heap } = layOut(
    wasm, g, s, [g.batch * s.outSize, g.outChannels * s.depth, g.batch * s.inSize],
  );
  heap.set(dy.subarray(0, g.batch * s.outSize), dyPtr >> 2);
  heap.set(weight.subarray(0, g.outChannels * s.depth), wPtr >> 2);
  runPieces(wasm, pieces.map((p) => ({
    kernel: 'conv2dBackwardInput',
    args: [p.geometry, dyPtr + 4 * p.first * s.outSize, wPtr, dxPtr + 4 * p.first * s.inSize, p.cols, p.scratch],
  })));
  dx.set(heap.subarray(dxPtr >> 2, (dxPtr >> 2) + g.batch * s.inSize));
}

/**
 * Conv weight gradient with WebAssembly SIMD: arguments and result as
 * `conv2dBackwardWeight` in `../conv2d.ts`. Requires {@link convWasmSupports}.
 * Split across threads, each sums its slice of the batch and the partial
 * sums are added in slice order (so results agree with one thread's to
 * float32 rounding, and repeat exactly for a given thread count).
 *
 * @param g - The geometry.
 * @param x - Input `[N, C, H, W]`.
 * @param dy - Output gradient `[N, O, OH, OW]`.
 * @param dWeight - Weight gradient `[O, C, kh, kw]`.
 * @param accumulate - Add to `dWeight` (true) or overwrite it (false).
 * @returns Nothing; writes into `dWeight`.
 * @example
 * conv2dBackwardWeightWasm(g, x, dy, dw, false);
 */
export function conv2dBackwardWeightWasm(
  g: Conv2dGeometry, x: Float32Array, dy: Float32Array, dWeight: Float32Array, accumulate: boolean,
): void {
  const wasm = wasmKernels();
  const s = convSizes(g);
  const dwSize = g.outChannels * s.depth;
  const { operands: [xPtr, dyPtr, dwPtr], pieces, heap } = layOut(
    wasm, g, s, [g.batch * s.inSize, g.batch * s.outSize, dwSize], dwSize,
  );
  heap.set(x.subarray(0, g.batch * s.inSize), xPtr >> 2);
  heap.set(dy.subarray(0, g.batch * s.outSize), dyPtr >> 2);
  if (accumulate) heap.set(dWeight.subarray(0, dwSize), dwPtr >> 2);
  // The first piece sums into dW itself; the others into their partial buffers.
  runPieces(wasm, pieces.map((p, t) => ({
    kernel: 'conv2dBackwardWeight',
    args: [p.geometry, xPtr + 4 * p.first * s.inSize, dyPtr + 4 * p.first * s.outSize,
      t === 0 ? dwPtr : p.partial, t === 0 ? +accumulate : 0, p.cols, p.scratch],
  })));
  const dw = heap.subarray(dwPtr >> 2, (dwPtr >> 2) + dwSize);
  for (const p of pieces.slice(1)) {
    const partial = heap.subarray(p.partial >> 2, (p.partial >> 2) + dwSize);
    for (let i = 0; i < dwSize; i++) dw[i] += partial[i];
  }
  dWeight.set(dw);
}

/** Writes the pool geometry block (after {@link reserve}). */
function writePoolGeometry(at: number, g: Pool2dGeometry): void {
  heapInt32().set([
    g.batch * g.channels, g.inHeight, g.inWidth, g.kernelHeight, g.kernelWidth, g.strideHeight, g.strideWidth,
    g.padHeight, g.padWidth, g.dilationHeight, g.dilationWidth, g.outHeight, g.outWidth,
  ], at >> 2);
}

/**
 * Max-pool forward with WebAssembly: arguments and results as
 * `maxPool2dForward` in `../pool2d.ts` (identical values and indices).
 *
 * @param g - The geometry.
 * @param x - Input `[N, C, H, W]`.
 * @param out - Output `[N, C, OH, OW]` (overwritten).
 * @param indices - Argmax per output (overwritten).
 * @returns Nothing; writes into `out` and `indices`.
 * @example
 * maxPool2dForwardWasm(g, x, out, indices);
 */
export function maxPool2dForwardWasm(g: Pool2dGeometry, x: Float32Array, out: Float32Array, indices: Int32Array): void {
  const wasm = wasmKernels();
  const inCount = g.batch * g.channels * g.inHeight * g.inWidth;
  const outCount = g.batch * g.channels * g.outHeight * g.outWidth;
  const { ptrs: [geometry, xPtr, yPtr, iPtr], heap } =
    placeBlocks(align16(wasm.heapBase()), GEOMETRY_FLOATS, inCount, outCount, outCount);
  writePoolGeometry(geometry, g);
  heap.set(x.subarray(0, inCount), xPtr >> 2);
  wasm.maxPool2dForward(geometry, xPtr, yPtr, iPtr);
  out.set(heap.subarray(yPtr >> 2, (yPtr >> 2) + outCount));
  indices.set(heapInt32().subarray(iPtr >> 2, (iPtr >> 2) + outCount));
}

/**
 * Max-pool backward with WebAssembly: arguments and result as
 * `maxPool2dBackward` in `../pool2d.ts`.
 *
 * @param g - The geometry.
 * @param dy - Output gradient `[N, C, OH, OW]`.
 * @param indices - Argmax indices from the forward pass.
 * @param dx - Input gradient `[N, C, H, W]` (overwritten).
 * @returns Nothing; writes into `dx`.
 * @example
 * maxPool2dBackwardWasm(g, dy, indices, dx);
 */
export function maxPool2dBackwardWasm(g: Pool2dGeometry, dy: Float32Array, indices: Int32Array, dx: Float32Array): void {
  const wasm = wasmKernels();
  const inCount = g.batch * g.channels * g.inHeight * g.inWidth;
  const outCount = g.batch * g.channels * g.outHeight * g.outWidth;
  const { ptrs: [geometry, dyPtr, iPtr, dxPtr], heap } =
    placeBlocks(align16(wasm.heapBase()), GEOMETRY_FLOATS, outCount, outCount, inCount);
  writePoolGeometry(geometry, g);
  heap.set(dy.subarray(0, outCount), dyPtr >> 2);
  heapInt32().set(indices.subarray(0, outCount), iPtr >> 2);
  wasm.maxPool2dBackward(geometry, dyPtr, iPtr, dxPtr);
  dx.set(heap.subarray(dxPtr >> 2, (dxPtr >> 2) + inCount));
}
