/**
 * The WebAssembly max-pool kernels against the TypeScript ones: identical
 * outputs, argmax indices and gradients, bit for bit, on random geometries
 * (odd sizes, stride, padding, dilation, ceil mode) with ties and NaNs.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { resetBackend, setBackend } from '../../src/kernels/backend.js';
import {
  maxPool2dBackward, maxPool2dBackwardJs, maxPool2dForward, maxPool2dForwardJs, pool2dGeometry, type Pool2dGeometry,
} from '../../src/kernels/pool2d.js';
import { maxPool2dBackwardWasm, maxPool2dForwardWasm } from '../../src/kernels/wasm/conv2d.js';
import { wasmAvailable } from '../../src/kernels/wasm/runtime.js';

function geometryOf(p: { n: number; c: number; h: number; w: number; kh: number; kw: number; sh: number; sw: number;
  ph: number; pw: number; dh: number; dw: number; ceil: boolean }): Pool2dGeometry | null {
  try {
    return pool2dGeometry([p.n, p.c, p.h, p.w], [p.kh, p.kw], [p.sh, p.sw], [p.ph, p.pw], [p.dh, p.dw], p.ceil);
  } catch {
    return null;
  }
}

/** Small integers (many ties), some NaN, some ±∞. */
const valueArb = fc.oneof(
  { weight: 12, arbitrary: fc.integer({ min: -3, max: 3 }) },
  { weight: 1, arbitrary: fc.constantFrom(Number.NaN, Infinity, -Infinity, -0) },
);

const caseArb = fc.record({
  n: fc.integer({ min: 0, max: 3 }), c: fc.integer({ min: 1, max: 4 }),
  h: fc.integer({ min: 1, max: 11 }), w: fc.integer({ min: 1, max: 11 }),
  kh: fc.integer({ min: 1, max: 4 }), kw: fc.integer({ min: 1, max: 4 }),
  sh: fc.integer({ min: 1, max: 3 }), sw: fc.integer({ min: 1, max: 3 }),
  ph: fc.integer({ min: 0, max: 2 }), pw: fc.integer({ min: 0, max: 2 }),
  dh: fc.integer({ min: 1, max: 3 }), dw: fc.integer({ min: 1, max: 3 }),
  ceil: fc.boolean(), values: fc.array(valueArb, { minLength: 1, maxLength: 64 }),
});

describe.runIf(wasmAvailable())('max-pool on WebAssembly', () => {
  afterEach(() => resetBackend());

  it('matches the js kernels bit for bit, values, indices and gradient (property)', () => {
    fc.assert(
      fc.property(caseArb, (p) => {
        const g = geometryOf(p);
        fc.pre(g !== null);
        const inCount = g!.batch * g!.channels * g!.inHeight * g!.inWidth;
        const outCount = g!.batch * g!.channels * g!.outHeight * g!.outWidth;
        const x = Float32Array.from({ length: inCount }, (_, i) => p.values[i % p.values.length]!);
        const dy = Float32Array.from({ length: outCount }, (_, i) => (i % 7) - 2.5);
        const outJs = new Float32Array(outCount).fill(5), idxJs = new Int32Array(outCount).fill(9);
        maxPool2dForwardJs(g!, x, outJs, idxJs);
        const outW = new Float32Array(outCount).fill(6), idxW = new Int32Array(outCount).fill(8);
        maxPool2dForwardWasm(g!, x, outW, idxW);
        expect(outW).toEqual(outJs); // toEqual: NaN equals NaN, and -0 differs from 0
        expect(idxW).toEqual(idxJs);
        const dxJs = new Float32Array(inCount).fill(Number.NaN);
        maxPool2dBackwardJs(g!, dy, idxJs, dxJs);
        const dxW = new Float32Array(inCount).fill(Number.NaN);
        maxPool2dBackwardWasm(g!, dy, idxW, dxW);
        expect(dxW).toEqual(dxJs);
        // and the dispatching kernels follow the backend
        for (const backend of ['js', 'wasm'] as const) {
          setBackend(backend);
          const out = new Float32Array(outCount), idx = new Int32Array(outCount), dx = new Float32Array(inCount);
          maxPool2dForward(g!, x, out, idx);
          maxPool2dBackward(g!, dy, idx, dx);
          expect(out).toEqual(outJs);
          expect(idx).toEqual(idxJs);
          expect(dx).toEqual(dxJs);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('runs the four-at-a-time 2×2/stride-2 path bit for bit like the js kernel (property)', () => {
    // Widths past 8 reach the vector blocks, odd widths and ceil mode the
    // scalar tail and cut-short windows, ties and NaN the takeover rule.
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }), fc.integer({ min: 2, max: 9 }), fc.integer({ min: 2, max: 41 }), fc.boolean(),
        fc.array(valueArb, { minLength: 1, maxLength: 97 }),
        (planes, h, w, ceil, values) => {
          const g = pool2dGeometry([1, planes, h, w], [2, 2], [2, 2], [0, 0], [1, 1], ceil);
          const x = Float32Array.from({ length: planes * h * w }, (_, i) => values[i % values.length]!);
          const outCount = planes * g.outHeight * g.outWidth;
          const outJs = new Float32Array(outCount), idxJs = new Int32Array(outCount);
          maxPool2dForwardJs(g, x, outJs, idxJs);
          const outW = new Float32Array(outCount), idxW = new Int32Array(outCount);
          maxPool2dForwardWasm(g, x, outW, idxW);
          expect(outW).toEqual(outJs);
          expect(idxW).toEqual(idxJs);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('pools a LeNet-sized batch like the js kernel', () => {
    const g = pool2dGeometry([64, 6, 24, 24], [2, 2], [2, 2], [0, 0], [1, 1]);
    const x = Float32Array.from({ length: 64 * 6 * 576 }, (_, i) => Math.sin(i * 12.9898) * 43758.5453 % 1);
    const count = 64 * 6 * 144;
    const a = new Float32Array(count), ia = new Int32Array(count), b = new Float32Array(count), ib = new Int32Array(count);
    maxPool2dForwardJs(g, x, a, ia);
    maxPool2dForwardWasm(g, x, b, ib);
    expect(b).toEqual(a);
    expect(ib).toEqual(ia);
  });
});
