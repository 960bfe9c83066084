/**
 * A node of the autograd graph: what produced a tensor and how to send a
 * gradient back to the inputs.
 * @module
 */
import type { Tensor } from '../tensor/tensor.js';
import type { OpName } from './op-names.js';

/**
 * Maps the gradient of an op's output to one gradient per input (`null` for
 * inputs that need none). A gradient may have the output's broadcast shape;
 * the tape sums it back to the input's shape.
 */
export type BackwardFn = (outputGrad: Tensor) => (Tensor | null)[];

/** How a non-leaf tensor was made. */
export interface GradNode {
  /** The op that produced the tensor. */
  readonly op: OpName;
  /** The op's tensor inputs, in order. */
  readonly inputs: readonly Tensor[];
  /** The backward rule; `null` once a backward pass has freed it. */
  backward: BackwardFn | null;
}
