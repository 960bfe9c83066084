/**
 * Replays the PyTorch reference cases in test/fixtures/losses.json (written by
 * test/fixtures/gen_losses.py) and compares every loss's value and gradients
 * (with respect to the input, and the target where PyTorch gives one) at
 * rtol 1e-5, atol 1e-6. Class labels are replayed in all three accepted
 * forms: Int32Array, number[] and an integer-valued tensor.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { logSoftmax, tensor, type Tensor } from '../../src/index.js';
import * as losses from '../../src/losses/index.js';

interface FixtureTensor {
  shape: number[];
  data: number[];
}

interface LossCase {
  name: string;
  loss: string;
  options: { reduction: losses.Reduction; beta?: number; delta?: number; labelSmoothing?: number; ignoreIndex?: number };
  input: FixtureTensor;
  targetKind: 'labels' | 'tensor';
  target: FixtureTensor;
  weight?: FixtureTensor;
  posWeight?: FixtureTensor;
  output: FixtureTensor;
  upstream: FixtureTensor;
  gradInput: FixtureTensor;
  gradTarget: FixtureTensor | null;
}

const fixtures: { generator: string; torch: string; cases: LossCase[] } = JSON.parse(
  readFileSync(new URL('../fixtures/losses.json', import.meta.url), 'utf8'),
);

const toTensor = (t: FixtureTensor, requiresGrad = false): Tensor =>
  tensor(Float32Array.from(t.data), { shape: t.shape, requiresGrad });

type Target = Tensor | losses.Labels;
type LossFn = (input: Tensor, target: Target, c: LossCase) => Tensor;

const weightOf = (c: LossCase) => (c.weight ? toTensor(c.weight) : undefined);

const LOSSES: Record<string, LossFn> = {
  mseLoss: (x, y, c) => losses.mseLoss(x, y as Tensor, c.options),
  l1Loss: (x, y, c) => losses.l1Loss(x, y as Tensor, c.options),
  smoothL1Loss: (x, y, c) => losses.smoothL1Loss(x, y as Tensor, c.options),
  huberLoss: (x, y, c) => losses.huberLoss(x, y as Tensor, c.options),
  crossEntropy: (x, y, c) => losses.crossEntropy(x, y, { ...c.options, weight: weightOf(c) }),
  nllLoss: (x, y, c) => losses.nllLoss(x, y as losses.Labels, { ...c.options, weight: weightOf(c) }),
  nllLossLogSoftmax: (x, y, c) => losses.nllLoss(logSoftmax(x, 1), y as losses.Labels, { ...c.options, weight: weightOf(c) }),
  binaryCrossEntropy: (x, y, c) => losses.binaryCrossEntropy(x, y as Tensor, { ...c.options, weight: weightOf(c) }),
  binaryCrossEntropyWithLogits: (x, y, c) =>
    losses.binaryCrossEntropyWithLogits(x, y as Tensor, {
      ...c.options, weight: weightOf(c), posWeight: c.posWeight ? toTensor(c.posWeight) : undefined,
    }),
};

const RTOL = 1e-5;
const ATOL = 1e-6;

function expectClose(label: string, actual: Tensor | null, expected: FixtureTensor): void {
  if (actual === null) throw new Error(`${label}: missing`);
  expect([...actual.shape], `${label}: shape`).toEqual(expected.shape);
  for (let i = 0; i < actual.size; i++) {
    if (!Number.isFinite(actual.data[i]!)) throw new Error(`${label}: element ${i} is ${actual.data[i]}`);
  }
  expect(actual, label).toBeAllClose(expected.data, { rtol: RTOL, atol: ATOL });
}

/** The three forms class labels may take. */
const labelForms = (t: FixtureTensor): [string, Target][] => [
  ['Int32Array', Int32Array.from(t.data)],
  ['number[]', [...t.data]],
  ['Tensor', toTensor(t)],
];

describe(`losses vs PyTorch (torch ${fixtures.torch}, ${fixtures.cases.length} cases)`, () => {
  it('fixture file is well-formed and covers every loss', () => {
    expect(fixtures.generator).toBe('test/fixtures/gen_losses.py');
    const names = fixtures.cases.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    expect(new Set(fixtures.cases.map((c) => c.loss))).toEqual(new Set(Object.keys(LOSSES)));
    for (const loss of Object.keys(LOSSES)) {
      const reductions = new Set(fixtures.cases.filter((c) => c.loss === loss).map((c) => c.options.reduction));
      expect([...reductions].sort(), loss).toEqual(['mean', 'none', 'sum']);
    }
  });

  it.each(fixtures.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const fn = LOSSES[c.loss];
    if (!fn) throw new Error(`${c.name}: no tensorgrad mapping for loss "${c.loss}"`);
    const forms: [string, Target | null][] = c.targetKind === 'labels' ? labelForms(c.target) : [['tensor', null]];
    for (const [form, labels] of forms) {
      const input = toTensor(c.input, true);
      const target = labels ?? toTensor(c.target, c.gradTarget !== null);
      const out = fn(input, target, c);
      expectClose(`${c.name} (${form}) output`, out, c.output);
      out.backward(toTensor(c.upstream));
      expectClose(`${c.name} (${form}) grad input`, input.grad, c.gradInput);
      if (c.gradTarget !== null) expectClose(`${c.name} grad target`, (target as Tensor).grad, c.gradTarget);
    }
  });
});
