/**
 * The Tensor: a contiguous row-major Float32Array plus a shape, and the
 * autograd fields (`requiresGrad`, `grad`, `gradFn`).
 *
 * The methods are sugar: each is one line that calls the function of the
 * same name in `ops/` or `autograd/`, where the math and its gradient live.
 * Those modules import this class back; nothing runs at import time, so the
 * cycle is resolved when a method is first called.
 * @module
 */
import { backward as runBackward, type BackwardOptions } from '../autograd/backward.js';
import type { GradNode } from '../autograd/node.js';
import { abs, clamp, exp, leakyRelu, log, neg, relu, sigmoid, sqrt, tanh } from '../ops/unary.js';
import { add, div, maximum, minimum, mul, pow, sub } from '../ops/binary.js';
import { eq, ge, gt, le, lt, ne } from '../ops/compare.js';
import { argmax, argmin, logsumexp, max, mean, min, sum } from '../ops/reduce.js';
import { logSoftmax, softmax } from '../ops/softmax.js';
import { clone, flatten, reshape, squeeze, unsqueeze } from '../ops/view.js';
import { expand, permute, transpose } from '../ops/layout.js';
import { narrow, pad, slice, split } from '../ops/slice.js';
import { gather, indexSelect } from '../ops/gather.js';
import { matmul } from '../ops/matmul.js';
import { formatTensor } from './format.js';
import { sizeOf, type Shape } from './shape.js';

/** A tensor or a plain number (broadcast as a scalar) as an op operand. */
export type TensorLike = Tensor | number;

/** Nested arrays of numbers, as returned by {@link Tensor.toArray}. */
export type NestedArray = number | NestedArray[];

/**
 * An n-dimensional array of float32 values that can record the operations
 * applied to it and compute gradients by reverse-mode differentiation.
 *
 * Create tensors with {@link tensor}, {@link zeros}, {@link randn} and friends
 * rather than the constructor.
 * @example
 * const x = tensor([[1, 2], [3, 4]], { requiresGrad: true });
 * const y = x.mul(x).sum();   // Σ x²
 * y.backward();
 * x.grad?.toArray();          // [[2, 4], [6, 8]]  (d/dx Σx² = 2x)
 */
export class Tensor {
  /** The values, row-major and contiguous. Views (reshape, …) share it. */
  readonly data: Float32Array;
  /** The dimensions, outermost first; `[]` for a scalar. */
  readonly shape: readonly number[];
  /** Whether gradients flow to this tensor. Set it on leaves you want `.grad` for. */
  requiresGrad: boolean;
  /** Accumulated gradient of a leaf after `backward()`; `null` before. */
  grad: Tensor | null = null;
  /** The graph node that produced this tensor; `null` for leaves. */
  gradFn: GradNode | null = null;

  /**
   * Wraps a buffer without copying it. Prefer {@link tensor} in user code.
   * @param data - values, row-major; its length must equal the shape's size
   * @param shape - dimensions
   * @param requiresGrad - whether gradients should flow to this tensor
   * @throws Error when the data length does not match the shape
   */
  constructor(data: Float32Array, shape: Shape, requiresGrad = false) {
    if (data.length !== sizeOf(shape)) {
      throw new Error(`Tensor: data has ${data.length} elements but shape [${shape.join(',')}] needs ${sizeOf(shape)}`);
    }
    this.data = data;
    this.shape = Object.freeze([...shape]);
    this.requiresGrad = requiresGrad;
  }

  /** Number of elements. */
  get size(): number {
    return this.data.length;
  }

  /** Number of dimensions (rank). */
  get ndim(): number {
    return this.shape.length;
  }

  /** True for tensors not produced by a recorded op (user-created, or detached). */
  get isLeaf(): boolean {
    return this.gradFn === null;
  }

  /**
   * The value of a one-element tensor as a number.
   * @returns the single value
   * @throws Error when the tensor has more or fewer than one element
   */
  item(): number {
    if (this.size !== 1) {
      throw new Error(`item: expected a tensor with one element, got shape [${this.shape.join(',')}] (${this.size} elements)`);
    }
    return this.data[0]!;
  }

  /**
   * The values as nested arrays (a plain number for a scalar).
   * @returns nested arrays matching the shape
   */
  toArray(): NestedArray {
    const build = (dim: number, offset: number, stride: number): NestedArray => {
      if (dim === this.ndim) return this.data[offset]!;
      const extent = this.shape[dim]!;
      const inner = stride / Math.max(extent, 1);
      return Array.from({ length: extent }, (_, i) => build(dim + 1, offset + i * inner, inner));
    };
    return build(0, 0, this.size);
  }

  /**
   * A copy with its own buffer. Gradients flow through it (like `torch.clone`).
   * @returns the copy
   */
  clone(): Tensor {
    return clone(this);
  }

  /**
   * A tensor sharing this one's data but cut from the graph (no gradient).
   * @returns the detached tensor
   */
  detach(): Tensor {
    return new Tensor(this.data, this.shape);
  }

