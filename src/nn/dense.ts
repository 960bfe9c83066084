/**
 * The fully connected layer.
 * @module
 */
import { linear } from '../ops/linear.js';
import type { Tensor } from '../tensor/tensor.js';
import { kaimingUniform, uniform } from './init.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';

/** Options of {@link Dense}. */
export interface DenseOptions {
  /** Learn an additive bias (default true). */
  bias?: boolean;
}

/**
 * Fully connected layer `y = x·Wᵀ + b` (PyTorch's `nn.Linear`, Keras's
 * `Dense`). `weight` is `[outFeatures, inFeatures]` and `bias`
 * `[outFeatures]`, PyTorch's layout, so state dicts move between the two.
 * Initialised as PyTorch does: weight Kaiming-uniform with a = √5 (i.e.
 * U(±1/√inFeatures)), bias U(±1/√inFeatures).
 * @example
 * const layer = new Dense(784, 128);
 * layer.forward(images.flatten(1)).shape; // [batch, 128]
 */
export class Dense extends Module {
  /** Input size. */
  readonly inFeatures: number;
  /** Output size. */
  readonly outFeatures: number;
  /** `[outFeatures, inFeatures]`. */
  readonly weight: Parameter;
  /** `[outFeatures]`, or null without bias. */
  readonly bias: Parameter | null;

  /**
   * @param inFeatures - size of each input sample
   * @param outFeatures - size of each output sample
   * @param options - `bias` (default true)
   * @throws Error when a size is not a positive integer
   */
  constructor(inFeatures: number, outFeatures: number, options: DenseOptions = {}) {
    super();
    for (const [name, value] of [['inFeatures', inFeatures], ['outFeatures', outFeatures]] as const) {
      if (!Number.isInteger(value) || value < 1) throw new Error(`Dense: ${name} must be a positive integer, got ${value}`);
    }
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    this.weight = new Parameter(new Float32Array(outFeatures * inFeatures), [outFeatures, inFeatures]);
    kaimingUniform(this.weight, { a: Math.sqrt(5) });
    const bound = 1 / Math.sqrt(inFeatures);
    this.bias = options.bias === false ? null : uniform(new Parameter(new Float32Array(outFeatures), [outFeatures]), -bound, bound) as Parameter;
  }

  /**
   * @param input - `[..., inFeatures]`
   * @returns `[..., outFeatures]`
   * @throws Error naming the layer when the last axis is not `inFeatures`
   */
  forward(input: Tensor): Tensor {
    if (input.ndim === 0 || input.shape[input.ndim - 1] !== this.inFeatures) {
      throw new Error(
        `Dense(${this.inFeatures}, ${this.outFeatures}): expected input [..., ${this.inFeatures}], got [${input.shape.join(',')}]`,
      );
    }
    return linear(input, this.weight, this.bias);
  }

  override extraRepr(): string {
    return `inFeatures=${this.inFeatures}, outFeatures=${this.outFeatures}, bias=${this.bias !== null}`;
  }
}
