/**
 * One LSTM layer over a whole sequence, forward and exact backward through
 * time, on Float32Array. PyTorch's equations and gate order (i, f, g, o):
 *
 * ```
 * [aᵢ a_f a_g a_o] = x_t·W_ihᵀ + b_ih + h_{t−1}·W_hhᵀ + b_hh      (each [B, H])
 * i = σ(aᵢ)   f = σ(a_f)   g = tanh(a_g)   o = σ(a_o)
 * c_t = f ⊙ c_{t−1} + i ⊙ g
 * h_t = o ⊙ tanh(c_t)
 * ```
 *
 * ## Layout
 *
 * The caller's tensors are batch-first (`x` is `[B, T, F]`), but the
 * recurrence needs each step's `h_{t−1}` as a contiguous `[B, H]` matrix for
 * the GEMM, so everything the kernels keep is **time-major**: row `t·B + b`.
 * `x` is transposed to `[T, B, F]` once on the way in.
 *
 * ## Forward
 *
 * 1. One big GEMM computes `x_t·W_ihᵀ` for all T·B rows at once, into the
 *    pre-activation buffer `gates [T, B, 4H]`.
 * 2. Per step, one GEMM (transpose flag on W_hh, `accumulate = true`) adds
 *    `h_{t−1}·W_hhᵀ` into that step's slice of `gates`.
 * 3. One fused loop adds the bias, applies the four non-linearities, writes
 *    i, f, g, o back over their pre-activations, and computes c_t, tanh(c_t)
 *    and h_t. No closures, no allocation.
 *
 * What backward needs is then already in the {@link LstmTrace}: the
 * activations i, f, g, o; c_0 … c_T; tanh(c_1) … tanh(c_T); h_0 … h_T; and the
 * time-major copy of x. Nothing is recomputed.
 *
 * ## Backward through time
 *
 * With `δh_t` the gradient reaching h_t (from the output, plus the recurrent
 * term from step t + 1) and `δc` the running cell gradient:
 *
 * ```
 * δc   += δh_t ⊙ o ⊙ (1 − tanh²(c_t))
 * δaᵢ   = δc ⊙ g ⊙ i(1 − i)        δa_f = δc ⊙ c_{t−1} ⊙ f(1 − f)
 * δa_g  = δc ⊙ i ⊙ (1 − g²)        δa_o = δh_t ⊙ tanh(c_t) ⊙ o(1 − o)
 * δc_{t−1} = δc ⊙ f                 δh_{t−1} (recurrent) = δa_t · W_hh
 * ```
 *
 * One fused loop per step computes the gate gradients `δa_t` (time-major
 * `[T, B, 4H]`) and one GEMM the recurrent `δh_{t−1}`. The parameter and input
 * gradients need no per-step work: they are single GEMMs over all T·B rows
 * afterwards (`dW_hh = δaᵀ·[h_0 … h_{T−1}]`, `dW_ih = δaᵀ·x`, `dx = δa·W_ih`),
 * and the bias gradient is the column sum of `δa` (the same for b_ih and
 * b_hh, which enter the sum identically).
 *
 * ## Backends
 *
 * `lstmForward` and `lstmBackward` check their arguments and dispatch on
 * `getBackend()`: on `'wasm'` the whole layer goes to `wasm/lstm.ts`, which
 * runs every step's GEMM and fused gate loop (σ and tanh four lanes at a
 * time) in WebAssembly memory, copying the weights and states in once per
 * call instead of once per step; `lstmForwardJs` and `lstmBackwardJs` are
 * the TypeScript loops below (the reference), whose GEMM follows the backend.
 *
 * @module
 */

import { getBackend } from './backend.js';
import { gemm } from './gemm.js';
import { lstmBackwardWasm, lstmForwardWasm, lstmWasmSupports } from './wasm/lstm.js';

/** Sizes of one LSTM layer run: batch B, steps T, input features F, hidden size H. */
export interface LstmSizes {
  /** Batch size B. */
  batch: number;
  /** Sequence length T. */
  steps: number;
  /** Input features F. */
  inputSize: number;
  /** Hidden size H (the gates are 4H wide). */
  hiddenSize: number;
}

