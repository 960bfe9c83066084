/**
 * The bulk elementwise loops through the WebAssembly kernels
 * (`assembly/elementwise.ts`, `assembly/math.ts`), behind the signatures of
 * the TypeScript kernels in `../elementwise.ts`, which dispatch here when the
 * backend is `'wasm'` and the tensor is large enough to repay the call.
 *
 * Each call copies its operands into the arena and the result out, O(n)
 * like the loop itself; it pays because the f32x4 loops run 4–10× faster
 * than V8's scalar ones (measured in `bench/elementwise.ts`).
 *
 * - relu, relu's backward and the broadcasting add/sub/mul/div/maximum/
 *   minimum give the TypeScript kernels' results bit for bit (NaN, ±∞, −0
 *   included);
 * - exp, sigmoid and tanh use float32 polynomials (`assembly/math.ts`)
 *   within a few float32 ulps (relative error below 5e-7) of the TypeScript
 *   kernels, which round float64 `Math` functions.
 *
 * @module
 */

import { coalesce } from '../iterate.js';
import { align16, heapInt32, placeBlocks, wasmKernels } from './runtime.js';

/** The unary kernels that have a WebAssembly twin. */
export type WasmUnaryKernel = 'relu' | 'exp' | 'sigmoid' | 'tanh';

/** The broadcasting binary kernels that have a WebAssembly twin. */
export type WasmBinaryKernel = 'add' | 'sub' | 'mul' | 'div' | 'maximum' | 'minimum';

/**
 * Fewest elements for which the elementwise kernels go to WebAssembly. Below
 * it a call's fixed cost (laying out the arena, the typed-array views of the
 * copies: ~0.1–0.2 µs) outweighs the loop: at 16 floats V8's exp loop is
 * already faster, from 64 on the wasm kernels win (Node 20).
 */
export const WASM_MIN_ELEMENTS = 64;

/** Op codes of `assembly/elementwise.ts`'s `unary`. */
const unaryCodes: Record<WasmUnaryKernel, number> = { relu: 0, exp: 1, sigmoid: 2, tanh: 3 };

/** Op codes of `assembly/elementwise.ts`'s `binary`. */
const binaryCodes: Record<WasmBinaryKernel, number> = { add: 0, sub: 1, mul: 2, div: 3, maximum: 4, minimum: 5 };

/**
 * Whether `op` is one of the unary kernels with a WebAssembly twin.
 *
 * @param op - A unary kernel's name.
 * @returns True for relu, exp, sigmoid and tanh.
 * @example
 * hasWasmUnary('tanh'); // true
 * hasWasmUnary('log');  // false: stays in TypeScript
 */
export function hasWasmUnary(op: string): op is WasmUnaryKernel {
  return Object.hasOwn(unaryCodes, op);
}

/**
 * Whether `op` is one of the binary kernels with a WebAssembly twin.
 *
 * @param op - A binary kernel's name.
 * @returns True for add, sub, mul, div, maximum and minimum.
 * @example
 * hasWasmBinary('mul'); // true
 * hasWasmBinary('pow'); // false: stays in TypeScript
 */
export function hasWasmBinary(op: string): op is WasmBinaryKernel {
  return Object.hasOwn(binaryCodes, op);
}

/** n rounded up to whole f32x4 vectors: the unary kernels run every lane of the last one. */
function padded(n: number): number {
  return (n + 3) & ~3;
}

/**
 * `out[i] = f(x[i])` with WebAssembly SIMD for the first `x.length` values;
 * arguments as `unary` in `../elementwise.ts`.
 *
 * @param op - relu, exp, sigmoid or tanh.
 * @param x - Input values.
 * @param out - Output buffer, at least `x.length` long (may be `x`).
 * @returns `out`.
 * @example
 * unaryWasm('relu', new Float32Array([-1, 2]), new Float32Array(2)); // [0, 2]
 */
export function unaryWasm(op: WasmUnaryKernel, x: Float32Array, out: Float32Array): Float32Array {
  const n = x.length;
  const wasm = wasmKernels();
  const { ptrs: [xPtr, outPtr], heap } = placeBlocks(align16(wasm.heapBase()), padded(n), padded(n));
  heap.set(x, xPtr >> 2);
  wasm.unary(unaryCodes[op], xPtr, outPtr, n);
  out.set(heap.subarray(outPtr >> 2, (outPtr >> 2) + n));
  return out;
}

