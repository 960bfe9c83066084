/**
 * 2-D convolution as one differentiable op, on the im2col + GEMM kernels of
 * `kernels/conv2d.ts`: forward `y = W ⋆ x + b`, backward `dx` (GEMM with
 * Wᵀ, then col2im), `dW` (GEMM with colsᵀ) and `db` (a sum).
 * @module
 */
import {
  conv2dBackwardBias, conv2dBackwardInput, conv2dBackwardWeight, conv2dForward, conv2dGeometry,
  type Conv2dGeometry,
} from '../kernels/conv2d.js';
import { formatShape, type Shape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { assertTensor, record, result } from './record.js';

/** A size given for both spatial axes (`3`) or per axis (`[height, width]`). */
export type Size2d = number | readonly [number, number];

/** Zero padding of a convolution: a size, or PyTorch's `'same'` / `'valid'`. */
export type ConvPadding = Size2d | 'same' | 'valid';

/** Options of {@link conv2d}. */
export interface ConvOptions {
  /** Step of the kernel over the input (default 1). */
  stride?: Size2d;
  /**
   * Zeros added on each side (default 0). `'valid'` is 0; `'same'` (stride 1
   * only) keeps the output as large as the input, padding d·(k − 1) in total
   * per axis with the odd one out on the bottom/right, as PyTorch does.
   */
  padding?: ConvPadding;
  /** Spacing between kernel taps (default 1). */
  dilation?: Size2d;
}

/**
 * Reads a {@link Size2d} as `[height, width]`, checking each is an integer
 * no smaller than `min`.
 * @param value - a number or a pair
 * @param name - the argument's name, for the error message
 * @param label - the op or layer, for the error message
 * @param min - the smallest allowed value (1 for sizes and strides, 0 for padding)
 * @returns `[height, width]`
 * @throws Error naming the op and the argument when the value is not one or
 *   two integers ≥ `min`
 * @example toPair(3, 'stride', 'conv2d', 1); // [3, 3]
 */
export function toPair(value: Size2d, name: string, label: string, min: number): [number, number] {
  const pair = typeof value === 'number' ? [value, value] : Array.isArray(value) ? [...value] : [];
  if (pair.length !== 2 || !pair.every((v) => Number.isInteger(v) && v >= min)) {
    throw new Error(
      `${label}: ${name} must be ${min === 0 ? 'a non-negative' : 'a positive'} integer or a pair [height, width] of them, ` +
        `got ${JSON.stringify(value)}`,
    );
  }
  return pair as [number, number];
}

/**
 * Resolves and checks a convolution's arguments; shared by {@link conv2d}
 * and the `Conv2d` layer so both report the same errors under their own name.
 * @param label - the op or layer, for error messages
 * @param input - input shape `[N, C, H, W]` (or unbatched `[C, H, W]`)
 * @param weight - weight shape `[O, C, kh, kw]`
 * @param options - stride, padding, dilation
 * @returns the kernels' geometry
 * @throws Error naming `label` and the shapes when the input or weight has
 *   the wrong rank, the channel counts differ, an option is malformed,
 *   `'same'` is combined with a stride, or the input is smaller than the kernel
 * @example conv2dArgs('conv2d', [1, 3, 8, 8], [4, 3, 3, 3], { padding: 1 }).outHeight; // 8
 */
export function conv2dArgs(label: string, input: Shape, weight: Shape, options: ConvOptions = {}): Conv2dGeometry {
  if (input.length !== 4 && input.length !== 3) {
    throw new Error(`${label}: expected a 4-D input [N, C, H, W] (or 3-D [C, H, W]), got ${formatShape(input)}`);
  }
  if (weight.length !== 4) {
    throw new Error(`${label}: expected a 4-D weight [outChannels, inChannels, kh, kw], got ${formatShape(weight)}`);
  }
  const batched = input.length === 4 ? input : [1, ...input];
  const channels = batched[1]!;
  if (channels !== weight[1]) {
    throw new Error(
      `${label}: input ${formatShape(input)} has ${channels} channels, but weight ${formatShape(weight)} expects ${weight[1]} ` +
        `(input [N, ${weight[1]}, H, W])`,
    );
  }
  if (weight.some((d) => d < 1)) throw new Error(`${label}: weight ${formatShape(weight)} has an empty axis`);
  const stride = toPair(options.stride ?? 1, 'stride', label, 1);
  const dilation = toPair(options.dilation ?? 1, 'dilation', label, 1);
  const kernel = [weight[2]!, weight[3]!] as const;
  let pads: [number, number, number, number];
  const padding = options.padding ?? 0;
  if (padding === 'same') {
    if (stride[0] !== 1 || stride[1] !== 1) {
      throw new Error(`${label}: padding 'same' is not supported for strided convolutions (stride ${formatShape(stride)})`);
    }
    // total d·(k − 1) per axis; the extra one of an odd total goes bottom/right
    const totalH = dilation[0] * (kernel[0] - 1);
    const totalW = dilation[1] * (kernel[1] - 1);
    pads = [totalH >> 1, totalH - (totalH >> 1), totalW >> 1, totalW - (totalW >> 1)];
  } else if (padding === 'valid') {
    pads = [0, 0, 0, 0];
  } else {
    const [ph, pw] = toPair(padding, 'padding', label, 0);
    pads = [ph, ph, pw, pw];
  }
  const paddedH = batched[2]! + pads[0] + pads[1];
  const paddedW = batched[3]! + pads[2] + pads[3];
  const spanH = dilation[0] * (kernel[0] - 1) + 1;
  const spanW = dilation[1] * (kernel[1] - 1) + 1;
  if (paddedH < spanH || paddedW < spanW) {
    throw new Error(
      `${label}: input ${formatShape(input)} is too small for weight ${formatShape(weight)}: padded input ${paddedH}×${paddedW} ` +
        `is smaller than the ${dilation[0] > 1 || dilation[1] > 1 ? 'dilated ' : ''}kernel ${spanH}×${spanW}`,
    );
  }
  return conv2dGeometry(batched, weight, stride, pads, dilation);
}

/**
 * 2-D convolution (cross-correlation) of an NCHW batch, like
 * `torch.nn.functional.conv2d` (groups = 1): `y[n, o] = b[o] +
 * Σ_c W[o, c] ⋆ x[n, c]`. Differentiable in the input, weight and bias.
 * @param x - input `[N, C, H, W]`, or unbatched `[C, H, W]`
 * @param weight - `[outChannels, C, kh, kw]`
 * @param bias - `[outChannels]`, or null/undefined for none
 * @param options - `stride`, `padding` (number, `[h, w]`, `'same'`, `'valid'`), `dilation`
 * @returns `[N, outChannels, OH, OW]` (`[outChannels, OH, OW]` for an unbatched input),
 *   OH = ⌊(H + 2·padH − dilH·(kh − 1) − 1) / strideH⌋ + 1
 * @throws Error naming the op and the shapes when the input or weight has the
 *   wrong rank, the channel counts differ, the bias is not `[outChannels]`,
 *   an option is malformed or the input is smaller than the kernel
 * @example
 * const y = conv2d(randn([8, 3, 32, 32]), randn([16, 3, 3, 3]), zeros([16]), { padding: 1 });
 * y.shape; // [8, 16, 32, 32]
 */
export function conv2d(x: Tensor, weight: Tensor, bias?: Tensor | null, options: ConvOptions = {}): Tensor {
  assertTensor(x, 'conv2d');
  assertTensor(weight, 'conv2d', 'weight');
  const g = conv2dArgs('conv2d', x.shape, weight.shape, options);
  const outChannels = g.outChannels;
  if (bias != null && (!(bias instanceof Tensor) || bias.ndim !== 1 || bias.shape[0] !== outChannels)) {
    throw new Error(
      `conv2d: bias must have shape [${outChannels}] for weight ${formatShape(weight.shape)}, ` +
        `got ${bias instanceof Tensor ? formatShape(bias.shape) : typeof bias}`,
    );
  }
  const out = new Float32Array(g.batch * outChannels * g.outHeight * g.outWidth);
  conv2dForward(g, x.data, weight.data, bias != null ? bias.data : null, out);
  const spatial = [outChannels, g.outHeight, g.outWidth];
  const shape = x.ndim === 4 ? [g.batch, ...spatial] : spatial;
  const inputs = bias != null ? [x, weight, bias] : [x, weight];
  return record('conv2d', result(out, shape), inputs, (dy) => {
    // dx = col2im(Wᵀ·dy),  dW = Σₙ dy[n]·cols[n]ᵀ,  db = Σ_{n,oh,ow} dy
    let dx: Tensor | null = null;
    let dW: Tensor | null = null;
    let db: Tensor | null = null;
    if (x.requiresGrad) {
      const grad = new Float32Array(x.size);
      conv2dBackwardInput(g, dy.data, weight.data, grad);
      dx = result(grad, x.shape);
    }
    if (weight.requiresGrad) {
      const grad = new Float32Array(weight.size);
      conv2dBackwardWeight(g, x.data, dy.data, grad);
      dW = result(grad, weight.shape);
    }
    if (bias != null && bias.requiresGrad) {
      const grad = new Float32Array(outChannels);
      conv2dBackwardBias(g, dy.data, grad);
      db = result(grad, bias.shape);
    }
    return bias != null ? [dx, dW, db] : [dx, dW];
  });
}
