/**
 * Flattening and dropout: the parameter-free layers.
 * @module
 */
import { flatten } from '../ops/view.js';
import type { Tensor } from '../tensor/tensor.js';
import { dropout } from './functional.js';
import { Module } from './module.js';

/**
 * Merges axes `start..end` (default: everything but the batch axis), like
 * PyTorch's `nn.Flatten`: `[N, C, H, W]` → `[N, C·H·W]`.
 * @example new Flatten().forward(zeros([2, 16, 4, 4])).shape; // [2, 256]
 */
export class Flatten extends Module {
  /**
   * @param start - first axis to merge (default 1)
   * @param end - last axis to merge (default -1)
   */
  constructor(readonly start = 1, readonly end = -1) { super(); }
  /** @param input - at least `start + 1` axes @returns the flattened view */
  forward(input: Tensor): Tensor { return flatten(input, this.start, this.end); }
  override extraRepr(): string { return `start=${this.start}, end=${this.end}`; }
}

/**
 * Inverted dropout: in training mode zeroes each element with probability
 * `p` and scales the rest by `1/(1−p)`; in eval mode it is the identity.
 * Masks come from the global seeded generator (`manualSeed`).
 * @example const drop = new Dropout(0.2); model.eval(); // now a no-op
 */
export class Dropout extends Module {
  /**
   * @param p - drop probability in [0, 1] (default 0.5)
   * @throws Error when `p` is outside [0, 1]
   */
  constructor(readonly p = 0.5) {
    super();
    if (!(p >= 0 && p <= 1)) throw new Error(`Dropout: p must be a probability in [0, 1], got ${p}`);
  }
  /** @param input - any shape @returns the masked input (training) or the input (eval) */
  forward(input: Tensor): Tensor { return dropout(input, this.p, this.training); }
  override extraRepr(): string { return `p=${this.p}`; }
}
