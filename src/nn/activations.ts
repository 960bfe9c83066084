/**
 * Activation functions as modules, for `Sequential`.
 * @module
 */
import { leakyRelu, relu, sigmoid, tanh } from '../ops/unary.js';
import { logSoftmax, softmax } from '../ops/softmax.js';
import type { Tensor } from '../tensor/tensor.js';
import { Module } from './module.js';

/** `max(x, 0)` elementwise. @example new Sequential(new Dense(4, 8), new ReLU()); */
export class ReLU extends Module {
  /** @param input - any shape @returns `relu(input)` */
  forward(input: Tensor): Tensor { return relu(input); }
}

/** Leaky ReLU: `x` for x > 0, else `negativeSlope·x`. @example new LeakyReLU(0.2); */
export class LeakyReLU extends Module {
  /** @param negativeSlope - slope for negative inputs (default 0.01) */
  constructor(readonly negativeSlope = 0.01) { super(); }
  /** @param input - any shape @returns the activation */
  forward(input: Tensor): Tensor { return leakyRelu(input, this.negativeSlope); }
  override extraRepr(): string { return `negativeSlope=${this.negativeSlope}`; }
}

/** Logistic sigmoid `1/(1+e⁻ˣ)` elementwise. @example new Sigmoid(); */
export class Sigmoid extends Module {
  /** @param input - any shape @returns `σ(input)` */
  forward(input: Tensor): Tensor { return sigmoid(input); }
}

/** Hyperbolic tangent elementwise. @example new Tanh(); */
export class Tanh extends Module {
  /** @param input - any shape @returns `tanh(input)` */
  forward(input: Tensor): Tensor { return tanh(input); }
}

/** Softmax along `dim`. @example new Softmax(1); // over classes of [batch, classes] */
export class Softmax extends Module {
  /** @param dim - the axis that sums to 1 */
  constructor(readonly dim: number) { super(); }
  /** @param input - logits @returns probabilities */
  forward(input: Tensor): Tensor { return softmax(input, this.dim); }
  override extraRepr(): string { return `dim=${this.dim}`; }
}

/** Log-softmax along `dim` (stable for large logits). @example new LogSoftmax(1); */
export class LogSoftmax extends Module {
  /** @param dim - the axis over which probabilities sum to 1 */
  constructor(readonly dim: number) { super(); }
  /** @param input - logits @returns log-probabilities */
  forward(input: Tensor): Tensor { return logSoftmax(input, this.dim); }
  override extraRepr(): string { return `dim=${this.dim}`; }
}
