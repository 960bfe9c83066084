/**
 * LSTM(50) over 20 steps at batch 32 with input size 1 (the lstm-sine
 * setting): tensorgrad's `nn.LSTM` (one fused autograd node per layer)
 * against TensorFlow.js, which has no fused LSTM op in tfjs-core — its
 * `tf.basicLSTMCell` (concat → matMul → bias → split → σ/tanh → c, h) is
 * driven over the 20 steps, as tfjs-layers' LSTM does.
 *
 * - forward: the output sequence `[32, 20, 50]` from zero states
 *   (tensorgrad under `noGrad`, tfjs outside any gradient tape);
 * - forward+backward: the gradients of Σ output with respect to every
 *   weight and bias (tensorgrad: `backward()`; tfjs: `tf.variableGrads`).
 *
 * A 2-layer forward+backward row (the training step of a stacked model) is
 * added outside `--quick`. A tfjs backend that cannot run a case shows
 * "unsupported" in its cell (with the reason printed above the table).
 *
 * @module
 */

import { createRequire } from 'node:module';
import { nn, noGrad, randn } from '../src/index.js';
import { timeIt, type BenchConfig, type BenchRow, type BenchSuite, type Timing } from './harness.js';
import type { Backend, Tf } from './tfjs.js';
// Types only: tfjs is loaded at run time by bench/tfjs.ts alone.
import type { Scalar, Tensor as TfTensor, Tensor1D, Tensor2D, Variable } from '@tensorflow/tfjs-core';

const BATCH = 32;
const STEPS = 20;
const INPUT = 1;
const HIDDEN = 50;

/**
 * tfjs's stacked LSTM over the sequence: per step and layer one
 * `basicLSTMCell` (kernel `[in + H, 4H]`, gate order i, j, f, o); returns
 * the last layer's outputs stacked to `[B, T, H]`.
 */
function tfjsSequence(tf: Tf, x: TfTensor, layers: Array<{ kernel: Tensor2D; bias: Tensor1D }>): TfTensor {
  const forgetBias = tf.scalar(0);
  let inputs = tf.unstack(x, 1) as Tensor2D[];
  for (const { kernel, bias } of layers) {
    let c: Tensor2D = tf.zeros([BATCH, HIDDEN]);
    let h: Tensor2D = tf.zeros([BATCH, HIDDEN]);
    const outputs: Tensor2D[] = [];
    for (const xt of inputs) {
      [c, h] = tf.basicLSTMCell(forgetBias, kernel, bias, xt, c, h);
      outputs.push(h);
    }
    inputs = outputs;
  }
  return tf.stack(inputs, 1);
}

/** Kernel and bias per layer, as tfjs variables (trainable) or plain tensors. */
function tfjsLayers(tf: Tf, numLayers: number, asVariables: boolean): Array<{ kernel: Tensor2D; bias: Tensor1D }> {
  return Array.from({ length: numLayers }, (_, k) => {
    const kernel = tf.randomUniform([(k === 0 ? INPUT : HIDDEN) + HIDDEN, 4 * HIDDEN], -0.14, 0.14) as Tensor2D;
    const bias = tf.randomUniform([4 * HIDDEN], -0.14, 0.14) as Tensor1D;
    return asVariables ? { kernel: tf.variable(kernel), bias: tf.variable(bias) } : { kernel, bias };
  });
}

let gradientsRegistered = false;

/**
 * tfjs-core registers no gradient functions itself (the `@tensorflow/tfjs`
 * umbrella package does, by importing `dist/register_all_gradients`), so
 * without this `tf.variableGrads` fails ("gradient function not found for
 * Sum"). That file is ES-module source with extensionless imports, which
 * Node's ESM loader rejects; loaded through `require`, tsx compiles it. It
 * pulls in a second copy of tfjs-core's op wrappers (about a second to load),
 * harmless because tfjs keeps its engine and kernel/gradient registries on
 * the global object, so both copies dispatch to the same backends.
 */
function registerTfjsGradients(): void {
  if (gradientsRegistered) return;
  gradientsRegistered = true;
  createRequire(import.meta.url)('@tensorflow/tfjs-core/dist/register_all_gradients.js');
}

