/**
 * nn.LSTM against PyTorch: test/fixtures/lstm.json (written by
 * test/fixtures/gen_lstm.py) holds nn.LSTM(..., batch_first=True) state dicts,
 * inputs, outputs, final states and the gradients of
 * Σ output·up_out + Σ h_n·up_h + Σ c_n·up_c with respect to every parameter,
 * the input and (when given) the initial state. The weights are loaded with
 * loadStateDict under PyTorch's key names, so this also checks the layout.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { nn, tensor, type Tensor } from '../../src/index.js';

interface FixtureTensor {
  shape: number[];
  data: number[];
}

interface LstmCase {
  name: string;
  inputSize: number;
  hiddenSize: number;
  numLayers: number;
  bias: boolean;
  stateDict: Record<string, FixtureTensor>;
  input: FixtureTensor;
  h0: FixtureTensor | null;
  c0: FixtureTensor | null;
  output: FixtureTensor;
  h_n: FixtureTensor;
  c_n: FixtureTensor;
  upstream: { output: FixtureTensor; h_n: FixtureTensor; c_n: FixtureTensor };
  grads: Record<string, FixtureTensor>;
}

const fixtures: { generator: string; torch: string; cases: LstmCase[] } = JSON.parse(
  readFileSync(new URL('../fixtures/lstm.json', import.meta.url), 'utf8'),
);

// Both PyTorch and tensorgrad compute in float32 but sum in different orders
// (tensorgrad's GEMM sums in double); over 7–20 recurrent steps the
// differences stay around 1e-7 relative, well inside these bounds.
const TOL = { rtol: 1e-5, atol: 1e-5 };

const load = (t: FixtureTensor, requiresGrad = false): Tensor => tensor(t.data, { shape: t.shape, requiresGrad });

describe('nn.LSTM matches PyTorch', () => {
  it('has the fixture cases', () => {
    expect(fixtures.cases.map((c) => c.name)).toEqual([
      '2 layers, 7 steps', '1 layer, no bias', '2 layers, initial state', 'sine, 20 steps',
    ]);
  });

  for (const c of fixtures.cases) {
    describe(c.name, () => {
      const setUp = () => {
        const lstm = new nn.LSTM(c.inputSize, c.hiddenSize, { numLayers: c.numLayers, bias: c.bias });
        const dict = Object.fromEntries(Object.entries(c.stateDict).map(([key, t]) => [key, load(t)]));
        lstm.loadStateDict(dict); // strict: every PyTorch key, nothing else
        const x = load(c.input, true);
        const state = c.h0 && c.c0 ? { h: load(c.h0, true), c: load(c.c0, true) } : undefined;
        return { lstm, x, state, ...lstm.forwardWithState(x, state) };
      };

      it('has PyTorch\'s state-dict keys in PyTorch\'s order', () => {
        const lstm = new nn.LSTM(c.inputSize, c.hiddenSize, { numLayers: c.numLayers, bias: c.bias });
        expect(Object.keys(lstm.stateDict())).toEqual(Object.keys(c.stateDict));
      });

      it('output, h_n and c_n', () => {
        const { output, h, c: cell } = setUp();
        expect(output).toBeAllClose(load(c.output), TOL);
        expect(h).toBeAllClose(load(c.h_n), TOL);
        expect(cell).toBeAllClose(load(c.c_n), TOL);
      });

      it('gradients of every parameter, the input and the initial state', () => {
        const { lstm, x, state, output, h, c: cell } = setUp();
        const loss = output.mul(load(c.upstream.output)).sum()
          .add(h.mul(load(c.upstream.h_n)).sum())
          .add(cell.mul(load(c.upstream.c_n)).sum());
        loss.backward();
        const params = Object.fromEntries(lstm.namedParameters());
        for (const [key, expected] of Object.entries(c.grads)) {
          const actual = key === 'input' ? x.grad : key === 'h0' ? state!.h.grad : key === 'c0' ? state!.c.grad : params[key]!.grad;
          expect(actual, key).not.toBeNull();
          expect(actual, key).toBeAllClose(load(expected), TOL);
        }
        const expectedKeys = [...Object.keys(c.stateDict), 'input', ...(state ? ['h0', 'c0'] : [])];
        expect(Object.keys(c.grads).sort()).toEqual(expectedKeys.sort());
      });

      it('forward() is the output sequence, or its last step with returnSequences: false', () => {
        const { lstm, x, state, output } = setUp();
        if (state) return; // forward() starts from zeros
        expect(lstm.forward(x)).toBeAllClose(output, { rtol: 0, atol: 0 });
        const last = new nn.LSTM(c.inputSize, c.hiddenSize, { numLayers: c.numLayers, bias: c.bias, returnSequences: false });
        last.loadStateDict(lstm.stateDict());
        const T = c.input.shape[1]!;
        expect(last.forward(x)).toBeAllClose(output.narrow(1, T - 1, 1).squeeze(1), { rtol: 0, atol: 0 });
        expect(last.forward(x)).toBeAllClose(load(c.output).narrow(1, T - 1, 1).squeeze(1), TOL);
      });
    });
  }
});