/**
 * What the forward pass keeps for the backward pass; all time-major. Made by
 * {@link createLstmTrace}, filled by {@link lstmForward}, read (never
 * written) by {@link lstmBackward}, so a backward can run twice.
 */
export interface LstmTrace {
  /** The input, transposed to `[T, B, F]`. */
  readonly inputs: Float32Array;
  /** Gate activations i, f, g, o per row: `[T, B, 4H]`. */
  readonly gates: Float32Array;
  /** Cell states c_0 … c_T: `[T + 1, B, H]`. */
  readonly cells: Float32Array;
  /** tanh(c_1) … tanh(c_T): `[T, B, H]`. */
  readonly cellTanh: Float32Array;
  /** Hidden states h_0 … h_T: `[T + 1, B, H]`. */
  readonly hidden: Float32Array;
}

/** Gradient buffers for {@link lstmBackward}; each is written when non-null and skipped when null. */
export interface LstmGradients {
  /** d/dx, batch-first `[B, T, F]`. */
  x: Float32Array | null;
  /** d/dh_0, `[B, H]`. */
  h0: Float32Array | null;
  /** d/dc_0, `[B, H]`. */
  c0: Float32Array | null;
  /** d/dW_ih, `[4H, F]`. */
  weightIh: Float32Array | null;
  /** d/dW_hh, `[4H, H]`. */
  weightHh: Float32Array | null;
  /** d/db_ih = d/db_hh, `[4H]`. */
  bias: Float32Array | null;
}

/**
 * Scratch for the backward pass, module-level and grown on demand (like
 * GEMM's pack buffer), so steady-state training steps allocate none of it.
 * Safe because JavaScript is single-threaded and the kernels never re-enter.
 */
let gateGradScratch = new Float32Array(0);
let inputGradScratch = new Float32Array(0);
let hiddenGradScratch = new Float32Array(0);
let cellGradScratch = new Float32Array(0);
let biasScratch = new Float64Array(0);

/**
 * Allocates the buffers of a trace for the given sizes.
 * @param sizes - batch, steps, input and hidden sizes
 * @returns a zero-filled trace
 * @throws RangeError when a size is negative or not an integer
 * @example
 * const trace = createLstmTrace({ batch: 32, steps: 20, inputSize: 1, hiddenSize: 50 });
 */
export function createLstmTrace(sizes: LstmSizes): LstmTrace {
  checkSizes(sizes);
  const { batch: B, steps: T, inputSize: F, hiddenSize: H } = sizes;
  return {
    inputs: new Float32Array(T * B * F),
    gates: new Float32Array(T * B * 4 * H),
    cells: new Float32Array((T + 1) * B * H),
    cellTanh: new Float32Array(T * B * H),
    hidden: new Float32Array((T + 1) * B * H),
  };
}

/**
 * Runs one LSTM layer over the whole sequence and fills `trace`, on the
 * current backend (the WebAssembly kernel or {@link lstmForwardJs}).
 * @param sizes - batch B, steps T, input size F, hidden size H
 * @param x - input, batch-first `[B, T, F]`
 * @param h0 - initial hidden state `[B, H]`
 * @param c0 - initial cell state `[B, H]`
 * @param weightIh - `[4H, F]`, gate rows in the order i, f, g, o
 * @param weightHh - `[4H, H]`
 * @param biasIh - `[4H]`, or null for none
 * @param biasHh - `[4H]`, or null for none
 * @param trace - output: the states and gates (from {@link createLstmTrace})
 * @returns nothing; writes into `trace`
 * @throws RangeError when a size is invalid or a buffer is too short
 * @example
 * const sizes = { batch: 2, steps: 3, inputSize: 1, hiddenSize: 4 };
 * const trace = createLstmTrace(sizes);
 * lstmForward(sizes, x, h0, c0, wIh, wHh, bIh, bHh, trace);
 * trace.hidden.subarray(3 * 2 * 4); // h_T, [B, H]
 */
