/**
 * The WebAssembly optimizer updates against the TypeScript loops, bit for
 * bit: random lengths (1, odd, not multiples of 2 or 4), random options,
 * random starting state (NaN, ±∞ and ±0 among the values) and several steps
 * in a row with the state carried over.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { resetBackend, setBackend } from '../../src/kernels/backend.js';
import {
  OPTIM_WASM_MIN_ELEMENTS, adagradUpdate, adagradUpdateJs, adamUpdate, adamUpdateJs, rmspropUpdate, rmspropUpdateJs,
  sgdUpdate, sgdUpdateJs, type AdamStepOptions,
} from '../../src/kernels/optim.js';
import { adagradUpdateWasm, adamUpdateWasm, rmspropUpdateWasm, sgdUpdateWasm } from '../../src/kernels/wasm/optim.js';
import { wasmAvailable } from '../../src/kernels/wasm/runtime.js';
import { randomFloats } from './random.js';

/** Mostly ordinary values, a few ±0 and, rarely, NaN or ±∞. */
const valueArb = fc.oneof(
  { weight: 20, arbitrary: fc.float({ min: -10, max: 10, noNaN: true }) },
  { weight: 2, arbitrary: fc.constantFrom(0, -0) },
  { weight: 1, arbitrary: fc.constantFrom(Number.NaN, Infinity, -Infinity) },
);

/** A length (1 and small odd ones often) and a seed for the values of each buffer and step. */
const lengthArb = fc.oneof(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 10, max: 300 }));

/** `steps` gradients and the starting buffers, `count` of them, all of length n. */
const caseArb = (count: number) =>
  fc.record({ n: lengthArb, steps: fc.integer({ min: 1, max: 4 }) }).chain(({ n, steps }) =>
    fc.record({
      buffers: fc.array(fc.array(valueArb, { minLength: n, maxLength: n }).map((v) => Float32Array.from(v)), {
        minLength: count, maxLength: count,
      }),
      grads: fc.array(fc.array(valueArb, { minLength: n, maxLength: n }).map((v) => Float32Array.from(v)), {
        minLength: steps, maxLength: steps,
      }),
    }),
  );

const rate = fc.double({ min: 0, max: 0.5, noNaN: true });
const decay = fc.oneof(fc.constant(0), fc.double({ min: 0, max: 0.1, noNaN: true }));
const fraction = fc.double({ min: 0, max: 0.999, noNaN: true });
const eps = fc.oneof(fc.constant(1e-8), fc.double({ min: 0, max: 1e-2, noNaN: true }));

/** Copies of the buffers (null stays null), so the two implementations start from the same state. */
function copies(buffers: readonly (Float32Array | null)[]): (Float32Array | null)[] {
  return buffers.map((b) => (b === null ? null : b.slice()));
}

/** Runs both implementations step by step on their own copies; after each step every buffer must agree bit for bit. */
function expectSameSteps(
  start: readonly (Float32Array | null)[],
  grads: readonly Float32Array[],
  js: (buffers: (Float32Array | null)[], grad: Float32Array, k: number) => void,
  wasm: (buffers: (Float32Array | null)[], grad: Float32Array, k: number) => void,
): void {
  const a = copies(start);
  const b = copies(start);
  grads.forEach((grad, k) => {
    js(a, grad, k);
    wasm(b, grad.slice(), k);
    a.forEach((buffer, j) => expect(b[j], `buffer ${j} after step ${k + 1}`).toEqual(buffer)); // −0 ≠ 0, NaN = NaN
  });
}

