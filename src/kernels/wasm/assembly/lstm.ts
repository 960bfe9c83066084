// AssemblyScript (compiled by `npm run build:wasm`, not by tsc): the per-step
// recurrence of one LSTM layer, forward and backward through time, with the
// per-step GEMMs (gemm.ts) and the fused gate loops side by side in linear
// memory. Same equations, layout (time-major rows t·B + b, gates i, f, g, o
// each H wide in a 4H row) and loop order as the TypeScript kernel in
// src/kernels/lstm.ts, which the host wrapper (src/kernels/wasm/lstm.ts)
// mirrors step for step.
//
// All pointers are byte addresses of f32 arrays; sizes count elements.

import { gemm } from './gemm';
import { sigmoid4, tanh4 } from './math';

// σ and tanh on four lanes come from math.ts (shared with the elementwise
// kernels): within 2 and 1 ulp of the TypeScript kernel's float64 results,
// with the same NaN, ±∞ and ±0.

// @ts-ignore: decorator
@inline function splat(x: f32): v128 {
  return f32x4.splat(x);
}

/** a·b + c per lane (no FMA in Node 20's default SIMD: a mul and an add). */
// @ts-ignore: decorator
@inline function mulAdd(a: v128, b: v128, c: v128): v128 {
  return f32x4.add(f32x4.mul(a, b), c);
}

// ── Lane access: four floats, or one (in lane 0) for the tail of a row ──
//
// The gate loops below are written once over v128 values; with `full` a
// constant at each (inlined) call site, the optimiser keeps only one branch,
// so the tail of a row whose H is not a multiple of 4 runs the very same
// arithmetic one lane wide.

// @ts-ignore: decorator
@inline function get(p: usize, full: bool): v128 {
  return full ? v128.load(p) : f32x4.splat(load<f32>(p));
}

// @ts-ignore: decorator
@inline function put(p: usize, v: v128, full: bool): void {
  if (full) v128.store(p, v);
  else store<f32>(p, f32x4.extract_lane(v, 0));
}

// ── Forward ─────────────────────────────────────────────────────────────

/**
 * The fused gate update at hidden unit j (four units, or one) of one batch
 * row: a = pre-activation + bias; i, f, o = σ(a), g = tanh(a), written over
 * a; c_t = f ⊙ c_{t−1} + i ⊙ g; tanh(c_t); h_t = o ⊙ tanh(c_t).
 * `row` is the row's 4H gates, `prev` its c_{t−1} and `next` its c_t;
 * `tanhC` and `hNext` its tanh(c_t) and h_t; `hBytes` = 4H.
 */
// @ts-ignore: decorator
@inline function gateUpdate(
  row: usize, bias: usize, hBytes: usize,
  prev: usize, next: usize, tanhC: usize, hNext: usize, full: bool,
): void {
  const i = sigmoid4(f32x4.add(get(row, full), get(bias, full)));
  const f = sigmoid4(f32x4.add(get(row + hBytes, full), get(bias + hBytes, full)));
  const g = tanh4(f32x4.add(get(row + 2 * hBytes, full), get(bias + 2 * hBytes, full)));
  const o = sigmoid4(f32x4.add(get(row + 3 * hBytes, full), get(bias + 3 * hBytes, full)));
  put(row, i, full);
  put(row + hBytes, f, full);
  put(row + 2 * hBytes, g, full);
  put(row + 3 * hBytes, o, full);
  const c = mulAdd(f, get(prev, full), f32x4.mul(i, g));
  put(next, c, full);
  const tc = tanh4(c);
  put(tanhC, tc, full);
  put(hNext, f32x4.mul(o, tc), full);
}

/**
 * The recurrence of the forward pass, steps 0 … T−1. On entry `gates`
 * ([T, B, 4H]) holds x_t·W_ihᵀ for every step, `hidden` row 0 holds h_0 and
 * `cells` row 0 holds c_0; on return `gates` holds the activations i, f, g, o,
 * and `cells` ([T+1, B, H]), `cellTanh` ([T, B, H]) and `hidden` ([T+1, B, H])
 * every state. `wHh` is W_hh [4H, H], `bias` b_ih + b_hh [4H]; `scratch` has
 * `scratchBytes()` bytes for the GEMM. Requires B, T, H ≥ 1.
 */
