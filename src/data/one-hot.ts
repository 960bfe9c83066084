/**
 * One-hot encoding of integer labels.
 * @module
 */
import { Tensor } from '../tensor/tensor.js';

/**
 * One-hot encodes integer labels (PyTorch's `F.one_hot`, as float32).
 * @param labels - class indices, integers in [0, numClasses)
 * @param numClasses - number of classes; defaults to the largest label + 1
 * @returns a `[labels.length, numClasses]` tensor of 0s with a 1 in each row's label column
 * @throws Error when a label is not an integer in [0, numClasses), or
 *   `numClasses` is not a positive integer
 * @example
 * oneHot(new Int32Array([2, 0]), 3).toArray(); // [[0, 0, 1], [1, 0, 0]]
 */
export function oneHot(labels: Int32Array | ArrayLike<number>, numClasses?: number): Tensor {
  let classes = numClasses;
  if (classes === undefined) {
    classes = 0;
    for (let i = 0; i < labels.length; i++) classes = Math.max(classes, labels[i]! + 1);
  }
  if (!Number.isInteger(classes) || classes < 1) {
    throw new Error(`oneHot: numClasses must be a positive integer, got ${String(numClasses ?? classes)}`);
  }
  const out = new Float32Array(labels.length * classes);
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i]!;
    if (!Number.isInteger(label) || label < 0 || label >= classes) {
      throw new Error(`oneHot: label ${label} at index ${i} is outside the classes [0, ${classes})`);
    }
    out[i * classes + label] = 1;
  }
  return new Tensor(out, [labels.length, classes]);
}