export function lstmForward(
  sizes: LstmSizes,
  x: Float32Array, h0: Float32Array, c0: Float32Array,
  weightIh: Float32Array, weightHh: Float32Array,
  biasIh: Float32Array | null, biasHh: Float32Array | null,
  trace: LstmTrace,
): void {
  if (getBackend() === 'wasm' && lstmWasmSupports(sizes)) {
    checkForward(sizes, x, h0, c0, weightIh, weightHh, biasIh, biasHh, trace);
    lstmForwardWasm(sizes, x, h0, c0, weightIh, weightHh, biasIh, biasHh, trace);
  } else {
    lstmForwardJs(sizes, x, h0, c0, weightIh, weightHh, biasIh, biasHh, trace);
  }
}

/**
 * The TypeScript LSTM forward kernel (the reference for the WebAssembly
 * one): arguments and result as {@link lstmForward}, whatever the backend
 * (its GEMMs follow the backend).
 * @param sizes - batch B, steps T, input size F, hidden size H
 * @param x - input, batch-first `[B, T, F]`
 * @param h0 - initial hidden state `[B, H]`
 * @param c0 - initial cell state `[B, H]`
 * @param weightIh - `[4H, F]`, gate rows in the order i, f, g, o
 * @param weightHh - `[4H, H]`
 * @param biasIh - `[4H]`, or null for none
 * @param biasHh - `[4H]`, or null for none
 * @param trace - output: the states and gates (from {@link createLstmTrace})
 * @returns nothing; writes into `trace`
 * @throws RangeError when a size is invalid or a buffer is too short
 * @example
 * const trace = createLstmTrace(sizes);
 * lstmForwardJs(sizes, x, h0, c0, wIh, wHh, bIh, bHh, trace);
 */
export function lstmForwardJs(
  sizes: LstmSizes,
  x: Float32Array, h0: Float32Array, c0: Float32Array,
  weightIh: Float32Array, weightHh: Float32Array,
  biasIh: Float32Array | null, biasHh: Float32Array | null,
  trace: LstmTrace,
): void {
  checkForward(sizes, x, h0, c0, weightIh, weightHh, biasIh, biasHh, trace);
  const { batch: B, steps: T, inputSize: F, hiddenSize: H } = sizes;
  const G = 4 * H;
  const BH = B * H;
  const BG = B * G;
  const { inputs, gates, cells, cellTanh, hidden } = trace;

  // x [B, T, F] → time-major [T, B, F].
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      const from = (b * T + t) * F;
      const to = (t * B + b) * F;
      for (let p = 0; p < F; p++) inputs[to + p] = x[from + p]!;
    }
  }
  // x_t·W_ihᵀ for every step at once.
  gemm(false, true, T * B, G, F, inputs, 0, weightIh, 0, gates, 0, false);

  // b_ih + b_hh, added once per row in the fused loop.
  const bias = new Float32Array(G);
  for (let j = 0; j < G; j++) bias[j] = (biasIh === null ? 0 : biasIh[j]!) + (biasHh === null ? 0 : biasHh[j]!);

  hidden.set(h0.subarray(0, BH), 0);
  cells.set(c0.subarray(0, BH), 0);

  for (let t = 0; t < T; t++) {
    // gates_t += h_{t−1}·W_hhᵀ
    gemm(false, true, B, G, H, hidden, t * BH, weightHh, 0, gates, t * BG, true);
    for (let b = 0; b < B; b++) {
      const row = t * BG + b * G;
      const prev = t * BH + b * H; // c_{t−1}, h_{t−1}; also tanh(c_t)'s row
      const next = prev + BH; // c_t, h_t
      for (let j = 0; j < H; j++) {
        const i = 1 / (1 + Math.exp(-(gates[row + j]! + bias[j]!)));
        const f = 1 / (1 + Math.exp(-(gates[row + H + j]! + bias[H + j]!)));
        const g = Math.tanh(gates[row + 2 * H + j]! + bias[2 * H + j]!);
        const o = 1 / (1 + Math.exp(-(gates[row + 3 * H + j]! + bias[3 * H + j]!)));
        gates[row + j] = i;
        gates[row + H + j] = f;
        gates[row + 2 * H + j] = g;
        gates[row + 3 * H + j] = o;
        const c = f * cells[prev + j]! + i * g;
        cells[next + j] = c;
        const tc = Math.tanh(c);
        cellTanh[prev + j] = tc;
        hidden[next + j] = o * tc;
      }
    }
  }
}

