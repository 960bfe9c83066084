/**
 * Weights from PyTorch: each model of test/fixtures/gen_io.py, saved there as
 * safetensors, loads into the same tensorgrad architecture (strictly: every
 * key, every shape) and gives PyTorch's outputs on PyTorch's inputs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Tensor } from '../../src/index.js';
import { loadSafetensors, saveSafetensors } from '../../src/io/index.js';
import { Conv2d, Dense, Flatten, LSTM, MaxPool2d, ReLU, Sequential } from '../../src/nn/index.js';

interface Encoded { shape: number[]; data: number[] }

const FIXTURES = join(__dirname, '..', 'fixtures', 'io');
const cases = JSON.parse(readFileSync(join(FIXTURES, 'io.json'), 'utf8')) as Record<string, Record<string, Encoded>>;
const file = (name: string): Uint8Array => new Uint8Array(readFileSync(join(FIXTURES, `${name}.safetensors`)));
const decode = ({ shape, data }: Encoded): Tensor => new Tensor(new Float32Array(data), shape);
const TOLERANCE = { rtol: 1e-5, atol: 1e-5 };

describe('PyTorch MLP (Linear 784→32, ReLU, Linear 32→10)', () => {
  const build = () => new Sequential(new Dense(784, 32), new ReLU(), new Dense(32, 10));

  it('loads strictly and matches PyTorch’s output', () => {
    const model = build().eval();
    model.loadStateDict(loadSafetensors(file('mlp')));
    const output = model.forward(decode(cases.mlp!.input!));
    expect(output.shape).toEqual(cases.mlp!.output!.shape);
    expect(output).toBeAllClose(cases.mlp!.output!.data, TOLERANCE);
  });

  it('survives a tensorgrad save → load round trip unchanged', () => {
    const model = build();
    model.loadStateDict(loadSafetensors(file('mlp')));
    const copy = build();
    copy.loadStateDict(loadSafetensors(saveSafetensors(model.stateDict())));
    expect(copy.forward(decode(cases.mlp!.input!))).toBeAllClose(cases.mlp!.output!.data, TOLERANCE);
  });

  it('refuses the weights of another architecture, listing the keys', () => {
    const wrong = new Sequential(new Dense(784, 16), new ReLU(), new Dense(16, 10));
    expect(() => wrong.loadStateDict(loadSafetensors(file('mlp')))).toThrow(/size mismatch for 0\.weight: expected \[16,784\], got \[32,784\]/);
  });
});

describe('PyTorch LeNet (Conv2d 1→6 5×5, pool, Conv2d 6→16 5×5, pool, Linear 256→120→84→10)', () => {
  const build = () => new Sequential(
    new Conv2d(1, 6, 5), new ReLU(), new MaxPool2d(2),
    new Conv2d(6, 16, 5), new ReLU(), new MaxPool2d(2),
    new Flatten(),
    new Dense(256, 120), new ReLU(),
    new Dense(120, 84), new ReLU(),
    new Dense(84, 10),
  );

  it('loads strictly and matches PyTorch’s output', () => {
    const model = build().eval();
    const weights = loadSafetensors(file('lenet'));
    expect(Object.keys(weights).sort()).toEqual(Object.keys(model.stateDict()).sort());
    model.loadStateDict(weights);
    const output = model.forward(decode(cases.lenet!.input!));
    expect(output.shape).toEqual([2, 10]);
    expect(output).toBeAllClose(cases.lenet!.output!.data, TOLERANCE);
  });

  it('writes PyTorch’s file back byte for byte', () => {
    const model = build();
    model.loadStateDict(loadSafetensors(file('lenet')));
    expect(saveSafetensors(model.stateDict())).toEqual(file('lenet'));
  });
});

describe('PyTorch 2-layer LSTM (input 3, hidden 5, batch-first, 7 steps)', () => {
  const build = () => new LSTM(3, 5, { numLayers: 2 });

  it('loads strictly and matches PyTorch’s output, h and c', () => {
    const lstm = build().eval();
    const weights = loadSafetensors(file('lstm'));
    expect(Object.keys(weights).sort()).toEqual(Object.keys(lstm.stateDict()).sort());
    lstm.loadStateDict(weights);
    const { output, h, c } = lstm.forwardWithState(decode(cases.lstm!.input!));
    expect(output.shape).toEqual([2, 7, 5]);
    expect(h.shape).toEqual([2, 2, 5]);
    expect(output).toBeAllClose(cases.lstm!.output!.data, TOLERANCE);
    expect(h).toBeAllClose(cases.lstm!.h!.data, TOLERANCE);
    expect(c).toBeAllClose(cases.lstm!.c!.data, TOLERANCE);
  });

  it('writes PyTorch’s file back byte for byte', () => {
    const lstm = build();
    lstm.loadStateDict(loadSafetensors(file('lstm')));
    expect(saveSafetensors(lstm.stateDict())).toEqual(file('lstm'));
  });
});
