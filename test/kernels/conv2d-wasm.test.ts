/**
 * The WebAssembly conv2d kernels (src/kernels/wasm/conv2d.ts: im2col/col2im
 * fused with the GEMM in linear memory) against the TypeScript ones run on
 * the 'js' backend, on random geometries: odd sizes, asymmetric padding,
 * stride, dilation, pointwise kernels, all three gradients.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { resetBackend, setBackend } from '../../src/kernels/backend.js';
import {
  conv2dBackwardInput, conv2dBackwardInputJs, conv2dBackwardWeight, conv2dBackwardWeightJs,
  conv2dForward, conv2dForwardJs, conv2dGeometry, type Conv2dGeometry,
} from '../../src/kernels/conv2d.js';
import {
  conv2dBackwardInputWasm, conv2dBackwardWeightWasm, conv2dForwardWasm,
} from '../../src/kernels/wasm/conv2d.js';
import { wasmAvailable } from '../../src/kernels/wasm/runtime.js';
import { randomFloats } from './random.js';

const abs = (a: Float32Array): Float32Array => a.map(Math.abs);

/** |got − want| ≤ 1e-5·√terms·magnitude + 1e-30 per element (magnitude = the same sum over |operands|). */
function expectClose(got: Float32Array, want: Float32Array, magnitude: Float32Array, terms: number, what: string): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < got.length; i++) {
    const tol = 1e-5 * Math.sqrt(Math.max(terms, 1)) * magnitude[i]! + 1e-30;
    if (!(Math.abs(got[i]! - want[i]!) <= tol)) {
      throw new Error(`${what}[${i}]: wasm ${got[i]} vs js ${want[i]} (tol ${tol})`);
    }
  }
}

const geometryArb = fc.record({
  n: fc.integer({ min: 1, max: 3 }), c: fc.integer({ min: 1, max: 5 }), o: fc.integer({ min: 1, max: 9 }),
  h: fc.integer({ min: 1, max: 13 }), w: fc.integer({ min: 1, max: 13 }),
  kh: fc.integer({ min: 1, max: 4 }), kw: fc.integer({ min: 1, max: 4 }),
  sh: fc.integer({ min: 1, max: 3 }), sw: fc.integer({ min: 1, max: 3 }),
  dh: fc.integer({ min: 1, max: 2 }), dw: fc.integer({ min: 1, max: 2 }),
  pt: fc.integer({ min: 0, max: 2 }), pb: fc.integer({ min: 0, max: 2 }),
  pl: fc.integer({ min: 0, max: 2 }), pr: fc.integer({ min: 0, max: 2 }),
  seed: fc.integer({ min: 0, max: 1e9 }), bias: fc.boolean(), accumulate: fc.boolean(),
});

type Params = typeof geometryArb extends fc.Arbitrary<infer T> ? T : never;

function geometryOf(p: Params): Conv2dGeometry | null {
  try {
    return conv2dGeometry([p.n, p.c, p.h, p.w], [p.o, p.c, p.kh, p.kw], [p.sh, p.sw], [p.pt, p.pb, p.pl, p.pr], [p.dh, p.dw]);
  } catch {
    return null; // the padded input is smaller than the dilated kernel
  }
}

