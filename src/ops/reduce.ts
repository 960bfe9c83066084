/**
 * Reductions over one, several or all axes (negative axes allowed), with
 * `keepdim`. Each backward rule broadcasts the output's gradient back over
 * the reduced axes.
 * @module
 */
import { broadcastTo } from '../kernels/copy.js';
import * as kernels from '../kernels/reduce.js';
import { formatShape, normalizeDim, normalizeDims, sizeOf } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { assertTensor, record, result } from './record.js';

/** Which axes a reduction removes and what its output looks like. */
interface Reduction {
  axes: number[];
  /** Input shape with the reduced axes set to 1. */
  kept: number[];
  /** The output's shape (`kept`, or without the reduced axes). */
  shape: number[];
}

function planReduction(x: Tensor, dim: number | readonly number[] | undefined, keepdim: boolean, op: string): Reduction {
  const axes = normalizeDims(dim, x.ndim, op);
  const kept = kernels.keptShape(x.shape, axes);
  const shape = keepdim ? kept : x.shape.filter((_, i) => !axes.includes(i));
  return { axes, kept, shape };
}

/** The output gradient spread back over the input's shape. */
function spread(dy: Tensor, plan: Reduction, inputShape: readonly number[]): Float32Array {
  return broadcastTo(dy.data, plan.kept, inputShape);
}

/**
 * Sum of the elements over `dim` (every axis when omitted).
 * @param x - input
 * @param dim - axis or axes to reduce; negative counts from the end
 * @param keepdim - keep reduced axes with size 1 (default false)
 * @returns the sums
 * @throws Error when an axis is out of range or repeated
 * @example sum(tensor([[1, 2], [3, 4]]), 1).toArray(); // [3, 7]
 */
export function sum(x: Tensor, dim?: number | readonly number[], keepdim = false): Tensor {
  assertTensor(x, 'sum');
  const plan = planReduction(x, dim, keepdim, 'sum');
  const y = result(kernels.sum(x.data, x.shape, plan.axes), plan.shape);
  // d(Σx)/dx = 1 for every summed element
  return record('sum', y, [x], (dy) => [result(spread(dy, plan, x.shape), x.shape)]);
}

/**
 * Mean of the elements over `dim` (every axis when omitted). The mean of no
 * elements is NaN, as in PyTorch.
 * @param x - input
 * @param dim - axis or axes to reduce
 * @param keepdim - keep reduced axes with size 1 (default false)
 * @returns the means
 * @throws Error when an axis is out of range or repeated
 * @example mean(tensor([[1, 2], [3, 4]]), 0).toArray(); // [2, 3]
 */
export function mean(x: Tensor, dim?: number | readonly number[], keepdim = false): Tensor {
  assertTensor(x, 'mean');
  const plan = planReduction(x, dim, keepdim, 'mean');
  const count = plan.axes.reduce((n, a) => n * x.shape[a]!, 1);
  const sums = kernels.sum(x.data, x.shape, plan.axes);
  for (let i = 0; i < sums.length; i++) sums[i] = sums[i]! / count;
  return record('mean', result(sums, plan.shape), [x], (dy) => {
    const g = spread(dy, plan, x.shape);
    for (let i = 0; i < g.length; i++) g[i] = g[i]! / count; // d(mean)/dx = 1/n
    return [result(g, x.shape)];
  });
}

/**
 * Maximum over `dim` (every axis when omitted); NaN propagates.
 *
 * Gradient, as in PyTorch: with a single `dim` (like `torch.max(x, dim)`)
 * it goes to the first maximal element; over all or several axes (like
 * `torch.max(x)` / `torch.amax`) it is shared evenly among tied maxima.
 * @param x - input
 * @param dim - axis or axes to reduce
 * @param keepdim - keep reduced axes with size 1 (default false)
 * @returns the maxima
 * @throws Error when an axis is out of range, or a reduced axis is empty
 * @example max(tensor([[1, 5], [7, 2]]), 1).toArray(); // [5, 7]
 */
export function max(x: Tensor, dim?: number | readonly number[], keepdim = false): Tensor {
  return extremeOf('max', x, dim, keepdim);
}

/**
 * Minimum over `dim` (every axis when omitted); NaN propagates. Gradients
 * are routed as for {@link max}.
 * @param x - input
 * @param dim - axis or axes to reduce
 * @param keepdim - keep reduced axes with size 1 (default false)
 * @returns the minima
 * @throws Error when an axis is out of range, or a reduced axis is empty
 * @example min(tensor([[1, 5], [7, 2]]), 1).toArray(); // [1, 2]
 */
export function min(x: Tensor, dim?: number | readonly number[], keepdim = false): Tensor {
  return extremeOf('min', x, dim, keepdim);
}