/**
 * Writes the layer's results batch-first into one buffer `[B, T + 1, H]`:
 * rows `0 … T−1` of each batch entry are h_1 … h_T (the output sequence), row
 * `T` is the final cell state c_T. (The autograd op returns this packing so
 * that gradients through the outputs, h_T and c_T all reach one node.)
 * @param sizes - batch, steps, input and hidden sizes
 * @param trace - a trace filled by {@link lstmForward}
 * @param out - output `[B, T + 1, H]`
 * @returns nothing; writes into `out`
 * @throws RangeError when a size is invalid or a buffer is too short
 * @example
 * const packed = new Float32Array(B * (T + 1) * H);
 * lstmPackOutput(sizes, trace, packed);
 */
export function lstmPackOutput(sizes: LstmSizes, trace: LstmTrace, out: Float32Array): void {
  checkSizes(sizes);
  checkTrace(sizes, trace);
  const { batch: B, steps: T, hiddenSize: H } = sizes;
  checkLength('out', out, B * (T + 1) * H);
  const BH = B * H;
  const { hidden, cells } = trace;
  for (let b = 0; b < B; b++) {
    const base = b * (T + 1) * H;
    for (let t = 0; t < T; t++) {
      const from = (t + 1) * BH + b * H;
      const to = base + t * H;
      for (let j = 0; j < H; j++) out[to + j] = hidden[from + j]!;
    }
    const from = T * BH + b * H;
    const to = base + T * H;
    for (let j = 0; j < H; j++) out[to + j] = cells[from + j]!;
  }
}

/**
 * Back-propagates through the whole sequence, on the current backend (the
 * WebAssembly kernel or {@link lstmBackwardJs}). `dPacked` is the gradient of
 * the packed result of {@link lstmPackOutput}: rows `0 … T−1` are the
 * gradients reaching h_1 … h_T, row `T` the gradient reaching c_T.
 * @param sizes - batch, steps, input and hidden sizes
 * @param trace - the trace of the forward pass (read only)
 * @param weightIh - `[4H, F]`, as in the forward pass
 * @param weightHh - `[4H, H]`, as in the forward pass
 * @param dPacked - gradient of the packed result, `[B, T + 1, H]`
 * @param grads - output buffers; null entries are not computed
 * @returns nothing; writes into the non-null buffers of `grads`
 * @throws RangeError when a size is invalid or a buffer is too short
 * @example
 * const grads = { x: null, h0: null, c0: null, weightIh: dWih, weightHh: dWhh, bias: db };
 * lstmBackward(sizes, trace, wIh, wHh, dPacked, grads);
 */
export function lstmBackward(
  sizes: LstmSizes,
  trace: LstmTrace,
  weightIh: Float32Array, weightHh: Float32Array,
  dPacked: Float32Array,
  grads: LstmGradients,
): void {
  if (getBackend() === 'wasm' && lstmWasmSupports(sizes)) {
    checkBackward(sizes, trace, weightIh, weightHh, dPacked, grads);
    lstmBackwardWasm(sizes, trace, weightIh, weightHh, dPacked, grads);
  } else {
    lstmBackwardJs(sizes, trace, weightIh, weightHh, dPacked, grads);
  }
}

