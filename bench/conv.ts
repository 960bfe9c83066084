/**
 * Conv2d and MaxPool2d through the public layers (outputs and gradients
 * allocated per call, as in tfjs) against TensorFlow.js on its CPU and wasm
 * backends:
 *
 * - Conv2d 16→32 channels, 3×3, padding 1, on 28×28 images: forward
 *   (tensorgrad's `nn.Conv2d`; tfjs `tf.fused.conv2d` with bias), and
 *   forward+backward for the input, weight and bias gradients of
 *   sum(y · dy) (tensorgrad: `backward(dy)`; tfjs: `tf.grads`);
 * - MaxPool2d 2×2 on 32 channels of 28×28: forward, and forward+backward.
 *
 * Batch 32, or 2 with `--quick`. tfjs gets its native NHWC layout (input
 * `[N, H, W, C]`, filter `[kh, kw, in, out]`); tensorgrad NCHW. A backend
 * that lacks a kernel (tfjs-wasm has no Conv2DBackpropFilter) shows
 * "unsupported" in its cell.
 *
 * @module
 */

import { createRequire } from 'node:module';
import { nn, noGrad, randn, type Tensor } from '../src/index.js';
import { timeIt, type BenchConfig, type BenchRow, type BenchSuite, type Timing, type TimingOptions } from './harness.js';
import type { Backend, Tf } from './tfjs.js';
// Types only: tfjs is loaded at run time by bench/tfjs.ts alone.
import type { Tensor as TfTensor, Tensor1D, Tensor4D } from '@tensorflow/tfjs-core';

const IN_CHANNELS = 16;
const OUT_CHANNELS = 32;
const SIZE = 28;
const KERNEL = 3;
const POOL_CHANNELS = 32;

/**
 * tfjs-core registers no gradient functions itself (the `@tensorflow/tfjs`
 * umbrella does, via `dist/register_all_gradients`); without them `tf.grads`
 * fails. Loaded through `require` so tsx compiles its extensionless ES
 * imports (see the same note in `bench/lstm.ts`); requiring it twice is a
 * no-op.
 */
function registerTfjsGradients(): void {
  createRequire(import.meta.url)('@tensorflow/tfjs-core/dist/register_all_gradients.js');
}

/** A tfjs case's timing, or the reason it could not run. */
type TfjsCell = { timing: Timing | null; note?: string };

/**
 * Times a tfjs case on one backend. Runs it once first: a backend without
 * one of the kernels throws there, and the cell reads "unsupported".
 */
async function timeTfjsCase(
  config: BenchConfig, backend: Backend, name: string,
  setup: (tf: Tf) => { inputs: TfTensor[]; compute: () => TfTensor },
  timing: TimingOptions = config.timing,
): Promise<TfjsCell> {
  if (config.tfjs === null) return { timing: null };
  try {
    return { timing: await config.tfjs.timeTfjs(backend, setup, timing) };
  } catch (err) {
    console.log(`[conv] ${name}, tfjs-${backend}: unsupported (${(err as Error).message.split('\n')[0]})`);
    return { timing: null, note: 'unsupported' };
  }
}

/** Assembles a row from tensorgrad's timing and both tfjs cells. */
function row(name: string, tensorgrad: Timing, cpu: TfjsCell, wasm: TfjsCell): BenchRow {
  const notes: BenchRow['notes'] = {};
  if (cpu.note) notes.tfjsCpu = cpu.note;
  if (wasm.note) notes.tfjsWasm = wasm.note;
  return { name, tensorgrad, tfjsCpu: cpu.timing, tfjsWasm: wasm.timing, notes };
}

/** Forces and frees every tensor but the first, which is returned for `timeTfjs` to force and free. */
function settle(tensors: TfTensor[]): TfTensor {
  for (const t of tensors.slice(1)) {
    t.dataSync();
    t.dispose();
  }
  return tensors[0]!;
}

