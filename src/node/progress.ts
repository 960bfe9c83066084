/**
 * The terminal progress printer for `train.fit`: a live bar when the stream
 * is a TTY, one plain line per epoch otherwise (CI logs, pipes).
 * @module
 */
import { formatEpoch, type ProgressReporter } from '../train/progress.js';

/** Options of {@link progressBar}. */
export interface ProgressBarOptions {
  /** Where to write (default `process.stdout`). */
  stream?: NodeJS.WriteStream;
  /** Force live-bar (true) or line-per-epoch (false) output; default: whether `stream` is a TTY. */
  live?: boolean;
  /** Width of the bar in characters (default 24). */
  width?: number;
  /** Minimum milliseconds between redraws of the live bar (default 100). */
  intervalMs?: number;
}

function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  if (seconds < 60) return `${Math.round(seconds)}s`;
  return `${Math.floor(seconds / 60)}m${String(Math.round(seconds % 60)).padStart(2, '0')}s`;
}

/**
 * A progress reporter for `train.fit` in Node. On a TTY it redraws one line
 * per epoch — bar, batches done, ETA, running loss and metrics, samples per
 * second — and leaves the epoch's summary behind; elsewhere it prints only
 * the summary line of each epoch.
 * @param options - `stream`, `live`, `width`, `intervalMs`
 * @returns the reporter
 * @example
 * import { progressBar } from 'tensorgrad/node';
 * await train.fit(model, data, { ..., reporter: progressBar() });
 */
export function progressBar(options: ProgressBarOptions = {}): ProgressReporter {
  const stream = options.stream ?? process.stdout;
  const live = options.live ?? Boolean(stream.isTTY);
  const width = options.width ?? 24;
  const interval = options.intervalMs ?? 100;
  let lastDraw = 0;
  return {
    onBatchEnd(progress) {
      if (!live) return;
      const now = Date.now();
      if (progress.batch < progress.batches && now - lastDraw < interval) return;
      lastDraw = now;
      const done = Math.min(1, progress.batch / Math.max(progress.batches, 1));
      const filled = Math.round(done * width);
      const bar = `${'='.repeat(Math.max(0, filled - 1))}${filled > 0 ? (done < 1 ? '>' : '=') : ''}${' '.repeat(width - filled)}`;
      const seconds = progress.elapsedMs / 1000;
      const eta = done > 0 ? (seconds / done) * (1 - done) : Infinity;
      const rate = seconds > 0 ? Math.round(progress.samples / seconds) : 0;
      const figures = Object.entries({ loss: progress.loss, ...progress.metrics }).map(([k, v]) => `${k} ${v.toFixed(4)}`);
      const line = [
        `epoch ${progress.epoch + 1}/${progress.epochs} [${bar}] ${progress.batch}/${progress.batches}`,
        `ETA ${formatSeconds(eta)}`, ...figures, `${rate} samples/s`,
      ].join(' - ');
      stream.write(`\r\x1b[2K${line}`);
    },
    onEpochEnd(summary) {
      stream.write(`${live ? '\r\x1b[2K' : ''}${formatEpoch(summary)}\n`);
    },
  };
}
