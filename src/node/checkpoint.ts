/**
 * Saving the model during training, as a `train.fit` callback.
 * @module
 */
import type { Callback, Logs, TrainingContext } from '../train/callbacks.js';
import { saveModel } from './model-io.js';

/** Options of {@link modelCheckpoint}. */
export interface ModelCheckpointOptions {
  /** File to write (safetensors); `{epoch}` is replaced by the epoch number (from 1). */
  path: string;
  /** The figure that decides "best" (default 'valLoss'). */
  monitor?: string;
  /** Save only when the monitored figure improves (default false: save every epoch). */
  saveBestOnly?: boolean;
  /** Whether smaller or larger is better; 'auto' (default) takes larger for names containing 'acc'. */
  mode?: 'min' | 'max' | 'auto';
}

/** The callback {@link modelCheckpoint} returns. */
export interface ModelCheckpointCallback extends Callback {
  /** The files written so far, in order. */
  saved: string[];
}

/**
 * A `train.fit` callback that saves the model's state dict as safetensors
 * after each epoch, or only when the monitored figure improves (Keras's
 * `ModelCheckpoint`). The epoch and its figures go into the file's metadata.
 * @param options - `path`, `monitor`, `saveBestOnly`, `mode`
 * @returns the callback; `saved` lists the files written
 * @throws Error (during training) when `monitor` is not among the logs
 * @example
 * import { modelCheckpoint } from 'tensorgrad/node';
 * await train.fit(model, data, { ..., callbacks: [modelCheckpoint({ path: 'best.safetensors', saveBestOnly: true })] });
 */
export function modelCheckpoint(options: ModelCheckpointOptions): ModelCheckpointCallback {
  const { path, monitor = 'valLoss', saveBestOnly = false, mode = 'auto' } = options;
  if (typeof path !== 'string' || path.length === 0) throw new Error('modelCheckpoint: path must be a non-empty string');
  const larger = mode === 'max' || (mode === 'auto' && /acc/i.test(monitor));
  let best = larger ? -Infinity : Infinity;
  const callback = {
    saved: [] as string[],
    onTrainBegin() {
      best = larger ? -Infinity : Infinity;
    },
    async onEpochEnd(epoch: number, logs: Logs, context: TrainingContext) {
      const value = logs[monitor];
      if (saveBestOnly) {
        if (value === undefined) {
          throw new Error(`modelCheckpoint: the logs have no '${monitor}' (they have ${Object.keys(logs).join(', ')})`);
        }
        if (!(larger ? value > best : value < best)) return;
        best = value;
      }
      const file = path.replace(/\{epoch\}/g, String(epoch + 1));
      const metadata = Object.fromEntries([['epoch', String(epoch + 1)], ...Object.entries(logs).map(([k, v]) => [k, String(v)])]);
      await saveModel(context.model, file, metadata);
      callback.saved.push(file);
    },
  };
  return callback;
}
