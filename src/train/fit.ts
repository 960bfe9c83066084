/**
 * The training loop: `fit` (Keras's shape, PyTorch's mechanics), `evaluate`
 * and `predict`.
 * @module
 */
import { noGrad } from '../autograd/grad-mode.js';
import { Module } from '../nn/module.js';
import { concat, narrow } from '../ops/slice.js';
import { Tensor } from '../tensor/tensor.js';
import type { Callback, Logs, TrainingContext } from './callbacks.js';
import { resolveMetrics, type Metric, type MetricName } from './metrics.js';
import { epochLogger, type ProgressReporter } from './progress.js';
import { arrayDataset, isArrayData, loaderOf, splitSources } from './sources.js';
import type { ArrayData, BatchSource, Loss, OptimizerLike, Target } from './types.js';

/** Options of {@link fit}. */
export interface FitOptions {
  /** The loss: a function `(output, target) → scalar` or a loss module. */
  loss: Loss;
  /** The optimizer, built on `model.parameters()`. */
  optimizer: OptimizerLike;
  /** Passes over the training data (default 1). */
  epochs?: number;
  /** Batch size for `{ x, y }` data (default 32, as Keras). Ignored for a DataLoader. */
  batchSize?: number;
  /** Shuffle `{ x, y }` data each epoch (default true). Ignored for a DataLoader. */
  shuffle?: boolean;
  /** Fraction of `{ x, y }` held out for validation — the LAST samples, as Keras's `validation_split`. */
  validationSplit?: number;
  /** Validation data: `{ x, y }` or a DataLoader. */
  validationData?: ArrayData | BatchSource;
  /** Metrics to report: 'accuracy', 'binaryAccuracy', 'mae' or custom {@link Metric}s. */
  metrics?: readonly (MetricName | Metric)[];
  /** Hooks into the loop (e.g. `earlyStopping`). */
  callbacks?: readonly Callback[];
  /** 0: silent; 1 (default): report progress through `reporter`. */
  verbose?: 0 | 1;
  /** Where progress goes (default: one line per epoch on the console; in Node, `progressBar()` from `tensorgrad/node` draws a live bar). */
  reporter?: ProgressReporter;
  /** Seed of the shuffle of `{ x, y }` data, so that a run is reproducible. */
  seed?: number;
}

/** What {@link fit} returns: one entry per finished epoch. */
export interface History {
  /** Epoch indices (from 0). */
  epoch: number[];
  /** Mean training loss per epoch. */
  loss: number[];
  /** Validation loss per epoch, when there is validation data. */
  valLoss?: number[];
  /** Each metric per epoch (`accuracy`, and `valAccuracy` with validation data). */
  metrics: Record<string, number[]>;
}

/** Options of {@link evaluate}. */
export interface EvaluateOptions {
  /** The loss to report (optional: only metrics without it). */
  loss?: Loss;
  /** Metrics to report. */
  metrics?: readonly (MetricName | Metric)[];
  /** Batch size for `{ x, y }` data (default 32). */
  batchSize?: number;
}

/** What {@link evaluate} returns. */
export interface Evaluation {
  /** Mean loss over the data (when a loss was given). */
  loss?: number;
  /** Each metric over the whole data. */
  metrics: Record<string, number>;
}

/**
 * How much work runs between two yields to the event loop. A yield costs
 * about 1 ms in Node and 4 ms in browsers (clamped timers), so this keeps
 * the overhead to a few percent while a page stays responsive.
 */
const YIELD_INTERVAL_MS = 100;

/** Lets timers, I/O and (in a browser) rendering and input run: a macrotask, not just a microtask. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

function lossOf(loss: Loss, output: Tensor, target: Target): Tensor {
  const value = loss instanceof Module ? loss.forward(output, target) : loss(output, target);
  if (!(value instanceof Tensor) || value.size !== 1) {
    throw new Error(`fit: the loss must return a one-element tensor, got ${value instanceof Tensor ? `shape [${value.shape.join(',')}]` : typeof value}`);
  }
  return value;
}

function batchSizeOf(x: Tensor): number {
  return x.shape[0] ?? 1;
}

/** Running sums of loss and metrics over an epoch. */
class Accumulator {
  private lossTotal = 0;
  private samples = 0;
  private readonly totals: number[];
  private readonly counts: number[];

  constructor(private readonly metrics: readonly Metric[]) {
    this.totals = metrics.map(() => 0);
    this.counts = metrics.map(() => 0);
  }

