/**
 * The 2-D max-pooling layer.
 * @module
 */
import { toPair, type Size2d } from '../ops/conv.js';
import { maxPool2d, maxPool2dArgs } from '../ops/pool.js';
import type { Tensor } from '../tensor/tensor.js';
import { Module } from './module.js';

/** Options of {@link MaxPool2d}. */
export interface MaxPool2dOptions {
  /** Step between windows (default: the kernel size). */
  stride?: Size2d;
  /** −∞ padding on each side, at most half the kernel (default 0). */
  padding?: Size2d;
  /** Spacing between window taps (default 1). */
  dilation?: Size2d;
  /** Round the output size up instead of down (default false), as PyTorch's `ceil_mode`. */
  ceilMode?: boolean;
}

/**
 * Max over sliding windows of each channel of an NCHW batch, PyTorch's
 * `nn.MaxPool2d`. The gradient goes to the first maximum of each window (in
 * row-major order), as in PyTorch. No parameters.
 * @example
 * const pool = new MaxPool2d(2);                 // 2×2 windows, stride 2
 * pool.forward(zeros([64, 6, 24, 24])).shape;    // [64, 6, 12, 12]
 * new MaxPool2d(3, { stride: 2, padding: 1 });   // overlapping windows
 */
export class MaxPool2d extends Module {
  /** Window size, as given. */
  readonly kernelSize: Size2d;
  /** Step between windows, as given (the kernel size by default). */
  readonly stride: Size2d;
  /** −∞ padding, as given. */
  readonly padding: Size2d;
  /** Spacing between window taps, as given. */
  readonly dilation: Size2d;
  /** Round the output size up. */
  readonly ceilMode: boolean;

  /**
   * @param kernelSize - window size, a number or `[kh, kw]`
   * @param options - `stride` (default `kernelSize`), `padding` (default 0),
   *   `dilation` (default 1), `ceilMode` (default false)
   * @throws Error naming the layer when a size is not a positive integer or
   *   the padding is negative or more than half the window
   */
  constructor(kernelSize: Size2d, options: MaxPool2dOptions = {}) {
    super();
    this.kernelSize = kernelSize;
    this.stride = options.stride ?? kernelSize;
    this.padding = options.padding ?? 0;
    this.dilation = options.dilation ?? 1;
    this.ceilMode = options.ceilMode ?? false;
    const kernel = toPair(kernelSize, 'kernelSize', 'MaxPool2d', 1);
    toPair(this.stride, 'stride', 'MaxPool2d', 1);
    toPair(this.dilation, 'dilation', 'MaxPool2d', 1);
    const padding = toPair(this.padding, 'padding', 'MaxPool2d', 0);
    if (2 * padding[0] > kernel[0] || 2 * padding[1] > kernel[1]) {
      throw new Error(`MaxPool2d: padding [${padding}] must be at most half the kernel size [${kernel}]`);
    }
  }

  /**
   * @param input - `[N, C, H, W]` (or unbatched `[C, H, W]`)
   * @returns `[N, C, OH, OW]`
   * @throws Error naming the layer and the shape when the input has the
   *   wrong rank or is smaller than the window
   */
  forward(input: Tensor): Tensor {
    const options = {
      kernelSize: this.kernelSize, stride: this.stride, padding: this.padding, dilation: this.dilation, ceilMode: this.ceilMode,
    };
    maxPool2dArgs(`MaxPool2d(kernelSize=${format(this.kernelSize)})`, input.shape, options);
    return maxPool2d(input, options);
  }

  /**
   * The settings as PyTorch prints them, e.g.
   * `kernelSize=2, stride=2, padding=0, dilation=1, ceilMode=false`.
   * @returns the settings text
   */
  override extraRepr(): string {
    return `kernelSize=${format(this.kernelSize)}, stride=${format(this.stride)}, padding=${format(this.padding)}, ` +
      `dilation=${format(this.dilation)}, ceilMode=${this.ceilMode}`;
  }
}

/** `2` or `[3, 2]`, as given. */
function format(size: Size2d): string {
  return typeof size === 'number' ? String(size) : `[${size.join(', ')}]`;
}
