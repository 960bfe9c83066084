/**
 * Weight initialisers, in place, with PyTorch's formulas and defaults
 * (`torch.nn.init`). All draw from the global seeded generator, so
 * `manualSeed(n)` makes a model's initial weights reproducible.
 * @module
 */
import { randomNormal, randomUniform } from '../tensor/random.js';
import { formatShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';

/** Non-linearities known to {@link calculateGain}. */
export type Nonlinearity = 'linear' | 'conv2d' | 'sigmoid' | 'tanh' | 'relu' | 'leakyRelu' | 'selu';

/** Options of the Kaiming initialisers. */
export interface KaimingOptions {
  /** Negative slope of the leaky ReLU that follows (default 0; PyTorch's layers use √5). */
  a?: number;
  /** Preserve the variance of the forward pass (`fanIn`, default) or of the backward pass (`fanOut`). */
  mode?: 'fanIn' | 'fanOut';
  /** The non-linearity that follows (default 'leakyRelu', as PyTorch). */
  nonlinearity?: Nonlinearity;
}

/**
 * The recommended gain for a non-linearity (as `torch.nn.init.calculate_gain`).
 * @param nonlinearity - the activation
 * @param param - negative slope for 'leakyRelu' (default 0.01)
 * @returns the gain: 1 (linear, conv, sigmoid), 5/3 (tanh), √2 (relu), √(2/(1+a²)) (leaky ReLU), 3/4 (selu)
 * @example calculateGain('relu'); // 1.4142…
 */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  switch (nonlinearity) {
    case 'linear': case 'conv2d': case 'sigmoid': return 1;
    case 'tanh': return 5 / 3;
    case 'relu': return Math.SQRT2;
    case 'leakyRelu': { const slope = param ?? 0.01; return Math.sqrt(2 / (1 + slope * slope)); }
    case 'selu': return 3 / 4;
    default: throw new Error(`calculateGain: unknown nonlinearity '${String(nonlinearity)}'`);
  }
}

/** Fan-in and fan-out of a weight, as {@link fans} returns them. */
export interface Fans {
  /** Inputs feeding each output unit: `in · ∏kernel`. */
  fanIn: number;
  /** Outputs fed by each input unit: `out · ∏kernel`. */
  fanOut: number;
}

/**
 * Fan-in and fan-out of a weight, as PyTorch computes them: for `[out, in,
 * ...kernel]`, fanIn = in·∏kernel and fanOut = out·∏kernel.
 * @param t - a weight with at least 2 axes
 * @returns `{ fanIn, fanOut }`
 * @throws Error for tensors with fewer than 2 axes
 * @example fans(zeros([6, 1, 5, 5])); // { fanIn: 25, fanOut: 150 }
 */
export function fans(t: Tensor): Fans {
  if (t.ndim < 2) throw new Error(`fans: fan in and fan out need a tensor with at least 2 axes, got shape ${formatShape(t.shape)}`);
  const receptive = t.shape.slice(2).reduce((n, d) => n * d, 1);
  return { fanIn: t.shape[1]! * receptive, fanOut: t.shape[0]! * receptive };
}

/**
 * Fills `t` with values drawn uniformly from `[low, high)`.
 * @param t - the tensor to fill (in place)
 * @param low - lower bound (default 0)
 * @param high - upper bound (default 1)
 * @returns `t`
 * @example uniform(zeros([3]), -1, 1);
 */
export function uniform(t: Tensor, low = 0, high = 1): Tensor {
  const data = t.data;
  for (let i = 0; i < data.length; i++) data[i] = low + (high - low) * randomUniform();
  return t;
}

/**
 * Fills `t` with values drawn from N(mean, std²).
 * @param t - the tensor to fill (in place)
 * @param mean - mean (default 0)
 * @param std - standard deviation (default 1)
 * @returns `t`
 * @example normal(zeros([3]), 0, 0.02);
 */
export function normal(t: Tensor, mean = 0, std = 1): Tensor {
  const data = t.data;
  for (let i = 0; i < data.length; i++) data[i] = mean + std * randomNormal();
  return t;
}

/**
 * Fills `t` with a constant.
 * @param t - the tensor to fill (in place)
 * @param value - the constant
 * @returns `t`
 * @example constant(zeros([3]), 0.1);
 */
export function constant(t: Tensor, value: number): Tensor {
  t.data.fill(value);
  return t;
}

/**
 * Fills `t` with zeros.
 * @param t - the tensor to fill (in place)
 * @returns `t`
 * @example zeros(bias);
 */
export function zeros(t: Tensor): Tensor {
  return constant(t, 0);
}

/**
 * Fills `t` with ones.
 * @param t - the tensor to fill (in place)
 * @returns `t`
 * @example ones(scale);
 */
export function ones(t: Tensor): Tensor {
  return constant(t, 1);
}

function kaimingStd(t: Tensor, options: KaimingOptions): number {
  const { a = 0, mode = 'fanIn', nonlinearity = 'leakyRelu' } = options;
  const { fanIn, fanOut } = fans(t);
  const fan = mode === 'fanIn' ? fanIn : fanOut;
  return calculateGain(nonlinearity, a) / Math.sqrt(fan);
}

/**
 * Kaiming (He) uniform: U(−b, b) with b = gain·√(3 / fan). PyTorch's Dense
 * and Conv2d use it with `a = √5`, which gives b = 1/√fanIn.
 * @param t - the weight to fill (in place), at least 2-D
 * @param options - `a`, `mode`, `nonlinearity`
 * @returns `t`
 * @example kaimingUniform(weight, { a: Math.sqrt(5) });
 */
export function kaimingUniform(t: Tensor, options: KaimingOptions = {}): Tensor {
  const bound = Math.sqrt(3) * kaimingStd(t, options);
  return uniform(t, -bound, bound);
}

/**
 * Kaiming (He) normal: N(0, std²) with std = gain / √fan.
 * @param t - the weight to fill (in place), at least 2-D
 * @param options - `a`, `mode`, `nonlinearity`
 * @returns `t`
 * @example kaimingNormal(weight, { nonlinearity: 'relu' });
 */
export function kaimingNormal(t: Tensor, options: KaimingOptions = {}): Tensor {
  return normal(t, 0, kaimingStd(t, options));
}

/**
 * Xavier (Glorot) uniform: U(−b, b) with b = gain·√(6 / (fanIn + fanOut)).
 * @param t - the weight to fill (in place), at least 2-D
 * @param gain - scaling factor (default 1)
 * @returns `t`
 * @example xavierUniform(weight);
 */
export function xavierUniform(t: Tensor, gain = 1): Tensor {
  const { fanIn, fanOut } = fans(t);
  const bound = gain * Math.sqrt(6 / (fanIn + fanOut));
  return uniform(t, -bound, bound);
}

/**
 * Xavier (Glorot) normal: N(0, std²) with std = gain·√(2 / (fanIn + fanOut)).
 * @param t - the weight to fill (in place), at least 2-D
 * @param gain - scaling factor (default 1)
 * @returns `t`
 * @example xavierNormal(weight);
 */
export function xavierNormal(t: Tensor, gain = 1): Tensor {
  const { fanIn, fanOut } = fans(t);
  return normal(t, 0, gain * Math.sqrt(2 / (fanIn + fanOut)));
}