export function lstmForwardSteps(
  B: i32, T: i32, H: i32,
  wHh: usize, bias: usize,
  gates: usize, cells: usize, cellTanh: usize, hidden: usize,
  scratch: usize,
): void {
  const G = 4 * H;
  const hBytes = <usize>H << 2;
  const stateBytes = <usize>(B * H) << 2; // one step of c, tanh c or h
  const stepBytes = <usize>(B * G) << 2; // one step of gates
  const vectorEnd = H & ~3;
  for (let t = 0; t < T; t++) {
    const gatesT = gates + <usize>t * stepBytes;
    const prevT = <usize>t * stateBytes; // c_{t−1}, h_{t−1}; also tanh(c_t)'s row
    // gates_t += h_{t−1}·W_hhᵀ
    gemm(false, true, B, G, H, hidden + prevT, wHh, gatesT, true, scratch);
    for (let b = 0; b < B; b++) {
      const row = gatesT + <usize>(b * G) * 4;
      const at = prevT + <usize>b * hBytes;
      const prev = cells + at;
      const next = prev + stateBytes;
      const tanhC = cellTanh + at;
      const hNext = hidden + at + stateBytes;
      let j = 0;
      for (; j < vectorEnd; j += 4) {
        const o = <usize>j << 2;
        gateUpdate(row + o, bias + o, hBytes, prev + o, next + o, tanhC + o, hNext + o, true);
      }
      for (; j < H; j++) {
        const o = <usize>j << 2;
        gateUpdate(row + o, bias + o, hBytes, prev + o, next + o, tanhC + o, hNext + o, false);
      }
    }
  }
}

// ── Backward through time ───────────────────────────────────────────────

/**
 * The gate gradients at hidden unit j (four units, or one) of one batch row
 * at step t, with δh = δout + δh_recurrent:
 * δc += δh ⊙ o ⊙ (1 − tanh²c); δaᵢ = δc ⊙ g ⊙ i(1 − i);
 * δa_f = δc ⊙ c_{t−1} ⊙ f(1 − f); δa_g = δc ⊙ i ⊙ (1 − g²);
 * δa_o = δh ⊙ tanh(c) ⊙ o(1 − o); then δc ← δc ⊙ f (the gradient reaching c_{t−1}).
 */
// @ts-ignore: decorator
@inline function oneMinusSquare(v: v128): v128 {
  // 1 − v² as (1 − v)(1 + v): one factor is exact (Sterbenz) when |v| ≥ ½,
  // so a saturated tanh (v ≈ ±1) keeps its few significant bits; 1 − v·v in
  // float32 would round v² first and cancel them away.
  return f32x4.mul(f32x4.sub(splat(1), v), f32x4.add(splat(1), v));
}

// @ts-ignore: decorator
@inline function gateGradients(
  row: usize, dRow: usize, hBytes: usize,
  prev: usize, tanhC: usize, dOut: usize, dh: usize, dc: usize, full: bool,
): void {
  const one = splat(1);
  const i = get(row, full);
  const f = get(row + hBytes, full);
  const g = get(row + 2 * hBytes, full);
  const o = get(row + 3 * hBytes, full);
  const tc = get(tanhC, full);
  const dhj = f32x4.add(get(dOut, full), get(dh, full));
  // h = o·tanh(c): the cell gradient gains δh·o·(1 − tanh²c)
  const dcj = f32x4.add(get(dc, full), f32x4.mul(f32x4.mul(dhj, o), oneMinusSquare(tc)));
  put(dRow, f32x4.mul(f32x4.mul(f32x4.mul(dcj, g), i), f32x4.sub(one, i)), full); // σ' = σ(1 − σ)
  put(dRow + hBytes, f32x4.mul(f32x4.mul(f32x4.mul(dcj, get(prev, full)), f), f32x4.sub(one, f)), full);
  put(dRow + 2 * hBytes, f32x4.mul(f32x4.mul(dcj, i), oneMinusSquare(g)), full); // tanh' = 1 − tanh²
  put(dRow + 3 * hBytes, f32x4.mul(f32x4.mul(f32x4.mul(dhj, tc), o), f32x4.sub(one, o)), full);
  put(dc, f32x4.mul(dcj, f), full); // c_t = f·c_{t−1} + …
}

/**
 * Back-propagates through the steps T−1 … 0: writes the gate gradients δa
 * for every step into `dGates` ([T, B, 4H]) and leaves δh_0 in `dh` and δc_0
 * in `dc` (each [B, H]). Reads the forward activations `gates`, `cells`
 * (c_0 … c_{T−1}) and `cellTanh`, W_hh (`wHh`, [4H, H]) and `dPacked`, the
 * gradient of the packed output [B, T+1, H] (rows 0 … T−1: δh_1 … δh_T from
 * the output; row T: δc_T). Requires B, T, H ≥ 1.
 */
