/**
 * A small canvas line chart for training curves: loss on the left axis,
 * accuracy (0–100 %) on the right, batches along the bottom. Each series is
 * drawn raw (thin, faint) and smoothed (an exponential moving average).
 */

/** A series' colour and where it reads its value from a point. */
interface Series {
  label: string;
  color: string;
  /** The value as a fraction of the axis height, in [0, 1]. */
  y: (point: Point) => number;
  /** Its smoothed counterpart. */
  smoothY: (point: Point) => number;
}

/** One batch's figures, raw and smoothed. */
interface Point {
  loss: number;
  accuracy: number;
  smoothLoss: number;
  smoothAccuracy: number;
}

/** Weight of the newest batch in the moving averages. */
const SMOOTHING = 0.1;
/** Grid lines above the axis: loss maxima are multiples of 0.5, so ticks fall on multiples of 0.1. */
const TICKS = 5;
const MARGIN = { left: 44, right: 44, top: 26, bottom: 28 };

/** The training chart. */
export class TrainingChart {
  private points: Point[] = [];
  /** Batches planned; 0 before the first run. */
  private batches = 0;
  private lossMax = 2.5;
  private readonly context: CanvasRenderingContext2D;
  private readonly series: Series[];
  /** Size in CSS pixels (the canvas's own `width`/`height` attributes). */
  private readonly width: number;
  private readonly height: number;

  /**
   * @param canvas - the canvas to draw on (drawn at the device's pixel ratio)
   */
  constructor(canvas: HTMLCanvasElement) {
    // Draw at the device's resolution; CSS keeps the size (`height: auto` keeps the aspect when narrowed).
    const ratio = globalThis.devicePixelRatio || 1;
    ({ width: this.width, height: this.height } = canvas);
    canvas.style.width = `${this.width}px`;
    canvas.width = Math.round(this.width * ratio);
    canvas.height = Math.round(this.height * ratio);
    this.context = canvas.getContext('2d')!;
    this.context.scale(ratio, ratio);
    this.series = [
      { label: 'loss', color: '#d9480f', y: (p) => p.loss / this.lossMax, smoothY: (p) => p.smoothLoss / this.lossMax },
      { label: 'accuracy', color: '#1971c2', y: (p) => p.accuracy, smoothY: (p) => p.smoothAccuracy },
    ];
    this.draw();
  }

  /**
   * Starts a new run.
   * @param batches - batches planned (the x axis' extent)
   */
  reset(batches: number): void {
    this.points = [];
    this.batches = Math.max(batches, 1);
    this.lossMax = 2.5;
    this.draw();
  }

  /**
   * Adds one batch's figures (call {@link draw} to show them).
   * @param loss - the batch's loss
   * @param accuracy - the batch's accuracy in [0, 1]
   */
  push(loss: number, accuracy: number): void {
    const last = this.points.at(-1);
    this.points.push({
      loss, accuracy,
      smoothLoss: last ? last.smoothLoss + SMOOTHING * (loss - last.smoothLoss) : loss,
      smoothAccuracy: last ? last.smoothAccuracy + SMOOTHING * (accuracy - last.smoothAccuracy) : accuracy,
    });
    this.lossMax = Math.max(this.lossMax, Math.ceil(loss * 2) / 2);
  }

  /** Redraws axes, grid and both series. */
  draw(): void {
    const ctx = this.context;
    const { width, height } = this;
    const plotWidth = width - MARGIN.left - MARGIN.right;
    const plotHeight = height - MARGIN.top - MARGIN.bottom;
    const x = (i: number) => MARGIN.left + (plotWidth * (i + 1)) / Math.max(this.batches, 1);
    const y = (fraction: number) => MARGIN.top + plotHeight * (1 - Math.min(Math.max(fraction, 0), 1));

    ctx.clearRect(0, 0, width, height);
    ctx.font = '11px system-ui, sans-serif';
    ctx.lineWidth = 1;
    ctx.strokeStyle = '#e9ecef';
    ctx.fillStyle = '#868e96';
    for (let tick = 0; tick <= TICKS; tick++) {
      const ty = y(tick / TICKS);
      ctx.beginPath();
      ctx.moveTo(MARGIN.left, ty);
      ctx.lineTo(width - MARGIN.right, ty);
      ctx.stroke();
      ctx.textAlign = 'right';
      ctx.fillText(((this.lossMax * tick) / TICKS).toFixed(1), MARGIN.left - 6, ty + 4);
      ctx.textAlign = 'left';
      ctx.fillText(`${(100 * tick) / TICKS}%`, width - MARGIN.right + 6, ty + 4);
    }
    ctx.textAlign = 'center';
    ctx.fillText(this.batches > 0 ? `batch (of ${this.batches})` : 'batch', MARGIN.left + plotWidth / 2, height - 8);

    this.series.forEach((series, k) => {
      ctx.fillStyle = series.color;
      ctx.textAlign = 'left';
      ctx.fillRect(MARGIN.left + 90 * k, 8, 10, 10);
      ctx.fillText(series.label, MARGIN.left + 90 * k + 14, 17);
      for (const [pick, alpha, lineWidth] of [[series.y, 0.25, 1], [series.smoothY, 1, 2]] as const) {
        ctx.globalAlpha = alpha;
        ctx.lineWidth = lineWidth;
        ctx.strokeStyle = series.color;
        ctx.beginPath();
        this.points.forEach((point, i) => (i === 0 ? ctx.moveTo(x(i), y(pick(point))) : ctx.lineTo(x(i), y(pick(point)))));
        ctx.stroke();
      }
      ctx.globalAlpha = 1;
    });
  }
}
