/**
 * The LSTM kernels against a plain float64 reference written straight from
 * the equations (per batch row, per step, no GEMM, no fusion), for shapes on
 * both of GEMM's paths (batch < 4: thin loops; batch ≥ 4: packed).
 */
import { describe, expect, it } from 'vitest';
import {
  createLstmTrace, lstmBackward, lstmForward, lstmPackOutput, type LstmGradients, type LstmSizes,
} from '../../src/kernels/lstm.js';

/** A small deterministic generator (LCG), values in [−scale, scale). */
function values(count: number, seed: number, scale = 1): Float32Array {
  const out = new Float32Array(count);
  let s = seed >>> 0;
  for (let i = 0; i < count; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s / 0x100000000 * 2 - 1) * scale;
  }
  return out;
}

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

interface Problem {
  sizes: LstmSizes;
  x: Float32Array; h0: Float32Array; c0: Float32Array;
  wIh: Float32Array; wHh: Float32Array; bIh: Float32Array | null; bHh: Float32Array | null;
  dPacked: Float32Array;
}

function problem(B: number, T: number, F: number, H: number, withBias: boolean, seed: number): Problem {
  const G = 4 * H;
  return {
    sizes: { batch: B, steps: T, inputSize: F, hiddenSize: H },
    x: values(B * T * F, seed + 1),
    h0: values(B * H, seed + 2, 0.5),
    c0: values(B * H, seed + 3, 0.5),
    wIh: values(G * F, seed + 4, 0.6),
    wHh: values(G * H, seed + 5, 0.6),
    bIh: withBias ? values(G, seed + 6, 0.3) : null,
    bHh: withBias ? values(G, seed + 7, 0.3) : null,
    dPacked: values(B * (T + 1) * H, seed + 8),
  };
}

/**
 * Float64 forward and backward from the equations. Returns the packed result
 * [B, T+1, H] and the gradients (bias: the common gradient of b_ih and b_hh).
 */
function reference(p: Problem) {
  const { batch: B, steps: T, inputSize: F, hiddenSize: H } = p.sizes;
  const G = 4 * H;
  const packed = new Float64Array(B * (T + 1) * H);
  const grads = {
    x: new Float64Array(B * T * F), h0: new Float64Array(B * H), c0: new Float64Array(B * H),
    weightIh: new Float64Array(G * F), weightHh: new Float64Array(G * H), bias: new Float64Array(G),
  };
  for (let b = 0; b < B; b++) {
    // forward, keeping every step's values
    const hs: number[][] = [Array.from(p.h0.subarray(b * H, b * H + H))];
    const cs: number[][] = [Array.from(p.c0.subarray(b * H, b * H + H))];
    const acts: number[][] = [];
    for (let t = 0; t < T; t++) {
      const a = new Array<number>(G).fill(0);
      for (let r = 0; r < G; r++) {
        let s = (p.bIh?.[r] ?? 0) + (p.bHh?.[r] ?? 0);
        for (let q = 0; q < F; q++) s += p.wIh[r * F + q]! * p.x[(b * T + t) * F + q]!;
        for (let q = 0; q < H; q++) s += p.wHh[r * H + q]! * hs[t]![q]!;
        a[r] = s;
      }
      const act = a.map((v, r) => (r >= 2 * H && r < 3 * H ? Math.tanh(v) : sigmoid(v)));
      const c = Array.from({ length: H }, (_, j) => act[H + j]! * cs[t]![j]! + act[j]! * act[2 * H + j]!);
      const h = c.map((v, j) => act[3 * H + j]! * Math.tanh(v));
      acts.push(act);
      cs.push(c);
      hs.push(h);
      for (let j = 0; j < H; j++) packed[(b * (T + 1) + t) * H + j] = h[j]!;
    }
    for (let j = 0; j < H; j++) packed[(b * (T + 1) + T) * H + j] = cs[T]![j]!;

    // backward through time
    let dhNext = new Array<number>(H).fill(0);
    let dc = Array.from({ length: H }, (_, j) => p.dPacked[(b * (T + 1) + T) * H + j]!);
    for (let t = T - 1; t >= 0; t--) {
      const act = acts[t]!;
      const da = new Array<number>(G).fill(0);
      const dcPrev = new Array<number>(H).fill(0);
      for (let j = 0; j < H; j++) {
        const [i, f, g, o] = [act[j]!, act[H + j]!, act[2 * H + j]!, act[3 * H + j]!];
        const tc = Math.tanh(cs[t + 1]![j]!);
        const dh = p.dPacked[(b * (T + 1) + t) * H + j]! + dhNext[j]!;
        const dct = dc[j]! + dh * o * (1 - tc * tc);
        da[j] = dct * g * i * (1 - i);
        da[H + j] = dct * cs[t]![j]! * f * (1 - f);
        da[2 * H + j] = dct * i * (1 - g * g);
        da[3 * H + j] = dh * tc * o * (1 - o);
        dcPrev[j] = dct * f;
      }
      const dhPrev = new Array<number>(H).fill(0);
      for (let r = 0; r < G; r++) {
        grads.bias[r] += da[r]!;
        for (let q = 0; q < F; q++) {
          grads.weightIh[r * F + q] += da[r]! * p.x[(b * T + t) * F + q]!;
          grads.x[(b * T + t) * F + q] += da[r]! * p.wIh[r * F + q]!;
        }
        for (let q = 0; q < H; q++) {
          grads.weightHh[r * H + q] += da[r]! * hs[t]![q]!;
          dhPrev[q] += da[r]! * p.wHh[r * H + q]!;
        }
      }
      dhNext = dhPrev;
      dc = dcPrev;
    }
    for (let j = 0; j < H; j++) {
      grads.h0[b * H + j] = dhNext[j]!;
      grads.c0[b * H + j] = dc[j]!;
    }
  }
  return { packed, grads };
}

