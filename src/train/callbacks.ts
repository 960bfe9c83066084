/**
 * Callbacks: hooks into the training loop (Keras's idea), and early stopping.
 * @module
 */
import type { Module } from '../nn/module.js';

/** Figures of a finished epoch: `loss`, metrics, and `valLoss`/`valAccuracy`… with validation. */
export type Logs = Record<string, number>;

/** What callbacks can see and steer. */
export interface TrainingContext {
  /** The model being trained. */
  readonly model: Module;
  /** Set to true to end training after the current epoch (early stopping does). */
  stopTraining: boolean;
}

/** Hooks called by `fit`; implement any subset. Epochs and batches count from 0. */
export interface Callback {
  /** Before the first epoch. */
  onTrainBegin?(context: TrainingContext): void;
  /** At the start of each epoch. */
  onEpochBegin?(epoch: number, context: TrainingContext): void;
  /** After each optimizer step, with the batch's loss and size. */
  onBatchEnd?(batch: number, logs: { loss: number; size: number }, context: TrainingContext): void;
  /** After each epoch (and its validation), with the epoch's figures. */
  onEpochEnd?(epoch: number, logs: Logs, context: TrainingContext): void | Promise<void>;
  /** After the last epoch (or an early stop). */
  onTrainEnd?(context: TrainingContext): void;
}

/** Options of {@link earlyStopping}. */
export interface EarlyStoppingOptions {
  /** The figure to watch (default 'valLoss'; 'loss' without validation data). */
  monitor?: string;
  /** Epochs without improvement before stopping (default 0). */
  patience?: number;
  /** Smallest change that counts as improvement (default 0). */
  minDelta?: number;
  /** Whether smaller or larger is better; 'auto' (default) takes larger for names containing 'acc'. */
  mode?: 'min' | 'max' | 'auto';
  /** Put back the weights of the best epoch when stopping or finishing (default false). */
  restoreBest?: boolean;
}

/** The callback {@link earlyStopping} returns, with what it decided. */
export interface EarlyStoppingCallback extends Callback {
  /** The epoch after which training stopped, or null if it ran to the end. */
  stoppedEpoch: number | null;
  /** The epoch with the best monitored figure so far, or null before the first. */
  bestEpoch: number | null;
}

/**
 * Stops training when a monitored figure stops improving (Keras's
 * `EarlyStopping`).
 * @param options - `monitor`, `patience`, `minDelta`, `mode`, `restoreBest`
 * @returns the callback
 * @example train.fit(model, data, { ..., callbacks: [train.earlyStopping({ patience: 2, restoreBest: true })] });
 */
export function earlyStopping(options: EarlyStoppingOptions = {}): EarlyStoppingCallback {
  const { monitor = 'valLoss', patience = 0, minDelta = 0, mode = 'auto', restoreBest = false } = options;
  const larger = mode === 'max' || (mode === 'auto' && /acc/i.test(monitor));
  let best = larger ? -Infinity : Infinity;
  let wait = 0;
  let bestWeights: Record<string, Float32Array> | null = null;
  const restore = (model: Module): void => {
    if (!restoreBest || bestWeights === null) return;
    for (const [name, p] of model.namedParameters()) p.data.set(bestWeights[name]!);
  };
  const callback = {
    stoppedEpoch: null as number | null,
    bestEpoch: null as number | null,
    onTrainBegin() {
      best = larger ? -Infinity : Infinity;
      wait = 0;
      bestWeights = null;
      callback.stoppedEpoch = null;
      callback.bestEpoch = null;
    },
    onEpochEnd(epoch: number, logs: Logs, context: TrainingContext) {
      const value = logs[monitor];
      if (value === undefined) {
        throw new Error(`earlyStopping: the logs have no '${monitor}' (they have ${Object.keys(logs).join(', ')})`);
      }
      const improved = larger ? value > best + minDelta : value < best - minDelta;
      if (improved) {
        best = value;
        wait = 0;
        callback.bestEpoch = epoch;
        if (restoreBest) {
          bestWeights = Object.fromEntries(context.model.namedParameters().map(([name, p]) => [name, p.data.slice()]));
        }
      } else if (++wait > patience) {
        context.stopTraining = true;
        callback.stoppedEpoch = epoch;
        restore(context.model);
      }
    },
    onTrainEnd(context: TrainingContext) {
      if (callback.stoppedEpoch === null) restore(context.model);
    },
  };
  return callback;
}
