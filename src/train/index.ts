/**
 * Training: `fit` / `evaluate` / `predict`, metrics, callbacks and progress
 * reporting. Node's live progress bar and `modelCheckpoint` are in
 * `tensorgrad/node`.
 * @module
 */
export { fit, evaluate, predict, type FitOptions, type History, type EvaluateOptions, type Evaluation } from './fit.js';
export { accuracy, binaryAccuracy, binaryAccuracyAt, mae, type Metric, type MetricName, type MetricScore } from './metrics.js';
export {
  earlyStopping, type Callback, type EarlyStoppingCallback, type EarlyStoppingOptions, type Logs, type TrainingContext,
} from './callbacks.js';
export { epochLogger, formatEpoch, type ProgressReporter, type BatchProgress, type EpochSummary } from './progress.js';
export type { ArrayData, Batch, BatchSource, Loss, LossFunction, OptimizerLike, Target } from './types.js';
