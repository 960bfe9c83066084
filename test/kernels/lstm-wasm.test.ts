/**
 * The WebAssembly LSTM kernels (src/kernels/wasm/lstm.ts: the per-step GEMMs
 * and fused gate loops in linear memory) against the TypeScript ones, on
 * random sizes: batch, steps, input and hidden sizes including 1 and sizes
 * that are not multiples of 4 (the gate loops' one-lane tail), inputs large
 * enough to saturate σ and tanh, with and without biases, every subset of
 * gradients. The forward pass is compared on its whole trace (every gate
 * activation and state, hence the packed output); the backward pass on the
 * same trace, gradient by gradient.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { resetBackend, setBackend } from '../../src/kernels/backend.js';
import { gemm } from '../../src/kernels/gemm.js';
import {
  createLstmTrace, lstmBackward, lstmBackwardJs, lstmForward, lstmForwardJs,
  type LstmGradients, type LstmSizes, type LstmTrace,
} from '../../src/kernels/lstm.js';
import { lstmBackwardWasm, lstmForwardWasm } from '../../src/kernels/wasm/lstm.js';
import { wasmAvailable } from '../../src/kernels/wasm/runtime.js';
import { randomFloats } from './random.js';

/**
 * Both kernels compute in float32 and differ by a few roundings per
 * operation (float32 vs float64 GEMM sums, σ/tanh within 2 ulp). Each
 * value is compared against a magnitude: for the forward trace, the largest
 * |value| of its array (a state that is small because its pre-activation
 * cancelled carries the error of the terms that cancelled); for a gradient,
 * the same gradient computed from absolute values (|trace|, |W|, |δ|), the
 * size of the terms it sums, as in the GEMM and conv tests.
 */
const RTOL = 1e-5;

function expectClose(got: Float32Array, want: Float32Array, magnitude: Float32Array | number, what: string): void {
  expect(got.length, what).toBe(want.length);
  for (let i = 0; i < got.length; i++) {
    const size = typeof magnitude === 'number' ? magnitude + Math.abs(want[i]!) : magnitude[i]!;
    const tol = RTOL * size + 1e-30;
    if (!(Math.abs(got[i]! - want[i]!) <= tol)) {
      throw new Error(`${what}[${i}]: wasm ${got[i]} vs js ${want[i]} (tol ${tol})`);
    }
  }
}

const largest = (values: Float32Array): number => values.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
const abs = (values: Float32Array): Float32Array => values.map(Math.abs);

const GRAD_KEYS = ['x', 'h0', 'c0', 'weightIh', 'weightHh', 'bias'] as const;
type GradKey = (typeof GRAD_KEYS)[number];

interface Case {
  batch: number; steps: number; inputSize: number; hiddenSize: number;
  withBias: boolean;
  /**
   * W_ih and the biases are U(±scale) (3 saturates σ and tanh), W_hh is
   * U(±scale/√H) as PyTorch scales it, so that the recurrence does not
   * amplify rounding chaotically.
   */
  scale: number;
  /** Which gradients are asked for. */
  wanted: Record<GradKey, boolean>;
  /** Extra values past the end of x and dPacked (kernels read only the prefix). */
  slack: number;
  seed: number;
}

const caseArb: fc.Arbitrary<Case> = fc.record({
  batch: fc.integer({ min: 1, max: 6 }),
  steps: fc.integer({ min: 1, max: 8 }),
  inputSize: fc.integer({ min: 1, max: 7 }),
  hiddenSize: fc.integer({ min: 1, max: 13 }),
  withBias: fc.boolean(),
  scale: fc.constantFrom(0.3, 1, 3),
  wanted: fc.record({
    x: fc.boolean(), h0: fc.boolean(), c0: fc.boolean(), weightIh: fc.boolean(), weightHh: fc.boolean(), bias: fc.boolean(),
  }),
  slack: fc.integer({ min: 0, max: 3 }),
  seed: fc.integer({ min: 0, max: 1e9 }),
});

interface Problem {
  sizes: LstmSizes;
  x: Float32Array; h0: Float32Array; c0: Float32Array;
  wIh: Float32Array; wHh: Float32Array; bIh: Float32Array | null; bHh: Float32Array | null;
  dPacked: Float32Array;
}

