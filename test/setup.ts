/**
 * Shared test setup: the `toBeAllClose` matcher (as jax-js's test/setup.ts),
 * comparing tensors, typed arrays or nested arrays elementwise with
 * |actual − expected| ≤ atol + rtol·|expected|, NaN matching NaN.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import { Tensor } from '../src/index.js';

// Every property test draws the same inputs on every run, so CI is
// reproducible (a fuzz test that must reach each error reason cannot pass or
// fail by luck). Tests that pass their own `seed` keep it. To explore other
// inputs, change the seed here and run the suite.
fc.configureGlobal({ seed: 20261123 });

interface CloseOptions {
  rtol?: number;
  atol?: number;
}

function flatten(value: unknown): { values: number[]; shape: number[] | null } {
  if (value instanceof Tensor) return { values: Array.from(value.data), shape: [...value.shape] };
  if (ArrayBuffer.isView(value)) return { values: Array.from(value as unknown as ArrayLike<number>), shape: null };
  if (typeof value === 'number') return { values: [value], shape: null };
  if (Array.isArray(value)) return { values: (value.flat(Infinity) as number[]).map(Number), shape: null };
  throw new Error(`toBeAllClose: cannot compare ${typeof value}`);
}

expect.extend({
  toBeAllClose(received: unknown, expected: unknown, options: CloseOptions = {}) {
    const { rtol = 1e-5, atol = 1e-6 } = options;
    const actual = flatten(received);
    const wanted = flatten(expected);
    if (actual.shape && wanted.shape && actual.shape.join(',') !== wanted.shape.join(',')) {
      return { pass: false, message: () => `shape [${actual.shape}] != expected [${wanted.shape}]` };
    }
    if (actual.values.length !== wanted.values.length) {
      return { pass: false, message: () => `length ${actual.values.length} != expected ${wanted.values.length}` };
    }
    for (let i = 0; i < actual.values.length; i++) {
      const a = actual.values[i]!;
      const e = wanted.values[i]!;
      const close = (Number.isNaN(a) && Number.isNaN(e)) || a === e || Math.abs(a - e) <= atol + rtol * Math.abs(e);
      if (!close) {
        return {
          pass: false,
          message: () => `element ${i}: ${a} is not close to ${e} (|diff| ${Math.abs(a - e)}, rtol ${rtol}, atol ${atol})`,
        };
      }
    }
    return { pass: true, message: () => 'values are all close' };
  },
});

declare module 'vitest' {
  interface Assertion<T = any> {
    /** Elementwise |actual − expected| ≤ atol + rtol·|expected| (defaults 1e-5, 1e-6). */
    toBeAllClose(expected: unknown, options?: CloseOptions): T;
  }
}
