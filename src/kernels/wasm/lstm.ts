/**
 * One LSTM layer through the WebAssembly kernels (`assembly/lstm.ts`), behind
 * the same signatures as the TypeScript kernels in `../lstm.ts`, which
 * dispatch here when the backend is `'wasm'`.
 *
 * One call runs the whole layer: the weights, the input and the states are
 * copied into the arena once, and every step's GEMM and fused gate loop run
 * in linear memory (through `gemm` alone, W_hh and the states would cross
 * into wasm memory and back on every step). Each wrapper below follows its
 * TypeScript twin phase for phase; the per-step loops are `lstmForwardSteps`
 * and `lstmBackwardSteps`, and the all-steps GEMMs before and after them are
 * the module's `gemm`, called on arena addresses.
 *
 * Differences from the TypeScript kernel, all at float32 rounding level: the
 * GEMMs sum in float32 (as `gemmWasm`), the gate arithmetic is float32, and
 * σ and tanh are four-lane float32 polynomials within 2 ulp (shared with
 * the elementwise kernels, `assembly/math.ts`). The bias gradient is summed in float64 in the same
 * order as in TypeScript.
 *
 * Degenerate sizes (an empty batch or sequence, no inputs or hidden units)
 * fall back to the TypeScript kernels, which handle them without arithmetic.
 *
 * @module
 */

import type { LstmGradients, LstmSizes, LstmTrace } from '../lstm.js';
import { align16, placeBlocks, wasmKernels } from './runtime.js';

/**
 * True when the wasm LSTM kernels can run these sizes: batch, steps, input
 * and hidden size all at least 1 (the callers fall back to JS otherwise).
 *
 * @param sizes - Batch, steps, input and hidden sizes.
 * @returns Whether {@link lstmForwardWasm} and {@link lstmBackwardWasm} accept them.
 * @example
 * if (!lstmWasmSupports(sizes)) lstmForwardJs(sizes, x, h0, c0, wIh, wHh, bIh, bHh, trace);
 */
export function lstmWasmSupports(sizes: LstmSizes): boolean {
  return sizes.batch > 0 && sizes.steps > 0 && sizes.inputSize > 0 && sizes.hiddenSize > 0;
}

/** Copies `count` floats from the arena at byte address `ptr` into `out`. */
function copyOut(heap: Float32Array, ptr: number, count: number, out: Float32Array): void {
  out.set(heap.subarray(ptr >> 2, (ptr >> 2) + count));
}

/**
 * LSTM forward with WebAssembly SIMD: arguments and result as `lstmForward`
 * in `../lstm.ts`, whose checks it relies on. Requires {@link lstmWasmSupports}.
 *
 * @param sizes - Batch B, steps T, input size F, hidden size H.
 * @param x - Input, batch-first `[B, T, F]`.
 * @param h0 - Initial hidden state `[B, H]`.
 * @param c0 - Initial cell state `[B, H]`.
 * @param weightIh - `[4H, F]`, gate rows i, f, g, o.
 * @param weightHh - `[4H, H]`.
 * @param biasIh - `[4H]`, or null.
 * @param biasHh - `[4H]`, or null.
 * @param trace - Output: the states and gates.
 * @returns Nothing; writes into `trace`.
 * @throws {Error} If WebAssembly SIMD is unavailable.
 * @example
 * lstmForwardWasm(sizes, x, h0, c0, wIh, wHh, bIh, bHh, trace);
 */
export function lstmForwardWasm(
  sizes: LstmSizes,
  x: Float32Array, h0: Float32Array, c0: Float32Array,
  weightIh: Float32Array, weightHh: Float32Array,
  biasIh: Float32Array | null, biasHh: Float32Array | null,
  trace: LstmTrace,
): void {
  const { batch: B, steps: T, inputSize: F, hiddenSize: H } = sizes;
  const G = 4 * H;
  const BH = B * H;
  const wasm = wasmKernels();
  const scratch = align16(wasm.heapBase());
  const { ptrs: [xPtr, wIhPtr, wHhPtr, biasPtr, inputsPtr, gatesPtr, cellsPtr, cellTanhPtr, hiddenPtr], heap } = placeBlocks(
    scratch + wasm.scratchBytes(), B * T * F, G * F, G * H, G, T * B * F, T * B * G, (T + 1) * BH, T * BH, (T + 1) * BH,
  );
  heap.set(x.subarray(0, B * T * F), xPtr >> 2);
  heap.set(weightIh.subarray(0, G * F), wIhPtr >> 2);
  heap.set(weightHh.subarray(0, G * H), wHhPtr >> 2);
  // b_ih + b_hh, summed in double and rounded once, as in TypeScript.
  const bias = biasPtr >> 2;
  for (let j = 0; j < G; j++) heap[bias + j] = (biasIh === null ? 0 : biasIh[j]!) + (biasHh === null ? 0 : biasHh[j]!);
  heap.set(h0.subarray(0, BH), hiddenPtr >> 2);
  heap.set(c0.subarray(0, BH), cellsPtr >> 2);

  // x [B, T, F] → time-major [T, B, F]; then x_t·W_ihᵀ for every step at once.
  wasm.swapLeadingAxes(xPtr, inputsPtr, B, T, F);
  wasm.gemm(false, true, T * B, G, F, inputsPtr, wIhPtr, gatesPtr, false, scratch);
  wasm.lstmForwardSteps(B, T, H, wHhPtr, biasPtr, gatesPtr, cellsPtr, cellTanhPtr, hiddenPtr, scratch);

  copyOut(heap, inputsPtr, T * B * F, trace.inputs);
  copyOut(heap, gatesPtr, T * B * G, trace.gates);
  copyOut(heap, cellsPtr, (T + 1) * BH, trace.cells);
  copyOut(heap, cellTanhPtr, T * BH, trace.cellTanh);
  copyOut(heap, hiddenPtr, (T + 1) * BH, trace.hidden);
}

