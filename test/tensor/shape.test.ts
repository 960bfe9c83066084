/**
 * Shape arithmetic in src/tensor/shape.ts: sizes, strides, broadcasting and
 * axis normalisation. Broadcast results follow
 * `torch.broadcast_shapes(a, b)`, the values noted where they come from it.
 */
import { describe, expect, it } from 'vitest';
import { broadcastShapes as publicBroadcastShapes } from '../../src/index.js';
import {
  assertValidShape, broadcastShapes, broadcastStrides, formatShape, normalizeDim, normalizeDims, shapesEqual, sizeOf, stridesOf,
} from '../../src/tensor/shape.js';

describe('sizeOf', () => {
  it('multiplies the dimensions', () => {
    expect(sizeOf([2, 3, 4])).toBe(24);
    expect(sizeOf([7])).toBe(7);
    expect(sizeOf([1, 1, 1])).toBe(1);
  });

  it('is 1 for a scalar and 0 with an empty axis', () => {
    expect(sizeOf([])).toBe(1);
    expect(sizeOf([2, 0, 3])).toBe(0);
    expect(sizeOf([0])).toBe(0);
  });
});

describe('stridesOf', () => {
  it('gives row-major strides', () => {
    // torch.zeros(2, 3, 4).stride() == (12, 4, 1)
    expect(stridesOf([2, 3, 4])).toEqual([12, 4, 1]);
    // torch.zeros(5).stride() == (1,)
    expect(stridesOf([5])).toEqual([1]);
    // torch.zeros(3, 1, 2).stride() == (2, 2, 1)
    expect(stridesOf([3, 1, 2])).toEqual([2, 2, 1]);
    // torch.zeros(2, 3, 4, 5).stride() == (60, 20, 5, 1)
    expect(stridesOf([2, 3, 4, 5])).toEqual([60, 20, 5, 1]);
  });

  it('is empty for a scalar', () => {
    expect(stridesOf([])).toEqual([]);
  });
});

describe('formatShape and shapesEqual', () => {
  it('formats shapes compactly', () => {
    expect(formatShape([2, 3])).toBe('[2,3]');
    expect(formatShape([])).toBe('[]');
  });

  it('compares rank and dimensions', () => {
    expect(shapesEqual([2, 3], [2, 3])).toBe(true);
    expect(shapesEqual([], [])).toBe(true);
    expect(shapesEqual([2, 3], [3, 2])).toBe(false);
    expect(shapesEqual([1, 3], [3])).toBe(false);
  });
});

describe('broadcastShapes', () => {
  it('broadcasts compatible shapes as torch.broadcast_shapes', () => {
    // torch.broadcast_shapes((2, 3), (3,)) == (2, 3)
    expect(broadcastShapes([2, 3], [3], 'add')).toEqual([2, 3]);
    // torch.broadcast_shapes((2, 1), (1, 3)) == (2, 3)
    expect(broadcastShapes([2, 1], [1, 3], 'add')).toEqual([2, 3]);
    // torch.broadcast_shapes((5, 1, 4), (3, 1)) == (5, 3, 4)
    expect(broadcastShapes([5, 1, 4], [3, 1], 'add')).toEqual([5, 3, 4]);
    // torch.broadcast_shapes((), (2, 3)) == (2, 3)
    expect(broadcastShapes([], [2, 3], 'add')).toEqual([2, 3]);
    expect(broadcastShapes([2, 3], [], 'add')).toEqual([2, 3]);
    expect(broadcastShapes([], [], 'add')).toEqual([]);
    // torch.broadcast_shapes((1,), (4, 1, 1)) == (4, 1, 1)
    expect(broadcastShapes([1], [4, 1, 1], 'add')).toEqual([4, 1, 1]);
  });

  it('broadcasts a size-1 axis against 0', () => {
    // torch.broadcast_shapes((2, 0), (2, 1)) == (2, 0); torch.broadcast_shapes((1,), (0,)) == (0,)
    expect(broadcastShapes([2, 0], [2, 1], 'mul')).toEqual([2, 0]);
    expect(broadcastShapes([1], [0], 'mul')).toEqual([0]);
  });

  it('is exported from the package root', () => {
    expect(publicBroadcastShapes([4, 1], [3], 'sub')).toEqual([4, 3]);
  });

  it('names the op, both shapes and the failing axis', () => {
    expect(() => broadcastShapes([2, 3], [4], 'add')).toThrow(
      'add: shapes [2,3] and [4] cannot be broadcast together (axis -1: 3 vs 4)',
    );
    expect(() => broadcastShapes([2, 3, 4], [5, 4], 'mul')).toThrow(
      'mul: shapes [2,3,4] and [5,4] cannot be broadcast together (axis -2: 3 vs 5)',
    );
    expect(() => broadcastShapes([0], [2], 'where')).toThrow(/^where: shapes \[0\] and \[2\]/);
  });
});

