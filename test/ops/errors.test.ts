/**
 * Every public op rejects bad input with an Error whose message starts with
 * the op's name and shows the shapes or values involved; backward() explains
 * misuse of the tape. Values in the retainGraph case match PyTorch:
 *   x = torch.tensor([1., 2., 3.], requires_grad=True); y = (x * x).sum()
 *   y.backward(retain_graph=True); y.backward(); x.grad == tensor([4., 8., 12.])
 */
import { describe, expect, it } from 'vitest';
import * as tg from '../../src/index.js';
import {
  add, argmax, argmin, clamp, concat, div, eq, expand, gather, ge, gt, indexSelect, le, logSoftmax, logsumexp, lt,
  matmul, max, maximum, mean, min, minimum, mul, narrow, ne, pad, permute, pow, reshape, slice, softmax, split,
  squeeze, stack, sub, sum, tensor, transpose, unsqueeze, where, zeros,
} from '../../src/index.js';
import type { Tensor } from '../../src/index.js';

/** The message an op throws (fails the test if it does not throw an Error). */
function messageOf(call: () => unknown): string {
  try {
    call();
  } catch (error) {
    expect(error).toBeInstanceOf(Error);
    return (error as Error).message;
  }
  throw new Error('expected the call to throw');
}

const m23 = () => zeros([2, 3]);

describe('binary ops reject shapes that do not broadcast', () => {
  const binaryOps = { add, sub, mul, div, pow, maximum, minimum, eq, ne, gt, ge, lt, le } as const;
  for (const [name, op] of Object.entries(binaryOps)) {
    it(`${name}([2,3], [4])`, () => {
      const message = messageOf(() => op(zeros([2, 3]), zeros([4])));
      expect(message).toBe(`${name}: shapes [2,3] and [4] cannot be broadcast together (axis -1: 3 vs 4)`);
    });
  }

  it('the Tensor method names the op too', () => {
    expect(messageOf(() => zeros([2, 3]).mul(zeros([2, 2])))).toMatch(/^mul: shapes \[2,3\] and \[2,2\]/);
  });

  it('where checks the condition against both branches', () => {
    expect(messageOf(() => where(zeros([2, 3]), zeros([4]), 0))).toBe(
      'where: shapes [2,3] and [4] cannot be broadcast together (axis -1: 3 vs 4)',
    );
    expect(messageOf(() => where(zeros([2, 3]), zeros([3]), zeros([4])))).toMatch(/^where: shapes \[2,3\] and \[4\]/);
    expect(messageOf(() => where([1, 0] as never, 1, 2))).toMatch(/^where: expected condition to be a Tensor/);
  });
});

describe('matmul', () => {
  it('names both shapes and the inner sizes that differ', () => {
    const message = messageOf(() => matmul(zeros([2, 3]), zeros([4, 5])));
    expect(message).toContain('matmul');
    expect(message).toContain('[2,3]');
    expect(message).toContain('[4,5]');
    expect(message).toContain('3 != 4');
  });

  it('vector operands', () => {
    expect(messageOf(() => matmul(zeros([3]), zeros([4])))).toBe('matmul: shapes [3] and [4] are not compatible (3 != 4)');
    expect(messageOf(() => matmul(zeros([2, 3]), zeros([2])))).toBe('matmul: shapes [2,3] and [2] are not compatible (3 != 2)');
  });

  it('rejects a 0-D operand on either side', () => {
    expect(messageOf(() => matmul(zeros([]), zeros([4, 5])))).toBe(
      'matmul: both operands need at least one axis, got shapes [] and [4,5]',
    );
    expect(messageOf(() => matmul(zeros([3]), tensor(2)))).toBe('matmul: both operands need at least one axis, got shapes [3] and []');
  });

  it('batch axes that do not broadcast: the message names both operand shapes', () => {
    // torch.matmul(torch.zeros(2, 2, 3), torch.zeros(3, 3, 4)) fails on the batch axes 2 vs 3.
    const message = messageOf(() => matmul(zeros([2, 2, 3]), zeros([3, 3, 4])));
    expect(message).toMatch(/^matmul: /);
    expect(message).toContain('[2,2,3]');
    expect(message).toContain('[3,3,4]');
  });
});