describe.runIf(wasmAvailable())('optimizer updates on WebAssembly', () => {
  afterEach(() => resetBackend());

  it('Adam/AdamW (weightDecay, decoupled, amsgrad, maximize) match the js loop bit for bit (property)', () => {
    const optionsArb = fc.record({
      lr: rate, beta1: fraction, beta2: fraction, eps, weightDecay: decay,
      decoupled: fc.boolean(), amsgrad: fc.boolean(), maximize: fc.boolean(),
    });
    fc.assert(
      fc.property(caseArb(4), optionsArb, ({ buffers, grads }, o) => {
        // Moments as an optimizer holds them: v and its maximum are ≥ 0 (NaN aside).
        const [theta, m, v, vMax] = buffers.map((b, j) => (j >= 2 ? b.map(Math.abs) : b)) as Float32Array[];
        // The class's per-step scalars (optim/adam.ts), with t = k + 1.
        const scalars = (k: number): AdamStepOptions => ({
          beta1: o.beta1, beta2: o.beta2, eps: o.eps,
          stepSize: o.lr / (1 - o.beta1 ** (k + 1)),
          biasCorrection2Sqrt: Math.sqrt(1 - o.beta2 ** (k + 1)),
          weightDecay: o.decoupled ? 0 : o.weightDecay,
          shrink: o.decoupled ? 1 - o.lr * o.weightDecay : 1,
          maximize: o.maximize,
        });
        expectSameSteps(
          [theta!, m!, v!, o.amsgrad ? vMax! : null],
          grads,
          ([t, mm, vv, vm], g, k) => adamUpdateJs(t!, g, mm!, vv!, vm, scalars(k)),
          ([t, mm, vv, vm], g, k) => adamUpdateWasm(t!, g, mm!, vv!, vm, scalars(k)),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('SGD (momentum, nesterov, dampening, weightDecay, maximize) matches the js loop bit for bit (property)', () => {
    const optionsArb = fc.record({
      lr: rate, momentum: fc.oneof(fc.constant(0), fraction), dampening: fc.double({ min: -0.5, max: 1, noNaN: true }),
      weightDecay: decay, nesterov: fc.boolean(), maximize: fc.boolean(), buffered: fc.boolean(), fresh: fc.boolean(),
    });
    fc.assert(
      fc.property(caseArb(2), optionsArb, ({ buffers: [theta, buffer], grads }, o) => {
        // A fresh buffer takes the first gradient as is; an old one decays.
        const first = (k: number) => o.fresh && k === 0;
        expectSameSteps(
          [theta!, o.buffered ? buffer! : null],
          grads,
          ([t, b], g, k) => sgdUpdateJs(t!, g, b, first(k), o),
          ([t, b], g, k) => sgdUpdateWasm(t!, g, b, first(k), o),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('RMSprop (centered, momentum, weightDecay, maximize) matches the js loop bit for bit (property)', () => {
    const optionsArb = fc.record({
      lr: rate, alpha: fraction, eps, weightDecay: decay, momentum: fc.oneof(fc.constant(0), fraction),
      centered: fc.boolean(), maximize: fc.boolean(),
    });
    fc.assert(
      fc.property(caseArb(4), optionsArb, ({ buffers: [theta, square, mean, buffer], grads }, o) => {
        expectSameSteps(
          [theta!, square!.map(Math.abs), o.centered ? mean! : null, o.momentum > 0 ? buffer! : null],
          grads,
          ([t, s, a, b], g) => rmspropUpdateJs(t!, g, s!, a, b, o),
          ([t, s, a, b], g) => rmspropUpdateWasm(t!, g, s!, a, b, o),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('Adagrad (lr decay, weightDecay, maximize) matches the js loop bit for bit (property)', () => {
    const optionsArb = fc.record({ lr: rate, lrDecay: decay, eps, weightDecay: decay, maximize: fc.boolean() });
    fc.assert(
      fc.property(caseArb(2), optionsArb, ({ buffers: [theta, sum], grads }, o) => {
        const scalars = (k: number) => ({ ...o, lr: o.lr / (1 + k * o.lrDecay) });
        expectSameSteps(
          [theta!, sum!.map(Math.abs)],
          grads,
          ([t, s], g, k) => adagradUpdateJs(t!, g, s!, scalars(k)),
          ([t, s], g, k) => adagradUpdateWasm(t!, g, s!, scalars(k)),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('the dispatching updates follow the backend from the size threshold on and agree', () => {
    for (const n of [OPTIM_WASM_MIN_ELEMENTS - 1, OPTIM_WASM_MIN_ELEMENTS, 1001]) {
      const results = (['js', 'wasm'] as const).map((backend) => {
        setBackend(backend);
        const theta = randomFloats(n, 1);
        const grad = randomFloats(n, 2);
        const state = [new Float32Array(n), new Float32Array(n), new Float32Array(n), new Float32Array(n)] as const;
        for (let t = 1; t <= 3; t++) {
          adamUpdate(theta, grad, state[0], state[1], state[2], {
            beta1: 0.9, beta2: 0.999, eps: 1e-8, stepSize: 1e-3 / (1 - 0.9 ** t),
            biasCorrection2Sqrt: Math.sqrt(1 - 0.999 ** t), weightDecay: 0, shrink: 0.99, maximize: false,
          });
          sgdUpdate(theta, grad, state[3], t === 1, { lr: 0.1, momentum: 0.9, dampening: 0, weightDecay: 1e-4, nesterov: true, maximize: false });
          rmspropUpdate(theta, grad, state[0], null, state[3], { lr: 0.01, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0.5, maximize: true });
          adagradUpdate(theta, grad, state[1], { lr: 0.01, eps: 1e-10, weightDecay: 0, maximize: false });
        }
        return [theta, ...state];
      });
      expect(results[1]).toEqual(results[0]);
    }
  });
});