describe('broadcastStrides', () => {
  it('gives 0 on broadcast axes and the own stride elsewhere', () => {
    expect(broadcastStrides([3], [2, 3])).toEqual([0, 1]);
    expect(broadcastStrides([2, 1], [2, 3])).toEqual([1, 0]);
    expect(broadcastStrides([1, 3], [4, 3])).toEqual([0, 1]);
    expect(broadcastStrides([3, 1], [5, 3, 4])).toEqual([0, 1, 0]);
    expect(broadcastStrides([], [2, 3])).toEqual([0, 0]);
  });

  it('is the plain row-major strides when nothing broadcasts', () => {
    expect(broadcastStrides([2, 3, 4], [2, 3, 4])).toEqual([12, 4, 1]);
    expect(broadcastStrides([], [])).toEqual([]);
  });

  it('reads the right elements when used to walk a broadcast', () => {
    // x of shape [2, 1] read as [2, 3]: element (i, j) is x[i * s0 + j * s1]
    const x = [10, 20];
    const [s0, s1] = broadcastStrides([2, 1], [2, 3]) as [number, number];
    const read = [0, 1].map((i) => [0, 1, 2].map((j) => x[i * s0 + j * s1]));
    expect(read).toEqual([[10, 10, 10], [20, 20, 20]]);
  });
});

describe('normalizeDim', () => {
  it('passes through valid non-negative dims', () => {
    expect(normalizeDim(0, 3, 'sum')).toBe(0);
    expect(normalizeDim(2, 3, 'sum')).toBe(2);
  });

  it('counts negative dims from the end', () => {
    expect(normalizeDim(-1, 3, 'sum')).toBe(2);
    expect(normalizeDim(-3, 3, 'sum')).toBe(0);
    expect(normalizeDim(-2, 2, 'sum')).toBe(0);
  });

  it('accepts 0 and -1 for a scalar, as PyTorch does', () => {
    // torch.tensor(1.).sum(0) and .sum(-1) both work
    expect(normalizeDim(0, 0, 'sum')).toBe(0);
    expect(normalizeDim(-1, 0, 'sum')).toBe(0);
  });

  it('names the op, the dim and the rank when out of range', () => {
    expect(() => normalizeDim(3, 3, 'sum')).toThrow(
      'sum: dim 3 is out of range for a tensor of rank 3 (expected an integer in [-3, 2])',
    );
    expect(() => normalizeDim(-4, 3, 'softmax')).toThrow(
      'softmax: dim -4 is out of range for a tensor of rank 3 (expected an integer in [-3, 2])',
    );
    expect(() => normalizeDim(1, 0, 'mean')).toThrow(
      'mean: dim 1 is out of range for a tensor of rank 0 (expected an integer in [-1, 0])',
    );
  });

  it('rejects non-integer dims', () => {
    expect(() => normalizeDim(1.5, 3, 'max')).toThrow(/^max: dim 1.5 is out of range for a tensor of rank 3/);
    expect(() => normalizeDim(NaN, 3, 'max')).toThrow(/^max: dim NaN/);
  });
});

describe('normalizeDims', () => {
  it('undefined means every axis', () => {
    expect(normalizeDims(undefined, 3, 'sum')).toEqual([0, 1, 2]);
    expect(normalizeDims(undefined, 0, 'sum')).toEqual([]);
  });

  it('accepts one dim or several, negative allowed, and sorts them', () => {
    expect(normalizeDims(1, 3, 'sum')).toEqual([1]);
    expect(normalizeDims(-1, 3, 'sum')).toEqual([2]);
    expect(normalizeDims([2, 0], 3, 'sum')).toEqual([0, 2]);
    expect(normalizeDims([-1, 0], 3, 'sum')).toEqual([0, 2]);
    expect(normalizeDims([], 3, 'sum')).toEqual([]);
  });

  it('reduces nothing on a scalar', () => {
    expect(normalizeDims(0, 0, 'sum')).toEqual([]);
    expect(normalizeDims(-1, 0, 'sum')).toEqual([]);
  });

  it('rejects repeated axes, including a negative alias', () => {
    expect(() => normalizeDims([1, 1], 3, 'sum')).toThrow('sum: dim [1,1] names an axis more than once');
    expect(() => normalizeDims([0, -3], 3, 'mean')).toThrow('mean: dim [0,-3] names an axis more than once');
  });

  it('rejects out-of-range axes in a list, naming the op and rank', () => {
    expect(() => normalizeDims([0, 3], 3, 'max')).toThrow(
      'max: dim 3 is out of range for a tensor of rank 3 (expected an integer in [-3, 2])',
    );
  });
});

describe('assertValidShape', () => {
  it('accepts non-negative integer dimensions', () => {
    expect(() => assertValidShape([2, 0, 3], 'zeros')).not.toThrow();
    expect(() => assertValidShape([], 'zeros')).not.toThrow();
  });

  it('names the op and the shape otherwise', () => {
    expect(() => assertValidShape([2, -1], 'zeros')).toThrow(
      'zeros: invalid shape [2,-1] (dimensions must be non-negative integers)',
    );
    expect(() => assertValidShape([1.5], 'ones')).toThrow('ones: invalid shape [1.5]');
    expect(() => assertValidShape(3 as never, 'rand')).toThrow('rand: expected a shape (array of integers), got 3');
  });
});
