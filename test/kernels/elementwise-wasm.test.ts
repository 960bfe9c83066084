/**
 * The WebAssembly elementwise kernels against the TypeScript ones, on random
 * lengths (most not multiples of 4) and broadcast shapes with NaN, ±∞ and
 * −0: relu, relu's backward and the broadcasting binary ops bit for bit;
 * exp, sigmoid and tanh within 2 float32 ulps (the kernels' polynomials,
 * `assembly/math.ts`), with exactly the same NaN/±∞/0 results.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { resetBackend, setBackend } from '../../src/kernels/backend.js';
import {
  binary, binaryJs, reluBackward, reluBackwardJs, unary, unaryJs, type BinaryKernel,
} from '../../src/kernels/elementwise.js';
import { binaryWasm, reluBackwardWasm, unaryWasm, type WasmBinaryKernel } from '../../src/kernels/wasm/elementwise.js';
import { wasmAvailable } from '../../src/kernels/wasm/runtime.js';
import { broadcastStrides, broadcastShapes, sizeOf, stridesOf } from '../../src/tensor/shape.js';
import { randomFloats } from './random.js';

/** Mostly ordinary values, some ties (small integers), some NaN, ±∞, ±0. */
const valueArb = fc.oneof(
  { weight: 8, arbitrary: fc.float({ min: -50, max: 50, noNaN: true }) },
  { weight: 3, arbitrary: fc.integer({ min: -2, max: 2 }) },
  { weight: 1, arbitrary: fc.constantFrom(Number.NaN, Infinity, -Infinity, -0, 0) },
);

const valuesArb = (minLength: number, maxLength: number) =>
  fc.array(valueArb, { minLength, maxLength }).map((v) => Float32Array.from(v));

/** Distance in float32 steps between two finite floats of the same sign. */
function ulps(a: number, b: number): number {
  const bits = new Int32Array(new Float32Array([a, b]).buffer);
  return Math.abs(bits[0]! - bits[1]!);
}

/** Same NaN/±∞/±0 results, and finite ones within `maxUlps`. */
function expectUlpClose(actual: Float32Array, expected: Float32Array, maxUlps: number, x: Float32Array): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]!, e = expected[i]!;
    if (Object.is(a, e)) continue;
    const special = Number.isNaN(e) || !Number.isFinite(e) || e === 0 || Number.isNaN(a) || !Number.isFinite(a) || a === 0;
    if (special || ulps(a, e) > maxUlps) {
      throw new Error(`element ${i}: f(${x[i]}) = ${a}, expected ${e} (${special ? 'special value' : `${ulps(a, e)} ulps`})`);
    }
  }
}

/** A shape of rank 0–4 and a second one that broadcasts with it (size-1 axes, fewer axes). */
const broadcastPairArb = fc
  .array(fc.integer({ min: 1, max: 9 }), { minLength: 0, maxLength: 4 })
  .chain((shape) =>
    fc.tuple(
      fc.constant(shape),
      fc.array(fc.boolean(), { minLength: shape.length, maxLength: shape.length }),
      fc.integer({ min: 0, max: shape.length }),
      fc.boolean(),
    ),
  )
  .map(([shape, ones, drop, swap]) => {
    const other = shape.map((d, i) => (ones[i] ? 1 : d)).slice(drop);
    return swap ? [other, shape] : [shape, other];
  });

const wasmBinaryOps: WasmBinaryKernel[] = ['add', 'sub', 'mul', 'div', 'maximum', 'minimum'];

