/**
 * Matrix product with NumPy/PyTorch semantics: 1-D operands are promoted to
 * a row (left) or column (right) and the extra axis removed afterwards;
 * leading (batch) axes broadcast. Every product, forward and backward, is one
 * GEMM call per batch entry, using the kernel's transpose flags instead of
 * copying transposed matrices.
 * @module
 */
import { gemm } from '../kernels/gemm.js';
import { broadcastShapes, broadcastStrides, formatShape, sizeOf } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { assertTensor, record, result } from './record.js';

/**
 * For each entry of the broadcast batch, the offsets of its matrices in A,
 * B and C (in elements).
 */
function batchOffsets(
  batch: readonly number[], aBatch: readonly number[], bBatch: readonly number[],
  aMatrix: number, bMatrix: number, cMatrix: number,
): { a: Int32Array; b: Int32Array; c: Int32Array } {
  const count = sizeOf(batch);
  const aStrides = broadcastStrides(aBatch, batch);
  const bStrides = broadcastStrides(bBatch, batch);
  const a = new Int32Array(count);
  const b = new Int32Array(count);
  const c = new Int32Array(count);
  for (let index = 0; index < count; index++) {
    let rest = index;
    let aOffset = 0;
    let bOffset = 0;
    for (let d = batch.length - 1; d >= 0; d--) {
      const i = rest % batch[d]!;
      rest = (rest - i) / batch[d]!;
      aOffset += i * aStrides[d]!;
      bOffset += i * bStrides[d]!;
    }
    a[index] = aOffset * aMatrix;
    b[index] = bOffset * bMatrix;
    c[index] = index * cMatrix;
  }
  return { a, b, c };
}

/**
 * Matrix product `a @ b`:
 * - 1-D · 1-D: dot product (a scalar);
 * - 2-D · 2-D: `[m, k] · [k, n] → [m, n]`;
 * - 1-D on either side: treated as a row / column vector, that axis dropped;
 * - more axes: a batch of matrices, the leading axes broadcasting.
 * @param a - left operand, at least 1-D
 * @param b - right operand, at least 1-D
 * @returns the product
 * @throws Error when an operand is 0-D, the inner sizes differ or the batch
 *   axes do not broadcast
 * @example matmul(tensor([[1, 2], [3, 4]]), tensor([1, 1])).toArray(); // [3, 7]
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  assertTensor(a, 'matmul');
  assertTensor(b, 'matmul', 'the right operand');
  if (a.ndim === 0 || b.ndim === 0) {
    throw new Error(`matmul: both operands need at least one axis, got shapes ${formatShape(a.shape)} and ${formatShape(b.shape)}`);
  }
  // Promote vectors to matrices: [k] → [1, k] on the left, [k] → [k, 1] on the right.
  const aShape = a.ndim === 1 ? [1, a.shape[0]!] : a.shape;
  const bShape = b.ndim === 1 ? [b.shape[0]!, 1] : b.shape;
  const m = aShape[aShape.length - 2]!;
  const k = aShape[aShape.length - 1]!;
  const n = bShape[bShape.length - 1]!;
  if (bShape[bShape.length - 2] !== k) {
    throw new Error(
      `matmul: shapes ${formatShape(a.shape)} and ${formatShape(b.shape)} are not compatible ` +
        `(${k} != ${bShape[bShape.length - 2]})`,
    );
  }
  const aBatch = aShape.slice(0, -2);
  const bBatch = bShape.slice(0, -2);
  let batch: number[];
  try {
    batch = broadcastShapes(aBatch, bBatch, 'matmul');
  } catch {
    // Same rule, but name the operands' full shapes rather than their batch parts.
    throw new Error(
      `matmul: shapes ${formatShape(a.shape)} and ${formatShape(b.shape)} are not compatible ` +
        `(batch axes ${formatShape(aBatch)} and ${formatShape(bBatch)} do not broadcast)`,
    );
  }
  const offsets = batchOffsets(batch, aBatch, bBatch, m * k, k * n, m * n);
  const out = new Float32Array(sizeOf(batch) * m * n);
  for (let i = 0; i < offsets.c.length; i++) {
    gemm(false, false, m, n, k, a.data, offsets.a[i]!, b.data, offsets.b[i]!, out, offsets.c[i]!, false);
  }
  const shape = [...batch, ...(a.ndim === 1 ? [] : [m]), ...(b.ndim === 1 ? [] : [n])];
  return record('matmul', result(out, shape), [a, b], (dy) => {
    // dA = dC · Bᵀ and dB = Aᵀ · dC. Where an operand was broadcast over the
    // batch, its gradient accumulates over the batch entries that reused it.
    let dA: Tensor | null = null;
    let dB: Tensor | null = null;
    if (a.requiresGrad) {
      const g = new Float32Array(a.size);
      for (let i = 0; i < offsets.c.length; i++) {
        gemm(false, true, m, k, n, dy.data, offsets.c[i]!, b.data, offsets.b[i]!, g, offsets.a[i]!, true);
      }
      dA = result(g, a.shape);
    }
    if (b.requiresGrad) {
      const g = new Float32Array(b.size);
      for (let i = 0; i < offsets.c.length; i++) {
        gemm(true, false, k, n, m, a.data, offsets.a[i]!, dy.data, offsets.c[i]!, g, offsets.b[i]!, true);
      }
      dB = result(g, b.shape);
    }
    return [dA, dB];
  });
}
