/**
 * Whole training steps of the three example models (issue 6), tensorgrad
 * against the same models built with TensorFlow.js layers on its cpu and
 * wasm backends, in the same process:
 *
 * - `mnist-mlp`: Dense 784→128, ReLU, Dense 128→10; sparse categorical
 *   cross-entropy, Adam 1e-3, batch 32;
 * - `mnist-cnn` (LeNet): Conv2d 1→6 5×5, ReLU, MaxPool 2, Conv2d 6→16 5×5,
 *   ReLU, MaxPool 2, Flatten, Dense 256→120→84→10 (ReLU between); SGD lr
 *   0.01 momentum 0.9, batch 64 (tfjs gets its native NHWC input);
 * - `lstm-sine`: LSTM(50) returning sequences → LSTM(50) → Dense(1) over 20
 *   steps of 1 feature; MSE, Adam 1e-3, batch 32.
 *
 * One step is what a training loop does per batch: tensorgrad's
 * `opt.zeroGrad()`, forward, loss, `backward()`, `opt.step()` (and reading
 * the loss); tfjs's `await model.trainOnBatch(x, y)` on a compiled
 * `tf.sequential` (its idiomatic per-batch call: forward, loss, gradients,
 * optimizer update, loss read back). The data are synthetic tensors of the
 * right shapes, fixed across steps: per-step time does not depend on the
 * values. Each cell is the median of 20 timed steps after 3 warm-up steps
 * (tfjs-cpu's LeNet, whose naive conv filter gradient takes seconds per
 * step: 1 warm-up + 5 timed; `--quick`: 1 + 3 everywhere and that cell
 * skipped). The one-epoch estimate is the median step × steps per epoch.
 *
 * The Keras-style tfjs models end in a softmax and use
 * `sparseCategoricalCrossentropy` (Keras's usual pairing); tensorgrad's
 * `crossEntropy` takes the logits. tfjs-wasm cannot train LeNet: it has no
 * Conv2DBackpropFilter kernel, and the cell says so.
 *
 * @module
 */

import { createRequire } from 'node:module';
import { leNet } from '../examples/lenet.js';
import { losses, manualSeed, nn, optim, rand, randn, type Tensor } from '../src/index.js';
import type { BenchConfig, BenchRow, BenchSuite, Timing } from './harness.js';
import type { Backend, Tf } from './tfjs.js';
// Types only: tfjs is loaded at run time, and only when the run uses it.
import type { Tensor as TfTensor } from '@tensorflow/tfjs-core';
import type * as Tfl from '@tensorflow/tfjs-layers';

/** The tfjs-layers namespace. */
type TfLayers = typeof Tfl;

/** Warm-up and timed steps for one cell. */
interface StepTiming {
  warmup: number;
  reps: number;
}

/** A step to time: synchronous (tensorgrad) or a promise (tfjs `trainOnBatch`). */
export type Step = () => unknown;

/** One benchmarked model, built for tensorgrad and for tfjs-layers. */
export interface TrainingCase {
  /** The example's name, e.g. `mnist-mlp`. */
  name: string;
  /** Row label details: batch, optimizer. */
  detail: string;
  /** Steps in one epoch, and how that number comes about. */
  stepsPerEpoch: number;
  epochNote: string;
  /** Builds model, optimizer and data; returns one training step. */
  tensorgrad(): Step;
  /** Builds and compiles the tfjs model and its data on the active backend. */
  tfjs(tf: Tf, tfl: TfLayers): { model: Tfl.Sequential; x: TfTensor; y: TfTensor };
}

/** Integer labels 0..classes−1 from the seeded generator, as tensorgrad's crossEntropy takes them. */
function randomLabels(n: number, classes: number): Int32Array {
  const uniform = rand([n]).data;
  return Int32Array.from(uniform, (u) => Math.min(classes - 1, Math.floor(u * classes)));
}

/** tensorgrad's step: zeroGrad, forward, loss, backward, optimizer step, loss read back. */
function tensorgradStep(opt: optim.Optimizer, loss: () => Tensor): Step {
  return () => {
    opt.zeroGrad();
    const value = loss();
    value.backward();
    opt.step();
    return value.item();
  };
}

const MLP_BATCH = 32;
const CNN_BATCH = 64;
const LSTM_BATCH = 32;
const LSTM_STEPS = 20;
const LSTM_HIDDEN = 50;
const LSTM_WINDOWS = 1000;