function run(p: Problem) {
  const { batch: B, steps: T, inputSize: F, hiddenSize: H } = p.sizes;
  const trace = createLstmTrace(p.sizes);
  lstmForward(p.sizes, p.x, p.h0, p.c0, p.wIh, p.wHh, p.bIh, p.bHh, trace);
  const packed = new Float32Array(B * (T + 1) * H);
  lstmPackOutput(p.sizes, trace, packed);
  const grads: LstmGradients = {
    x: new Float32Array(B * T * F), h0: new Float32Array(B * H), c0: new Float32Array(B * H),
    weightIh: new Float32Array(4 * H * F), weightHh: new Float32Array(4 * H * H), bias: new Float32Array(4 * H),
  };
  lstmBackward(p.sizes, trace, p.wIh, p.wHh, p.dPacked, grads);
  return { trace, packed, grads };
}

const TOL = { rtol: 1e-5, atol: 1e-6 };

describe('LSTM kernels', () => {
  // [B, T, F, H, bias]: thin GEMM (B < 4), packed GEMM (B ≥ 4), H = 1, F = 1, T = 1
  const shapes: [number, number, number, number, boolean][] = [
    [1, 5, 1, 8, true], [3, 4, 2, 3, false], [5, 7, 4, 6, true], [6, 1, 3, 1, true], [4, 12, 5, 13, true],
  ];
  for (const [B, T, F, H, withBias] of shapes) {
    it(`forward and backward equal the float64 reference (B=${B}, T=${T}, F=${F}, H=${H}, bias=${withBias})`, () => {
      const p = problem(B, T, F, H, withBias, B * 1000 + T * 100 + H);
      const expected = reference(p);
      const actual = run(p);
      expect(actual.packed).toBeAllClose(expected.packed, TOL);
      for (const key of ['x', 'h0', 'c0', 'weightIh', 'weightHh', 'bias'] as const) {
        expect(actual.grads[key], key).toBeAllClose(expected.grads[key], TOL);
      }
    });
  }

  it('keeps h_0 … h_T and c_0 … c_T time-major in the trace', () => {
    const p = problem(2, 3, 2, 4, true, 7);
    const { trace, packed } = run(p);
    expect(trace.hidden.subarray(0, 8)).toEqual(p.h0);
    expect(trace.cells.subarray(0, 8)).toEqual(p.c0);
    // h_2 of batch row 1 is packed row (1, 1)
    expect(trace.hidden.subarray(2 * 8 + 4, 2 * 8 + 8)).toEqual(packed.subarray((1 * 4 + 1) * 4, (1 * 4 + 1) * 4 + 4));
  });

  it('backward leaves the trace intact (it can run twice) and skips null buffers', () => {
    const p = problem(4, 5, 3, 4, true, 11);
    const { trace, grads } = run(p);
    const copy = Object.fromEntries(Object.entries(trace).map(([k, v]) => [k, (v as Float32Array).slice()]));
    const again: LstmGradients = { x: null, h0: null, c0: null, weightIh: null, weightHh: new Float32Array(64), bias: null };
    lstmBackward(p.sizes, trace, p.wIh, p.wHh, p.dPacked, again);
    expect(again.weightHh).toEqual(grads.weightHh);
    for (const [k, v] of Object.entries(trace)) expect(v, k).toEqual(copy[k]);
  });

  it('throws on short buffers and bad sizes', () => {
    const p = problem(2, 3, 2, 4, true, 5);
    const trace = createLstmTrace(p.sizes);
    expect(() => lstmForward(p.sizes, p.x.subarray(1), p.h0, p.c0, p.wIh, p.wHh, p.bIh, p.bHh, trace))
      .toThrow('lstm: x has 11 values, needs 12');
    expect(() => lstmForward(p.sizes, p.x, p.h0, p.c0, p.wIh, p.wHh, p.bIh, p.bHh, createLstmTrace({ ...p.sizes, steps: 2 })))
      .toThrow('lstm: trace.inputs has 8 values, needs 12');
    expect(() => createLstmTrace({ ...p.sizes, batch: -1 })).toThrow('lstm: batch must be a non-negative integer, got -1');
  });
});
