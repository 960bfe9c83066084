/**
 * Elementwise functions of two tensors with NumPy/PyTorch broadcasting. Each
 * backward rule returns gradients in the broadcast shape; the tape sums them
 * back to each input's shape (`sumToShape`), so no rule repeats that.
 * @module
 */
import { broadcastTo } from '../kernels/copy.js';
import * as kernels from '../kernels/elementwise.js';
import { broadcastShapes, broadcastStrides, sizeOf } from '../tensor/shape.js';
import type { Tensor, TensorLike } from '../tensor/tensor.js';
import { asTensor, record, result } from './record.js';

/**
 * Runs a broadcasting binary kernel on two operands.
 * @param op - the kernel
 * @param a - left operand
 * @param b - right operand
 * @returns the result in the broadcast shape
 */
export function broadcastBinary(op: kernels.BinaryKernel, a: Tensor, b: Tensor): Tensor {
  const shape = broadcastShapes(a.shape, b.shape, op);
  const out = new Float32Array(sizeOf(shape));
  kernels.binary(op, a.data, broadcastStrides(a.shape, shape), b.data, broadcastStrides(b.shape, shape), shape, out);
  return result(out, shape);
}

/**
 * Elementwise sum with broadcasting.
 * @param a - tensor or number
 * @param b - tensor or number
 * @returns `a + b`
 * @throws Error when the shapes do not broadcast
 * @example add(tensor([[1], [2]]), tensor([10, 20])).toArray(); // [[11, 21], [12, 22]]
 */
export function add(a: TensorLike, b: TensorLike): Tensor {
  const x = asTensor(a, 'add');
  const y = asTensor(b, 'add');
  return record('add', broadcastBinary('add', x, y), [x, y], (dy) => [dy, dy]);
}

/**
 * Elementwise difference with broadcasting.
 * @param a - tensor or number
 * @param b - tensor or number
 * @returns `a - b`
 * @throws Error when the shapes do not broadcast
 * @example sub(tensor([5, 6]), 1).toArray(); // [4, 5]
 */
export function sub(a: TensorLike, b: TensorLike): Tensor {
  const x = asTensor(a, 'sub');
  const y = asTensor(b, 'sub');
  return record('sub', broadcastBinary('sub', x, y), [x, y], (dy) => [dy, mul(dy, -1)]);
}

/**
 * Elementwise product with broadcasting.
 * @param a - tensor or number
 * @param b - tensor or number
 * @returns `a · b`
 * @throws Error when the shapes do not broadcast
 * @example mul(tensor([1, 2]), tensor([3, 4])).toArray(); // [3, 8]
 */
export function mul(a: TensorLike, b: TensorLike): Tensor {
  const x = asTensor(a, 'mul');
  const y = asTensor(b, 'mul');
  // d(xy)/dx = y, d(xy)/dy = x
  return record('mul', broadcastBinary('mul', x, y), [x, y], (dy) => [
    x.requiresGrad ? broadcastBinary('mul', dy, y) : null,
    y.requiresGrad ? broadcastBinary('mul', dy, x) : null,
  ]);
}

/**
 * Elementwise quotient with broadcasting (IEEE semantics: x/0 = ±Infinity).
 * @param a - tensor or number
 * @param b - tensor or number
 * @returns `a / b`
 * @throws Error when the shapes do not broadcast
 * @example div(tensor([1, 3]), 2).toArray(); // [0.5, 1.5]
 */
export function div(a: TensorLike, b: TensorLike): Tensor {
  const x = asTensor(a, 'div');
  const y = asTensor(b, 'div');
  const q = broadcastBinary('div', x, y);
  // d(x/y)/dx = 1/y, d(x/y)/dy = -x/y² = -(x/y)/y
  return record('div', q, [x, y], (dy) => [
    x.requiresGrad ? broadcastBinary('div', dy, y) : null,
    y.requiresGrad ? broadcastBinary('mul', dy, broadcastBinary('div', q, y)).neg() : null,
  ]);
}

/**
 * Elementwise power with broadcasting, `a ** b`.
 * @param a - base (tensor or number)
 * @param b - exponent (tensor or number)
 * @returns `aᵇ`
 * @throws Error when the shapes do not broadcast
 * @example pow(tensor([2, 3]), 2).toArray(); // [4, 9]
 */
export function pow(a: TensorLike, b: TensorLike): Tensor {
  const x = asTensor(a, 'pow');
  const y = asTensor(b, 'pow');
  const p = broadcastBinary('pow', x, y);
  return record('pow', p, [x, y], (dy) => {
    const base = broadcastTo(x.data, x.shape, p.shape);
    const exponent = broadcastTo(y.data, y.shape, p.shape);
    let dBase: Tensor | null = null;
    let dExponent: Tensor | null = null;
    if (x.requiresGrad) {
      // d(aᵇ)/da = b·aᵇ⁻¹, taken as 0 where b = 0 (as PyTorch) so 0⁰ has no NaN gradient
      const g = new Float32Array(p.size);
      for (let i = 0; i < g.length; i++) {
        const e = exponent[i]!;
        g[i] = e === 0 ? 0 : dy.data[i]! * e * Math.pow(base[i]!, e - 1);
      }
      dBase = result(g, p.shape);
    }
    if (y.requiresGrad) {
      // d(aᵇ)/db = aᵇ·ln a, taken as 0 where a = 0 and b ≥ 0 (as PyTorch)
      const g = new Float32Array(p.size);
      for (let i = 0; i < g.length; i++) {
        const v = base[i]!;
        g[i] = v === 0 && exponent[i]! >= 0 ? 0 : dy.data[i]! * p.data[i]! * Math.log(v);
      }
      dExponent = result(g, p.shape);
    }
    return [dBase, dExponent];
  });
}

/**
 * Elementwise maximum with broadcasting; NaN propagates. Where the two are
 * equal the gradient is split evenly, as in PyTorch.
 * @param a - tensor or number
 * @param b - tensor or number
 * @returns `max(a, b)`
 * @example maximum(tensor([1, 5]), 3).toArray(); // [3, 5]
 */
export function maximum(a: TensorLike, b: TensorLike): Tensor {
  return extremum('maximum', a, b);
}

/**
 * Elementwise minimum with broadcasting; NaN propagates. Where the two are
 * equal the gradient is split evenly, as in PyTorch.
 * @param a - tensor or number
 * @param b - tensor or number
 * @returns `min(a, b)`
 * @example minimum(tensor([1, 5]), 3).toArray(); // [1, 3]
 */
export function minimum(a: TensorLike, b: TensorLike): Tensor {
  return extremum('minimum', a, b);
}

function extremum(op: 'maximum' | 'minimum', a: TensorLike, b: TensorLike): Tensor {
  const x = asTensor(a, op);
  const y = asTensor(b, op);
  const out = broadcastBinary(op, x, y);
  return record(op, out, [x, y], (dy) => {
    const left = broadcastTo(x.data, x.shape, out.shape);
    const right = broadcastTo(y.data, y.shape, out.shape);
    const sign = op === 'maximum' ? 1 : -1;
    const dx = new Float32Array(out.size);
    const dz = new Float32Array(out.size);
    for (let i = 0; i < dx.length; i++) {
      const l = left[i]! * sign;
      const r = right[i]! * sign;
      // the winner takes the gradient; a tie splits it in half
      const share = l > r ? 1 : l === r ? 0.5 : 0;
      dx[i] = dy.data[i]! * share;
      dz[i] = dy.data[i]! * (l === r ? 0.5 : 1 - share);
    }
    return [result(dx, out.shape), result(dz, out.shape)];
  });
}
