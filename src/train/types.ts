/**
 * The shapes of things the training loop works with.
 * @module
 */
import type { LabelArray } from '../data/dataset.js';
import type { Module } from '../nn/module.js';
import type { Tensor } from '../tensor/tensor.js';

/** Targets: a tensor (regression values, one-hot rows, probabilities) or integer class labels. */
export type Target = Tensor | LabelArray;

/** A batch as the loop sees it: inputs and targets. */
export type Batch = readonly [Tensor, Target];

/** Anything that yields batches: a `DataLoader`, or any iterable of `[x, y]` with a `length` (batches per epoch). */
export interface BatchSource {
  /** Batches per pass. */
  readonly length: number;
  /** One pass over the data. */
  [Symbol.iterator](): Iterator<Batch>;
}

/** In-memory data: inputs and targets with the same first dimension. */
export interface ArrayData {
  /** Inputs, `[N, ...]`. */
  x: Tensor;
  /** Targets: `[N, ...]` tensor or N integer labels. */
  y: Target;
}

/**
 * A loss function `(output, target) → scalar`. Declared with method syntax so
 * that TypeScript checks the parameters bivariantly: a loss that only takes
 * tensor targets (`losses.mseLoss`) fits as well as one taking labels.
 */
export type LossFunction = {
  /**
   * @param output - the model's output
   * @param target - the targets
   * @returns a one-element loss tensor
   */
  bivariant(output: Tensor, target: Target): Tensor;
}['bivariant'];

/** A loss: a function `(output, target) → scalar`, or a loss module (`nn.CrossEntropyLoss`, …). */
export type Loss = LossFunction | Module;

/** What the loop needs of an optimizer (every `optim` optimizer has it). */
export interface OptimizerLike {
  /** Clears the parameters' gradients. */
  zeroGrad(): void;
  /** Updates the parameters from their gradients. */
  step(): void;
}