  add(loss: number | null, output: Tensor, target: Target, size: number): void {
    if (loss !== null) this.lossTotal += loss * size;
    this.samples += size;
    this.metrics.forEach((metric, i) => {
      const { total, count } = metric.update(output, target);
      this.totals[i]! += total;
      this.counts[i]! += count;
    });
  }

  get seen(): number {
    return this.samples;
  }

  get loss(): number {
    return this.lossTotal / Math.max(this.samples, 1);
  }

  values(prefix = ''): Record<string, number> {
    const out: Record<string, number> = {};
    this.metrics.forEach((metric, i) => {
      const name = prefix ? `${prefix}${metric.name[0]!.toUpperCase()}${metric.name.slice(1)}` : metric.name;
      out[name] = this.totals[i]! / Math.max(this.counts[i]!, 1);
    });
    return out;
  }
}

/**
 * Trains `model` on `data` for `epochs` passes: for each batch, zero the
 * gradients, forward, loss, backward, optimizer step. Reports the epoch's
 * mean loss and metrics, validates after each epoch when asked, and runs the
 * callbacks. The model is left in training mode.
 * @param model - the model to train
 * @param data - `{ x, y }` (batched and shuffled here) or a DataLoader / batch source
 * @param options - loss, optimizer, epochs, batching, validation, metrics, callbacks, reporting
 * @returns the history of losses and metrics per epoch
 * @throws Error for inconsistent data, a validation split without `{ x, y }`, or a non-scalar loss
 * @example
 * const history = await train.fit(model, { x: images, y: labels }, {
 *   loss: losses.crossEntropy, optimizer: new optim.Adam(model.parameters()),
 *   epochs: 5, batchSize: 32, validationSplit: 0.1, metrics: ['accuracy'],
 * });
 */
export async function fit(model: Module, data: ArrayData | BatchSource, options: FitOptions): Promise<History> {
  if (!(model instanceof Module)) throw new Error('fit: expected model to be an nn.Module');
  const { loss, optimizer, epochs = 1, batchSize = 32, shuffle = true, validationSplit, callbacks = [], verbose = 1, seed } = options;
  if (!Number.isInteger(epochs) || epochs < 0) throw new Error(`fit: epochs must be a non-negative integer, got ${epochs}`);
  if (typeof optimizer?.step !== 'function' || typeof optimizer?.zeroGrad !== 'function') {
    throw new Error('fit: expected an optimizer with zeroGrad() and step()');
  }
  const metrics = resolveMetrics(options.metrics ?? []);
  const reporter = verbose === 0 ? {} : (options.reporter ?? epochLogger());

  let trainSource: BatchSource;
  let validationSource: BatchSource | undefined;
  if (validationSplit !== undefined) {
    if (!isArrayData(data)) throw new Error('fit: validationSplit needs { x, y } data; pass validationData with a DataLoader');
    ({ train: trainSource, validation: validationSource } = splitSources(data, validationSplit, batchSize, shuffle, seed));
  } else {
    trainSource = isArrayData(data) ? loaderOf(arrayDataset(data, 'fit'), batchSize, shuffle, seed) : data;
  }
  if (options.validationData !== undefined) {
    validationSource = isArrayData(options.validationData)
      ? loaderOf(arrayDataset(options.validationData, 'fit'), batchSize, false)
      : options.validationData;
  }

  const history: History = { epoch: [], loss: [], metrics: {}, ...(validationSource ? { valLoss: [] } : {}) };
  const context: TrainingContext = { model, stopTraining: false };
  let lastYield = Date.now();
  callbacks.forEach((c) => c.onTrainBegin?.(context));
  for (let epoch = 0; epoch < epochs && !context.stopTraining; epoch++) {
    const started = Date.now();
    model.train();
    callbacks.forEach((c) => c.onEpochBegin?.(epoch, context));
    reporter.onEpochBegin?.(epoch, epochs, trainSource.length);
    const running = new Accumulator(metrics);
    let batch = 0;
    for (const [x, y] of trainSource) {
      optimizer.zeroGrad();
      const output = model.forward(x);
      const batchLoss = lossOf(loss, output, y);
      batchLoss.backward();
      optimizer.step();
      const size = batchSizeOf(x);
      const value = batchLoss.item();
      running.add(value, output, y, size);
      batch++;
      callbacks.forEach((c) => c.onBatchEnd?.(batch - 1, { loss: value, size }, context));
      // Build the progress record only for reporters that draw batches.
      if (reporter.onBatchEnd) {
        reporter.onBatchEnd({
          epoch, epochs, batch, batches: trainSource.length, loss: running.loss,
          metrics: running.values(), samples: running.seen, elapsedMs: Date.now() - started,
        });
      }
      if (Date.now() - lastYield >= YIELD_INTERVAL_MS) {
        await yieldToEventLoop();
        lastYield = Date.now();
      }
    }
    const logs: Logs = { loss: running.loss, ...running.values() };
    if (validationSource) {
      const validation = evaluateSource(model, validationSource, loss, metrics);
      logs['valLoss'] = validation.loss;
      Object.assign(logs, validation.values);
      history.valLoss!.push(validation.loss);
    }
    history.epoch.push(epoch);
    history.loss.push(running.loss);
    for (const [name, value] of Object.entries(logs)) {
      if (name === 'loss' || name === 'valLoss') continue;
      (history.metrics[name] ??= []).push(value);
    }
    for (const c of callbacks) await c.onEpochEnd?.(epoch, logs, context);
    reporter.onEpochEnd?.({ epoch, epochs, logs, samples: running.seen, elapsedMs: Date.now() - started });
  }
  callbacks.forEach((c) => c.onTrainEnd?.(context));
  model.train();
  return history;
}

