/**
 * The loss modules hold their options and give exactly what the functions
 * in src/losses give; they have no parameters.
 */
import { describe, expect, it } from 'vitest';
import { nn, tensor, type Tensor } from '../../src/index.js';
import * as losses from '../../src/losses/index.js';

const x = tensor([[0.2, -1, 3], [1.5, 0, -0.5]]);
const y = tensor([[0, -1, 2], [1, 1, 0]]);
const probs = tensor([[0.2, 0.5, 0.9], [0.6, 0.1, 0.3]]);
const bits = tensor([[0, 1, 1], [1, 0, 0]]);

describe('loss modules', () => {
  const pairs: [nn.Module, () => Tensor, Tensor, unknown][] = [
    [new nn.MSELoss(), () => losses.mseLoss(x, y), x, y],
    [new nn.L1Loss({ reduction: 'sum' }), () => losses.l1Loss(x, y, { reduction: 'sum' }), x, y],
    [new nn.SmoothL1Loss({ beta: 0.5 }), () => losses.smoothL1Loss(x, y, { beta: 0.5 }), x, y],
    [new nn.HuberLoss({ delta: 2, reduction: 'none' }), () => losses.huberLoss(x, y, { delta: 2, reduction: 'none' }), x, y],
    [
      new nn.CrossEntropyLoss({ labelSmoothing: 0.1, weight: [1, 2, 3], ignoreIndex: 1 }),
      () => losses.crossEntropy(x, [2, 0], { labelSmoothing: 0.1, weight: [1, 2, 3], ignoreIndex: 1 }),
      x, [2, 0],
    ],
    [new nn.NLLLoss({ weight: [1, 2, 3] }), () => losses.nllLoss(x, [1, 2], { weight: [1, 2, 3] }), x, [1, 2]],
    [new nn.BCELoss({ weight: [1, 2, 3] }), () => losses.binaryCrossEntropy(probs, bits, { weight: [1, 2, 3] }), probs, bits],
    [
      new nn.BCEWithLogitsLoss({ posWeight: [2, 1, 0.5] }),
      () => losses.binaryCrossEntropyWithLogits(x, bits, { posWeight: [2, 1, 0.5] }),
      x, bits,
    ],
  ];

  it.each(pairs.map((p) => [p[0].constructor.name, p] as const))('%s.forward equals the function', (_name, [module, expected, input, target]) => {
    expect(module.forward(input, target)).toBeAllClose(expected(), { rtol: 0, atol: 0 });
    expect(module.parameters()).toEqual([]);
    expect(module.stateDict()).toEqual({});
  });

  it('keeps its options as PyTorch-named fields and prints the non-default ones', () => {
    const criterion = new nn.CrossEntropyLoss({ labelSmoothing: 0.1, reduction: 'sum' });
    expect(criterion.labelSmoothing).toBe(0.1);
    expect(criterion.ignoreIndex).toBe(-100);
    expect(criterion.reduction).toBe('sum');
    expect(criterion.toString()).toBe('CrossEntropyLoss(labelSmoothing=0.1, reduction=sum)\nTotal parameters: 0');
    expect(new nn.MSELoss().toString()).toBe('MSELoss()\nTotal parameters: 0');
  });

  it('trains: gradients flow through the module to the logits', () => {
    const logits = tensor([[1, 2], [0, 0]], { requiresGrad: true });
    new nn.CrossEntropyLoss().forward(logits, [1, 0]).backward();
    expect(logits.grad).not.toBeNull();
  });

  it('errors name the function', () => {
    expect(() => new nn.MSELoss({ reduction: 'avg' as 'mean' }).forward(x, y)).toThrow(/^mseLoss: reduction must be/);
  });
});
