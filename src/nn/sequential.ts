/**
 * A chain of modules.
 * @module
 */
import type { Tensor } from '../tensor/tensor.js';
import { Module } from './module.js';

/**
 * Applies its layers in order; state-dict keys are `0.weight`, `1.bias`, …
 * as in PyTorch's `nn.Sequential`.
 * @example
 * const model = new Sequential(new Dense(784, 128), new ReLU(), new Dense(128, 10));
 * model.forward(x).shape; // [batch, 10]
 */
export class Sequential extends Module {
  /** The layers, in order. */
  readonly layers: Module[];

  /**
   * @param layers - the modules to chain
   * @throws Error when a layer is not a Module
   */
  constructor(...layers: Module[]) {
    super();
    layers.forEach((layer, i) => {
      if (!(layer instanceof Module)) throw new Error(`Sequential: layer ${i} is not a Module (got ${typeof layer})`);
    });
    this.layers = layers;
  }

  /** Children are named by position: `0`, `1`, …. @returns `[index, layer]` pairs */
  override namedChildren(): [string, Module][] {
    return this.layers.map((layer, i) => [String(i), layer]);
  }

  /**
   * @param input - the first layer's input
   * @returns the last layer's output
   */
  forward(input: Tensor): Tensor {
    return this.layers.reduce((x, layer) => layer.forward(x), input);
  }
}
