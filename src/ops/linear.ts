/**
 * The affine map of a dense layer, `y = x·Wᵀ + b`, as one op. With PyTorch's
 * weight layout `[out, in]`, `x·Wᵀ` is a single GEMM with the transpose flag
 * set, so neither forward nor backward copies a transposed weight (the
 * composite `x.matmul(w.transpose(0, 1))` would copy it twice per step).
 * @module
 */
import { gemm } from '../kernels/gemm.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { assertTensor, record, result } from './record.js';

/**
 * `y = x·Wᵀ + b` over the last axis of `x`, like `torch.nn.functional.linear`.
 * @param x - input `[..., inFeatures]` (any number of leading axes)
 * @param weight - `[outFeatures, inFeatures]`
 * @param bias - `[outFeatures]`, or null/undefined for none
 * @returns `[..., outFeatures]`
 * @throws Error when the shapes do not fit together
 * @example linear(ones([2, 3]), ones([4, 3]), zeros([4])).shape; // [2, 4]
 */
export function linear(x: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  assertTensor(x, 'linear');
  assertTensor(weight, 'linear', 'weight');
  const inFeatures = weight.shape[1]!;
  const outFeatures = weight.shape[0]!;
  if (weight.ndim !== 2 || x.ndim === 0 || x.shape[x.ndim - 1] !== inFeatures) {
    throw new Error(
      `linear: input of shape ${formatShape(x.shape)} does not fit weight of shape ${formatShape(weight.shape)} ` +
        `(expected input [..., ${weight.ndim === 2 ? inFeatures : 'in'}] and weight [out, in])`,
    );
  }
  if (bias != null && (!(bias instanceof Tensor) || bias.ndim !== 1 || bias.shape[0] !== outFeatures)) {
    throw new Error(
      `linear: bias must have shape [${outFeatures}], got ${bias instanceof Tensor ? formatShape(bias.shape) : typeof bias}`,
    );
  }
  const rows = x.size / Math.max(inFeatures, 1) || 0;
  const out = new Float32Array(rows * outFeatures);
  gemm(false, true, rows, outFeatures, inFeatures, x.data, 0, weight.data, 0, out, 0, false);
  if (bias != null) {
    const b = bias.data;
    for (let r = 0; r < rows; r++) {
      const base = r * outFeatures;
      for (let j = 0; j < outFeatures; j++) out[base + j] += b[j]!;
    }
  }
  const shape = [...x.shape.slice(0, -1), outFeatures];
  const inputs = bias != null ? [x, weight, bias] : [x, weight];
  return record('linear', result(out, shape), inputs, (dy) => {
    // dx = dy·W,  dW = dyᵀ·x,  db = Σ_rows dy
    let dx: Tensor | null = null;
    let dW: Tensor | null = null;
    let db: Tensor | null = null;
    if (x.requiresGrad) {
      const g = new Float32Array(x.size);
      gemm(false, false, rows, inFeatures, outFeatures, dy.data, 0, weight.data, 0, g, 0, false);
      dx = result(g, x.shape);
    }
    if (weight.requiresGrad) {
      const g = new Float32Array(weight.size);
      gemm(true, false, outFeatures, inFeatures, rows, dy.data, 0, x.data, 0, g, 0, false);
      dW = result(g, weight.shape);
    }
    if (bias != null && bias.requiresGrad) {
      const g = new Float64Array(outFeatures);
      for (let r = 0; r < rows; r++) {
        const base = r * outFeatures;
        for (let j = 0; j < outFeatures; j++) g[j] += dy.data[base + j]!;
      }
      db = result(Float32Array.from(g), bias.shape);
    }
    return bias != null ? [dx, dW, db] : [dx, dW];
  });
}