describe('reductions and softmax with a bad dim', () => {
  const reductions = { sum, mean, max, min, argmax, argmin, logsumexp, softmax, logSoftmax } as const;
  for (const [name, op] of Object.entries(reductions)) {
    it(`${name}(x [2,3], dim 3)`, () => {
      expect(messageOf(() => (op as (x: Tensor, d: number) => Tensor)(m23(), 3))).toBe(
        `${name}: dim 3 is out of range for a tensor of rank 2 (expected an integer in [-2, 1])`,
      );
    });
    it(`${name}(x [2,3], dim -3)`, () => {
      expect(messageOf(() => (op as (x: Tensor, d: number) => Tensor)(m23(), -3))).toMatch(
        new RegExp(`^${name}: dim -3 is out of range for a tensor of rank 2`),
      );
    });
  }

  const multiAxis = { sum, mean, max, min, logsumexp } as const;
  for (const [name, op] of Object.entries(multiAxis)) {
    it(`${name} with a repeated dim`, () => {
      expect(messageOf(() => op(zeros([2, 3, 4]), [0, -3]))).toBe(`${name}: dim [0,-3] names an axis more than once`);
      expect(messageOf(() => op(zeros([2, 3, 4]), [1, 1]))).toBe(`${name}: dim [1,1] names an axis more than once`);
    });
  }

  it('softmax and logSoftmax require a dim', () => {
    expect(messageOf(() => softmax(m23(), undefined as never))).toMatch(/^softmax: dim is required/);
    expect(messageOf(() => logSoftmax(m23(), undefined as never))).toMatch(/^logSoftmax: dim is required/);
  });

  it('max/min over an empty axis', () => {
    expect(messageOf(() => max(zeros([2, 0]), 1))).toBe('max: cannot reduce over an empty axis (shape [2,0], dim 1)');
    expect(messageOf(() => min(zeros([2, 0]), 1))).toBe('min: cannot reduce over an empty axis (shape [2,0], dim 1)');
    expect(messageOf(() => max(zeros([0, 3])))).toMatch(/^max: cannot reduce over an empty axis \(shape \[0,3\]/);
    // Reducing the non-empty axis of a [0, 3] tensor is fine (an empty result), as torch.amax(torch.zeros(0, 3), 1).
    expect(max(zeros([0, 3]), 1).shape).toEqual([0]);
  });

  it('argmax/argmin of an empty tensor', () => {
    expect(messageOf(() => argmax(zeros([2, 0])))).toBe('argmax: cannot search an empty tensor (shape [2,0])');
    expect(messageOf(() => argmin(zeros([0])))).toBe('argmin: cannot search an empty tensor (shape [0])');
  });
});

describe('shape ops', () => {
  it('reshape to a wrong size', () => {
    expect(messageOf(() => reshape(m23(), [4]))).toBe('reshape: cannot reshape a tensor of shape [2,3] (6 elements) into [4]');
    expect(messageOf(() => reshape(m23(), [4, -1]))).toBe('reshape: cannot reshape a tensor of shape [2,3] (6 elements) into [4,-1]');
    expect(messageOf(() => m23().reshape([7]))).toMatch(/^reshape: .*\[2,3\].*\[7\]/);
  });

  it('reshape with two -1', () => {
    expect(messageOf(() => reshape(m23(), [-1, -1]))).toBe('reshape: cannot reshape a tensor of shape [2,3] (6 elements) into [-1,-1]');
  });

  it('reshape with a negative size other than -1', () => {
    expect(messageOf(() => reshape(m23(), [-2, -3]))).toMatch(/^reshape: .*into \[-2,-3\]/);
  });

  it('permute with a non-permutation', () => {
    expect(messageOf(() => permute(m23(), [0, 0]))).toBe('permute: [0,0] is not a permutation of the axes of shape [2,3]');
    expect(messageOf(() => permute(m23(), [1, -1]))).toBe('permute: [1,-1] is not a permutation of the axes of shape [2,3]');
    expect(messageOf(() => permute(m23(), [0]))).toBe('permute: expected 2 axes for a tensor of shape [2,3], got [0]');
    expect(messageOf(() => permute(m23(), [0, 2]))).toMatch(/^permute: dim 2 is out of range for a tensor of rank 2/);
  });

  it('transpose with a bad axis', () => {
    expect(messageOf(() => transpose(m23(), 0, 2))).toBe(
      'transpose: dim 2 is out of range for a tensor of rank 2 (expected an integer in [-2, 1])',
    );
    expect(messageOf(() => transpose(m23(), -3, 0))).toMatch(/^transpose: dim -3 is out of range/);
  });

  it('expand to an incompatible shape', () => {
    expect(messageOf(() => expand(m23(), [2, 4]))).toBe(
      'expand: cannot expand shape [2,3] to [2,4] (axis 1: 3 vs 4; only size-1 axes can grow)',
    );
    expect(messageOf(() => expand(m23(), [3]))).toBe('expand: cannot expand shape [2,3] to [3] (the target has fewer axes)');
    expect(messageOf(() => expand(zeros([3]), [-1, 3]))).toMatch(/^expand: cannot expand shape \[3\] to \[-1,3\] \(-1 is not allowed/);
  });

  it('squeeze and unsqueeze out of range', () => {
    expect(messageOf(() => squeeze(m23(), 2))).toBe(
      'squeeze: dim 2 is out of range for a tensor of rank 2 (expected an integer in [-2, 1])',
    );
    // unsqueeze accepts [-ndim-1, ndim]
    expect(unsqueeze(m23(), 2).shape).toEqual([2, 3, 1]);
    expect(unsqueeze(m23(), -3).shape).toEqual([1, 2, 3]);
    expect(messageOf(() => unsqueeze(m23(), 3))).toBe(
      'unsqueeze: dim 3 is out of range for a tensor of rank 3 (expected an integer in [-3, 2])',
    );
    expect(messageOf(() => unsqueeze(m23(), -4))).toMatch(/^unsqueeze: dim -4 is out of range/);
  });
});

describe('slicing and joining', () => {
  it('slice with step 0 (or negative)', () => {
    expect(messageOf(() => slice(m23(), 1, 0, 3, 0))).toBe('slice: step must be a positive integer, got 0');
    expect(messageOf(() => slice(m23(), 1, 0, 3, -1))).toBe('slice: step must be a positive integer, got -1');
    expect(messageOf(() => slice(tensor(1), 0, 0, 1))).toBe('slice: cannot slice a scalar (shape [])');
    expect(messageOf(() => slice(m23(), 2, 0, 1))).toMatch(/^slice: dim 2 is out of range/);
  });

  it('narrow out of range', () => {
    expect(messageOf(() => narrow(m23(), 1, 2, 2))).toBe(
      'narrow: range start 2, length 2 does not fit axis 1 of size 3 (shape [2,3])',
    );
    expect(messageOf(() => narrow(m23(), 0, -3, 1))).toMatch(/^narrow: range start -3, length 1 does not fit axis 0 of size 2/);
    expect(messageOf(() => narrow(m23(), 0, 0, -1))).toMatch(/^narrow: range start 0, length -1/);
  });

  it('split sections that do not add up', () => {
    expect(messageOf(() => split(m23(), [1, 1], 1))).toBe(
      'split: sections [1,1] must be non-negative integers adding up to 3 (axis 1 of shape [2,3])',
    );
    expect(messageOf(() => split(m23(), [2, 2], 1))).toMatch(/^split: sections \[2,2\] .* adding up to 3/);
    expect(messageOf(() => split(m23(), 0))).toBe('split: split size must be a positive integer, got 0');
  });

  it('concat with mismatched shapes', () => {
    expect(messageOf(() => concat([zeros([2, 3]), zeros([3, 2])], 0))).toBe(
      'concat: shapes [2,3], [3,2] do not match except in axis 0',
    );
    expect(messageOf(() => concat([zeros([2, 3]), zeros([2, 3, 1])], 1))).toMatch(/^concat: shapes \[2,3\], \[2,3,1\]/);
  });

  it('concat of an empty list', () => {
    expect(messageOf(() => concat([]))).toBe('concat: expected a non-empty array of tensors');
  });

  it('concat of scalars and non-tensors', () => {
    expect(messageOf(() => concat([tensor(1), tensor(2)]))).toMatch(/^concat: cannot join scalars/);
    expect(messageOf(() => concat([zeros([2]), [1, 2] as never]))).toMatch(/^concat: expected tensors\[1\] to be a Tensor/);
  });

  it('stack with different shapes', () => {
    expect(messageOf(() => stack([zeros([2, 3]), zeros([2, 4])]))).toBe(
      'stack: all tensors must have the same shape, got [2,3], [2,4]',
    );
    expect(messageOf(() => stack([]))).toBe('stack: expected a non-empty array of tensors');
    expect(messageOf(() => stack([m23(), m23()], 3))).toMatch(/^stack: dim 3 is out of range for a tensor of rank 3/);
  });

  it('pad with odd-length or negative pads', () => {
    expect(messageOf(() => pad(m23(), [1]))).toBe(
      'pad: pads must be [before, after] pairs for at most 2 axes, got [1] for shape [2,3]',
    );
    expect(messageOf(() => pad(m23(), [1, 1, 1, 1, 1, 1]))).toMatch(/^pad: .*at most 2 axes, got \[1,1,1,1,1,1\] for shape \[2,3\]/);
    expect(messageOf(() => pad(m23(), [1, -1]))).toBe('pad: pads must be non-negative integers, got [1,-1]');
  });
});

describe('indexing', () => {
  it('gather with an out-of-range index', () => {
    expect(messageOf(() => gather(m23(), 1, tensor([[3]])))).toBe(
      'gather: index 3 (at flat position 0) is out of range for axis 1 of size 3 (input shape [2,3])',
    );
    expect(messageOf(() => gather(m23(), 0, tensor([[0, -1]])))).toMatch(/^gather: index -1 \(at flat position 1\)/);
    expect(messageOf(() => gather(m23(), 0, tensor([[0.5]])))).toMatch(/^gather: index 0.5/);
  });

  it('gather with an index of the wrong rank or size', () => {
    expect(messageOf(() => gather(m23(), 1, tensor([0])))).toBe(
      'gather: index of shape [1] does not fit input of shape [2,3] (same rank, and no larger on axes other than 1)',
    );
    expect(messageOf(() => gather(m23(), 1, zeros([3, 1])))).toMatch(/^gather: index of shape \[3,1\] does not fit input of shape \[2,3\]/);
  });

  it('indexSelect with an out-of-range index', () => {
    expect(messageOf(() => indexSelect(m23(), 0, [2]))).toBe(
      'indexSelect: index 2 (at flat position 0) is out of range for axis 0 of size 2 (input shape [2,3])',
    );
    expect(messageOf(() => indexSelect(m23(), 1, tensor([0, 3])))).toMatch(/^indexSelect: index 3 \(at flat position 1\)/);
    expect(messageOf(() => indexSelect(m23(), 1, new Int32Array([-1])))).toMatch(/^indexSelect: index -1/);
    expect(messageOf(() => indexSelect(m23(), 0, tensor([[0]])))).toBe('indexSelect: index must be 1-D, got shape [1,1]');
  });
});

describe('unary ops', () => {
  it('clamp with no bounds', () => {
    expect(messageOf(() => clamp(m23()))).toBe('clamp: at least one of min and max must be given');
    expect(messageOf(() => clamp(m23(), NaN))).toMatch(/^clamp: bounds must not be NaN/);
  });
});

describe('non-tensor arguments', () => {
  it('a plain array given to add suggests tensor()', () => {
    const message = messageOf(() => add([1, 2] as never, 1));
    expect(message).toMatch(/^add: /);
    expect(message).toContain('tensor(');
    expect(messageOf(() => add(zeros([2]), [1, 2] as never))).toContain('tensor(');
  });

  it('every op that takes a tensor names itself and suggests tensor()', () => {
    const unary = ['neg', 'exp', 'log', 'sqrt', 'abs', 'sigmoid', 'tanh', 'relu', 'leakyRelu', 'sum', 'mean', 'clone'] as const;
    for (const name of unary) {
      const op = tg[name] as (x: unknown) => unknown;
      const message = messageOf(() => op([1, 2]));
      expect(message, name).toMatch(new RegExp(`^${name}: `));
      expect(message, name).toContain('tensor(');
    }
    expect(messageOf(() => matmul([1, 2] as never, zeros([2])))).toMatch(/^matmul: .*tensor\(/);
    expect(messageOf(() => reshape([1, 2] as never, [2]))).toMatch(/^reshape: .*tensor\(/);
  });

  it('null and strings are described', () => {
    expect(messageOf(() => mul(null as never, 1))).toBe('mul: expected a Tensor or a number, got null');
    expect(messageOf(() => sub('a' as never, 1))).toBe('sub: expected a Tensor or a number, got string a');
  });
});

describe('backward', () => {
  it('on a non-scalar without a grad', () => {
    const x = tensor([1, 2, 3], { requiresGrad: true });
    const message = messageOf(() => x.mul(2).backward());
    expect(message).toMatch(/^backward: grad can be omitted only for a one-element tensor, got shape \[3\]/);
  });

  it('with a grad of the wrong shape', () => {
    const x = tensor([1, 2, 3], { requiresGrad: true });
    expect(messageOf(() => x.mul(2).backward(zeros([2])))).toBe('backward: grad has shape [2] but the tensor has shape [3]');
    expect(messageOf(() => x.mul(2).backward(zeros([3, 1])))).toBe('backward: grad has shape [3,1] but the tensor has shape [3]');
  });

  it('with a grad that is not a tensor', () => {
    const x = tensor([1, 2, 3], { requiresGrad: true });
    expect(messageOf(() => x.mul(2).backward([1, 1, 1] as never))).toMatch(/^backward: /);
  });

  it('on a tensor that does not require grad', () => {
    const message = messageOf(() => tensor([1, 2]).sum().backward());
    expect(message).toMatch(/^backward: the tensor \(shape \[\]\) does not require grad/);
    expect(message).toContain('requiresGrad: true');
  });

  it('twice through a freed graph', () => {
    const x = tensor([1, 2, 3], { requiresGrad: true });
    const y = x.mul(x).sum();
    y.backward();
    const message = messageOf(() => y.backward());
    expect(message).toContain("'sum'");
    expect(message).toContain('freed');
    expect(message).toContain('retainGraph');
    // The first pass still produced d/dx Σx² = 2x.
    expect(x.grad!.toArray()).toEqual([2, 4, 6]);
  });

  it('twice with retainGraph accumulates the gradients', () => {
    const x = tensor([1, 2, 3], { requiresGrad: true });
    const y = x.mul(x).sum();
    y.backward(undefined, { retainGraph: true });
    expect(x.grad!.toArray()).toEqual([2, 4, 6]); // d/dx Σx² = 2x
    y.backward();
    // (x * x).sum().backward(retain_graph=True); .backward() -> x.grad == tensor([4., 8., 12.])
    expect(x.grad!.toArray()).toEqual([4, 8, 12]);
    // The second pass did not retain: a third fails.
    expect(messageOf(() => y.backward())).toContain('freed');
  });

  it('retainGraph with a non-scalar seed', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = x.mul(tensor([3, 5]));
    const seed = tensor([1, 10]);
    y.backward(seed, { retainGraph: true });
    y.backward(seed);
    // d/dx Σ seed·(x·[3, 5]) = seed·[3, 5] = [3, 50], twice
    expect(x.grad!.toArray()).toEqual([6, 100]);
  });
});
