/**
 * The bulk elementwise and reduction loops at training sizes, on each of
 * tensorgrad's backends (rows `… js` and `… wasm`, switched with
 * `setBackend`), against the same op on the tfjs CPU and wasm backends
 * (timed once per case, shown on both rows).
 *
 * Everything goes through the public ops (output allocated per call, as in
 * tfjs), except relu's backward, which has no op of its own: there the
 * kernel `reluBackward` (`dy · step(y)` in one pass) is timed against tfjs's
 * own relu gradient, `mul(dy, step(y))`.
 *
 * Sizes are those of the training bench's models: LeNet's first conv
 * activations `[64,6,24,24]` and second `[64,16,8,8]`, the MLP's hidden
 * layer `[32,128]`, LSTM gates `[32,200]`, logits `[64,10]`; and a larger
 * `[256,1024]` for the broadcast add and the batch sum.
 *
 * @module
 */

import { reluBackward } from '../src/kernels/elementwise.js';
import { wasmAvailable } from '../src/kernels/wasm/runtime.js';
import {
  add, exp, getBackend, logSoftmax, randn, relu, setBackend, sigmoid, sum, tanh, type Backend, type Tensor,
} from '../src/index.js';
import { timeIt, type BenchConfig, type BenchRow, type BenchSuite, type Timing } from './harness.js';
import type { Tf } from './tfjs.js';
import type { Tensor as TfTensor } from '@tensorflow/tfjs-core';

/** One loop to time: tensorgrad's call on given inputs and the tfjs equivalent. */
interface ElementwiseCase {
  name: string;
  /** Input shapes; inputs are standard normal. */
  shapes: number[][];
  tensorgrad(inputs: Tensor[]): () => unknown;
  tfjs(tf: Tf, inputs: TfTensor[]): TfTensor;
}

const unaryCase = (name: string, shape: number[], op: (x: Tensor) => Tensor, tfOp: (tf: Tf, x: TfTensor) => TfTensor): ElementwiseCase => ({
  name: `${name} [${shape}]`,
  shapes: [shape],
  tensorgrad: ([x]) => () => op(x!),
  tfjs: (tf, [x]) => tfOp(tf, x!),
});

const reluBackwardCase = (shape: number[]): ElementwiseCase => ({
  name: `relu backward [${shape}]`,
  shapes: [shape, shape],
  tensorgrad: ([x, dy]) => {
    const y = relu(x!).data;
    return () => reluBackward(y, dy!.data);
  },
  tfjs: (tf, [x, dy]) => tf.tidy(() => tf.mul(dy!, tf.step(x!))), // tfjs's Relu_grad
});

/** The first case of each kind runs with `--quick`. */
const cases: Array<ElementwiseCase & { quick?: boolean }> = [
  { ...unaryCase('relu', [64, 6, 24, 24], relu, (tf, x) => tf.relu(x)), quick: true },
  unaryCase('relu', [64, 16, 8, 8], relu, (tf, x) => tf.relu(x)),
  unaryCase('relu', [32, 128], relu, (tf, x) => tf.relu(x)),
  { ...reluBackwardCase([64, 6, 24, 24]), quick: true },
  reluBackwardCase([64, 16, 8, 8]),
  reluBackwardCase([32, 128]),
  { ...unaryCase('exp', [32, 200], exp, (tf, x) => tf.exp(x)), quick: true },
  unaryCase('sigmoid', [32, 200], sigmoid, (tf, x) => tf.sigmoid(x)),
  unaryCase('tanh', [32, 200], tanh, (tf, x) => tf.tanh(x)),
  unaryCase('exp', [64, 6, 24, 24], exp, (tf, x) => tf.exp(x)),
  unaryCase('sigmoid', [64, 6, 24, 24], sigmoid, (tf, x) => tf.sigmoid(x)),
  unaryCase('tanh', [64, 6, 24, 24], tanh, (tf, x) => tf.tanh(x)),
  ...[[64, 120], [256, 1024]].map(([rows, cols]) => ({
    name: `add [${rows},${cols}] + [${cols}]`,
    shapes: [[rows!, cols!], [cols!]],
    tensorgrad: ([a, b]: Tensor[]) => () => add(a!, b!),
    tfjs: (tf: Tf, [a, b]: TfTensor[]) => tf.add(a!, b!),
    quick: rows === 64,
  })),
  { name: 'add [1024,1024] + [1024,1]', shapes: [[1024, 1024], [1024, 1]], tensorgrad: ([a, b]) => () => add(a!, b!), tfjs: (tf, [a, b]) => tf.add(a!, b!) },
  ...[[64, 120], [256, 1024]].map(([rows, cols]) => ({
    name: `sum over batch [${rows},${cols}] → [${cols}]`,
    shapes: [[rows!, cols!]],
    tensorgrad: ([x]: Tensor[]) => () => sum(x!, 0),
    tfjs: (tf: Tf, [x]: TfTensor[]) => tf.sum(x!, 0),
    quick: rows === 64,
  })),
  ...[[64, 10], [256, 1000]].map(([rows, cols]) => ({
    name: `logSoftmax rows [${rows},${cols}]`,
    shapes: [[rows!, cols!]],
    tensorgrad: ([x]: Tensor[]) => () => logSoftmax(x!, 1),
    tfjs: (tf: Tf, [x]: TfTensor[]) => tf.logSoftmax(x!),
    quick: rows === 64,
  })),
];

/**
 * The elementwise suite: each case on tensorgrad's js and wasm backends and
 * on tfjs-cpu and tfjs-wasm (with `--quick`, the first case of each kind).
 *
 * @example
 * const rows = await elementwiseSuite.run(makeConfig(true, null)); // tensorgrad only
 */
export const elementwiseSuite: BenchSuite = {
  name: 'elementwise',
  async run(config: BenchConfig): Promise<BenchRow[]> {
    const rows: BenchRow[] = [];
    const backends: Backend[] = wasmAvailable() ? ['js', 'wasm'] : ['js'];
    const previous = getBackend();
    try {
      for (const c of config.quick ? cases.filter((k) => k.quick) : cases) {
        const inputs = c.shapes.map((shape) => randn(shape));
        const timings = new Map<Backend, Timing>();
        for (const backend of backends) {
          setBackend(backend);
          timings.set(backend, timeIt(c.tensorgrad(inputs), config.timing));
        }
        const setup = (tf: Tf) => {
          const tfInputs = c.shapes.map((shape) => tf.randomNormal(shape));
          return { inputs: tfInputs, compute: () => c.tfjs(tf, tfInputs) };
        };
        const tfjsCpu = config.tfjs && (await config.tfjs.timeTfjs('cpu', setup, config.timing));
        const tfjsWasm = config.tfjs && (await config.tfjs.timeTfjs('wasm', setup, config.timing));
        for (const backend of ['js', 'wasm'] as const) {
          const tensorgrad = timings.get(backend) ?? null;
          rows.push({
            name: `${c.name} ${backend}`, tensorgrad, tfjsCpu, tfjsWasm,
            ...(tensorgrad === null ? { notes: { tensorgrad: 'no wasm simd' } } : {}),
          });
        }
      }
    } finally {
      setBackend(previous);
    }
    return rows;
  },
};
