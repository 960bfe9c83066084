/**
 * Comparisons (0/1 results, not differentiable) and `where`, which selects
 * between two tensors by a condition and routes gradients accordingly.
 * @module
 */
import * as kernels from '../kernels/elementwise.js';
import { broadcastShapes, broadcastStrides, sizeOf } from '../tensor/shape.js';
import type { Tensor, TensorLike } from '../tensor/tensor.js';
import { broadcastBinary } from './binary.js';
import { asTensor, assertTensor, record, result } from './record.js';

function compare(op: 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le', a: TensorLike, b: TensorLike): Tensor {
  return broadcastBinary(op, asTensor(a, op), asTensor(b, op));
}

/**
 * `a == b` elementwise with broadcasting: 1 where true, 0 where false.
 * @param a - tensor or number
 * @param b - tensor or number
 * @returns the 0/1 mask (never requires grad)
 * @example eq(tensor([1, 2]), 2).toArray(); // [0, 1]
 */
export function eq(a: TensorLike, b: TensorLike): Tensor { return compare('eq', a, b); }

/**
 * `a != b` elementwise with broadcasting: 1 where true, 0 where false.
 * @param a - tensor or number
 * @param b - tensor or number
 * @returns the 0/1 mask (never requires grad)
 * @example ne(tensor([1, 2]), 2).toArray(); // [1, 0]
 */
export function ne(a: TensorLike, b: TensorLike): Tensor { return compare('ne', a, b); }

/**
 * `a > b` elementwise with broadcasting: 1 where true, 0 where false.
 * @param a - tensor or number
 * @param b - tensor or number
 * @returns the 0/1 mask (never requires grad)
 * @example gt(tensor([1, 3]), 2).toArray(); // [0, 1]
 */
export function gt(a: TensorLike, b: TensorLike): Tensor { return compare('gt', a, b); }

/**
 * `a >= b` elementwise with broadcasting: 1 where true, 0 where false.
 * @param a - tensor or number
 * @param b - tensor or number
 * @returns the 0/1 mask (never requires grad)
 * @example ge(tensor([1, 2]), 2).toArray(); // [0, 1]
 */
export function ge(a: TensorLike, b: TensorLike): Tensor { return compare('ge', a, b); }

/**
 * `a < b` elementwise with broadcasting: 1 where true, 0 where false.
 * @param a - tensor or number
 * @param b - tensor or number
 * @returns the 0/1 mask (never requires grad)
 * @example lt(tensor([1, 3]), 2).toArray(); // [1, 0]
 */
export function lt(a: TensorLike, b: TensorLike): Tensor { return compare('lt', a, b); }

/**
 * `a <= b` elementwise with broadcasting: 1 where true, 0 where false.
 * @param a - tensor or number
 * @param b - tensor or number
 * @returns the 0/1 mask (never requires grad)
 * @example le(tensor([2, 3]), 2).toArray(); // [1, 0]
 */
export function le(a: TensorLike, b: TensorLike): Tensor { return compare('le', a, b); }

/**
 * Picks `a` where `condition` is non-zero and `b` elsewhere, broadcasting all
 * three. Gradients flow to `a` where the condition holds and to `b` where it
 * does not; the condition gets none.
 * @param condition - mask (non-zero = true), e.g. from `gt`
 * @param a - values where true (tensor or number)
 * @param b - values where false (tensor or number)
 * @returns the selection in the broadcast shape
 * @throws Error when the three shapes do not broadcast
 * @example where(tensor([1, 0]), tensor([1, 2]), tensor([9, 9])).toArray(); // [1, 9]
 */
export function where(condition: Tensor, a: TensorLike, b: TensorLike): Tensor {
  const cond = assertTensor(condition, 'where', 'condition');
  const x = asTensor(a, 'where');
  const y = asTensor(b, 'where');
  const shape = broadcastShapes(broadcastShapes(cond.shape, x.shape, 'where'), y.shape, 'where');
  const out = new Float32Array(sizeOf(shape));
  kernels.select(
    cond.data, broadcastStrides(cond.shape, shape),
    x.data, broadcastStrides(x.shape, shape),
    y.data, broadcastStrides(y.shape, shape),
    shape, out,
  );
  const zero = new Float32Array(1);
  return record('where', result(out, shape), [cond, x, y], (dy) => {
    const routed = (takeWhenTrue: boolean): Tensor => {
      const g = new Float32Array(dy.size);
      const strides = broadcastStrides([], shape);
      return result(
        takeWhenTrue
          ? kernels.select(cond.data, broadcastStrides(cond.shape, shape), dy.data, broadcastStrides(shape, shape), zero, strides, shape, g)
          : kernels.select(cond.data, broadcastStrides(cond.shape, shape), zero, strides, dy.data, broadcastStrides(shape, shape), shape, g),
        shape,
      );
    };
    return [null, x.requiresGrad ? routed(true) : null, y.requiresGrad ? routed(false) : null];
  });
}