/** A tfjs timing, or why there is none. */
type TfjsResult = { timing: Timing | null; unsupported: boolean };

/** Times a tfjs case; prints "unsupported" (and marks the cell) when the backend cannot run it. */
async function timeTfjsCase(
  config: BenchConfig, backend: Backend, name: string,
  setup: (tf: Tf) => { inputs: TfTensor[]; compute: () => TfTensor },
): Promise<TfjsResult> {
  if (config.tfjs === null) return { timing: null, unsupported: false };
  try {
    return { timing: await config.tfjs.timeTfjs(backend, setup, config.timing), unsupported: false };
  } catch (err) {
    console.log(`[lstm] ${name}, tfjs-${backend}: unsupported (${(err as Error).message.split('\n')[0]})`);
    return { timing: null, unsupported: true };
  }
}

/** A table row from tensorgrad's timing and both tfjs results. */
function row(name: string, tensorgrad: Timing, cpu: TfjsResult, wasm: TfjsResult): BenchRow {
  const notes: NonNullable<BenchRow['notes']> = {};
  if (cpu.unsupported) notes.tfjsCpu = 'unsupported';
  if (wasm.unsupported) notes.tfjsWasm = 'unsupported';
  return { name, tensorgrad, tfjsCpu: cpu.timing, tfjsWasm: wasm.timing, notes };
}

async function forwardRow(config: BenchConfig): Promise<BenchRow> {
  const name = `lstm(${HIDDEN}) fwd B${BATCH} T${STEPS}`;
  const lstm = new nn.LSTM(INPUT, HIDDEN);
  const x = randn([BATCH, STEPS, INPUT]);
  const tensorgrad = timeIt(() => noGrad(() => lstm.forward(x)), config.timing);
  const setup = (tf: Tf) => {
    const tx = tf.randomNormal([BATCH, STEPS, INPUT]);
    const layers = tfjsLayers(tf, 1, false);
    return {
      inputs: [tx, ...layers.flatMap((l) => [l.kernel, l.bias])],
      compute: () => tf.tidy(() => tfjsSequence(tf, tx, layers)),
    };
  };
  return row(name, tensorgrad, await timeTfjsCase(config, 'cpu', name, setup), await timeTfjsCase(config, 'wasm', name, setup));
}

async function trainingRow(config: BenchConfig, numLayers: number): Promise<BenchRow> {
  const name = `lstm(${HIDDEN})${numLayers > 1 ? `x${numLayers}` : ''} fwd+bwd B${BATCH} T${STEPS}`;
  const lstm = new nn.LSTM(INPUT, HIDDEN, { numLayers });
  const x = randn([BATCH, STEPS, INPUT]);
  const tensorgrad = timeIt(() => {
    lstm.zeroGrad();
    lstm.forward(x).sum().backward();
  }, config.timing);
  const setup = (tf: Tf) => {
    const tx = tf.randomNormal([BATCH, STEPS, INPUT]);
    const layers = tfjsLayers(tf, numLayers, true);
    const varList = layers.flatMap((l) => [l.kernel, l.bias]) as Variable[];
    return {
      inputs: [tx, ...varList],
      compute: () => {
        const { value, grads } = tf.variableGrads(() => tf.sum(tfjsSequence(tf, tx, layers)) as Scalar, varList);
        for (const g of Object.values(grads)) {
          g.dataSync();
          g.dispose();
        }
        return value;
      },
    };
  };
  return row(name, tensorgrad, await timeTfjsCase(config, 'cpu', name, setup), await timeTfjsCase(config, 'wasm', name, setup));
}

/**
 * The LSTM suite: LSTM(50), batch 32, 20 steps, input size 1 — forward and
 * forward+backward, plus a 2-layer forward+backward outside `--quick`.
 *
 * @example
 * const rows = await lstmSuite.run(makeConfig(true, await import('./tfjs.js')));
 */
export const lstmSuite: BenchSuite = {
  name: 'lstm',
  async run(config: BenchConfig): Promise<BenchRow[]> {
    if (config.tfjs !== null) registerTfjsGradients();
    const rows = [await forwardRow(config), await trainingRow(config, 1)];
    if (!config.quick) rows.push(await trainingRow(config, 2));
    return rows;
  },
};