/**
 * The TypeScript LSTM backward kernel (the reference for the WebAssembly
 * one): arguments and results as {@link lstmBackward}, whatever the backend
 * (its GEMMs follow the backend).
 * @param sizes - batch, steps, input and hidden sizes
 * @param trace - the trace of the forward pass (read only)
 * @param weightIh - `[4H, F]`, as in the forward pass
 * @param weightHh - `[4H, H]`, as in the forward pass
 * @param dPacked - gradient of the packed result, `[B, T + 1, H]`
 * @param grads - output buffers; null entries are not computed
 * @returns nothing; writes into the non-null buffers of `grads`
 * @throws RangeError when a size is invalid or a buffer is too short
 * @example
 * lstmBackwardJs(sizes, trace, wIh, wHh, dPacked, grads);
 */
export function lstmBackwardJs(
  sizes: LstmSizes,
  trace: LstmTrace,
  weightIh: Float32Array, weightHh: Float32Array,
  dPacked: Float32Array,
  grads: LstmGradients,
): void {
  checkBackward(sizes, trace, weightIh, weightHh, dPacked, grads);
  const { batch: B, steps: T, inputSize: F, hiddenSize: H } = sizes;
  const G = 4 * H;
  const BH = B * H;
  const BG = B * G;
  const { inputs, gates, cells, cellTanh, hidden } = trace;

  if (gateGradScratch.length < T * BG) gateGradScratch = new Float32Array(T * BG);
  if (hiddenGradScratch.length < BH) hiddenGradScratch = new Float32Array(BH);
  if (cellGradScratch.length < BH) cellGradScratch = new Float32Array(BH);
  const dGates = gateGradScratch;
  const dh = hiddenGradScratch; // recurrent part of δh_t, from step t + 1
  const dc = cellGradScratch; // δc_t, running backwards

  dh.fill(0, 0, BH);
  for (let b = 0; b < B; b++) {
    const from = (b * (T + 1) + T) * H;
    for (let j = 0; j < H; j++) dc[b * H + j] = dPacked[from + j]!;
  }

  for (let t = T - 1; t >= 0; t--) {
    for (let b = 0; b < B; b++) {
      const row = t * BG + b * G;
      const prev = t * BH + b * H; // c_{t−1}; also tanh(c_t)'s row
      const dOut = (b * (T + 1) + t) * H;
      const s = b * H;
      for (let j = 0; j < H; j++) {
        const i = gates[row + j]!;
        const f = gates[row + H + j]!;
        const g = gates[row + 2 * H + j]!;
        const o = gates[row + 3 * H + j]!;
        const tc = cellTanh[prev + j]!;
        const dhj = dPacked[dOut + j]! + dh[s + j]!;
        // h = o·tanh(c): the cell gradient gains δh·o·(1 − tanh²c)
        const dcj = dc[s + j]! + dhj * o * (1 - tc * tc);
        dGates[row + j] = dcj * g * i * (1 - i); // σ' = σ(1 − σ)
        dGates[row + H + j] = dcj * cells[prev + j]! * f * (1 - f);
        dGates[row + 2 * H + j] = dcj * i * (1 - g * g); // tanh' = 1 − tanh²
        dGates[row + 3 * H + j] = dhj * tc * o * (1 - o);
        dc[s + j] = dcj * f; // c_t = f·c_{t−1} + …
      }
    }
    // δh_{t−1} (recurrent) = δa_t · W_hh
    gemm(false, false, B, H, G, dGates, t * BG, weightHh, 0, dh, 0, false);
  }

  if (grads.h0 !== null) grads.h0.set(dh.subarray(0, BH));
  if (grads.c0 !== null) grads.c0.set(dc.subarray(0, BH));
  // Σ_t δa_tᵀ·h_{t−1} and Σ_t δa_tᵀ·x_t, each as one GEMM over all T·B rows.
  if (grads.weightHh !== null) gemm(true, false, G, H, T * B, dGates, 0, hidden, 0, grads.weightHh, 0, false);
  if (grads.weightIh !== null) gemm(true, false, G, F, T * B, dGates, 0, inputs, 0, grads.weightIh, 0, false);
  if (grads.x !== null) {
    if (inputGradScratch.length < T * B * F) inputGradScratch = new Float32Array(T * B * F);
    const dxT = inputGradScratch;
    gemm(false, false, T * B, F, G, dGates, 0, weightIh, 0, dxT, 0, false);
    // time-major [T, B, F] → batch-first [B, T, F]
    const dx = grads.x;
    for (let b = 0; b < B; b++) {
      for (let t = 0; t < T; t++) {
        const from = (t * B + b) * F;
        const to = (b * T + t) * F;
        for (let p = 0; p < F; p++) dx[to + p] = dxT[from + p]!;
      }
    }
  }
  if (grads.bias !== null) {
    if (biasScratch.length < G) biasScratch = new Float64Array(G);
    const sum = biasScratch;
    sum.fill(0, 0, G);
    for (let r = 0; r < T * B; r++) {
      const base = r * G;
      for (let j = 0; j < G; j++) sum[j] += dGates[base + j]!;
    }
    for (let j = 0; j < G; j++) grads.bias[j] = sum[j]!;
  }
}