/** The three example models, as timed by this suite (and by `copies.ts`). */
export const trainingCases: TrainingCase[] = [
  {
    name: 'mnist-mlp',
    detail: `B${MLP_BATCH} Adam`,
    stepsPerEpoch: Math.ceil(54000 / MLP_BATCH),
    epochNote: `54000 / ${MLP_BATCH}`,
    tensorgrad() {
      const model = new nn.Sequential(new nn.Dense(784, 128), new nn.ReLU(), new nn.Dense(128, 10));
      const opt = new optim.Adam(model.parameters(), { lr: 1e-3 });
      const x = rand([MLP_BATCH, 784]);
      const y = randomLabels(MLP_BATCH, 10);
      return tensorgradStep(opt, () => losses.crossEntropy(model.forward(x), y));
    },
    tfjs(tf, tfl) {
      const model = tfl.sequential({
        layers: [
          tfl.layers.dense({ inputShape: [784], units: 128, activation: 'relu' }),
          tfl.layers.dense({ units: 10, activation: 'softmax' }),
        ],
      });
      model.compile({ optimizer: tf.train.adam(1e-3), loss: 'sparseCategoricalCrossentropy' });
      const x = tf.randomUniform([MLP_BATCH, 784]);
      const y = tf.tensor1d(Array.from(randomLabels(MLP_BATCH, 10)));
      return { model, x, y };
    },
  },
  {
    name: 'mnist-cnn',
    detail: `LeNet B${CNN_BATCH} SGD+mom`,
    stepsPerEpoch: Math.ceil(60000 / CNN_BATCH),
    epochNote: `60000 / ${CNN_BATCH}`,
    tensorgrad() {
      const model = leNet(); // the demo's architecture (examples/lenet.ts)
      const opt = new optim.SGD(model.parameters(), { lr: 0.01, momentum: 0.9 });
      const x = rand([CNN_BATCH, 1, 28, 28]);
      const y = randomLabels(CNN_BATCH, 10);
      return tensorgradStep(opt, () => losses.crossEntropy(model.forward(x), y));
    },
    tfjs(tf, tfl) {
      const model = tfl.sequential({
        layers: [
          tfl.layers.conv2d({ inputShape: [28, 28, 1], filters: 6, kernelSize: 5, activation: 'relu' }),
          tfl.layers.maxPooling2d({ poolSize: 2 }),
          tfl.layers.conv2d({ filters: 16, kernelSize: 5, activation: 'relu' }),
          tfl.layers.maxPooling2d({ poolSize: 2 }),
          tfl.layers.flatten(),
          tfl.layers.dense({ units: 120, activation: 'relu' }),
          tfl.layers.dense({ units: 84, activation: 'relu' }),
          tfl.layers.dense({ units: 10, activation: 'softmax' }),
        ],
      });
      model.compile({ optimizer: tf.train.momentum(0.01, 0.9), loss: 'sparseCategoricalCrossentropy' });
      const x = tf.randomUniform([CNN_BATCH, 28, 28, 1]);
      const y = tf.tensor1d(Array.from(randomLabels(CNN_BATCH, 10)));
      return { model, x, y };
    },
  },
  {
    name: 'lstm-sine',
    detail: `LSTM(${LSTM_HIDDEN})x2 B${LSTM_BATCH} T${LSTM_STEPS} Adam`,
    stepsPerEpoch: Math.ceil(LSTM_WINDOWS / LSTM_BATCH),
    epochNote: `${LSTM_WINDOWS} / ${LSTM_BATCH}`,
    tensorgrad() {
      const model = new nn.Sequential(
        new nn.LSTM(1, LSTM_HIDDEN),
        new nn.LSTM(LSTM_HIDDEN, LSTM_HIDDEN, { returnSequences: false }),
        new nn.Dense(LSTM_HIDDEN, 1),
      );
      const opt = new optim.Adam(model.parameters(), { lr: 1e-3 });
      const x = randn([LSTM_BATCH, LSTM_STEPS, 1]);
      const y = randn([LSTM_BATCH, 1]);
      return tensorgradStep(opt, () => losses.mseLoss(model.forward(x), y));
    },
    tfjs(tf, tfl) {
      const model = tfl.sequential({
        layers: [
          tfl.layers.lstm({ inputShape: [LSTM_STEPS, 1], units: LSTM_HIDDEN, returnSequences: true }),
          tfl.layers.lstm({ units: LSTM_HIDDEN }),
          tfl.layers.dense({ units: 1 }),
        ],
      });
      model.compile({ optimizer: tf.train.adam(1e-3), loss: 'meanSquaredError' });
      const x = tf.randomNormal([LSTM_BATCH, LSTM_STEPS, 1]);
      const y = tf.randomNormal([LSTM_BATCH, 1]);
      return { model, x, y };
    },
  },
];

