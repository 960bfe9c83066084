/**
 * Stateless forms of the layers (like `torch.nn.functional`): the modules in
 * `nn` hold parameters and call these.
 * @module
 */
import { mul } from '../ops/binary.js';
import { randomUniform } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';

export { linear } from '../ops/linear.js';
export { conv2d, type ConvOptions, type ConvPadding, type Size2d } from '../ops/conv.js';
export { maxPool2d, type PoolOptions } from '../ops/pool.js';
export { relu, leakyRelu, sigmoid, tanh } from '../ops/unary.js';
export { softmax, logSoftmax } from '../ops/softmax.js';

/**
 * Inverted dropout: in training, zeroes each element with probability `p`
 * and scales the rest by `1/(1 − p)`, so evaluation needs no rescaling. The
 * mask comes from the global seeded generator.
 * @param x - input
 * @param p - drop probability in [0, 1] (default 0.5)
 * @param training - apply dropout (true) or return `x` unchanged (false)
 * @returns the masked input
 * @throws Error when `p` is outside [0, 1]
 * @example dropout(x, 0.2, model.training);
 */
export function dropout(x: Tensor, p = 0.5, training = true): Tensor {
  if (!(p >= 0 && p <= 1)) throw new Error(`dropout: p must be a probability in [0, 1], got ${p}`);
  if (!training || p === 0) return x;
  const keep = 1 - p;
  const mask = new Float32Array(x.size);
  // p = 1 drops everything (a scale of 1/0 is never applied).
  if (keep > 0) for (let i = 0; i < mask.length; i++) mask[i] = randomUniform() < keep ? 1 / keep : 0;
  return mul(x, new Tensor(mask, x.shape));
}
