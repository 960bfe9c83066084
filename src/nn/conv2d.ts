/**
 * The 2-D convolution layer.
 * @module
 */
import { conv2d, conv2dArgs, toPair, type ConvOptions, type Size2d } from '../ops/conv.js';
import type { Tensor } from '../tensor/tensor.js';
import { kaimingUniform, uniform } from './init.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';

/** Options of {@link Conv2d}. */
export interface Conv2dOptions extends ConvOptions {
  /** Learn an additive bias per output channel (default true). */
  bias?: boolean;
}

/**
 * 2-D convolution over an NCHW batch, PyTorch's `nn.Conv2d` (groups = 1,
 * zero padding). `weight` is `[outChannels, inChannels, kh, kw]` and `bias`
 * `[outChannels]`, PyTorch's layout, so state dicts move between the two.
 * Initialised as PyTorch does: weight Kaiming-uniform with a = √5 (i.e.
 * U(±1/√fanIn), fanIn = inChannels·kh·kw), bias U(±1/√fanIn).
 * @example
 * const conv = new Conv2d(1, 6, 5);               // LeNet's first layer
 * conv.forward(zeros([64, 1, 28, 28])).shape;     // [64, 6, 24, 24]
 * new Conv2d(16, 32, 3, { padding: 'same' });     // keeps H×W
 */
export class Conv2d extends Module {
  /** Channels of the input. */
  readonly inChannels: number;
  /** Channels of the output (number of filters). */
  readonly outChannels: number;
  /** `[kh, kw]`. */
  readonly kernelSize: [number, number];
  /** `[strideH, strideW]`. */
  readonly stride: [number, number];
  /** `[padH, padW]`, or `'same'` / `'valid'`. */
  readonly padding: [number, number] | 'same' | 'valid';
  /** `[dilationH, dilationW]`. */
  readonly dilation: [number, number];
  /** `[outChannels, inChannels, kh, kw]`. */
  readonly weight: Parameter;
  /** `[outChannels]`, or null without bias. */
  readonly bias: Parameter | null;

  /**
   * @param inChannels - channels of the input
   * @param outChannels - channels of the output
   * @param kernelSize - window size, a number or `[kh, kw]`
   * @param options - `stride` (default 1), `padding` (default 0; a number,
   *   `[h, w]`, `'same'` or `'valid'`), `dilation` (default 1), `bias` (default true)
   * @throws Error naming the layer when a size is not a positive integer, a
   *   padding is negative, or `'same'` padding is combined with a stride
   */
  constructor(inChannels: number, outChannels: number, kernelSize: Size2d, options: Conv2dOptions = {}) {
    super();
    for (const [name, value] of [['inChannels', inChannels], ['outChannels', outChannels]] as const) {
      if (!Number.isInteger(value) || value < 1) throw new Error(`Conv2d: ${name} must be a positive integer, got ${value}`);
    }
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernelSize = toPair(kernelSize, 'kernelSize', 'Conv2d', 1);
    this.stride = toPair(options.stride ?? 1, 'stride', 'Conv2d', 1);
    const padding = options.padding ?? 0;
    this.padding = padding === 'same' || padding === 'valid' ? padding : toPair(padding, 'padding', 'Conv2d', 0);
    this.dilation = toPair(options.dilation ?? 1, 'dilation', 'Conv2d', 1);
    if (this.padding === 'same' && (this.stride[0] !== 1 || this.stride[1] !== 1)) {
      throw new Error(`Conv2d: padding 'same' is not supported for strided convolutions (stride [${this.stride}])`);
    }
    const [kh, kw] = this.kernelSize;
    this.weight = new Parameter(new Float32Array(outChannels * inChannels * kh * kw), [outChannels, inChannels, kh, kw]);
    kaimingUniform(this.weight, { a: Math.sqrt(5) });
    const bound = 1 / Math.sqrt(inChannels * kh * kw);
    this.bias = options.bias === false ? null : uniform(new Parameter(new Float32Array(outChannels), [outChannels]), -bound, bound) as Parameter;
  }

  /**
   * @param input - `[N, inChannels, H, W]` (or unbatched `[inChannels, H, W]`)
   * @returns `[N, outChannels, OH, OW]`
   * @throws Error naming the layer and the shapes when the input has the
   *   wrong rank or channel count, or is smaller than the kernel
   */
  forward(input: Tensor): Tensor {
    const options = { stride: this.stride, padding: this.padding, dilation: this.dilation };
    conv2dArgs(`Conv2d(${this.inChannels}, ${this.outChannels}, kernelSize=[${this.kernelSize.join(', ')}])`, input.shape, this.weight.shape, options);
    return conv2d(input, this.weight, this.bias, options);
  }

  /**
   * The settings as PyTorch prints them, e.g. `1, 6, kernelSize=[5, 5], stride=[1, 1]`
   * (padding and dilation only when not the default, `bias=false` without bias).
   * @returns the settings text
   */
  override extraRepr(): string {
    const pair = (p: readonly number[]) => `[${p.join(', ')}]`;
    let text = `${this.inChannels}, ${this.outChannels}, kernelSize=${pair(this.kernelSize)}, stride=${pair(this.stride)}`;
    if (typeof this.padding === 'string') text += `, padding=${this.padding}`;
    else if (this.padding[0] !== 0 || this.padding[1] !== 0) text += `, padding=${pair(this.padding)}`;
    if (this.dilation[0] !== 1 || this.dilation[1] !== 1) text += `, dilation=${pair(this.dilation)}`;
    if (this.bias === null) text += ', bias=false';
    return text;
  }
}
