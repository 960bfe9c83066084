/**
 * Every optimizer gives the same parameters and state, bit for bit, on the
 * `'wasm'` and `'js'` backends, for parameters large enough to take the
 * WebAssembly path: random valid options that change between steps
 * (amsgrad, momentum or centered switched on later, a scheduler's lr), so
 * that every way the classes call the kernels runs on both. The PyTorch
 * trajectories (trajectory.test.ts) have parameters small enough to stay in
 * TypeScript; this ties the wasm path to them.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { nn, tensor } from '../../src/index.js';
import { resetBackend, setBackend } from '../../src/kernels/backend.js';
import { OPTIM_WASM_MIN_ELEMENTS } from '../../src/kernels/optim.js';
import { wasmAvailable } from '../../src/kernels/wasm/runtime.js';
import * as optim from '../../src/optim/index.js';
import { randomFloats } from '../kernels/random.js';

type AnyOptimizer = optim.Optimizer<any>;

/** Builds an optimizer over the parameters; `later` holds option changes made after the first step. */
interface Case {
  build(params: nn.Parameter[]): AnyOptimizer;
  later: Record<string, unknown>;
}

const rate = fc.double({ min: 1e-4, max: 0.3, noNaN: true });
const decay = fc.oneof(fc.constant(0), fc.double({ min: 0, max: 0.1, noNaN: true }));
const fraction = fc.double({ min: 0, max: 0.99, noNaN: true });

const caseArbs: Record<string, fc.Arbitrary<Case>> = {
  Adam: fc.record({ lr: rate, b1: fraction, b2: fraction, weightDecay: decay, amsgrad: fc.boolean(), maximize: fc.boolean(), decoupled: fc.boolean(), amsgradLater: fc.boolean() })
    .map(({ b1, b2, decoupled, amsgradLater, ...o }) => ({
      build: (params) => new (decoupled ? optim.AdamW : optim.Adam)(params, { ...o, betas: [b1, b2] }),
      later: { amsgrad: o.amsgrad || amsgradLater },
    })),
  SGD: fc.record({ lr: rate, momentum: fc.oneof(fc.constant(0), fraction), dampening: fraction, weightDecay: decay, nesterov: fc.boolean(), maximize: fc.boolean(), momentumLater: fraction })
    .map(({ nesterov, momentumLater, ...o }) => ({
      // Nesterov needs momentum > 0 and no dampening.
      build: (params) => new optim.SGD(params, nesterov && o.momentum > 0 ? { ...o, dampening: 0, nesterov } : o),
      later: nesterov && o.momentum > 0 ? {} : { momentum: momentumLater },
    })),
  RMSprop: fc.record({ lr: rate, alpha: fraction, weightDecay: decay, momentum: fc.oneof(fc.constant(0), fraction), centered: fc.boolean(), maximize: fc.boolean(), centeredLater: fc.boolean() })
    .map(({ centeredLater, ...o }) => ({
      build: (params) => new optim.RMSprop(params, o),
      later: { centered: o.centered || centeredLater, momentum: o.momentum > 0 ? 0 : 0.5 },
    })),
  Adagrad: fc.record({ lr: rate, lrDecay: decay, weightDecay: decay, initialAccumulatorValue: fraction, maximize: fc.boolean() })
    .map((o) => ({ build: (params) => new optim.Adagrad(params, o), later: { lr: o.lr / 2 } })),
};

/** Runs `steps` steps on fresh parameters (one at the threshold and above, one below) on a backend; returns values and state. */
function run(c: Case, sizes: readonly number[], steps: number, seed: number, backend: 'js' | 'wasm') {
  setBackend(backend);
  const params = sizes.map((n, j) => new nn.Parameter(randomFloats(n, seed + j), [n]));
  const opt = c.build(params);
  for (let k = 0; k < steps; k++) {
    if (k === 1) Object.assign(opt.paramGroups[0]!, c.later);
    params.forEach((p, j) => { p.grad = tensor(randomFloats(p.size, seed + 100 * (k + 1) + j, 2)); });
    opt.step();
  }
  return { values: params.map((p) => p.data), state: opt.stateDict() };
}

describe.runIf(wasmAvailable())('optimizers on the wasm backend', () => {
  afterEach(() => resetBackend());

  it.each(Object.keys(caseArbs))('%s gives the js backend\'s parameters and state bit for bit (property)', (name) => {
    fc.assert(
      fc.property(
        caseArbs[name]!,
        fc.integer({ min: OPTIM_WASM_MIN_ELEMENTS, max: 700 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 1e6 }),
        (c, n, steps, seed) => {
          const sizes = [n, 7];
          expect(run(c, sizes, steps, seed, 'wasm')).toEqual(run(c, sizes, steps, seed, 'js'));
        },
      ),
      { numRuns: 60 },
    );
  });
});
