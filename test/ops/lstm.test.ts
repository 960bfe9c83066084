/**
 * The lstm op: its packing of output sequence and c_T into one tensor, the
 * single graph node, and its shape errors. (Gradients: gradcheck-ops.test.ts;
 * values against PyTorch: test/nn/lstm-reference.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { concat, randn, zeros } from '../../src/index.js';
import { lstm } from '../../src/ops/lstm.js';

const B = 2, T = 3, F = 4, H = 5;
const args = () => ({
  x: randn([B, T, F]), h0: randn([B, H]), c0: randn([B, H]),
  wIh: randn([4 * H, F], { requiresGrad: true }), wHh: randn([4 * H, H], { requiresGrad: true }),
  bIh: randn([4 * H]), bHh: randn([4 * H]),
});

describe('lstm op', () => {
  it('returns [B, T + 1, H]: the output sequence, then c_T, as one graph node', () => {
    const { x, h0, c0, wIh, wHh, bIh, bHh } = args();
    const packed = lstm(x, h0, c0, wIh, wHh, bIh, bHh);
    expect(packed.shape).toEqual([B, T + 1, H]);
    expect(packed.gradFn?.op).toBe('lstm');
    expect(packed.gradFn?.inputs).toHaveLength(7);
    // one step more from (h_T, c_T) — rows T − 1 and T — continues the sequence
    const hT = packed.narrow(1, T - 1, 1).reshape([B, H]);
    const cT = packed.narrow(1, T, 1).reshape([B, H]);
    const x2 = randn([B, 1, F]);
    const next = lstm(x2, hT, cT, wIh, wHh, bIh, bHh);
    const joined = lstm(concat([x, x2], 1), h0, c0, wIh, wHh, bIh, bHh);
    expect(joined.narrow(1, 0, T)).toBeAllClose(packed.narrow(1, 0, T), { rtol: 0, atol: 0 });
    expect(joined.narrow(1, T, 2)).toBeAllClose(next, { rtol: 1e-6, atol: 1e-7 });
  });

  it('takes no biases (five inputs)', () => {
    const { x, h0, c0, wIh, wHh } = args();
    expect(lstm(x, h0, c0, wIh, wHh).gradFn?.inputs).toHaveLength(5);
  });

  it('names the op and the shapes when they do not fit', () => {
    const { x, h0, c0, wIh, wHh, bIh } = args();
    expect(() => lstm(zeros([B, F]), h0, c0, wIh, wHh)).toThrow('lstm: expected input [batch, time, features], got [2,4]');
    expect(() => lstm(x, h0, c0, wIh, zeros([4 * H, H + 1]))).toThrow('lstm: weightHh must have shape [4H, H], got [20,6]');
    expect(() => lstm(x, h0, c0, zeros([4 * H, F + 1]), wHh)).toThrow(
      'lstm: weightIh must have shape [20,4] (input [2,3,4], hidden size 5), got [20,5]',
    );
    expect(() => lstm(x, zeros([B + 1, H]), c0, wIh, wHh)).toThrow('lstm: h0 must have shape [2,5]');
    expect(() => lstm(x, h0, zeros([B, H, 1]), wIh, wHh)).toThrow('lstm: c0 must have shape [2,5]');
    expect(() => lstm(x, h0, c0, wIh, wHh, bIh, zeros([H]))).toThrow('lstm: biasHh must have shape [20]');
    expect(() => lstm(x, h0, c0, wIh, wHh, bIh)).toThrow('lstm: pass both biasIh and biasHh, or neither');
    expect(() => lstm([1, 2] as never, h0, c0, wIh, wHh)).toThrow('lstm: expected input to be a Tensor, got an array');
  });
});
