/**
 * Hand-derived values, extreme logits and bad input for the losses. The
 * PyTorch comparisons live in torch-reference.test.ts, the gradient checks
 * in gradcheck.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { logSoftmax, tensor, type Tensor } from '../../src/index.js';
import {
  binaryCrossEntropy, binaryCrossEntropyWithLogits, crossEntropy, huberLoss, l1Loss, mseLoss, nllLoss, smoothL1Loss,
} from '../../src/losses/index.js';

const allFinite = (t: Tensor | null) => t !== null && Array.from(t.data).every(Number.isFinite);

describe('hand-derived values', () => {
  it('mseLoss and l1Loss with every reduction', () => {
    const x = tensor([1, 2, 3], { requiresGrad: true });
    const y = tensor([1, 4, 0]);
    // d = [0, −2, 3]: d² = [0, 4, 9]
    expect(mseLoss(x, y, { reduction: 'none' })).toBeAllClose([0, 4, 9]);
    expect(mseLoss(x, y, { reduction: 'sum' })).toBeAllClose(13);
    const loss = mseLoss(x, y);
    expect(loss.shape).toEqual([]);
    expect(loss).toBeAllClose(13 / 3);
    loss.backward();
    expect(x.grad).toBeAllClose([0, -4 / 3, 2]); // d/dx mean(d²) = 2d/3
    expect(l1Loss(x, y)).toBeAllClose(5 / 3);
  });

  it('smoothL1Loss and huberLoss on both sides of the threshold', () => {
    const x = tensor([0, 0]);
    const y = tensor([0.5, 3]);
    // |d| = 0.5 < 1: 0.5·0.25 = 0.125; |d| = 3: 3 − 0.5 = 2.5
    expect(smoothL1Loss(x, y, { reduction: 'none' })).toBeAllClose([0.125, 2.5]);
    // β = 2: 0.5·0.25/2 = 0.0625; 3 − 1 = 2
    expect(smoothL1Loss(x, y, { reduction: 'none', beta: 2 })).toBeAllClose([0.0625, 2]);
    expect(smoothL1Loss(x, y, { reduction: 'none', beta: 0 })).toBeAllClose([0.5, 3]); // β = 0: L1
    // δ = 2: 0.5·0.25 = 0.125; 2·(3 − 1) = 4 (= δ · smoothL1 with β = δ)
    expect(huberLoss(x, y, { reduction: 'none', delta: 2 })).toBeAllClose([0.125, 4]);
  });

  it('crossEntropy of labels is −log softmax at the label; gradient (softmax − onehot) / N', () => {
    const logits = tensor([[0, 0], [Math.log(3), 0]], { requiresGrad: true });
    // softmax rows: [1/2, 1/2] and [3/4, 1/4]; labels [1, 0]
    const loss = crossEntropy(logits, [1, 0]);
    expect(loss).toBeAllClose((Math.log(2) + Math.log(4 / 3)) / 2);
    loss.backward();
    expect(logits.grad).toBeAllClose([[0.25, -0.25], [-0.125, 0.125]]);
  });

  it('crossEntropy: weighted mean divides by the weights of the counted labels', () => {
    const logits = tensor([[0, 0], [0, 0], [0, 0]]);
    // every sample loses log 2; labels [0, 1, ignored] with weights [1, 3]: (1 + 3)·log 2 / (1 + 3)
    expect(crossEntropy(logits, [0, 1, -100], { weight: [1, 3] })).toBeAllClose(Math.log(2));
    expect(crossEntropy(logits, [0, 1, -100], { weight: [1, 3], reduction: 'sum' })).toBeAllClose(4 * Math.log(2));
    expect(crossEntropy(logits, [0, 1, -100], { weight: [1, 3], reduction: 'none' })).toBeAllClose([Math.log(2), 3 * Math.log(2), 0]);
    // every label ignored: 0 / 0, NaN as in PyTorch
    expect(Number.isNaN(crossEntropy(logits, [-100, -100, -100]).item())).toBe(true);
  });

  it('crossEntropy: label smoothing ε mixes in −(ε/C)·Σ log p', () => {
    const logits = tensor([[Math.log(3), 0]]); // log p = [log 3/4, log 1/4]
    const eps = 0.2;
    const expected = (1 - eps) * -Math.log(0.75) + (eps / 2) * -(Math.log(0.75) + Math.log(0.25));
    expect(crossEntropy(logits, [0], { labelSmoothing: eps })).toBeAllClose(expected);
    // the same as a probability target [1 − ε/2, ε/2]
    expect(crossEntropy(logits, tensor([[1, 0]]), { labelSmoothing: eps })).toBeAllClose(expected);
  });

  it('crossEntropy over a spatial [N, C, d] input equals the flat [N·d, C] one', () => {
    const logits = tensor([[[1, 2], [0, -1], [3, 0]]]); // [1, 3, 2]
    const flat = logits.permute([0, 2, 1]).reshape([2, 3]);
    const opts = { reduction: 'none' as const, labelSmoothing: 0.1, weight: [1, 2, 3] };
    expect(crossEntropy(logits, tensor([[2, 0]]), opts)).toBeAllClose(crossEntropy(flat, [2, 0], opts).reshape([1, 2]));
  });

  it('nllLoss picks −logProbs[y]; unbatched input gives a scalar', () => {
    const logProbs = tensor([[-1, -2, -3], [-4, -5, -6]], { requiresGrad: true });
    const loss = nllLoss(logProbs, [2, 0], { reduction: 'none' });
    expect(loss).toBeAllClose([3, 4]);
    loss.sum().backward();
    expect(logProbs.grad).toBeAllClose([[0, 0, -1], [-1, 0, 0]]);
    const single = nllLoss(tensor([-1, -2, -3]), tensor(1), { reduction: 'none' });
    expect(single.shape).toEqual([]);
    expect(single).toBeAllClose(2);
  });

  it('binaryCrossEntropy clamps log 0 to −100 and keeps the gradient finite', () => {
    const p = tensor([0, 1, 0.5], { requiresGrad: true });
    const loss = binaryCrossEntropy(p, tensor([1, 0, 1]), { reduction: 'none' });
    expect(loss).toBeAllClose([100, 100, Math.log(2)]);
    loss.sum().backward();
    // (x − y) / max(x(1 − x), 1e-12): −1e12, 1e12, −2
    expect(p.grad).toBeAllClose([-1e12, 1e12, -2]);
  });

  it('binaryCrossEntropyWithLogits has the exact gradient σ(x) − y at x = 0', () => {
    const x = tensor([0, 0], { requiresGrad: true });
    const loss = binaryCrossEntropyWithLogits(x, tensor([1, 0]), { reduction: 'sum' });
    expect(loss).toBeAllClose(2 * Math.log(2));
    loss.backward();
    expect(x.grad).toBeAllClose([-0.5, 0.5]);
    // posWeight p scales the positive term: p·log 2 for y = 1
    expect(binaryCrossEntropyWithLogits(tensor([0]), tensor([1]), { posWeight: [3] })).toBeAllClose(3 * Math.log(2));
  });
});

describe('extreme logits stay finite', () => {
  const extreme = () => tensor([[1e4, -1e4, 0], [-1e4, 1e4, 1e4], [0, 0, -1e4]], { requiresGrad: true });

  it('crossEntropy, labels with smoothing and weights: value and gradient', () => {
    for (const labelSmoothing of [0, 0.1]) {
      const logits = extreme();
      const loss = crossEntropy(logits, [1, 2, 2], { labelSmoothing, weight: [1, 2, 0.5] });
      expect(Number.isFinite(loss.item())).toBe(true);
      loss.backward();
      expect(allFinite(logits.grad)).toBe(true);
    }
    // exact: −log p[1] of [1e4, −1e4, 0] is 2e4 (the other terms underflow to 0)
    expect(crossEntropy(extreme(), [1, 1, 2], { reduction: 'none' })).toBeAllClose([2e4, Math.log(2), 1e4 + Math.log(2)]);
  });

  it('crossEntropy with probability targets', () => {
    const logits = extreme();
    const target = tensor([[0.2, 0.3, 0.5], [1, 0, 0], [0, 0, 1]], { requiresGrad: true });
    const loss = crossEntropy(logits, target);
    expect(Number.isFinite(loss.item())).toBe(true);
    loss.backward();
    expect(allFinite(logits.grad)).toBe(true);
    expect(allFinite(target.grad)).toBe(true);
  });

  it('nllLoss ∘ logSoftmax', () => {
    const logits = extreme();
    const loss = nllLoss(logSoftmax(logits, 1), [1, 0, 2]);
    expect(Number.isFinite(loss.item())).toBe(true);
    loss.backward();
    expect(allFinite(logits.grad)).toBe(true);
  });

  it('binaryCrossEntropyWithLogits, with posWeight', () => {
    const logits = tensor([1e4, -1e4, 1e4, -1e4, 1e30, -1e30], { requiresGrad: true });
    const target = tensor([1, 0, 0, 1, 0.5, 0.5], { requiresGrad: true });
    const loss = binaryCrossEntropyWithLogits(logits, target, { reduction: 'none', posWeight: [2, 2, 2, 2, 2, 2] });
    expect(Array.from(loss.data.subarray(0, 4))).toEqual([0, 0, 1e4, 2e4]); // e^−1e4 underflows: exactly 0, 0, x, p·|x|
    expect(allFinite(loss)).toBe(true);
    loss.sum().backward();
    expect(logits.grad).toBeAllClose([0, 0, 1, -2, 0.5, -1]); // (1 + (p − 1)y)·σ(x) − p·y
    expect(allFinite(target.grad)).toBe(true);
  });
});

describe('bad input gives clear errors', () => {
  const logits = tensor([[1, 2, 3], [4, 5, 6]]);

  it('a label out of range names the label and the class count', () => {
    expect(() => crossEntropy(logits, [0, 3])).toThrow(/^crossEntropy: label 3 at position 1 is out of range for 3 classes/);
    expect(() => crossEntropy(logits, Int32Array.from([-1, 0]))).toThrow(/crossEntropy: label -1 .* 3 classes/);
    expect(() => nllLoss(logits, tensor([0, 7]))).toThrow(/^nllLoss: label 7 at position 1 is out of range for 3 classes/);
  });

  it('labels that are not integers', () => {
    expect(() => crossEntropy(logits, tensor([0, 1.5]))).toThrow(/^crossEntropy: class labels must be integers, got 1.5 at position 1/);
    expect(() => nllLoss(logits, [0.25, 1])).toThrow(/^nllLoss: class labels must be integers, got 0.25/);
    expect(() => crossEntropy(logits, ['a', 1] as unknown as number[])).toThrow(/crossEntropy: class labels must be integers, got a/);
  });

  it('a target of the wrong shape names both shapes', () => {
    expect(() => crossEntropy(logits, tensor([0, 1, 2]))).toThrow(/^crossEntropy: target of shape \[3\] does not fit input of shape \[2,3\]: expected class labels of shape \[2\]/);
    expect(() => crossEntropy(logits, [0, 1, 2])).toThrow(/^crossEntropy: 3 labels for input of shape \[2,3\]: expected 2/);
    expect(() => nllLoss(tensor([[[0, 0]]]), tensor([0]))).toThrow(/^nllLoss: target of shape \[1\] does not fit input of shape \[1,1,2\]: expected class labels of shape \[1,2\]/);
    expect(() => mseLoss(tensor([1, 2, 3]), tensor([[1, 2, 3]]))).toThrow('mseLoss: target shape [1,3] does not match input shape [3]');
    expect(() => l1Loss(tensor([1]), tensor([1, 2]))).toThrow('l1Loss: target shape [2] does not match input shape [1]');
    expect(() => binaryCrossEntropy(tensor([0.5]), tensor([[1]]))).toThrow('binaryCrossEntropy: target shape [1,1] does not match probs shape [1]');
    expect(() => binaryCrossEntropyWithLogits(tensor([0.5, 1]), tensor([1]))).toThrow('binaryCrossEntropyWithLogits: target shape [1] does not match logits shape [2]');
  });

  it('a probability target of the wrong shape', () => {
    expect(() => crossEntropy(logits, tensor([[0.5, 0.5], [0.5, 0.5]]))).toThrow(
      'crossEntropy: probability target of shape [2,2] does not match logits of shape [2,3] (class labels would have shape [2])',
    );
    expect(() => crossEntropy(logits, tensor([[1, 0, 0], [0, 1, 0]]), { ignoreIndex: 0 })).toThrow(/ignoreIndex is not supported with class-probability targets/);
  });

  it('an invalid reduction string, in every loss', () => {
    const x = tensor([0.5]);
    const bad = { reduction: 'avg' as 'mean' };
    const calls: [string, () => unknown][] = [
      ['mseLoss', () => mseLoss(x, x, bad)],
      ['l1Loss', () => l1Loss(x, x, bad)],
      ['smoothL1Loss', () => smoothL1Loss(x, x, bad)],
      ['huberLoss', () => huberLoss(x, x, bad)],
      ['crossEntropy', () => crossEntropy(logits, [0, 1], bad)],
      ['nllLoss', () => nllLoss(logits, [0, 1], bad)],
      ['binaryCrossEntropy', () => binaryCrossEntropy(x, x, bad)],
      ['binaryCrossEntropyWithLogits', () => binaryCrossEntropyWithLogits(x, x, bad)],
    ];
    for (const [name, call] of calls) expect(call).toThrow(`${name}: reduction must be 'mean', 'sum' or 'none', got "avg"`);
  });

  it('bad options and values', () => {
    expect(() => crossEntropy(logits, [0, 1], { labelSmoothing: 1.5 })).toThrow('crossEntropy: labelSmoothing must be in [0, 1], got 1.5');
    expect(() => crossEntropy(logits, [0, 1], { labelSmoothing: -0.1 })).toThrow(/crossEntropy: labelSmoothing must be a finite number ≥ 0/);
    expect(() => crossEntropy(logits, [0, 1], { weight: [1, 2] })).toThrow('crossEntropy: weight has 2 entries but the input has 3 classes');
    expect(() => nllLoss(logits, [0, 1], { weight: tensor([[1, 2, 3]]) })).toThrow(/nllLoss: weight must be 1-D/);
    expect(() => crossEntropy(tensor(1), [0])).toThrow(/crossEntropy: logits must have shape \[N, C\]/);
    expect(() => crossEntropy([[1, 2]] as unknown as Tensor, [0])).toThrow(/crossEntropy: expected logits to be a Tensor/);
    expect(() => smoothL1Loss(tensor([1]), tensor([1]), { beta: -1 })).toThrow(/smoothL1Loss: beta must be a finite number ≥ 0, got -1/);
    expect(() => huberLoss(tensor([1]), tensor([1]), { delta: 0 })).toThrow(/huberLoss: delta must be a finite number > 0, got 0/);
    expect(() => binaryCrossEntropy(tensor([1.5]), tensor([1]))).toThrow('binaryCrossEntropy: every element of probs must be in [0, 1], got 1.5 at position 0');
    expect(() => binaryCrossEntropy(tensor([0.5]), tensor([-1]))).toThrow(/binaryCrossEntropy: every element of target must be in \[0, 1\]/);
    expect(() => binaryCrossEntropyWithLogits(tensor([[1, 2]]), tensor([[1, 0]]), { posWeight: [1, 2, 3] })).toThrow(
      'binaryCrossEntropyWithLogits: posWeight of shape [3] does not broadcast to the input shape [1,2]',
    );
  });
});