/** Runs all three kernels both ways and compares. */
function check(g: Conv2dGeometry, seed: number, withBias: boolean, accumulate: boolean): void {
  const depth = g.inChannels * g.kernelHeight * g.kernelWidth;
  const positions = g.outHeight * g.outWidth;
  const xSize = g.batch * g.inChannels * g.inHeight * g.inWidth;
  const ySize = g.batch * g.outChannels * positions;
  const x = randomFloats(xSize, seed);
  const w = randomFloats(g.outChannels * depth, seed + 1);
  const bias = withBias ? randomFloats(g.outChannels, seed + 2) : null;
  const dy = randomFloats(ySize, seed + 3);
  const dw0 = randomFloats(g.outChannels * depth, seed + 4);

  setBackend('js');
  const yJs = new Float32Array(ySize).fill(Number.NaN);
  conv2dForwardJs(g, x, w, bias, yJs);
  const yMag = new Float32Array(ySize);
  conv2dForwardJs(g, abs(x), abs(w), bias === null ? null : abs(bias), yMag);
  const dxJs = new Float32Array(xSize).fill(Number.NaN);
  conv2dBackwardInputJs(g, dy, w, dxJs);
  const dxMag = new Float32Array(xSize);
  conv2dBackwardInputJs(g, abs(dy), abs(w), dxMag);
  const dwJs = dw0.slice();
  if (!accumulate) dwJs.fill(Number.NaN);
  conv2dBackwardWeightJs(g, x, dy, dwJs, accumulate);
  const dwMag = accumulate ? abs(dw0) : new Float32Array(dw0.length);
  conv2dBackwardWeightJs(g, abs(x), abs(dy), dwMag, accumulate);

  setBackend('wasm');
  const yW = new Float32Array(ySize).fill(Number.NaN);
  conv2dForwardWasm(g, x, w, bias, yW);
  expectClose(yW, yJs, yMag, depth, 'y');
  const dxW = new Float32Array(xSize).fill(Number.NaN);
  conv2dBackwardInputWasm(g, dy, w, dxW);
  expectClose(dxW, dxJs, dxMag, g.outChannels * g.kernelHeight * g.kernelWidth, 'dx');
  const dwW = dw0.slice();
  if (!accumulate) dwW.fill(Number.NaN);
  conv2dBackwardWeightWasm(g, x, dy, dwW, accumulate);
  expectClose(dwW, dwJs, dwMag, g.batch * positions, 'dW');

  // The dispatching kernels on the 'wasm' backend are the wasm kernels, bit for bit.
  const yD = new Float32Array(ySize);
  conv2dForward(g, x, w, bias, yD);
  expect(yD).toEqual(yW);
  const dxD = new Float32Array(xSize);
  conv2dBackwardInput(g, dy, w, dxD);
  expect(dxD).toEqual(dxW);
  const dwD = accumulate ? dw0.slice() : new Float32Array(dw0.length);
  conv2dBackwardWeight(g, x, dy, dwD, accumulate);
  expect(dwD).toEqual(dwW);
}

describe.runIf(wasmAvailable())('conv2d on WebAssembly', () => {
  afterEach(() => resetBackend());

  it('matches the js kernels on random geometries, all gradients (property)', () => {
    fc.assert(
      fc.property(geometryArb, (p) => {
        const g = geometryOf(p);
        fc.pre(g !== null);
        check(g!, p.seed, p.bias, p.accumulate);
      }),
      { numRuns: 300 },
    );
  });

  it('matches on pointwise (1×1, stride 1, no padding) kernels', () => {
    for (const [n, c, o, h, w] of [[1, 1, 1, 1, 1], [2, 3, 5, 7, 9], [3, 17, 4, 5, 3]] as const) {
      check(conv2dGeometry([n, c, h, w], [o, c, 1, 1], [1, 1], [0, 0, 0, 0], [1, 1]), n + c, true, false);
    }
  });

  it('matches on the LeNet layers and a layer past the GEMM blocks (k > 256, many channels)', () => {
    check(conv2dGeometry([4, 1, 28, 28], [6, 1, 5, 5], [1, 1], [0, 0, 0, 0], [1, 1]), 1, true, false);
    check(conv2dGeometry([4, 6, 12, 12], [16, 6, 5, 5], [1, 1], [0, 0, 0, 0], [1, 1]), 2, true, true);
    check(conv2dGeometry([2, 40, 9, 11], [33, 40, 3, 3], [2, 1], [1, 1, 0, 2], [1, 2]), 3, false, false);
  });

  it('falls back to the js kernels for empty batches and channels', () => {
    setBackend('wasm');
    const g = conv2dGeometry([0, 2, 5, 5], [3, 2, 3, 3], [1, 1], [0, 0, 0, 0], [1, 1]);
    const dw = new Float32Array(3 * 2 * 9).fill(7);
    conv2dBackwardWeight(g, new Float32Array(0), new Float32Array(0), dw);
    expect(Array.from(dw)).toEqual(new Array(54).fill(0));
    const g0 = conv2dGeometry([2, 0, 4, 4], [3, 0, 2, 2], [1, 1], [0, 0, 0, 0], [1, 1]);
    const y = new Float32Array(2 * 3 * 9).fill(Number.NaN);
    conv2dForward(g0, new Float32Array(0), new Float32Array(0), new Float32Array([1, 2, 3]), y);
    expect(Array.from(y.subarray(0, 9))).toEqual(new Array(9).fill(1));
  });
});