/**
 * Times `reps` calls of `step` after `warmup` untimed ones, one by one,
 * awaiting the step when it returns a promise (tfjs's `trainOnBatch`).
 */
async function timeSteps(step: Step, { warmup, reps }: StepTiming): Promise<Timing> {
  const run = async () => {
    const result = step();
    if (result instanceof Promise) await result;
  };
  for (let i = 0; i < warmup; i++) await run();
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const mid = times.length >> 1;
  const medianMs = times.length % 2 === 1 ? times[mid]! : (times[mid - 1]! + times[mid]!) / 2;
  return { medianMs, minMs: times[0]!, reps: times.length };
}

/**
 * Runs `build` with tfjs-layers' "Orthogonal initializer is being called on
 * a matrix with more than 2000 … elements: Slowness may result" warning
 * muted (the LSTMs' 50×200 recurrent kernels trigger it on every build; the
 * initialiser runs once, outside the timing).
 */
function quietly<T>(build: () => T): T {
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (typeof args[0] === 'string' && args[0].startsWith('Orthogonal initializer')) return;
    warn(...args);
  };
  try {
    return build();
  } finally {
    console.warn = warn;
  }
}

/** A tfjs cell: its timing, or the text to show instead. */
type TfjsCell = { timing: Timing | null; note?: string };

/**
 * Builds the case's tfjs model on `backend` and times `trainOnBatch`. A
 * backend that cannot train the model throws on the first step; the cell
 * then names the missing kernel. Warns if tensors leak across steps.
 */
async function timeTfjsCase(
  config: BenchConfig, tf: Tf, tfl: TfLayers, backend: Backend, c: TrainingCase, timing: StepTiming,
): Promise<TfjsCell> {
  if (config.tfjs === null) return { timing: null };
  if (!(await config.tfjs.useBackend(backend))) return { timing: null, note: 'unavailable' };
  let built: ReturnType<TrainingCase['tfjs']> | null = null;
  try {
    built = quietly(() => c.tfjs(tf, tfl));
    const { model, x, y } = built;
    // Warm up here rather than in timeSteps, so that the tensor count is
    // taken after the optimizer has made its slots (moments, accumulators).
    for (let i = 0; i < timing.warmup; i++) await model.trainOnBatch(x, y);
    const before = tf.memory().numTensors;
    const result = await timeSteps(() => model.trainOnBatch(x, y), { warmup: 0, reps: timing.reps });
    const leaked = tf.memory().numTensors - before;
    if (leaked !== 0) console.log(`[training] ${c.name}, tfjs-${backend}: ${leaked} more tensors after the timed steps`);
    return { timing: result };
  } catch (err) {
    const message = (err as Error).message.split('\n')[0]!;
    const kernel = /Kernel '(\w+)' not registered/.exec(message)?.[1];
    console.log(`[training] ${c.name}, tfjs-${backend}: cannot train (${message})`);
    return { timing: null, note: kernel ? `cannot train (no ${kernel})` : 'cannot train' };
  } finally {
    if (built !== null) {
      built.model.optimizer.dispose();
      built.model.dispose();
      built.x.dispose();
      built.y.dispose();
    }
  }
}

/** Formats seconds with about three significant digits. */
function seconds(ms: number): string {
  const s = ms / 1000;
  return s >= 100 ? s.toFixed(0) : s >= 10 ? s.toFixed(1) : s.toFixed(2);
}

/**
 * Prints the estimated one-epoch times (median step × steps per epoch) of
 * every case, and tfjs ÷ tensorgrad.
 */