function problemOf(c: Case): Problem {
  const { batch: B, steps: T, inputSize: F, hiddenSize: H, seed } = c;
  const G = 4 * H;
  return {
    sizes: { batch: B, steps: T, inputSize: F, hiddenSize: H },
    x: randomFloats(B * T * F + c.slack, seed),
    h0: randomFloats(B * H, seed + 1, 0.5),
    c0: randomFloats(B * H, seed + 2, 2),
    wIh: randomFloats(G * F, seed + 3, c.scale),
    wHh: randomFloats(G * H, seed + 4, c.scale / Math.sqrt(H)),
    bIh: c.withBias ? randomFloats(G, seed + 5, c.scale) : null,
    bHh: c.withBias ? randomFloats(G, seed + 6, c.scale) : null,
    dPacked: randomFloats(B * (T + 1) * H + c.slack, seed + 7),
  };
}

/** Gradient buffers filled with NaN (so an unwritten entry shows), null where not wanted. */
function gradientBuffers(sizes: LstmSizes, wanted: Record<GradKey, boolean>): LstmGradients {
  const { batch: B, steps: T, inputSize: F, hiddenSize: H } = sizes;
  const lengths: Record<GradKey, number> = { x: B * T * F, h0: B * H, c0: B * H, weightIh: 4 * H * F, weightHh: 4 * H * H, bias: 4 * H };
  const make = (key: GradKey) => (wanted[key] ? new Float32Array(lengths[key]).fill(Number.NaN) : null);
  return { x: make('x'), h0: make('h0'), c0: make('c0'), weightIh: make('weightIh'), weightHh: make('weightHh'), bias: make('bias') };
}

type Forward = typeof lstmForwardJs;
type Backward = typeof lstmBackwardJs;

function forwardWith(forward: Forward, p: Problem): LstmTrace {
  const trace = createLstmTrace(p.sizes);
  forward(p.sizes, p.x, p.h0, p.c0, p.wIh, p.wHh, p.bIh, p.bHh, trace);
  return trace;
}

function backwardWith(
  backward: Backward, p: Problem, trace: LstmTrace, wanted: Record<GradKey, boolean>,
  wIh = p.wIh, wHh = p.wHh, dPacked = p.dPacked,
): LstmGradients {
  const grads = gradientBuffers(p.sizes, wanted);
  backward(p.sizes, trace, wIh, wHh, dPacked, grads);
  return grads;
}

const TRACE_KEYS = ['inputs', 'gates', 'cells', 'cellTanh', 'hidden'] as const;

function expectSameTrace(got: LstmTrace, want: LstmTrace, exact: boolean): void {
  for (const key of TRACE_KEYS) {
    if (exact) expect(got[key], key).toEqual(want[key]);
    else expectClose(got[key], want[key], largest(want[key]), `trace.${key}`);
  }
}

function expectSameGrads(got: LstmGradients, want: LstmGradients, magnitude: LstmGradients | null): void {
  for (const key of GRAD_KEYS) {
    const g = got[key], w = want[key];
    expect(g === null, key).toBe(w === null);
    if (g === null || w === null) continue;
    if (magnitude === null) expect(g, key).toEqual(w);
    else expectClose(g, w, magnitude[key]!, `grads.${key}`);
  }
}

/**
 * Runs the case both ways and compares: the forward traces, then both
 * backward kernels on the js trace; then each dispatcher against the twin of
 * its backend, bit for bit.
 */
function check(c: Case): void {
  const p = problemOf(c);
  setBackend('js');
  const jsTrace = forwardWith(lstmForwardJs, p);
  const jsGrads = backwardWith(lstmBackwardJs, p, jsTrace, c.wanted);
  const absTrace = Object.fromEntries(TRACE_KEYS.map((k) => [k, abs(jsTrace[k])])) as unknown as LstmTrace;
  const magnitude = backwardWith(lstmBackwardJs, p, absTrace, c.wanted, abs(p.wIh), abs(p.wHh), abs(p.dPacked));
  expectSameTrace(forwardWith(lstmForward, p), jsTrace, true);
  expectSameGrads(backwardWith(lstmBackward, p, jsTrace, c.wanted), jsGrads, null);

  setBackend('wasm');
  const wasmTrace = forwardWith(lstmForwardWasm, p);
  expectSameTrace(wasmTrace, jsTrace, false);
  const wasmGrads = backwardWith(lstmBackwardWasm, p, jsTrace, c.wanted);
  expectSameGrads(wasmGrads, jsGrads, magnitude);
  expectSameTrace(forwardWith(lstmForward, p), wasmTrace, true);
  expectSameGrads(backwardWith(lstmBackward, p, jsTrace, c.wanted), wasmGrads, null);
}