  /**
   * Back-propagates from this tensor, accumulating into `.grad` of every leaf
   * that requires grad.
   * @param grad - gradient of some scalar with respect to this tensor; may be
   *   omitted only when this tensor has one element (it then defaults to 1)
   * @param options - `retainGraph: true` keeps the graph for another backward
   * @throws Error when this tensor does not require grad, when `grad` is
   *   missing for a non-scalar or has the wrong shape, or when the graph was
   *   already freed by an earlier backward
   */
  backward(grad?: Tensor, options?: BackwardOptions): void {
    runBackward(this, grad, options);
  }

  /** Sets `.grad` to `null` (gradients accumulate until you do). */
  zeroGrad(): void {
    this.grad = null;
  }

  /**
   * Prints like PyTorch: `tensor([[1.0000, 2.0000], ...], requiresGrad=true)`,
   * eliding the middle of tensors with more than 1000 elements.
   * @returns the printed form
   */
  toString(): string {
    return formatTensor(this);
  }

  /**
   * What `console.log(t)` shows in Node: the same text as {@link Tensor.toString}.
   * (`Symbol.for` reads a global registry, so this needs no `node:*` import.)
   * @returns the printed form
   */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }

  // ── elementwise ─────────────────────────────────────────────────────────
  /** `this + other`, broadcasting. @param other - tensor or number @returns the sum */
  add(other: TensorLike): Tensor { return add(this, other); }
  /** `this - other`, broadcasting. @param other - tensor or number @returns the difference */
  sub(other: TensorLike): Tensor { return sub(this, other); }
  /** `this * other`, broadcasting. @param other - tensor or number @returns the product */
  mul(other: TensorLike): Tensor { return mul(this, other); }
  /** `this / other`, broadcasting. @param other - tensor or number @returns the quotient */
  div(other: TensorLike): Tensor { return div(this, other); }
  /** `this ** exponent`, broadcasting. @param exponent - tensor or number @returns the power */
  pow(exponent: TensorLike): Tensor { return pow(this, exponent); }
  /** Elementwise maximum, broadcasting. @param other - tensor or number @returns the maxima */
  maximum(other: TensorLike): Tensor { return maximum(this, other); }
  /** Elementwise minimum, broadcasting. @param other - tensor or number @returns the minima */
  minimum(other: TensorLike): Tensor { return minimum(this, other); }
  /** `-this`. @returns the negation */
  neg(): Tensor { return neg(this); }
  /** `eˣ`. @returns the exponential */
  exp(): Tensor { return exp(this); }
  /** Natural logarithm. @returns `ln x` */
  log(): Tensor { return log(this); }
  /** Square root. @returns `√x` */
  sqrt(): Tensor { return sqrt(this); }
  /** Absolute value. @returns `|x|` */
  abs(): Tensor { return abs(this); }
  /** Logistic sigmoid `1 / (1 + e⁻ˣ)`. @returns `σ(x)` */
  sigmoid(): Tensor { return sigmoid(this); }
  /** Hyperbolic tangent. @returns `tanh x` */
  tanh(): Tensor { return tanh(this); }
  /** Rectified linear unit `max(x, 0)`. @returns `relu(x)` */
  relu(): Tensor { return relu(this); }
  /** Leaky ReLU. @param negativeSlope - slope for x < 0 (default 0.01) @returns the activation */
  leakyRelu(negativeSlope?: number): Tensor { return leakyRelu(this, negativeSlope); }
  /** Clamps into `[min, max]`. @param min - lower bound or undefined @param max - upper bound or undefined @returns the clamped tensor */
  clamp(min?: number, max?: number): Tensor { return clamp(this, min, max); }

  // ── comparisons (not differentiable; 1 for true, 0 for false) ──────────
  /** `this == other` as 0/1. @param other - tensor or number @returns the mask */
  eq(other: TensorLike): Tensor { return eq(this, other); }
  /** `this != other` as 0/1. @param other - tensor or number @returns the mask */
  ne(other: TensorLike): Tensor { return ne(this, other); }
  /** `this > other` as 0/1. @param other - tensor or number @returns the mask */
  gt(other: TensorLike): Tensor { return gt(this, other); }
  /** `this >= other` as 0/1. @param other - tensor or number @returns the mask */
  ge(other: TensorLike): Tensor { return ge(this, other); }
  /** `this < other` as 0/1. @param other - tensor or number @returns the mask */
  lt(other: TensorLike): Tensor { return lt(this, other); }
  /** `this <= other` as 0/1. @param other - tensor or number @returns the mask */
  le(other: TensorLike): Tensor { return le(this, other); }

  // ── reductions ──────────────────────────────────────────────────────────
  /** Sum over `dim` (all axes when omitted). @param dim - axis or axes @param keepdim - keep reduced axes as size 1 @returns the sum */
  sum(dim?: number | readonly number[], keepdim = false): Tensor { return sum(this, dim, keepdim); }
  /** Mean over `dim` (all axes when omitted). @param dim - axis or axes @param keepdim - keep reduced axes @returns the mean */
  mean(dim?: number | readonly number[], keepdim = false): Tensor { return mean(this, dim, keepdim); }
  /** Maximum over `dim` (all axes when omitted). @param dim - axis or axes @param keepdim - keep reduced axes @returns the maxima */
  max(dim?: number | readonly number[], keepdim = false): Tensor { return max(this, dim, keepdim); }
  /** Minimum over `dim` (all axes when omitted). @param dim - axis or axes @param keepdim - keep reduced axes @returns the minima */
  min(dim?: number | readonly number[], keepdim = false): Tensor { return min(this, dim, keepdim); }
  /** Index of the maximum along `dim` (of the flattened tensor when omitted). @param dim - axis @param keepdim - keep the axis @returns integer-valued indices */
  argmax(dim?: number, keepdim = false): Tensor { return argmax(this, dim, keepdim); }
  /** Index of the minimum along `dim` (of the flattened tensor when omitted). @param dim - axis @param keepdim - keep the axis @returns integer-valued indices */
  argmin(dim?: number, keepdim = false): Tensor { return argmin(this, dim, keepdim); }
  /** `log Σ exp(x)` over `dim`, computed stably. @param dim - axis or axes @param keepdim - keep reduced axes @returns the log-sum-exp */
  logsumexp(dim?: number | readonly number[], keepdim = false): Tensor { return logsumexp(this, dim, keepdim); }
  /** Softmax along `dim`. @param dim - the axis that sums to 1 @returns probabilities */
  softmax(dim: number): Tensor { return softmax(this, dim); }
  /** Log of the softmax along `dim`, computed stably. @param dim - the axis @returns log-probabilities */
  logSoftmax(dim: number): Tensor { return logSoftmax(this, dim); }

  // ── shape ───────────────────────────────────────────────────────────────
  /** Same data, new shape (one entry may be -1). Shares the buffer. @param shape - the new shape @returns the view */
  reshape(shape: readonly number[]): Tensor { return reshape(this, shape); }
  /** Merges axes `start..end` into one. Shares the buffer. @param start - first axis (default 0) @param end - last axis (default -1) @returns the view */
  flatten(start = 0, end = -1): Tensor { return flatten(this, start, end); }
  /** Removes axes of size 1 (only `dim` if given). Shares the buffer. @param dim - the axis to remove @returns the view */
  squeeze(dim?: number): Tensor { return squeeze(this, dim); }
  /** Inserts an axis of size 1 at `dim`. Shares the buffer. @param dim - position of the new axis @returns the view */
  unsqueeze(dim: number): Tensor { return unsqueeze(this, dim); }
  /** Swaps two axes (copies). @param dim0 - first axis @param dim1 - second axis @returns the transposed tensor */
  transpose(dim0: number, dim1: number): Tensor { return transpose(this, dim0, dim1); }
  /** Reorders axes (copies). @param dims - the new order of the old axes @returns the permuted tensor */
  permute(dims: readonly number[]): Tensor { return permute(this, dims); }
  /** Broadcasts to `shape` (-1 keeps an axis). @param shape - target shape @returns the expanded tensor */
  expand(shape: readonly number[]): Tensor { return expand(this, shape); }
  /** Elements `start, start+step, …` before `end` along `dim` (copies). @param dim - axis @param start - first index @param end - exclusive end @param step - stride (default 1) @returns the slice */
  slice(dim: number, start: number, end: number, step = 1): Tensor { return slice(this, dim, start, end, step); }
  /** `length` elements from `start` along `dim` (copies). @param dim - axis @param start - first index @param length - how many @returns the slice */
  narrow(dim: number, start: number, length: number): Tensor { return narrow(this, dim, start, length); }
  /** Splits into pieces of `size` (or of the listed sizes) along `dim`. @param splitSizeOrSections - piece size or sizes @param dim - axis (default 0) @returns the pieces */
  split(splitSizeOrSections: number | readonly number[], dim = 0): Tensor[] { return split(this, splitSizeOrSections, dim); }
  /** Picks values along `dim` by `index` (like `torch.gather`). @param dim - axis @param index - integer-valued tensor @returns the gathered values */
  gather(dim: number, index: Tensor): Tensor { return gather(this, dim, index); }
  /** Selects whole slices along `dim`. @param dim - axis @param index - 1-D indices @returns the selection */
  indexSelect(dim: number, index: Tensor | readonly number[] | Int32Array): Tensor { return indexSelect(this, dim, index); }
  /** Pads with a constant, last axis first (like `F.pad`). @param pads - `[left, right, top, bottom, …]` @param value - fill value @returns the padded tensor */
  pad(pads: readonly number[], value = 0): Tensor { return pad(this, pads, value); }

  // ── linear algebra ──────────────────────────────────────────────────────
  /** Matrix product with NumPy semantics (1-D, 2-D, batched with broadcasting). @param other - right operand @returns the product */
  matmul(other: Tensor): Tensor { return matmul(this, other); }
}
