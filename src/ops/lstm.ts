/**
 * One LSTM layer over a whole sequence as a single autograd node, on the
 * fused kernels of `kernels/lstm.ts` (one GEMM + one fused gate loop per
 * step forward, one fused loop + one GEMM per step backward, the weight and
 * input gradients as single GEMMs over all steps).
 *
 * A graph node has one output, but an LSTM layer has three: the output
 * sequence, h_T and c_T. The op therefore returns them **packed** as one
 * tensor `[B, T + 1, H]`: time rows `0 … T−1` are h_1 … h_T (so h_T is row
 * `T − 1`) and row `T` is c_T. Take the pieces with `narrow`; the
 * gradients of every piece then flow back into this one node, whose backward
 * runs the whole backpropagation through time once.
 * @module
 */
import {
  createLstmTrace, lstmBackward, lstmForward, lstmPackOutput, type LstmSizes,
} from '../kernels/lstm.js';
import { formatShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { assertTensor, record, result } from './record.js';

/**
 * Runs one LSTM layer (PyTorch's equations, gate order i, f, g, o) over a
 * batch-first sequence and returns the packed result `[B, T + 1, H]`:
 * `narrow(packed, 1, 0, T)` is the output sequence `[B, T, H]`, its last step
 * `narrow(packed, 1, T − 1, 1)` is h_T, and `narrow(packed, 1, T, 1)` is c_T.
 * Differentiable with respect to every input.
 * @param x - input `[B, T, F]`
 * @param h0 - initial hidden state `[B, H]`
 * @param c0 - initial cell state `[B, H]`
 * @param weightIh - input-to-hidden weights `[4H, F]` (PyTorch's `weight_ih_l{k}`)
 * @param weightHh - hidden-to-hidden weights `[4H, H]` (`weight_hh_l{k}`)
 * @param biasIh - `[4H]` (`bias_ih_l{k}`), or null/undefined for none
 * @param biasHh - `[4H]` (`bias_hh_l{k}`); given exactly when `biasIh` is
 * @returns the packed result `[B, T + 1, H]`
 * @throws Error naming the op and the shapes when they do not fit together
 * @example
 * const packed = lstm(x, zeros([B, H]), zeros([B, H]), wIh, wHh, bIh, bHh);
 * const output = narrow(packed, 1, 0, T); // [B, T, H]
 * const cT = narrow(packed, 1, T, 1).reshape([B, H]);
 */
export function lstm(
  x: Tensor, h0: Tensor, c0: Tensor,
  weightIh: Tensor, weightHh: Tensor,
  biasIh?: Tensor | null, biasHh?: Tensor | null,
): Tensor {
  assertTensor(x, 'lstm');
  assertTensor(h0, 'lstm', 'h0');
  assertTensor(c0, 'lstm', 'c0');
  assertTensor(weightIh, 'lstm', 'weightIh');
  assertTensor(weightHh, 'lstm', 'weightHh');
  const withBias = biasIh != null;
  if (withBias !== (biasHh != null)) throw new Error('lstm: pass both biasIh and biasHh, or neither');
  if (withBias) {
    assertTensor(biasIh, 'lstm', 'biasIh');
    assertTensor(biasHh, 'lstm', 'biasHh');
  }
  if (x.ndim !== 3) throw new Error(`lstm: expected input [batch, time, features], got ${formatShape(x.shape)}`);
  const [B, T, F] = x.shape as [number, number, number];
  if (weightHh.ndim !== 2 || weightHh.shape[0] !== 4 * weightHh.shape[1]!) {
    throw new Error(`lstm: weightHh must have shape [4H, H], got ${formatShape(weightHh.shape)}`);
  }
  const H = weightHh.shape[1]!;
  const G = 4 * H;
  const expect = (t: Tensor, shape: number[], what: string): void => {
    if (t.ndim !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
      throw new Error(
        `lstm: ${what} must have shape ${formatShape(shape)} (input ${formatShape(x.shape)}, hidden size ${H}), ` +
          `got ${formatShape(t.shape)}`,
      );
    }
  };
  expect(weightIh, [G, F], 'weightIh');
  expect(h0, [B, H], 'h0');
  expect(c0, [B, H], 'c0');
  if (withBias) {
    expect(biasIh!, [G], 'biasIh');
    expect(biasHh!, [G], 'biasHh');
  }

  const sizes: LstmSizes = { batch: B, steps: T, inputSize: F, hiddenSize: H };
  const trace = createLstmTrace(sizes);
  lstmForward(
    sizes, x.data, h0.data, c0.data, weightIh.data, weightHh.data,
    withBias ? biasIh!.data : null, withBias ? biasHh!.data : null, trace,
  );
  const packed = new Float32Array(B * (T + 1) * H);
  lstmPackOutput(sizes, trace, packed);

  const inputs = withBias ? [x, h0, c0, weightIh, weightHh, biasIh!, biasHh!] : [x, h0, c0, weightIh, weightHh];
  return record('lstm', result(packed, [B, T + 1, H]), inputs, (dPacked) => {
    // The trace holds everything backward needs (gates, c, tanh c, h, x), so
    // nothing is recomputed; see kernels/lstm.ts for the equations.
    const wants = (t: Tensor): Float32Array | null => (t.requiresGrad ? new Float32Array(t.size) : null);
    const needBias = withBias && (biasIh!.requiresGrad || biasHh!.requiresGrad);
    const grads = {
      x: wants(x),
      h0: wants(h0),
      c0: wants(c0),
      weightIh: wants(weightIh),
      weightHh: wants(weightHh),
      bias: needBias ? new Float32Array(G) : null,
    };
    lstmBackward(sizes, trace, weightIh.data, weightHh.data, dPacked.data, grads);
    const wrap = (g: Float32Array | null, like: Tensor): Tensor | null => (g === null ? null : result(g, like.shape));
    const out: (Tensor | null)[] = [
      wrap(grads.x, x), wrap(grads.h0, h0), wrap(grads.c0, c0), wrap(grads.weightIh, weightIh), wrap(grads.weightHh, weightHh),
    ];
    if (withBias) {
      // b_ih and b_hh enter the pre-activation identically: same gradient.
      out.push(
        biasIh!.requiresGrad ? result(grads.bias!, biasIh!.shape) : null,
        biasHh!.requiresGrad ? result(grads.bias!.slice(), biasHh!.shape) : null,
      );
    }
    return out;
  });
}
