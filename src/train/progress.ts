/**
 * Progress reporting. The loop only emits events to a reporter; printing is
 * the reporter's business: the core has a plain one-line-per-epoch logger
 * (fine for browsers' consoles and CI logs), and `tensorgrad/node` has a live
 * terminal progress bar.
 * @module
 */

/** Where a batch leaves the epoch. */
export interface BatchProgress {
  /** Epoch index, from 0. */
  epoch: number;
  /** Total epochs planned. */
  epochs: number;
  /** Batches done in this epoch. */
  batch: number;
  /** Batches per epoch. */
  batches: number;
  /** Mean loss so far this epoch. */
  loss: number;
  /** Running metric values this epoch. */
  metrics: Record<string, number>;
  /** Samples seen this epoch. */
  samples: number;
  /** Milliseconds since the epoch began. */
  elapsedMs: number;
}

/** A finished epoch. */
export interface EpochSummary {
  /** Epoch index, from 0. */
  epoch: number;
  /** Total epochs planned. */
  epochs: number;
  /** The epoch's figures: `loss`, metrics, `valLoss`, `valAccuracy`, …. */
  logs: Record<string, number>;
  /** Samples trained on. */
  samples: number;
  /** Wall time of the epoch (training and validation), in milliseconds. */
  elapsedMs: number;
}

/** Receives the loop's progress events. */
export interface ProgressReporter {
  /** An epoch starts. */
  onEpochBegin?(epoch: number, epochs: number, batches: number): void;
  /** A batch is done. */
  onBatchEnd?(progress: BatchProgress): void;
  /** An epoch (with validation) is done. */
  onEpochEnd?(summary: EpochSummary): void;
}

/**
 * Formats an epoch's figures as one line:
 * `epoch 1/5 - 12.3s - 4878 samples/s - loss 0.2741 - accuracy 0.9213 - valLoss 0.1432 - valAccuracy 0.9571`.
 * @param summary - the finished epoch
 * @returns the line
 * @example formatEpoch(summary);
 */
export function formatEpoch(summary: EpochSummary): string {
  const seconds = summary.elapsedMs / 1000;
  const rate = seconds > 0 ? Math.round(summary.samples / seconds) : 0;
  const figures = Object.entries(summary.logs).map(([name, value]) => `${name} ${value.toFixed(4)}`);
  return [`epoch ${summary.epoch + 1}/${summary.epochs}`, `${seconds.toFixed(1)}s`, `${rate} samples/s`, ...figures].join(' - ');
}

/**
 * A reporter that writes one plain line per epoch (see {@link formatEpoch}).
 * @param write - where lines go (default `console.log`)
 * @returns the reporter
 * @example train.fit(model, data, { ..., reporter: train.epochLogger() });
 */
export function epochLogger(write: (line: string) => void = (line) => console.log(line)): ProgressReporter {
  return { onEpochEnd: (summary) => write(formatEpoch(summary)) };
}