/**
 * LSTM backward through time with WebAssembly SIMD: arguments and results as
 * `lstmBackward` in `../lstm.ts`, whose checks it relies on. Only what the
 * requested gradients need is copied in (h_0 … h_{T−1} for d/dW_hh, the input
 * for d/dW_ih, W_ih for d/dx). Requires {@link lstmWasmSupports}.
 *
 * @param sizes - Batch B, steps T, input size F, hidden size H.
 * @param trace - The forward pass's trace (read only).
 * @param weightIh - `[4H, F]`, as in the forward pass.
 * @param weightHh - `[4H, H]`, as in the forward pass.
 * @param dPacked - Gradient of the packed result, `[B, T + 1, H]`.
 * @param grads - Output buffers; null entries are not computed.
 * @returns Nothing; writes into the non-null buffers of `grads`.
 * @throws {Error} If WebAssembly SIMD is unavailable.
 * @example
 * lstmBackwardWasm(sizes, trace, wIh, wHh, dPacked, grads);
 */
export function lstmBackwardWasm(
  sizes: LstmSizes,
  trace: LstmTrace,
  weightIh: Float32Array, weightHh: Float32Array,
  dPacked: Float32Array,
  grads: LstmGradients,
): void {
  const { batch: B, steps: T, inputSize: F, hiddenSize: H } = sizes;
  const G = 4 * H;
  const BH = B * H;
  const TB = T * B;
  const wasm = wasmKernels();
  const scratch = align16(wasm.heapBase());
  // Blocks a gradient does not need get length 0 (and are never read).
  const wantX = grads.x !== null;
  const wantWih = grads.weightIh !== null;
  const wantWhh = grads.weightHh !== null;
  const {
    ptrs: [gatesPtr, cellsPtr, cellTanhPtr, hiddenPtr, inputsPtr, wIhPtr, wHhPtr, dPackedPtr,
      dGatesPtr, dhPtr, dcPtr, dxTPtr, dxPtr, dWihPtr, dWhhPtr, dBiasPtr],
    heap,
  } = placeBlocks(
    scratch + wasm.scratchBytes(),
    TB * G, TB * H, TB * H, wantWhh ? TB * H : 0, wantWih ? TB * F : 0, wantX ? G * F : 0, G * H, B * (T + 1) * H,
    TB * G, BH, BH, wantX ? TB * F : 0, wantX ? TB * F : 0, wantWih ? G * F : 0, wantWhh ? G * H : 0, G,
  );
  heap.set(trace.gates.subarray(0, TB * G), gatesPtr >> 2);
  heap.set(trace.cells.subarray(0, TB * H), cellsPtr >> 2); // c_0 … c_{T−1}
  heap.set(trace.cellTanh.subarray(0, TB * H), cellTanhPtr >> 2);
  if (wantWhh) heap.set(trace.hidden.subarray(0, TB * H), hiddenPtr >> 2); // h_0 … h_{T−1}
  if (wantWih) heap.set(trace.inputs.subarray(0, TB * F), inputsPtr >> 2);
  if (wantX) heap.set(weightIh.subarray(0, G * F), wIhPtr >> 2);
  heap.set(weightHh.subarray(0, G * H), wHhPtr >> 2);
  heap.set(dPacked.subarray(0, B * (T + 1) * H), dPackedPtr >> 2);

  wasm.lstmBackwardSteps(B, T, H, gatesPtr, cellsPtr, cellTanhPtr, wHhPtr, dPackedPtr, dGatesPtr, dhPtr, dcPtr, scratch);

  if (grads.h0 !== null) copyOut(heap, dhPtr, BH, grads.h0);
  if (grads.c0 !== null) copyOut(heap, dcPtr, BH, grads.c0);
  // Σ_t δa_tᵀ·h_{t−1} and Σ_t δa_tᵀ·x_t, each as one GEMM over all T·B rows.
  if (grads.weightHh !== null) {
    wasm.gemm(true, false, G, H, TB, dGatesPtr, hiddenPtr, dWhhPtr, false, scratch);
    copyOut(heap, dWhhPtr, G * H, grads.weightHh);
  }
  if (grads.weightIh !== null) {
    wasm.gemm(true, false, G, F, TB, dGatesPtr, inputsPtr, dWihPtr, false, scratch);
    copyOut(heap, dWihPtr, G * F, grads.weightIh);
  }
  if (grads.x !== null) {
    // dx = δa·W_ih, time-major, then back to batch-first [B, T, F].
    wasm.gemm(false, false, TB, F, G, dGatesPtr, wIhPtr, dxTPtr, false, scratch);
    wasm.swapLeadingAxes(dxTPtr, dxPtr, T, B, F);
    copyOut(heap, dxPtr, B * T * F, grads.x);
  }
  if (grads.bias !== null) {
    wasm.columnSums(dGatesPtr, TB, G, dBiasPtr);
    copyOut(heap, dBiasPtr, G, grads.bias);
  }
}