const ALL: Record<GradKey, boolean> = { x: true, h0: true, c0: true, weightIh: true, weightHh: true, bias: true };

/** A case with every gradient, biases and PyTorch's initial range U(±1/√H) for every weight. */
function fixedCase(batch: number, steps: number, inputSize: number, hiddenSize: number, seed: number): Case {
  return { batch, steps, inputSize, hiddenSize, withBias: true, scale: 1 / Math.sqrt(hiddenSize), wanted: ALL, slack: 0, seed };
}

describe.runIf(wasmAvailable())('LSTM on WebAssembly', () => {
  afterEach(() => resetBackend());

  it('matches the js kernels on random sizes: trace, output states and every gradient (property)', () => {
    fc.assert(fc.property(caseArb, (c) => check(c)), { numRuns: 300 });
  });

  it('matches on the benchmark layer and on sizes past the GEMM blocks', () => {
    check(fixedCase(32, 20, 1, 50, 1)); // LSTM(50), batch 32, 20 steps
    check(fixedCase(7, 25, 3, 9, 2)); // T·B = 175 rows > one 128-row block of A
    check(fixedCase(3, 4, 300, 6, 3)); // F = 300 > one 256-deep slice of k
    check(fixedCase(2, 3, 5, 257, 4)); // H = 257: recurrent k past 256, G = 1028 columns
  });

  it('computes σ and tanh within 2.5 and 1.5 ulp of float64, on the 4-lane path and the tail', () => {
    // F = 1, W_ih = 1, W_hh = 0, no bias: every pre-activation is exactly x_b,
    // so the trace holds σ(x_b) (gates i, f, o), tanh(x_b) (gate g) and
    // tanh(c_b) next to c_b. H = 5 runs units 0–3 four lanes wide and unit 4 in the tail.
    const B = 8192, H = 5, G = 4 * H;
    const sizes = { batch: B, steps: 1, inputSize: 1, hiddenSize: H };
    const x = new Float32Array(B).map((_, b) => -30 + (60 * b) / (B - 1));
    x.set([0, -0, 1e-30, -1e-6, 0.625, -0.625, 88, -88]);
    setBackend('wasm');
    const trace = createLstmTrace(sizes);
    lstmForwardWasm(sizes, x, new Float32Array(B * H), new Float32Array(B * H),
      new Float32Array(G).fill(1), new Float32Array(G * H), null, null, trace);
    const ulp = (v: number): number => {
      const a = Math.abs(Math.fround(v));
      return a === 0 ? 2 ** -149 : 2 ** (Math.max(Math.floor(Math.log2(a)), -126) - 23);
    };
    const ulps = (got: number, want: number): number => Math.abs(got - want) / ulp(want);
    let sigmoidUlps = 0, tanhUlps = 0;
    for (let b = 0; b < B; b++) {
      const row = b * G;
      for (let j = 0; j < H; j++) {
        for (const gate of [0, 1, 3]) sigmoidUlps = Math.max(sigmoidUlps, ulps(trace.gates[row + gate * H + j]!, 1 / (1 + Math.exp(-x[b]!))));
        tanhUlps = Math.max(tanhUlps, ulps(trace.gates[row + 2 * H + j]!, Math.tanh(x[b]!)));
        const c = trace.cells[B * H + b * H + j]!;
        tanhUlps = Math.max(tanhUlps, ulps(trace.cellTanh[b * H + j]!, Math.tanh(c)));
      }
    }
    expect(sigmoidUlps).toBeLessThanOrEqual(2.5);
    expect(tanhUlps).toBeLessThanOrEqual(1.5);

    // NaN propagates; ±∞ saturate exactly: σ(∞) = 1, σ(−∞) = 0, tanh(−∞) = −1.
    const special = new Float32Array([Number.NaN, Infinity, -Infinity, 0]);
    const small = { batch: 4, steps: 1, inputSize: 1, hiddenSize: 1 };
    const t = createLstmTrace(small);
    lstmForwardWasm(small, special, new Float32Array(4), new Float32Array(4), new Float32Array(4).fill(1), new Float32Array(4), null, null, t);
    expect(Array.from(t.gates.subarray(0, 4)).every(Number.isNaN)).toBe(true);
    expect(Array.from(t.gates.subarray(4, 8))).toEqual([1, 1, 1, 1]);
    expect(t.gates[8]).toBe(0);
    expect(t.gates[10]).toBe(-1);
    expect(Array.from(t.gates.subarray(12, 16))).toEqual([0.5, 0.5, 0, 0.5]);
  });

  it('backward reads the trace only: twice, with the arena reused in between, gives the same gradients', () => {
    const c = fixedCase(5, 6, 3, 7, 5);
    const p = problemOf(c);
    setBackend('wasm');
    const trace = forwardWith(lstmForwardWasm, p);
    const grads = backwardWith(lstmBackwardWasm, p, trace, ALL);
    const before = Object.fromEntries(TRACE_KEYS.map((k) => [k, trace[k].slice()])) as unknown as LstmTrace;
    // Other kernels overwrite the arena between the two backward passes.
    const other = problemOf(fixedCase(4, 9, 11, 10, 6));
    backwardWith(lstmBackwardWasm, other, forwardWith(lstmForwardWasm, other), ALL);
    gemm(false, false, 64, 64, 64, randomFloats(4096, 7), 0, randomFloats(4096, 8), 0, new Float32Array(4096), 0, false);
    expectSameGrads(backwardWith(lstmBackwardWasm, p, trace, ALL), grads, null);
    expectSameTrace(trace, before, true);
  });

  it('falls back to the js kernels for an empty sequence or batch', () => {
    setBackend('wasm');
    const sizes = { batch: 2, steps: 0, inputSize: 3, hiddenSize: 5 };
    const h0 = randomFloats(10, 1), c0 = randomFloats(10, 2);
    const trace = createLstmTrace(sizes);
    lstmForward(sizes, new Float32Array(0), h0, c0, randomFloats(60, 3), randomFloats(100, 4), null, null, trace);
    expect(trace.hidden).toEqual(h0);
    expect(trace.cells).toEqual(c0);
    const grads = gradientBuffers(sizes, ALL);
    const dPacked = randomFloats(10, 5);
    lstmBackward(sizes, trace, randomFloats(60, 3), randomFloats(100, 4), dPacked, grads);
    expect(grads.c0).toEqual(dPacked); // δc_0 = δc_T with no step in between
    expect(Array.from(grads.weightHh!)).toEqual(new Array(100).fill(0));
    const empty = { batch: 0, steps: 3, inputSize: 2, hiddenSize: 4 };
    expect(() => lstmForward(empty, new Float32Array(0), new Float32Array(0), new Float32Array(0),
      randomFloats(32, 6), randomFloats(64, 7), null, null, createLstmTrace(empty))).not.toThrow();
  });

  it('checks the weights on both backends', () => {
    for (const backend of ['js', 'wasm'] as const) {
      setBackend(backend);
      const p = problemOf(fixedCase(2, 3, 2, 4, 8));
      const trace = createLstmTrace(p.sizes);
      expect(() => lstmForward(p.sizes, p.x, p.h0, p.c0, p.wIh.subarray(1), p.wHh, p.bIh, p.bHh, trace))
        .toThrow('lstm: weightIh has 31 values, needs 32');
      lstmForward(p.sizes, p.x, p.h0, p.c0, p.wIh, p.wHh, p.bIh, p.bHh, trace);
      expect(() => lstmBackward(p.sizes, trace, p.wIh, p.wHh.subarray(2), p.dPacked, gradientBuffers(p.sizes, ALL)))
        .toThrow('lstm: weightHh has 62 values, needs 64');
    }
  });
});