/** Loss and metrics of the model over a batch source, in eval mode without a graph. */
function evaluateSource(model: Module, source: BatchSource, loss: Loss | undefined, metrics: readonly Metric[]): { loss: number; values: Record<string, number> } {
  const wasTraining = model.training;
  model.eval();
  try {
    return noGrad(() => {
      const acc = new Accumulator(metrics);
      for (const [x, y] of source) {
        const output = model.forward(x);
        acc.add(loss ? lossOf(loss, output, y).item() : null, output, y, batchSizeOf(x));
      }
      return { loss: loss ? acc.loss : NaN, values: acc.values('val') };
    });
  } finally {
    model.train(wasTraining);
  }
}

/**
 * Loss and metrics of `model` on `data`, in eval mode and without recording
 * a graph; the model's mode is restored afterwards.
 * @param model - the model
 * @param data - `{ x, y }` or a DataLoader / batch source
 * @param options - `loss`, `metrics`, `batchSize`
 * @returns `{ loss?, metrics }`
 * @example const { loss, metrics } = train.evaluate(model, test, { loss: losses.crossEntropy, metrics: ['accuracy'] });
 */
export function evaluate(model: Module, data: ArrayData | BatchSource, options: EvaluateOptions = {}): Evaluation {
  const metrics = resolveMetrics(options.metrics ?? []);
  const source = isArrayData(data) ? loaderOf(arrayDataset(data, 'evaluate'), options.batchSize ?? 32, false) : data;
  const result = evaluateSource(model, source, options.loss, metrics);
  const values: Record<string, number> = {};
  metrics.forEach((m) => {
    values[m.name] = result.values[`val${m.name[0]!.toUpperCase()}${m.name.slice(1)}`]!;
  });
  return options.loss ? { loss: result.loss, metrics: values } : { metrics: values };
}

/**
 * The model's outputs for `x`, computed in batches in eval mode without
 * recording a graph; the model's mode is restored afterwards.
 * @param model - the model
 * @param x - inputs `[N, ...]`
 * @param options - `batchSize` (default 32)
 * @returns the outputs `[N, ...]`
 * @example const probabilities = train.predict(model, images).softmax(1);
 */
export function predict(model: Module, x: Tensor, options: { batchSize?: number } = {}): Tensor {
  const { batchSize = 32 } = options;
  if (!(x instanceof Tensor) || x.ndim === 0) throw new Error('predict: expected an input tensor with a batch axis');
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`predict: batchSize must be a positive integer, got ${batchSize}`);
  const wasTraining = model.training;
  model.eval();
  try {
    return noGrad(() => {
      const n = x.shape[0]!;
      const outputs: Tensor[] = [];
      for (let start = 0; start < n; start += batchSize) outputs.push(model.forward(narrow(x, 0, start, Math.min(batchSize, n - start))));
      return outputs.length === 1 ? outputs[0]! : concat(outputs, 0);
    });
  } finally {
    model.train(wasTraining);
  }
}