function printEpochTable(results: Array<{ c: TrainingCase; row: BenchRow }>): void {
  const header = ['one epoch (est.)', 'steps', 'tensorgrad s', 'tfjs-cpu s', 'tfjs-wasm s', 'cpu/tg', 'wasm/tg'];
  const body = results.map(({ c, row }) => {
    const cell = (t: Timing | null, note?: string) => (t === null ? note ?? '-' : seconds(t.medianMs * c.stepsPerEpoch));
    const ratio = (t: Timing | null) => (t === null || row.tensorgrad === null ? '-' : `${(t.medianMs / row.tensorgrad.medianMs).toFixed(1)}x`);
    return [
      c.name, `${c.stepsPerEpoch} (${c.epochNote})`,
      cell(row.tensorgrad), cell(row.tfjsCpu, row.notes?.tfjsCpu), cell(row.tfjsWasm, row.notes?.tfjsWasm),
      ratio(row.tfjsCpu), ratio(row.tfjsWasm),
    ];
  });
  const widths = header.map((h, col) => Math.max(h.length, ...body.map((cells) => cells[col]!.length)));
  const line = (cells: string[]) =>
    cells.map((cell, col) => (col === 0 ? cell.padEnd(widths[col]!) : cell.padStart(widths[col]!))).join(' | ');
  console.log('');
  console.log('[training] estimated one-epoch time = median step × steps per epoch:');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const cells of body) console.log(line(cells));
  console.log('');
}

/**
 * The training suite: one whole training step (zeroGrad, forward, loss,
 * backward, optimizer step) of `mnist-mlp`, `mnist-cnn` (LeNet) and
 * `lstm-sine`, tensorgrad against the same models in TensorFlow.js layers
 * (`trainOnBatch`) on cpu and wasm. Returns one row per model (median ms
 * per step) and prints the estimated one-epoch times.
 *
 * @example
 * const rows = await trainingSuite.run(makeConfig(true, await import('./tfjs.js')));
 */
export const trainingSuite: BenchSuite = {
  name: 'training',
  async run(config: BenchConfig): Promise<BenchRow[]> {
    manualSeed(0);
    const steps: StepTiming = config.quick ? { warmup: 1, reps: 3 } : { warmup: 10, reps: 20 };
    // tfjs-cpu's LeNet step takes seconds (naive conv filter gradient).
    const slow: StepTiming = { warmup: 1, reps: 5 };

    let tf: Tf | null = null;
    let tfl: TfLayers | null = null;
    if (config.tfjs !== null) {
      const require = createRequire(import.meta.url);
      // The same tfjs-core instance as bench/tfjs.ts (the Node builds are
      // CommonJS). tfjs-core ships without gradients and without the chained
      // ops (`t.flatten()`, used by tfjs-layers' orthogonal initialiser); the
      // `@tensorflow/tfjs` umbrella imports both side-effect modules, and so
      // do we, through `require` as in bench/lstm.ts (tsx compiles their
      // extensionless ES imports; tfjs keeps its Tensor class and registries
      // on the global object, so they patch the instance in use).
      tf = require('@tensorflow/tfjs-core') as Tf;
      require('@tensorflow/tfjs-core/dist/register_all_gradients.js');
      require('@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops.js');
      tfl = require('@tensorflow/tfjs-layers') as TfLayers;
    }

    const results: Array<{ c: TrainingCase; row: BenchRow }> = [];
    for (const c of trainingCases) {
      const tensorgrad = await timeSteps(c.tensorgrad(), steps);
      const skipCpu = config.quick && c.name === 'mnist-cnn';
      const cpu: TfjsCell = tf === null || tfl === null
        ? { timing: null }
        : skipCpu
          ? { timing: null, note: 'skipped in quick mode' }
          : await timeTfjsCase(config, tf, tfl, 'cpu', c, c.name === 'mnist-cnn' ? slow : steps);
      const wasm: TfjsCell = tf === null || tfl === null
        ? { timing: null }
        : await timeTfjsCase(config, tf, tfl, 'wasm', c, steps);
      const notes: NonNullable<BenchRow['notes']> = {};
      if (cpu.note) notes.tfjsCpu = cpu.note;
      if (wasm.note) notes.tfjsWasm = wasm.note;
      const row: BenchRow = {
        name: `train step ${c.name} ${c.detail}`,
        tensorgrad, tfjsCpu: cpu.timing, tfjsWasm: wasm.timing, notes,
      };
      results.push({ c, row });
    }
    printEpochTable(results);
    return results.map((r) => r.row);
  },
};
