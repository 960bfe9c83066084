/**
 * 2-D max pooling as one differentiable op: the forward kernel records the
 * argmax of every window, and the backward rule scatter-adds the output
 * gradient onto those positions (PyTorch's semantics, ties included: the
 * first maximum in row-major window order wins).
 * @module
 */
import { maxPool2dBackward, maxPool2dForward, pool2dGeometry, type Pool2dGeometry } from '../kernels/pool2d.js';
import { formatShape, type Shape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { toPair, type Size2d } from './conv.js';
import { assertTensor, record, result } from './record.js';

/** Options of {@link maxPool2d}. */
export interface PoolOptions {
  /** Window size. */
  kernelSize: Size2d;
  /** Step between windows (default: the window size). */
  stride?: Size2d;
  /** −∞ padding on each side, at most half the window (default 0). */
  padding?: Size2d;
  /** Spacing between window taps (default 1). */
  dilation?: Size2d;
  /** Round the output size up instead of down, as PyTorch's `ceil_mode` (default false). */
  ceilMode?: boolean;
}

/**
 * Resolves and checks a max-pool's arguments; shared by {@link maxPool2d}
 * and the `MaxPool2d` layer so both report the same errors under their own
 * name.
 * @param label - the op or layer, for error messages
 * @param input - input shape `[N, C, H, W]` (or unbatched `[C, H, W]`)
 * @param options - kernel size, stride, padding, dilation, ceil mode
 * @returns the kernels' geometry
 * @throws Error naming `label` and the shape when the input has the wrong
 *   rank, an option is malformed, the padding exceeds half the window, or
 *   the input is smaller than the window
 * @example maxPool2dArgs('maxPool2d', [1, 6, 24, 24], { kernelSize: 2 }).outHeight; // 12
 */
export function maxPool2dArgs(label: string, input: Shape, options: PoolOptions): Pool2dGeometry {
  if (input.length !== 4 && input.length !== 3) {
    throw new Error(`${label}: expected a 4-D input [N, C, H, W] (or 3-D [C, H, W]), got ${formatShape(input)}`);
  }
  if (options == null || options.kernelSize === undefined) throw new Error(`${label}: kernelSize is required`);
  const kernel = toPair(options.kernelSize, 'kernelSize', label, 1);
  const stride = toPair(options.stride ?? kernel, 'stride', label, 1);
  const padding = toPair(options.padding ?? 0, 'padding', label, 0);
  const dilation = toPair(options.dilation ?? 1, 'dilation', label, 1);
  if (2 * padding[0] > kernel[0] || 2 * padding[1] > kernel[1]) {
    throw new Error(`${label}: padding ${formatShape(padding)} must be at most half the kernel size ${formatShape(kernel)}`);
  }
  const batched = input.length === 4 ? input : [1, ...input];
  const spanH = dilation[0] * (kernel[0] - 1) + 1;
  const spanW = dilation[1] * (kernel[1] - 1) + 1;
  const paddedH = batched[2]! + 2 * padding[0];
  const paddedW = batched[3]! + 2 * padding[1];
  if (paddedH < spanH || paddedW < spanW) {
    throw new Error(
      `${label}: input ${formatShape(input)} is too small for the ${spanH}×${spanW} window: padded input is ${paddedH}×${paddedW}`,
    );
  }
  return pool2dGeometry(batched, kernel, stride, padding, dilation, options.ceilMode ?? false);
}

/**
 * 2-D max pooling of an NCHW batch, like `torch.nn.functional.max_pool2d`.
 * The gradient flows to the (first) maximum of each window; windows that
 * overlap on the same maximum add their gradients there.
 * @param x - input `[N, C, H, W]`, or unbatched `[C, H, W]`
 * @param options - `kernelSize`, `stride` (default `kernelSize`), `padding`, `dilation`, `ceilMode`
 * @returns `[N, C, OH, OW]` (`[C, OH, OW]` unbatched),
 *   OH = ⌊(H + 2·padH − dilH·(kh − 1) − 1) / strideH⌋ + 1
 * @throws Error naming the op and the shape when the input has the wrong
 *   rank, an option is malformed, the padding exceeds half the window, or
 *   the input is smaller than the window
 * @example maxPool2d(randn([64, 6, 24, 24]), { kernelSize: 2 }).shape; // [64, 6, 12, 12]
 */
export function maxPool2d(x: Tensor, options: PoolOptions): Tensor {
  assertTensor(x, 'maxPool2d');
  const g = maxPool2dArgs('maxPool2d', x.shape, options);
  const count = g.batch * g.channels * g.outHeight * g.outWidth;
  const out = new Float32Array(count);
  const indices = new Int32Array(count);
  maxPool2dForward(g, x.data, out, indices);
  const spatial = [g.channels, g.outHeight, g.outWidth];
  const shape = x.ndim === 4 ? [g.batch, ...spatial] : spatial;
  return record('maxPool2d', result(out, shape), [x], (dy) => {
    // d max / d xᵢ = 1 at the recorded argmax, 0 elsewhere: scatter-add dy there
    const grad = new Float32Array(x.size);
    maxPool2dBackward(g, dy.data, indices, grad);
    return [result(grad, x.shape)];
  });
}
