/**
 * The WebAssembly sum over leading axes and log-softmax rows against the
 * TypeScript kernels: the sums bit for bit (same float64 accumulators, same
 * order), log-softmax and its gradient to about one float32 ulp (e^x there is
 * the four-lane polynomial, within 1 ulp of V8's float64 Math.exp), on random
 * shapes with odd sizes, NaN and ±∞.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { resetBackend, setBackend } from '../../src/kernels/backend.js';
import { sum, sumJs } from '../../src/kernels/reduce.js';
import { logSoftmax, logSoftmaxBackward, logSoftmaxBackwardJs, logSoftmaxJs } from '../../src/kernels/softmax.js';
import { logSoftmaxBackwardRowsWasm, logSoftmaxRowsWasm, sumWasm, sumWasmPlan } from '../../src/kernels/wasm/reduce.js';
import { wasmAvailable } from '../../src/kernels/wasm/runtime.js';
import { sizeOf, stridesOf } from '../../src/tensor/shape.js';
import { randomFloats } from './random.js';

/** Strides of the kept-dims output over `shape`, 0 on the reduced axes. */
function outStrides(shape: number[], axes: number[]): number[] {
  const kept = stridesOf(shape.map((d, i) => (axes.includes(i) ? 1 : d)));
  return kept.map((s, i) => (axes.includes(i) ? 0 : s));
}

/** A shape of rank 1–4 and a sorted subset of its axes. */
const reductionArb = fc
  .array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 4 })
  .chain((shape) => fc.tuple(fc.constant(shape), fc.subarray(shape.map((_, i) => i))));

describe.runIf(wasmAvailable())('reductions on WebAssembly', () => {
  afterEach(() => resetBackend());

  it('sum over leading axes matches the js kernel bit for bit; last-axis sums are left to js (property)', () => {
    fc.assert(
      fc.property(reductionArb, fc.integer({ min: 0, max: 0x7fffffff }), fc.boolean(), ([shape, axes], seed, special) => {
        const x = randomFloats(sizeOf(shape), seed, 1e3);
        if (special) x[seed % x.length] = [Number.NaN, Infinity, -Infinity][seed % 3]!;
        const plan = sumWasmPlan(shape, stridesOf(shape), outStrides(shape, axes));
        // The plan exists exactly when the innermost non-unit axis is kept.
        let innermost = shape.length - 1;
        while (innermost >= 0 && shape[innermost] === 1) innermost--;
        expect(plan !== null).toBe(innermost >= 0 && !axes.includes(innermost));
        const js = sumJs(x, shape, axes);
        if (plan !== null) expect(sumWasm(x, plan, js.length)).toEqual(js);
        for (const backend of ['js', 'wasm'] as const) {
          setBackend(backend);
          expect(sum(x, shape, axes)).toEqual(js);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('sums a batch of bias gradients like the js kernel', () => {
    const x = randomFloats(64 * 6 * 24 * 24, 3);
    const shape = [64, 6, 24 * 24];
    const plan = sumWasmPlan(shape, stridesOf(shape), outStrides(shape, [0]))!;
    expect(sumWasm(x, plan, 6 * 576)).toEqual(sumJs(x, shape, [0]));
  });

  it('log-softmax rows and their gradient agree with the js kernels to float32 rounding (property)', () => {
    const rowArb = fc.record({
      rows: fc.integer({ min: 1, max: 20 }),
      cols: fc.integer({ min: 1, max: 13 }),
      scale: fc.constantFrom(1, 30, 1e4),
      seed: fc.integer({ min: 0, max: 0x7fffffff }),
      special: fc.constantFrom(null, Number.NaN, Infinity, -Infinity),
    });
    fc.assert(
      fc.property(rowArb, ({ rows, cols, scale, seed, special }) => {
        const x = randomFloats(rows * cols, seed, scale);
        if (special !== null) x[seed % x.length] = special;
        if (seed % 4 === 0) x.fill(-Infinity, 0, cols); // a row of all −∞
        const y = logSoftmaxJs(x, rows, cols, 1);
        expect(logSoftmaxRowsWasm(x, rows, cols, new Float32Array(x.length))).toBeAllClose(y, { rtol: 1e-6, atol: 1e-6 });
        const dy = randomFloats(x.length, seed + 1);
        const dx = logSoftmaxBackwardJs(y, dy, rows, cols, 1);
        // dx = dy − e^y·Σdy: one ulp of e^y, times |Σdy| ≤ cols, is the absolute error.
        expect(logSoftmaxBackwardRowsWasm(y, dy, rows, cols)).toBeAllClose(dx, { rtol: 1e-6, atol: 2e-7 * cols });
      }),
      { numRuns: 300 },
    );
  });

  it('the dispatching log-softmax follows the backend for rows and stays in js across a middle axis', () => {
    const x = randomFloats(64 * 10, 11, 5);
    const dy = randomFloats(64 * 10, 12);
    const run = () => {
      const rows = logSoftmax(x, 64, 10, 1);
      const middle = logSoftmax(x, 8, 10, 8); // softmax over axis 1 of [8, 10, 8]
      return { rows, middle, back: logSoftmaxBackward(rows, dy, 64, 10, 1) };
    };
    setBackend('js');
    const js = run();
    setBackend('wasm');
    const wasm = run();
    expect(wasm.rows).toBeAllClose(js.rows, { rtol: 1e-6, atol: 1e-7 });
    expect(wasm.back).toBeAllClose(js.back, { rtol: 1e-6, atol: 1e-7 });
    expect(wasm.middle).toEqual(js.middle);
  });
});
