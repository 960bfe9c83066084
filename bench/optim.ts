/**
 * One optimizer step on one parameter at the MLP's sizes (the 784×128
 * weight, the 128×10 weight, the 128 bias) and at 64 floats (below
 * `OPTIM_WASM_MIN_ELEMENTS`, where both rows run the TypeScript loop), on
 * each of tensorgrad's backends (rows `… js` and `… wasm`, switched with
 * `setBackend`), against the same update by tfjs's optimizer
 * (`applyGradients` on one variable) on its CPU and wasm backends (timed
 * once per case, shown on both rows).
 *
 * The gradient is fixed, so the parameters drift by about lr per step: no
 * NaN or overflow however many steps the timing takes.
 *
 * @module
 */

import { wasmAvailable } from '../src/kernels/wasm/runtime.js';
import { getBackend, nn, optim, randn, setBackend, type Backend } from '../src/index.js';
import { timeIt, type BenchConfig, type BenchRow, type BenchSuite, type Timing } from './harness.js';
import type { Tf } from './tfjs.js';
import type { Optimizer as TfOptimizer } from '@tensorflow/tfjs-core';

/**
 * One optimizer to time: tensorgrad's and tfjs's with the same
 * hyper-parameters (tfjs's formulas differ in details, such as where
 * RMSprop's eps goes, not in the work per element).
 */
interface OptimCase {
  name: string;
  tensorgrad(params: nn.Parameter[]): optim.Optimizer<any>;
  tfjs(tf: Tf): TfOptimizer;
}

const optimizers: Array<OptimCase & { quick?: boolean }> = [
  { name: 'Adam', tensorgrad: (p) => new optim.Adam(p, { lr: 1e-3 }), tfjs: (tf) => tf.train.adam(1e-3), quick: true },
  { name: 'SGD', tensorgrad: (p) => new optim.SGD(p, { lr: 0.01 }), tfjs: (tf) => tf.train.sgd(0.01) },
  {
    name: 'SGD nesterov 0.9',
    tensorgrad: (p) => new optim.SGD(p, { lr: 0.01, momentum: 0.9, nesterov: true }),
    tfjs: (tf) => tf.train.momentum(0.01, 0.9, true),
  },
  { name: 'RMSprop', tensorgrad: (p) => new optim.RMSprop(p, { lr: 0.01 }), tfjs: (tf) => tf.train.rmsprop(0.01, 0.99, 0, 1e-8) },
  {
    name: 'RMSprop centered 0.9',
    tensorgrad: (p) => new optim.RMSprop(p, { lr: 0.01, momentum: 0.9, centered: true }),
    tfjs: (tf) => tf.train.rmsprop(0.01, 0.99, 0.9, 1e-8, true),
  },
  { name: 'Adagrad', tensorgrad: (p) => new optim.Adagrad(p, { lr: 0.01 }), tfjs: (tf) => tf.train.adagrad(0.01) },
];

/** Parameter sizes: the MLP's weights and hidden bias, and one below the wasm threshold. */
const sizes = [784 * 128, 128 * 10, 128, 64];

/**
 * The optimizer suite: one `step()` per call for each optimizer and size,
 * on tensorgrad's js and wasm backends and on tfjs-cpu and tfjs-wasm (with
 * `--quick`, Adam on the largest size only).
 *
 * @example
 * const rows = await optimSuite.run(makeConfig(true, null)); // tensorgrad only
 */
export const optimSuite: BenchSuite = {
  name: 'optim',
  async run(config: BenchConfig): Promise<BenchRow[]> {
    const rows: BenchRow[] = [];
    const backends: Backend[] = wasmAvailable() ? ['js', 'wasm'] : ['js'];
    const previous = getBackend();
    try {
      for (const c of config.quick ? optimizers.filter((k) => k.quick) : optimizers) {
        for (const n of config.quick ? sizes.slice(0, 1) : sizes) {
          const timings = new Map<Backend, Timing>();
          for (const backend of backends) {
            setBackend(backend);
            const p = new nn.Parameter(randn([n]).data, [n]);
            p.grad = randn([n]);
            const opt = c.tensorgrad([p]);
            timings.set(backend, timeIt(() => opt.step(), config.timing));
          }
          // tfjs's optimizer keeps its own slot variables; they live until the process ends.
          const setup = (tf: Tf) => {
            const variable = tf.variable(tf.randomNormal([n]));
            const grad = tf.randomNormal([n]);
            const opt = c.tfjs(tf);
            return {
              inputs: [variable, grad],
              compute: () => {
                opt.applyGradients({ [variable.name]: grad });
                return tf.slice(variable, 0, 1); // dataSync on it waits for the update
              },
            };
          };
          const tfjsCpu = config.tfjs && (await config.tfjs.timeTfjs('cpu', setup, config.timing));
          const tfjsWasm = config.tfjs && (await config.tfjs.timeTfjs('wasm', setup, config.timing));
          for (const backend of ['js', 'wasm'] as const) {
            const tensorgrad = timings.get(backend) ?? null;
            rows.push({
              name: `${c.name} step [${n}] ${backend}`, tensorgrad, tfjsCpu, tfjsWasm,
              ...(tensorgrad === null ? { notes: { tensorgrad: 'no wasm simd' } } : {}),
            });
          }
        }
      }
    } finally {
      setBackend(previous);
    }
    return rows;
  },
};