describe.runIf(wasmAvailable())('elementwise kernels on WebAssembly', () => {
  afterEach(() => resetBackend());

  it('relu matches the js kernel bit for bit: NaN kept, −0 and −∞ to +0 (property)', () => {
    fc.assert(
      fc.property(valuesArb(1, 150), (x) => {
        const js = unaryJs('relu', x);
        expect(unaryWasm('relu', x, new Float32Array(x.length).fill(7))).toEqual(js); // toEqual: −0 differs from 0
      }),
      { numRuns: 300 },
    );
    expect(unaryWasm('relu', new Float32Array([-0, Number.NaN, -Infinity, Infinity, -1e-45]), new Float32Array(5)))
      .toEqual(new Float32Array([0, Number.NaN, 0, Infinity, 0]));
  });

  it('relu backward matches the js kernel bit for bit, and both equal mul(dy, step(y)) (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 150 }).chain((n) => fc.tuple(valuesArb(n, n), valuesArb(n, n))),
        ([x, dy]) => {
          const y = unaryJs('relu', x);
          const strides = [1];
          const step = y.map((v) => (v > 0 ? 1 : 0)); // the unfused rule's Heaviside mask
          const unfused = binaryJs('mul', dy, strides, step, strides, [y.length], new Float32Array(y.length));
          expect(reluBackwardJs(y, dy)).toEqual(unfused);
          expect(reluBackwardWasm(y, dy, new Float32Array(y.length).fill(3))).toEqual(unfused);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('exp, sigmoid and tanh are within 2 ulps of the js kernels, with the same NaN/±∞/±0 (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom('exp', 'sigmoid', 'tanh') as fc.Arbitrary<'exp' | 'sigmoid' | 'tanh'>, valuesArb(1, 150), (op, x) => {
        expectUlpClose(unaryWasm(op, x, new Float32Array(x.length)), unaryJs(op, x), 2, x);
      }),
      { numRuns: 300 },
    );
    const specials = new Float32Array([-0, 0, Number.NaN, Infinity, -Infinity, 88.7, 89, -87.5, -103, -104.5, 1e-30, -1e-30, 20, -20]);
    for (const op of ['exp', 'sigmoid', 'tanh'] as const) {
      expectUlpClose(unaryWasm(op, specials, new Float32Array(specials.length)), unaryJs(op, specials), 2, specials);
    }
    // −0 is kept where the function keeps it
    expect(Object.is(unaryWasm('tanh', new Float32Array([-0]), new Float32Array(1))[0], -0)).toBe(true);
  });

  it('exp, sigmoid and tanh stay within 2 ulps over a sweep of a million float32 values', () => {
    // Every 4093rd bit pattern: all magnitudes, both signs, subnormal results
    // included. (A one-off sweep of every float32 found at most 1 ulp for
    // exp and tanh and 2 for sigmoid; see assembly/math.ts.)
    const bits = new Uint32Array(Math.floor(0x100000000 / 4093));
    for (let i = 0; i < bits.length; i++) bits[i] = i * 4093;
    const x = new Float32Array(bits.buffer);
    for (const op of ['exp', 'sigmoid', 'tanh'] as const) {
      expectUlpClose(unaryWasm(op, x, new Float32Array(x.length)), unaryJs(op, x), 2, x);
    }
  });

  it('broadcasting add/sub/mul/div/maximum/minimum match the js kernels bit for bit (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...wasmBinaryOps), broadcastPairArb, fc.integer({ min: 0, max: 0x7fffffff }), (op, [shapeA, shapeB], seed) => {
        const shape = broadcastShapes(shapeA!, shapeB!, op);
        const specials = [Number.NaN, Infinity, -Infinity, -0, 0, 1, -1];
        // Random values with a sprinkling of specials and ties.
        const fill = (n: number, s: number) => randomFloats(n, s, 4).map((v, i) => ((i * 7 + s) % 5 === 0 ? specials[(i + s) % specials.length]! : v));
        const a = fill(sizeOf(shapeA!), seed), b = fill(sizeOf(shapeB!), seed + 1);
        const aStrides = broadcastStrides(shapeA!, shape), bStrides = broadcastStrides(shapeB!, shape);
        const js = binaryJs(op, a, aStrides, b, bStrides, shape, new Float32Array(sizeOf(shape)));
        const wasm = binaryWasm(op, a, aStrides, b, bStrides, shape, new Float32Array(sizeOf(shape)).fill(9));
        expect(wasm).toEqual(js);
      }),
      { numRuns: 500 },
    );
  });

  it('maximum/minimum keep the js kernel\'s choice between −0 and +0 and propagate NaN from either side', () => {
    const a = new Float32Array([-0, 0, Number.NaN, 1, -0, 0, 2, Number.NaN]);
    const b = new Float32Array([0, -0, 1, Number.NaN, 0, -0, 2, Number.NaN]);
    for (const op of ['maximum', 'minimum'] as const) {
      const js = binaryJs(op, a, [1], b, [1], [8], new Float32Array(8));
      expect(binaryWasm(op, a, [1], b, [1], [8], new Float32Array(8))).toEqual(js);
    }
  });

  it('the dispatching kernels follow the backend above the size threshold and agree', () => {
    const n = 1031; // not a multiple of 4
    const x = randomFloats(n, 5, 6);
    const dy = randomFloats(n, 6);
    const bias = randomFloats(7, 7);
    const shape = [147, 7]; // bias add over the first 1029 values
    const size = sizeOf(shape);
    const results = (['js', 'wasm'] as const).map((backend) => {
      setBackend(backend);
      return {
        relu: unary('relu', x),
        tanh: unary('tanh', x),
        log: unary('log', x), // stays in TypeScript on both
        back: reluBackward(unary('relu', x), dy),
        add: binary('add', x, stridesOf(shape), bias, [0, 1], shape, new Float32Array(size)),
        pow: binary('pow' as BinaryKernel, x, stridesOf(shape), bias, [0, 1], shape, new Float32Array(size)),
      };
    });
    const [js, wasm] = results as [typeof results[0], typeof results[0]];
    expect(wasm.relu).toEqual(js.relu);
    expect(wasm.back).toEqual(js.back);
    expect(wasm.add).toEqual(js.add);
    expect(wasm.log).toEqual(js.log);
    expect(wasm.pow).toEqual(js.pow);
    expectUlpClose(wasm.tanh, js.tanh, 2, x);
  });
});
