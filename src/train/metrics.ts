/**
 * Metrics: accumulated over an epoch as a total and a count, so the epoch
 * value is exact however the batches are sized.
 * @module
 */
import { Tensor } from '../tensor/tensor.js';
import type { Target } from './types.js';

/** One batch's contribution to a metric. */
export interface MetricScore {
  /** Sum of the per-sample scores (e.g. correct predictions). */
  total: number;
  /** Number of scored samples (or elements). */
  count: number;
}

/** A metric: what one batch adds to the running total and count. */
export interface Metric {
  /** Key in logs and history (`accuracy`, `valAccuracy`, …). */
  readonly name: string;
  /**
   * Scores one batch.
   * @param output - the model's output for the batch
   * @param target - the batch's targets
   * @returns the batch's contribution: `total / count` is its mean score
   */
  update(output: Tensor, target: Target): MetricScore;
}

/** Built-in metric names. */
export type MetricName = 'accuracy' | 'binaryAccuracy' | 'mae';

function targetValues(target: Target): ArrayLike<number> {
  return target instanceof Tensor ? target.data : target;
}

/** Index of the largest value in each row of a `[N, C]` buffer. */
function rowArgmax(values: Float32Array, rows: number, classes: number): Int32Array {
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (values[r * classes + c]! > values[r * classes + best]!) best = c;
    out[r] = best;
  }
  return out;
}

/**
 * Classification accuracy. With `C > 1` output columns the prediction is the
 * argmax; the target is either integer labels or one-hot / probability rows
 * (their argmax). With one output column it is binary accuracy at 0.5.
 * @example train.fit(model, data, { ..., metrics: [train.accuracy] });
 */
export const accuracy: Metric = {
  name: 'accuracy',
  update(output, target) {
    const rows = output.shape[0] ?? 1;
    const classes = output.size / Math.max(rows, 1);
    if (classes === 1) return binaryAccuracy.update(output, target);
    const predicted = rowArgmax(output.data, rows, classes);
    const labels = target instanceof Tensor && target.size === output.size
      ? rowArgmax(target.data, rows, classes)
      : targetValues(target);
    if (labels.length !== rows) {
      throw new Error(`accuracy: ${rows} predictions but ${labels.length} targets`);
    }
    let correct = 0;
    for (let r = 0; r < rows; r++) if (predicted[r] === labels[r]) correct++;
    return { total: correct, count: rows };
  },
};

/**
 * Binary accuracy with a decision threshold (Keras's
 * `BinaryAccuracy(threshold)`): an output above `threshold` predicts 1, and
 * a target above 0.5 is a 1. For a model that emits logits (trained with
 * `binaryCrossEntropyWithLogits`) the threshold is 0, since σ(z) > 0.5
 * exactly when z > 0.
 * @param threshold - the output value above which the prediction is 1
 * @returns a metric named `binaryAccuracy`
 * @throws Error when `threshold` is not a finite number
 * @example
 * // a model ending in a Dense(…, 1) without sigmoid:
 * train.fit(model, data, { loss: losses.binaryCrossEntropyWithLogits, metrics: [train.binaryAccuracyAt(0)] });
 */
export function binaryAccuracyAt(threshold: number): Metric {
  if (typeof threshold !== 'number' || !Number.isFinite(threshold)) {
    throw new Error(`binaryAccuracyAt: expected a finite threshold, got ${String(threshold)}`);
  }
  return {
    name: 'binaryAccuracy',
    update(output, target) {
      const expected = targetValues(target);
      if (expected.length !== output.size) {
        throw new Error(`binaryAccuracy: ${output.size} predictions but ${expected.length} targets`);
      }
      let correct = 0;
      for (let i = 0; i < output.size; i++) {
        if ((output.data[i]! > threshold ? 1 : 0) === (expected[i]! > 0.5 ? 1 : 0)) correct++;
      }
      return { total: correct, count: output.size };
    },
  };
}

/**
 * Binary accuracy: predictions (probabilities) above 0.5 count as 1; for
 * logits use {@link binaryAccuracyAt}(0).
 * @example train.fit(model, data, { ..., metrics: ['binaryAccuracy'] });
 */
export const binaryAccuracy: Metric = binaryAccuracyAt(0.5);

/**
 * Mean absolute error between output and target tensors.
 * @example train.fit(model, data, { ..., metrics: ['mae'] });
 */
export const mae: Metric = {
  name: 'mae',
  update(output, target) {
    const expected = targetValues(target);
    if (expected.length !== output.size) {
      throw new Error(`mae: ${output.size} predictions but ${expected.length} targets`);
    }
    let total = 0;
    for (let i = 0; i < output.size; i++) total += Math.abs(output.data[i]! - expected[i]!);
    return { total, count: output.size };
  },
};

const builtIn: Record<MetricName, Metric> = { accuracy, binaryAccuracy, mae };

/**
 * Resolves metric names to metrics.
 * @param metrics - names or metric objects
 * @returns the metrics
 * @throws Error for an unknown name
 */
export function resolveMetrics(metrics: readonly (MetricName | Metric)[]): Metric[] {
  return metrics.map((m) => {
    if (typeof m !== 'string') return m;
    const metric = builtIn[m];
    if (!metric) throw new Error(`metrics: unknown metric '${m}' (known: ${Object.keys(builtIn).join(', ')})`);
    return metric;
  });
}