/**
 * relu's backward with WebAssembly SIMD, `dx[i] = dy[i] · (y[i] > 0 ? 1 : 0)`;
 * arguments as `reluBackward` in `../elementwise.ts`.
 *
 * @param y - The relu output.
 * @param dy - Gradient with respect to `y`, same length.
 * @param dx - Output buffer, at least `y.length` long.
 * @returns `dx`.
 * @example
 * reluBackwardWasm(new Float32Array([0, 3]), new Float32Array([5, 7]), new Float32Array(2)); // [0, 7]
 */
export function reluBackwardWasm(y: Float32Array, dy: Float32Array, dx: Float32Array): Float32Array {
  const n = y.length;
  const wasm = wasmKernels();
  const { ptrs: [yPtr, dyPtr, dxPtr], heap } = placeBlocks(align16(wasm.heapBase()), padded(n), padded(n), padded(n));
  heap.set(y, yPtr >> 2);
  heap.set(dy.subarray(0, n), dyPtr >> 2);
  wasm.reluBackward(yPtr, dyPtr, dxPtr, n);
  dx.set(heap.subarray(dxPtr >> 2, (dxPtr >> 2) + n));
  return dx;
}

/** Elements of a buffer that a plan reads: the last offset it reaches, plus one. */
function span(shape: readonly number[], strides: readonly number[]): number {
  let last = 0;
  for (let axis = 0; axis < shape.length; axis++) last += (shape[axis]! - 1) * strides[axis]!;
  return last + 1;
}

/**
 * Broadcasting binary op with WebAssembly SIMD; arguments as `binary` in
 * `../elementwise.ts` (strides non-negative, every extent at least 1).
 * Rows of the coalesced iteration space run four lanes at a time, with a
 * broadcast operand splatted across them.
 *
 * @param op - add, sub, mul, div, maximum or minimum.
 * @param a - Left operand values.
 * @param aStrides - Strides of `a` over `outShape` (0 on broadcast axes).
 * @param b - Right operand values.
 * @param bStrides - Strides of `b` over `outShape`.
 * @param outShape - The broadcast shape.
 * @param out - Contiguous output buffer of `outShape`'s size.
 * @returns `out`.
 * @example
 * // bias add: [2, 3] + [3]
 * const out = new Float32Array(6);
 * binaryWasm('add', new Float32Array([1, 2, 3, 4, 5, 6]), [3, 1], new Float32Array([10, 20, 30]), [0, 1], [2, 3], out);
 * // out = [11, 22, 33, 14, 25, 36]
 */
export function binaryWasm(
  op: WasmBinaryKernel,
  a: Float32Array, aStrides: readonly number[],
  b: Float32Array, bStrides: readonly number[],
  outShape: readonly number[],
  out: Float32Array,
): Float32Array {
  const outStrides: number[] = [];
  let size = 1;
  for (let axis = outShape.length - 1; axis >= 0; axis--) {
    outStrides[axis] = size;
    size *= outShape[axis]!;
  }
  const plan = coalesce(outShape, [aStrides, bStrides, outStrides]);
  const rank = plan.shape.length;
  const [planA, planB] = plan.strides as [number[], number[]];
  const aSpan = span(plan.shape, planA);
  const bSpan = span(plan.shape, planB);
  const wasm = wasmKernels();
  // The plan block: [rank, shape…, a strides…, b strides…, counters…] as i32.
  const { ptrs: [planPtr, aPtr, bPtr, outPtr], heap } = placeBlocks(
    align16(wasm.heapBase()), 1 + 4 * rank, aSpan, bSpan, size,
  );
  heapInt32().set([rank, ...plan.shape, ...planA, ...planB], planPtr >> 2);
  heap.set(a.subarray(0, aSpan), aPtr >> 2);
  heap.set(b.subarray(0, bSpan), bPtr >> 2);
  wasm.binary(binaryCodes[op], aPtr, bPtr, outPtr, planPtr);
  out.set(heap.subarray(outPtr >> 2, (outPtr >> 2) + size));
  return out;
}