async function convRows(config: BenchConfig, batch: number): Promise<BenchRow[]> {
  const shape = `B${batch} ${IN_CHANNELS}→${OUT_CHANNELS} ${SIZE}x${SIZE} ${KERNEL}x${KERNEL} p1`;
  const conv = new nn.Conv2d(IN_CHANNELS, OUT_CHANNELS, KERNEL, { padding: 1 });
  const x = randn([batch, IN_CHANNELS, SIZE, SIZE]);
  const dy = randn([batch, OUT_CHANNELS, SIZE, SIZE]);
  const tfInputs = (tf: Tf) => ({
    x: tf.randomNormal([batch, SIZE, SIZE, IN_CHANNELS]) as Tensor4D,
    filter: tf.randomNormal([KERNEL, KERNEL, IN_CHANNELS, OUT_CHANNELS]) as Tensor4D,
    bias: tf.randomNormal([OUT_CHANNELS]) as Tensor1D,
    dy: tf.randomNormal([batch, SIZE, SIZE, OUT_CHANNELS]) as Tensor4D,
  });

  const forwardName = `conv2d fwd ${shape}`;
  const forward = timeIt(() => noGrad(() => conv.forward(x)), config.timing);
  const forwardSetup = (tf: Tf) => {
    const { x: tx, filter, bias, dy: tdy } = tfInputs(tf);
    tdy.dispose();
    return { inputs: [tx, filter, bias], compute: () => tf.fused.conv2d({ x: tx, filter, bias, strides: 1, pad: 'same' }) };
  };

  const trainName = `conv2d fwd+bwd ${shape}`;
  const xGrad: Tensor = x.detach();
  xGrad.requiresGrad = true;
  const train = timeIt(() => {
    xGrad.grad = null;
    conv.zeroGrad();
    conv.forward(xGrad).backward(dy); // dx, dW, db of sum(y · dy)
  }, config.timing);
  const trainSetup = (tf: Tf) => {
    const { x: tx, filter, bias, dy: tdy } = tfInputs(tf);
    const gradients = tf.grads((a: TfTensor, f: TfTensor, b: TfTensor) =>
      tf.fused.conv2d({ x: a as Tensor4D, filter: f as Tensor4D, bias: b, strides: 1, pad: 'same' }));
    return { inputs: [tx, filter, bias, tdy], compute: () => settle(gradients([tx, filter, bias], tdy)) };
  };

  return [
    row(forwardName, forward,
      await timeTfjsCase(config, 'cpu', forwardName, forwardSetup), await timeTfjsCase(config, 'wasm', forwardName, forwardSetup)),
    row(trainName, train,
      await timeTfjsCase(config, 'cpu', trainName, trainSetup, slowTiming(config)),
      await timeTfjsCase(config, 'wasm', trainName, trainSetup)),
  ];
}

/**
 * Fewer calls for tfjs-cpu's conv gradients, whose naive
 * Conv2DBackpropFilter takes about 0.5 s per sample of this layer (over 10 s
 * a call at batch 32): one warm-up call and three timed ones (one with
 * `--quick`), so the suite stays within minutes (seconds when quick).
 */
function slowTiming(config: BenchConfig): TimingOptions {
  const reps = config.quick ? 1 : 3;
  return { warmup: 1, warmupMs: 0, reps, budgetMs: 0, minReps: reps };
}

async function poolRows(config: BenchConfig, batch: number): Promise<BenchRow[]> {
  const shape = `B${batch} ${POOL_CHANNELS}ch ${SIZE}x${SIZE} 2x2`;
  const pool = new nn.MaxPool2d(2);
  const x = randn([batch, POOL_CHANNELS, SIZE, SIZE]);
  const dy = randn([batch, POOL_CHANNELS, SIZE / 2, SIZE / 2]);

  const forwardName = `maxPool2d fwd ${shape}`;
  const forward = timeIt(() => noGrad(() => pool.forward(x)), config.timing);
  const forwardSetup = (tf: Tf) => {
    const tx = tf.randomNormal([batch, SIZE, SIZE, POOL_CHANNELS]) as Tensor4D;
    return { inputs: [tx], compute: () => tf.maxPool(tx, 2, 2, 'valid') };
  };

  const trainName = `maxPool2d fwd+bwd ${shape}`;
  const xGrad = x.detach();
  xGrad.requiresGrad = true;
  const train = timeIt(() => {
    xGrad.grad = null;
    pool.forward(xGrad).backward(dy);
  }, config.timing);
  const trainSetup = (tf: Tf) => {
    const tx = tf.randomNormal([batch, SIZE, SIZE, POOL_CHANNELS]) as Tensor4D;
    const tdy = tf.randomNormal([batch, SIZE / 2, SIZE / 2, POOL_CHANNELS]) as Tensor4D;
    const gradient = tf.grad((a: TfTensor) => tf.maxPool(a as Tensor4D, 2, 2, 'valid'));
    return { inputs: [tx, tdy], compute: () => gradient(tx, tdy) };
  };

  return [
    row(forwardName, forward,
      await timeTfjsCase(config, 'cpu', forwardName, forwardSetup), await timeTfjsCase(config, 'wasm', forwardName, forwardSetup)),
    row(trainName, train,
      await timeTfjsCase(config, 'cpu', trainName, trainSetup), await timeTfjsCase(config, 'wasm', trainName, trainSetup)),
  ];
}

/**
 * The conv suite: Conv2d (16→32, 3×3, padding 1, 28×28) forward and
 * forward+backward, MaxPool2d (32 channels, 28×28, 2×2) forward and
 * forward+backward; batch 32, or 2 with `--quick`.
 *
 * @example
 * const rows = await convSuite.run(makeConfig(true, null)); // tensorgrad only, quick
 */
export const convSuite: BenchSuite = {
  name: 'conv',
  async run(config: BenchConfig): Promise<BenchRow[]> {
    if (config.tfjs !== null) registerTfjsGradients();
    const batch = config.quick ? 2 : 32;
    return [...(await convRows(config, batch)), ...(await poolRows(config, batch))];
  },
};