/** The argument checks of {@link lstmForward}, shared by both backends. */
function checkForward(
  sizes: LstmSizes,
  x: Float32Array, h0: Float32Array, c0: Float32Array,
  weightIh: Float32Array, weightHh: Float32Array,
  biasIh: Float32Array | null, biasHh: Float32Array | null,
  trace: LstmTrace,
): void {
  checkSizes(sizes);
  const { batch: B, steps: T, inputSize: F, hiddenSize: H } = sizes;
  checkLength('x', x, B * T * F);
  checkLength('h0', h0, B * H);
  checkLength('c0', c0, B * H);
  checkLength('weightIh', weightIh, 4 * H * F);
  checkLength('weightHh', weightHh, 4 * H * H);
  checkLength('biasIh', biasIh, 4 * H);
  checkLength('biasHh', biasHh, 4 * H);
  checkTrace(sizes, trace);
}

/** The argument checks of {@link lstmBackward}, shared by both backends. */
function checkBackward(
  sizes: LstmSizes,
  trace: LstmTrace,
  weightIh: Float32Array, weightHh: Float32Array,
  dPacked: Float32Array,
  grads: LstmGradients,
): void {
  checkSizes(sizes);
  const { batch: B, steps: T, inputSize: F, hiddenSize: H } = sizes;
  checkTrace(sizes, trace);
  checkLength('weightIh', weightIh, 4 * H * F);
  checkLength('weightHh', weightHh, 4 * H * H);
  checkLength('dPacked', dPacked, B * (T + 1) * H);
  checkLength('grads.x', grads.x, B * T * F);
  checkLength('grads.h0', grads.h0, B * H);
  checkLength('grads.c0', grads.c0, B * H);
  checkLength('grads.weightIh', grads.weightIh, 4 * H * F);
  checkLength('grads.weightHh', grads.weightHh, 4 * H * H);
  checkLength('grads.bias', grads.bias, 4 * H);
}

function checkSizes(sizes: LstmSizes): void {
  for (const key of ['batch', 'steps', 'inputSize', 'hiddenSize'] as const) {
    const value = sizes[key];
    if (!Number.isInteger(value) || value < 0) throw new RangeError(`lstm: ${key} must be a non-negative integer, got ${value}`);
  }
}

/** Throws unless `buffer` (when given) holds at least `length` values. */
function checkLength(name: string, buffer: Float32Array | null, length: number): void {
  if (buffer !== null && buffer.length < length) {
    throw new RangeError(`lstm: ${name} has ${buffer.length} values, needs ${length}`);
  }
}

function checkTrace(sizes: LstmSizes, trace: LstmTrace): void {
  const { batch: B, steps: T, inputSize: F, hiddenSize: H } = sizes;
  checkLength('trace.inputs', trace.inputs, T * B * F);
  checkLength('trace.gates', trace.gates, T * B * 4 * H);
  checkLength('trace.cells', trace.cells, (T + 1) * B * H);
  checkLength('trace.cellTanh', trace.cellTanh, T * B * H);
  checkLength('trace.hidden', trace.hidden, (T + 1) * B * H);
}