export function lstmBackwardSteps(
  B: i32, T: i32, H: i32,
  gates: usize, cells: usize, cellTanh: usize, wHh: usize, dPacked: usize,
  dGates: usize, dh: usize, dc: usize,
  scratch: usize,
): void {
  const G = 4 * H;
  const hBytes = <usize>H << 2;
  const stateBytes = <usize>(B * H) << 2;
  const stepBytes = <usize>(B * G) << 2;
  const packedRowBytes = <usize>(T + 1) * hBytes; // one batch entry of dPacked
  const vectorEnd = H & ~3;
  memory.fill(dh, 0, stateBytes); // no recurrent gradient reaches h_T
  for (let b = 0; b < B; b++) {
    memory.copy(dc + <usize>b * hBytes, dPacked + <usize>b * packedRowBytes + <usize>T * hBytes, hBytes);
  }
  for (let t = T - 1; t >= 0; t--) {
    for (let b = 0; b < B; b++) {
      const rowOffset = <usize>t * stepBytes + <usize>(b * G) * 4;
      const row = gates + rowOffset;
      const dRow = dGates + rowOffset;
      const at = <usize>t * stateBytes + <usize>b * hBytes; // c_{t−1}; also tanh(c_t)'s row
      const prev = cells + at;
      const tanhC = cellTanh + at;
      const dOut = dPacked + <usize>b * packedRowBytes + <usize>t * hBytes;
      const dhRow = dh + <usize>b * hBytes;
      const dcRow = dc + <usize>b * hBytes;
      let j = 0;
      for (; j < vectorEnd; j += 4) {
        const o = <usize>j << 2;
        gateGradients(row + o, dRow + o, hBytes, prev + o, tanhC + o, dOut + o, dhRow + o, dcRow + o, true);
      }
      for (; j < H; j++) {
        const o = <usize>j << 2;
        gateGradients(row + o, dRow + o, hBytes, prev + o, tanhC + o, dOut + o, dhRow + o, dcRow + o, false);
      }
    }
    // δh_{t−1} (recurrent) = δa_t · W_hh
    gemm(false, false, B, H, G, dGates + <usize>t * stepBytes, wHh, dh, false, scratch);
  }
}

// ── Helpers around the recurrence ───────────────────────────────────────

/**
 * Swaps the two leading axes of a [P, Q, W] array of f32 into [Q, P, W]
 * (batch-first ↔ time-major), one W-long run at a time. No overlap.
 */
export function swapLeadingAxes(src: usize, dst: usize, P: i32, Q: i32, W: i32): void {
  const runBytes = <usize>W << 2;
  for (let p = 0; p < P; p++) {
    for (let q = 0; q < Q; q++) {
      memory.copy(dst + (<usize>q * <usize>P + <usize>p) * runBytes, src + (<usize>p * <usize>Q + <usize>q) * runBytes, runBytes);
    }
  }
}

/**
 * out[j] = Σ_r m[r, j] over the `rows` rows of a row-major [rows, cols]
 * matrix (the bias gradient: column sums of δa), summed in float64 in row
 * order, as the TypeScript kernel does, so the results agree bit for bit.
 * Requires `cols` to be a multiple of 4 (it is 4H).
 */
export function columnSums(m: usize, rows: i32, cols: i32, out: usize): void {
  const rowBytes = <usize>cols << 2;
  const end = m + <usize>rows * rowBytes;
  for (let j = 0; j < cols; j += 4) {
    let lo = f64x2.splat(0);
    let hi = f64x2.splat(0);
    for (let p = m + (<usize>j << 2); p < end; p += rowBytes) {
      const v = v128.load(p);
      lo = f64x2.add(lo, f64x2.promote_low_f32x4(v));
      hi = f64x2.add(hi, f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 1)));
    }
    const o = out + (<usize>j << 2);
    store<f32>(o, <f32>f64x2.extract_lane(lo, 0));
    store<f32>(o, <f32>f64x2.extract_lane(lo, 1), 4);
    store<f32>(o, <f32>f64x2.extract_lane(hi, 0), 8);
    store<f32>(o, <f32>f64x2.extract_lane(hi, 1), 12);
  }
}