function extremeOf(kind: 'max' | 'min', x: Tensor, dim: number | readonly number[] | undefined, keepdim: boolean): Tensor {
  assertTensor(x, kind);
  const plan = planReduction(x, dim, keepdim, kind);
  if (plan.axes.some((a) => x.shape[a] === 0)) {
    throw new Error(`${kind}: cannot reduce over an empty axis (shape ${formatShape(x.shape)}, dim ${String(dim)})`);
  }
  const y = result(kernels.extreme(kind, x.data, x.shape, plan.axes), plan.shape);
  return record(kind, y, [x], (dy) => {
    const g = new Float32Array(x.size);
    if (typeof dim === 'number' && x.ndim > 0) {
      // torch.max(x, dim): the whole gradient goes to the (first) arg-extreme.
      const axis = plan.axes[0]!;
      const indices = kernels.argExtreme(kind === 'max' ? 'argmax' : 'argmin', x.data, x.shape, axis);
      const extent = x.shape[axis]!;
      const inner = sizeOf(x.shape.slice(axis + 1));
      for (let o = 0; o < indices.length; o++) {
        const outer = Math.floor(o / inner);
        const k = o % inner;
        g[(outer * extent + indices[o]!) * inner + k] = dy.data[o]!;
      }
    } else {
      // torch.amax / torch.max(x): share evenly among the tied extrema.
      const best = broadcastTo(y.data, plan.kept, x.shape);
      const isBest = new Float32Array(x.size);
      for (let i = 0; i < g.length; i++) isBest[i] = x.data[i] === best[i] ? 1 : 0;
      const ties = kernels.sum(isBest, x.shape, plan.axes);
      const upstream = spread(dy, plan, x.shape);
      const tieCount = broadcastTo(ties, plan.kept, x.shape);
      for (let i = 0; i < g.length; i++) g[i] = isBest[i]! * upstream[i]! / tieCount[i]!;
    }
    return [result(g, x.shape)];
  });
}

/**
 * Index of the maximum along `dim`; of the flattened tensor when `dim` is
 * omitted. Ties go to the first index, as in PyTorch.
 *
 * Indices come back as a float32 tensor of integer values (exact up to 2²⁴),
 * so they compose with other ops (`eq`, `gather`); read them with `.data`.
 * @param x - input
 * @param dim - the axis to search along
 * @param keepdim - keep that axis with size 1 (default false)
 * @returns the indices (not differentiable)
 * @throws Error when `dim` is out of range or the tensor is empty
 * @example argmax(tensor([[1, 5], [7, 2]]), 1).toArray(); // [1, 0]
 */
export function argmax(x: Tensor, dim?: number, keepdim = false): Tensor {
  return argExtremeOf('argmax', x, dim, keepdim);
}

/**
 * Index of the minimum along `dim`; of the flattened tensor when `dim` is
 * omitted. Ties go to the first index. See {@link argmax} for the format.
 * @param x - input
 * @param dim - the axis to search along
 * @param keepdim - keep that axis with size 1 (default false)
 * @returns the indices (not differentiable)
 * @throws Error when `dim` is out of range or the tensor is empty
 * @example argmin(tensor([[1, 5], [7, 2]]), 1).toArray(); // [0, 1]
 */
export function argmin(x: Tensor, dim?: number, keepdim = false): Tensor {
  return argExtremeOf('argmin', x, dim, keepdim);
}

function argExtremeOf(kind: 'argmax' | 'argmin', x: Tensor, dim: number | undefined, keepdim: boolean): Tensor {
  assertTensor(x, kind);
  if (x.size === 0) throw new Error(`${kind}: cannot search an empty tensor (shape ${formatShape(x.shape)})`);
  if (dim === undefined) {
    const index = kernels.argExtreme(kind, x.data, [x.size], 0);
    return result(Float32Array.from(index), keepdim ? x.shape.map(() => 1) : []);
  }
  const axis = normalizeDim(dim, x.ndim, kind);
  if (x.ndim === 0) return result(new Float32Array([0]), []);
  const index = kernels.argExtreme(kind, x.data, x.shape, axis);
  const shape = keepdim ? x.shape.map((d, i) => (i === axis ? 1 : d)) : x.shape.filter((_, i) => i !== axis);
  return result(Float32Array.from(index), shape);
}

/**
 * `log Σ exp(x)` over `dim` (every axis when omitted), computed as
 * `m + log Σ exp(x − m)` so it stays finite for logits of ±1e4.
 * @param x - input
 * @param dim - axis or axes to reduce
 * @param keepdim - keep reduced axes with size 1 (default false)
 * @returns the log-sum-exp
 * @throws Error when an axis is out of range or repeated
 * @example logsumexp(tensor([0, 0]), 0).item(); // ln 2 ≈ 0.6931
 */
export function logsumexp(x: Tensor, dim?: number | readonly number[], keepdim = false): Tensor {
  assertTensor(x, 'logsumexp');
  const plan = planReduction(x, dim, keepdim, 'logsumexp');
  const y = result(kernels.logSumExp(x.data, x.shape, plan.axes), plan.shape);
  return record('logsumexp', y, [x], (dy) => {
    // d/dx log Σ eˣ = eˣ / Σ eˣ = exp(x − lse): the softmax
    const lse = broadcastTo(y.data, plan.kept, x.shape);
    const g = spread(dy, plan, x.shape);
    for (let i = 0; i < g.length; i++) g[i] = g[i]! * Math.exp(x.data[i]! - lse[i]!);
    return [result(g, x.shape)];
  });
}
