/**
 * nn.LSTM: shapes, returnSequences inside a Sequential, stateful
 * continuation, parameters and their names, initialisation, printing and
 * errors. (Values and gradients against PyTorch: lstm-reference.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { concat, manualSeed, nn, noGrad, randn, zeros, type Tensor } from '../../src/index.js';

const { LSTM, Sequential, Dense } = nn;

describe('LSTM', () => {
  it('maps [B, T, F] to [B, T, H] and gives states [numLayers, B, H]', () => {
    const lstm = new LSTM(3, 5, { numLayers: 2 });
    const x = randn([4, 6, 3]);
    expect(lstm.forward(x).shape).toEqual([4, 6, 5]);
    const { output, h, c } = lstm.forwardWithState(x);
    expect(output.shape).toEqual([4, 6, 5]);
    expect(h.shape).toEqual([2, 4, 5]);
    expect(c.shape).toEqual([2, 4, 5]);
    // h of the last layer is the last step of the output
    expect(h.narrow(0, 1, 1).squeeze(0)).toBeAllClose(output.narrow(1, 5, 1).squeeze(1), { rtol: 0, atol: 0 });
  });

  it('works for batch 1 and a single step', () => {
    const lstm = new LSTM(2, 3);
    expect(lstm.forward(randn([1, 1, 2])).shape).toEqual([1, 1, 3]);
    expect(new LSTM(2, 3, { returnSequences: false }).forward(randn([1, 1, 2])).shape).toEqual([1, 3]);
  });

  it('with returnSequences: false, returns the last step and composes in a Sequential with a Dense', () => {
    manualSeed(1);
    const lstm = new LSTM(1, 8, { numLayers: 2, returnSequences: false });
    const model = new Sequential(lstm, new Dense(8, 1));
    const x = randn([3, 5, 1]);
    const y = model.forward(x);
    expect(y.shape).toEqual([3, 1]);
    const full = lstm.forwardWithState(x).output;
    expect(lstm.forward(x)).toBeAllClose(full.narrow(1, 4, 1).squeeze(1), { rtol: 0, atol: 0 });

    y.sum().backward();
    for (const [name, p] of model.namedParameters()) expect(p.grad, name).not.toBeNull();
    expect(Object.keys(model.stateDict())).toEqual([
      '0.weight_ih_l0', '0.weight_hh_l0', '0.bias_ih_l0', '0.bias_hh_l0',
      '0.weight_ih_l1', '0.weight_hh_l1', '0.bias_ih_l1', '0.bias_hh_l1',
      '1.weight', '1.bias',
    ]);
  });

  it('continuing a sequence from the returned state equals running it whole', () => {
    manualSeed(2);
    const lstm = new LSTM(3, 4, { numLayers: 3 });
    const x = randn([2, 9, 3]);
    const whole = lstm.forwardWithState(x);
    const first = lstm.forwardWithState(x.narrow(1, 0, 4));
    const second = lstm.forwardWithState(x.narrow(1, 4, 5), { h: first.h, c: first.c });
    const tol = { rtol: 1e-6, atol: 1e-7 };
    expect(concat([first.output, second.output], 1)).toBeAllClose(whole.output, tol);
    expect(second.h).toBeAllClose(whole.h, tol);
    expect(second.c).toBeAllClose(whole.c, tol);
  });

  it('zero initial state is the default', () => {
    const lstm = new LSTM(2, 3, { numLayers: 2 });
    const x = randn([2, 4, 2]);
    const state = { h: zeros([2, 2, 3]), c: zeros([2, 2, 3]) };
    expect(lstm.forwardWithState(x, state).output).toBeAllClose(lstm.forward(x), { rtol: 0, atol: 0 });
  });

  it('sends gradients through output, h and c into the initial state (truncated BPTT across calls)', () => {
    const lstm = new LSTM(2, 3, { numLayers: 2 });
    const h = randn([2, 2, 3], { requiresGrad: true });
    const c = randn([2, 2, 3], { requiresGrad: true });
    const out = lstm.forwardWithState(randn([2, 3, 2]), { h, c });
    out.c.sum().backward();
    expect(h.grad!.shape).toEqual([2, 2, 3]);
    expect(c.grad!.shape).toEqual([2, 2, 3]);
    expect(Array.from(c.grad!.data).some((v) => v !== 0)).toBe(true);
  });

  it('records no graph under noGrad', () => {
    const lstm = new LSTM(2, 3);
    const y = noGrad(() => lstm.forward(randn([2, 3, 2])));
    expect(y.requiresGrad).toBe(false);
    expect(y.gradFn).toBeNull();
  });

  it('has PyTorch\'s parameters, names, shapes and order', () => {
    const lstm = new LSTM(10, 20, { numLayers: 2 });
    expect(lstm.namedParameters().map(([name, p]) => [name, p.shape])).toEqual([
      ['weight_ih_l0', [80, 10]], ['weight_hh_l0', [80, 20]], ['bias_ih_l0', [80]], ['bias_hh_l0', [80]],
      ['weight_ih_l1', [80, 20]], ['weight_hh_l1', [80, 20]], ['bias_ih_l1', [80]], ['bias_hh_l1', [80]],
    ]);
    // 4H·(F + H + 2) + 4H·(H + H + 2) = 80·32 + 80·42
    expect(lstm.numParameters()).toBe(80 * 32 + 80 * 42);
    expect(lstm.weight_ih_l0).toBe(lstm.layerParameters(0).weightIh);
    expect(lstm.layerParameters(1).biasHh).toBe((lstm as unknown as Record<string, Tensor>).bias_hh_l1);
    const noBias = new LSTM(10, 20, { bias: false });
    expect(Object.keys(noBias.stateDict())).toEqual(['weight_ih_l0', 'weight_hh_l0']);
    expect(noBias.bias_ih_l0).toBeUndefined();
    expect(noBias.layerParameters(0).biasIh).toBeNull();
  });

  it('initialises every parameter U(−1/√H, 1/√H), reproducibly under manualSeed', () => {
    manualSeed(3);
    const lstm = new LSTM(4, 16, { numLayers: 2 });
    const bound = 1 / Math.sqrt(16);
    for (const [name, p] of lstm.namedParameters()) {
      const values = Array.from(p.data);
      expect(Math.max(...values.map(Math.abs)), name).toBeLessThanOrEqual(bound);
      // spread over the interval, not a constant
      expect(Math.max(...values) - Math.min(...values), name).toBeGreaterThan(bound);
    }
    manualSeed(3);
    expect(new LSTM(4, 16, { numLayers: 2 }).weight_hh_l0.data).toEqual(lstm.weight_hh_l0.data);
  });

  it('prints like PyTorch', () => {
    expect(new LSTM(1, 50).extraRepr()).toBe('1, 50');
    expect(new LSTM(1, 50, { numLayers: 2, bias: false, returnSequences: false }).extraRepr())
      .toBe('1, 50, numLayers=2, bias=false, returnSequences=false');
    expect(new LSTM(1, 50).toString()).toBe(
      'LSTM(1, 50)  # weight_ih_l0 [200,1], weight_hh_l0 [200,50], bias_ih_l0 [200], bias_hh_l0 [200]: 10,600\n' +
        'Total parameters: 10,600',
    );
  });

  it('rejects bad sizes', () => {
    expect(() => new LSTM(0, 5)).toThrow('LSTM: inputSize must be a positive integer, got 0');
    expect(() => new LSTM(3, 2.5)).toThrow('LSTM: hiddenSize must be a positive integer, got 2.5');
    expect(() => new LSTM(3, 5, { numLayers: 0 })).toThrow('LSTM: numLayers must be a positive integer, got 0');
    expect(() => new LSTM(3, 5).layerParameters(1)).toThrow('LSTM(3, 5): layer 1 does not exist (numLayers = 1)');
  });

  it('names the layer and the shapes for a wrong rank, feature size or empty sequence', () => {
    const lstm = new LSTM(3, 5, { numLayers: 2 });
    expect(() => lstm.forward(randn([4, 3]))).toThrow(
      'LSTM(3, 5, numLayers=2): expected input [batch, time, 3] with time ≥ 1, got [4,3]',
    );
    expect(() => lstm.forward(randn([4, 6, 2]))).toThrow(
      'LSTM(3, 5, numLayers=2): expected input [batch, time, 3] with time ≥ 1, got [4,6,2]',
    );
    expect(() => lstm.forward(zeros([4, 0, 3]))).toThrow('got [4,0,3]');
  });

  it('names the layer and the shapes for a wrong state', () => {
    const lstm = new LSTM(3, 5, { numLayers: 2 });
    const x = randn([4, 6, 3]);
    expect(() => lstm.forwardWithState(x, { h: zeros([1, 4, 5]), c: zeros([2, 4, 5]) })).toThrow(
      'LSTM(3, 5, numLayers=2): state.h must have shape [2,4,5] [numLayers, batch, hiddenSize], got [1,4,5]',
    );
    expect(() => lstm.forwardWithState(x, { h: zeros([2, 4, 5]), c: zeros([2, 3, 5]) })).toThrow(
      'state.c must have shape [2,4,5]',
    );
  });
});
