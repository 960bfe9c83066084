/**
 * Reductions and log-softmax through the WebAssembly kernels
 * (`assembly/reduce.ts`, `assembly/softmax.ts`), behind the signatures of
 * the TypeScript kernels in `../reduce.ts` and `../softmax.ts`, which
 * dispatch here when the backend is `'wasm'` and the shape suits:
 *
 * - the sum over leading axes that keeps the last one (a bias gradient, a
 *   mean over the batch): the TypeScript loop adds a row into float64
 *   accumulators element by element; here four floats per step, in the same
 *   order, so the sums are identical bit for bit;
 * - log-softmax and its gradient along the last axis: the TypeScript
 *   kernel's float64 sums and arithmetic, with e^x on four lanes
 *   (`assembly/math.ts`, within 1 float32 ulp) where it calls Math.exp per
 *   element; results agree to about one float32 ulp, 2–3× faster.
 *
 * A sum along the last axis stays in TypeScript: it is one serial chain of
 * float64 additions, which SIMD could only speed up by changing the order.
 *
 * @module
 */

import { coalesce, type RowPlan } from '../iterate.js';
import { align16, heapInt32, placeBlocks, wasmKernels } from './runtime.js';

/**
 * The coalesced plan of a sum over `axes` when WebAssembly can run it (the
 * last axis of the plan is kept, so both operands walk it contiguously),
 * else null.
 *
 * @param shape - Input shape (every extent at least 1).
 * @param xStrides - The input's strides.
 * @param outStrides - Strides of the kept-dims output over `shape`, 0 on reduced axes.
 * @returns The plan, or null when the innermost axis is reduced.
 * @example
 * sumWasmPlan([64, 128], [128, 1], [0, 1]); // { shape: [64, 128], strides: [[128, 1], [0, 1]] }
 * sumWasmPlan([64, 128], [128, 1], [1, 0]); // null: a row sum
 */
export function sumWasmPlan(shape: readonly number[], xStrides: readonly number[], outStrides: readonly number[]): RowPlan | null {
  const plan = coalesce(shape, [xStrides, outStrides]);
  const last = plan.shape.length - 1;
  return plan.strides[0]![last] === 1 && plan.strides[1]![last] === 1 ? plan : null;
}

/**
 * Sums `x` along a plan from {@link sumWasmPlan}, with WebAssembly SIMD and
 * float64 accumulators; the result as `sum` in `../reduce.ts`.
 *
 * @param x - Input values, contiguous.
 * @param plan - The coalesced plan (input strides, then output strides).
 * @param outSize - Number of sums.
 * @returns The sums.
 * @example
 * const plan = sumWasmPlan([2, 3], [3, 1], [0, 1])!;
 * sumWasm(new Float32Array([1, 2, 3, 4, 5, 6]), plan, 3); // [5, 7, 9]
 */
export function sumWasm(x: Float32Array, plan: RowPlan, outSize: number): Float32Array {
  const rank = plan.shape.length;
  const [xStrides, outStrides] = plan.strides as [number[], number[]];
  let size = 1;
  for (const extent of plan.shape) size *= extent;
  const wasm = wasmKernels();
  // The plan block: [rank, shape…, x strides…, out strides…, counters…] as i32;
  // the accumulators are float64, two floats' room each.
  const { ptrs: [planPtr, xPtr, accPtr, outPtr], heap } = placeBlocks(
    align16(wasm.heapBase()), 1 + 4 * rank, size, 2 * outSize, outSize,
  );
  heapInt32().set([rank, ...plan.shape, ...xStrides, ...outStrides], planPtr >> 2);
  heap.set(x.subarray(0, size), xPtr >> 2);
  wasm.sumKeepLast(xPtr, accPtr, outPtr, outSize, planPtr);
  return heap.slice(outPtr >> 2, (outPtr >> 2) + outSize);
}

/**
 * Log-softmax of each contiguous row with WebAssembly; the result as
 * `logSoftmax(x, rows, cols, 1)` in `../softmax.ts`.
 *
 * @param x - Logits `[rows, cols]`, contiguous.
 * @param rows - Number of rows.
 * @param cols - Row length (the softmax axis).
 * @param out - Output buffer of `rows · cols` floats.
 * @returns `out`.
 * @example
 * logSoftmaxRowsWasm(new Float32Array([0, 0]), 1, 2, new Float32Array(2)); // [-0.6931, -0.6931]
 */
export function logSoftmaxRowsWasm(x: Float32Array, rows: number, cols: number, out: Float32Array): Float32Array {
  const n = rows * cols;
  const wasm = wasmKernels();
  const { ptrs: [xPtr, outPtr], heap } = placeBlocks(align16(wasm.heapBase()), n, n);
  heap.set(x.subarray(0, n), xPtr >> 2);
  wasm.logSoftmaxRows(xPtr, outPtr, rows, cols);
  out.set(heap.subarray(outPtr >> 2, (outPtr >> 2) + n));
  return out;
}

/**
 * Gradient of log-softmax over contiguous rows with WebAssembly; the result
 * as `logSoftmaxBackward(y, dy, rows, cols, 1)` in `../softmax.ts`.
 *
 * @param y - The log-softmax output `[rows, cols]`.
 * @param dy - Gradient with respect to `y`.
 * @param rows - Number of rows.
 * @param cols - Row length.
 * @returns The gradient with respect to the logits.
 * @example
 * logSoftmaxBackwardRowsWasm(new Float32Array([Math.log(0.5), Math.log(0.5)]), new Float32Array([1, 0]), 1, 2); // [0.5, -0.5]
 */
export function logSoftmaxBackwardRowsWasm(y: Float32Array, dy: Float32Array, rows: number, cols: number): Float32Array {
  const n = rows * cols;
  const wasm = wasmKernels();
  const { ptrs: [yPtr, dyPtr, dxPtr], heap } = placeBlocks(align16(wasm.heapBase()), n, n, n);
  heap.set(y.subarray(0, n), yPtr >> 2);
  heap.set(dy.subarray(0, n), dyPtr >> 2);
  wasm.logSoftmaxBackwardRows(yPtr, dyPtr, dxPtr, rows, cols);
  return heap.slice(dxPtr >> 2, (dxPtr >> 2) + n);
}
