/**
 * Creating tensors (tensor, zeros/ones/full/…Like, arange, linspace, eye,
 * rand/randn with manualSeed) and the basic Tensor accessors (item, toArray,
 * clone, detach, size/ndim/isLeaf). Expected ranges come from PyTorch 1.13;
 * the expression that produced each is in a comment.
 */
import { describe, expect, it } from 'vitest';
import {
  Tensor, arange, eye, full, linspace, manualSeed, ones, onesLike, rand, randn, tensor, zeros, zerosLike,
} from '../../src/index.js';

describe('tensor()', () => {
  it('infers the shape of nested arrays and stores row-major float32', () => {
    const t = tensor([[1, 2, 3], [4, 5, 6]]);
    expect(t.shape).toEqual([2, 3]);
    expect(t.data).toBeInstanceOf(Float32Array);
    expect(Array.from(t.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(t.requiresGrad).toBe(false);
    expect(t.grad).toBeNull();
    expect(t.gradFn).toBeNull();
  });

  it('handles three levels of nesting', () => {
    const t = tensor([[[1], [2]], [[3], [4]], [[5], [6]]]);
    expect(t.shape).toEqual([3, 2, 1]);
    expect(Array.from(t.data)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('rounds float64 inputs to float32', () => {
    // torch.tensor([0.1, 1/3]).tolist() == [0.10000000149011612, 0.3333333432674408]
    const t = tensor([0.1, 1 / 3]);
    expect(t.data[0]).toBe(0.10000000149011612);
    expect(t.data[1]).toBe(0.3333333432674408);
  });

  it('makes a 0-D tensor (shape []) from a number', () => {
    const t = tensor(3.5);
    expect(t.shape).toEqual([]);
    expect(t.ndim).toBe(0);
    expect(t.size).toBe(1);
    expect(t.item()).toBe(3.5);
    expect(t.toArray()).toBe(3.5);
  });

  it('makes empty tensors from empty arrays', () => {
    expect(tensor([]).shape).toEqual([0]);
    expect(tensor([]).size).toBe(0);
    expect(tensor([[], []]).shape).toEqual([2, 0]);
  });

  it('copies and converts an Int32Array', () => {
    const src = new Int32Array([1, -2, 3]);
    const t = tensor(src);
    expect(t.shape).toEqual([3]);
    expect(t.data).toBeInstanceOf(Float32Array);
    expect(Array.from(t.data)).toEqual([1, -2, 3]);
    src[0] = 100; // the tensor owns a copy
    expect(t.data[0]).toBe(1);
  });

  it('converts a Float64Array to float32', () => {
    // torch.tensor([1e10, 0.1, -2.5], dtype=torch.float64).float().tolist()
    //   == [10000000000.0, 0.10000000149011612, -2.5]
    const t = tensor(new Float64Array([1e10, 0.1, -2.5]));
    expect(t.data).toBeInstanceOf(Float32Array);
    expect(Array.from(t.data)).toEqual([10000000000, 0.10000000149011612, -2.5]);
  });

  it('copies a Float32Array rather than aliasing it', () => {
    const src = new Float32Array([1, 2]);
    const t = tensor(src);
    expect(t.data).not.toBe(src);
    src[1] = 9;
    expect(t.data[1]).toBe(2);
  });

  it('reshapes flat data with { shape }', () => {
    const t = tensor([1, 2, 3, 4, 5, 6], { shape: [2, 3] });
    expect(t.shape).toEqual([2, 3]);
    expect(t.toArray()).toEqual([[1, 2, 3], [4, 5, 6]]);
    const u = tensor(new Uint8Array([1, 2, 3, 4]), { shape: [2, 1, 2] });
    expect(u.shape).toEqual([2, 1, 2]);
    expect(u.toArray()).toEqual([[[1, 2]], [[3, 4]]]);
    const s = tensor([7], { shape: [] });
    expect(s.shape).toEqual([]);
    expect(s.item()).toBe(7);
  });

  it('sets requiresGrad', () => {
    const t = tensor([1, 2], { requiresGrad: true });
    expect(t.requiresGrad).toBe(true);
    expect(t.isLeaf).toBe(true);
    expect(tensor(new Float32Array(2), { requiresGrad: true }).requiresGrad).toBe(true);
  });

  describe('ragged input names the index path', () => {
    it('a short row', () => {
      const call = () => tensor([[1, 2], [3]]);
      expect(call).toThrow('[1]');
      expect(call).toThrow('expected length 2, got 1');
      expect(call).toThrow(/^tensor: /);
    });

    it('a long row', () => {
      expect(() => tensor([[1], [2, 3]])).toThrow('at index [1] expected length 1, got 2');
    });

    it('a deep mismatch', () => {
      expect(() => tensor([[[1], [2]], [[3], [4, 5]]])).toThrow('at index [1][1] expected length 1, got 2');
    });

    it('a number where a row is expected', () => {
      expect(() => tensor([[1, 2], 3] as never)).toThrow(/at index \[1\] expected an array of length 2, got a number/);
    });

    it('an array where a number is expected', () => {
      expect(() => tensor([[1, 2], [3, [4]]] as never)).toThrow(/at index \[1\]\[1\] expected a number, got an array/);
    });
  });

  it('rejects non-number elements, naming where', () => {
    expect(() => tensor([1, 'a'] as never)).toThrow(/tensor: .*\[1\].*expected a number, got string/);
    expect(() => tensor([[1, 2], [3, null]] as never)).toThrow(/tensor: .*\[1\]\[1\].*expected a number/);
    expect(() => tensor('abc' as never)).toThrow(/tensor: expected a number, nested arrays of numbers or a typed array, got string/);
    expect(() => tensor(null as never)).toThrow(/got null/);
  });

  it('rejects a shape whose size does not match the data', () => {
    expect(() => tensor([1, 2, 3], { shape: [2, 2] })).toThrow('tensor: shape [2,2] needs 4 values, got 3');
    expect(() => tensor(new Float32Array(5), { shape: [2, 3] })).toThrow('shape [2,3] needs 6 values, got 5');
    expect(() => tensor([1, 2], { shape: [-1, -2] })).toThrow(/tensor: invalid shape \[-1,-2\]/);
  });
});

describe('constant fills', () => {
  it('zeros, ones and full', () => {
    const z = zeros([2, 3]);
    expect(z.shape).toEqual([2, 3]);
    expect(Array.from(z.data)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(ones([3]).toArray()).toEqual([1, 1, 1]);
    expect(full([2, 2], 7.5).toArray()).toEqual([[7.5, 7.5], [7.5, 7.5]]);
    expect(full([], -2).toArray()).toBe(-2);
    expect(zeros([0, 4]).size).toBe(0);
    expect(ones([2], { requiresGrad: true }).requiresGrad).toBe(true);
    expect(zeros([2]).requiresGrad).toBe(false);
  });

  it('rejects invalid shapes, naming the op', () => {
    expect(() => zeros([-1])).toThrow(/invalid shape \[-1\]/);
    expect(() => ones([1.5])).toThrow(/invalid shape \[1.5\]/);
    expect(() => full([2, NaN], 0)).toThrow(/full: invalid shape/);
  });

  it('zerosLike and onesLike copy the shape, not the values or grad flag', () => {
    const like = tensor([[1, 2, 3]], { requiresGrad: true });
    const z = zerosLike(like);
    expect(z.shape).toEqual([1, 3]);
    expect(z.toArray()).toEqual([[0, 0, 0]]);
    expect(z.requiresGrad).toBe(false);
    const o = onesLike(like, { requiresGrad: true });
    expect(o.toArray()).toEqual([[1, 1, 1]]);
    expect(o.requiresGrad).toBe(true);
    expect(o.data).not.toBe(like.data);
  });
});

describe('arange', () => {
  it('with one argument counts from 0', () => {
    // torch.arange(5) -> [0, 1, 2, 3, 4]
    expect(arange(5).toArray()).toEqual([0, 1, 2, 3, 4]);
    expect(arange(5).shape).toEqual([5]);
    expect(arange(0).shape).toEqual([0]);
  });

  it('with two arguments', () => {
    // torch.arange(2, 5) -> [2, 3, 4]; torch.arange(0.5, 3) -> [0.5, 1.5, 2.5]
    expect(arange(2, 5).toArray()).toEqual([2, 3, 4]);
    expect(arange(0.5, 3).toArray()).toEqual([0.5, 1.5, 2.5]);
  });

  it('with a step', () => {
    // torch.arange(1, 7, 2) -> [1, 3, 5]; torch.arange(0, 10, 3) -> [0, 3, 6, 9]
    expect(arange(1, 7, 2).toArray()).toEqual([1, 3, 5]);
    expect(arange(0, 10, 3).toArray()).toEqual([0, 3, 6, 9]);
  });

  it('with a negative step', () => {
    // torch.arange(10, 0, -3) -> [10, 7, 4, 1]
    expect(arange(10, 0, -3).toArray()).toEqual([10, 7, 4, 1]);
    // torch.arange(5, 0, -1.5) -> [5.0, 3.5, 2.0, 0.5]
    expect(arange(5, 0, -1.5).toArray()).toEqual([5, 3.5, 2, 0.5]);
    // torch.arange(1, -1, -0.5) -> [1.0, 0.5, 0.0, -0.5]
    expect(arange(1, -1, -0.5).toArray()).toEqual([1, 0.5, 0, -0.5]);
  });

  it('with a fractional step has ceil((end - start) / step) elements, as torch.arange', () => {
    // torch.arange(0, 1, 0.3).tolist()
    //   == [0.0, 0.30000001192092896, 0.6000000238418579, 0.8999999761581421]
    expect(Array.from(arange(0, 1, 0.3).data)).toEqual([0, 0.30000001192092896, 0.6000000238418579, 0.8999999761581421]);
    // torch.arange(1, 2, 0.3).tolist()
    //   == [1.0, 1.2999999523162842, 1.600000023841858, 1.899999976158142]
    expect(Array.from(arange(1, 2, 0.3).data)).toEqual([1, 1.2999999523162842, 1.600000023841858, 1.899999976158142]);
    // torch.arange(0, 0.3, 0.1).tolist() == [0.0, 0.10000000149011612, 0.20000000298023224]
    expect(Array.from(arange(0, 0.3, 0.1).data)).toEqual([0, 0.10000000149011612, 0.20000000298023224]);
    // torch.arange(0, 1, 0.1).shape == (10,)
    expect(arange(0, 1, 0.1).shape).toEqual([10]);
    expect(arange(0, 1, 0.1)).toBeAllClose(
      [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9], { rtol: 1e-6, atol: 1e-7 },
    );
    // torch.arange(-1, 1, 0.25) -> [-1, -0.75, -0.5, -0.25, 0, 0.25, 0.5, 0.75]
    expect(arange(-1, 1, 0.25).toArray()).toEqual([-1, -0.75, -0.5, -0.25, 0, 0.25, 0.5, 0.75]);
    // torch.arange(1, 2.5, 0.5) -> [1.0, 1.5, 2.0]
    expect(arange(1, 2.5, 0.5).toArray()).toEqual([1, 1.5, 2]);
  });

  it('sets requiresGrad', () => {
    expect(arange(0, 3, 1, { requiresGrad: true }).requiresGrad).toBe(true);
  });

  it('rejects a zero step and non-finite bounds', () => {
    expect(() => arange(0, 1, 0)).toThrow('arange: expected finite start/end and a non-zero step, got start=0, end=1, step=0');
    expect(() => arange(Infinity)).toThrow(/arange: .*end=Infinity/);
    expect(() => arange(0, NaN)).toThrow(/arange: .*end=NaN/);
  });
});

describe('linspace', () => {
  it('matches torch.linspace', () => {
    // torch.linspace(0, 1, 5).tolist() == [0.0, 0.25, 0.5, 0.75, 1.0]
    expect(linspace(0, 1, 5).toArray()).toEqual([0, 0.25, 0.5, 0.75, 1]);
    // torch.linspace(0, 10, 11).tolist() == [0.0, 1.0, ..., 10.0]
    expect(linspace(0, 10, 11).toArray()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    // torch.linspace(-1, 1, 7).tolist()
    //   == [-1.0, -0.6666666269302368, -0.3333333134651184, -2.9802322387695312e-08,
    //       0.3333333134651184, 0.6666666269302368, 1.0]
    // (PyTorch's middle value is float32 rounding error; 0 is as close)
    expect(linspace(-1, 1, 7)).toBeAllClose(
      [-1.0, -0.6666666269302368, -0.3333333134651184, -2.9802322387695312e-08, 0.3333333134651184, 0.6666666269302368, 1.0],
      { rtol: 1e-6, atol: 1e-7 },
    );
    // torch.linspace(1, 0, 4).tolist() == [1.0, 0.6666666269302368, 0.3333333432674408, 0.0]
    expect(linspace(1, 0, 4)).toBeAllClose([1.0, 0.6666666269302368, 0.3333333432674408, 0.0], { rtol: 1e-6, atol: 1e-7 });
    // torch.linspace(0, 1, 10).tolist()
    expect(linspace(0, 1, 10)).toBeAllClose(
      [0.0, 0.1111111119389534, 0.2222222238779068, 0.3333333432674408, 0.4444444477558136,
        0.5555555820465088, 0.6666666865348816, 0.7777777910232544, 0.8888888955116272, 1.0],
      { rtol: 1e-6, atol: 1e-7 },
    );
  });

  it('ends exactly at both endpoints', () => {
    const t = linspace(-3.7, 11.3, 13);
    expect(t.data[0]).toBe(Math.fround(-3.7));
    expect(t.data[12]).toBe(Math.fround(11.3));
  });

  it('with steps 0 and 1', () => {
    // torch.linspace(0, 1, 0).tolist() == []
    expect(linspace(0, 1, 0).shape).toEqual([0]);
    // torch.linspace(3, 7, 1).tolist() == [3.0]
    expect(linspace(3, 7, 1).toArray()).toEqual([3]);
  });

  it('rejects a bad step count', () => {
    expect(() => linspace(0, 1, -1)).toThrow('linspace: steps must be a non-negative integer, got -1');
    expect(() => linspace(0, 1, 2.5)).toThrow('got 2.5');
  });
});

describe('eye', () => {
  it('square', () => {
    expect(eye(3).toArray()).toEqual([[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
    expect(eye(0).shape).toEqual([0, 0]);
  });

  it('rectangular', () => {
    // torch.eye(2, 3).tolist() == [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]
    expect(eye(2, 3).toArray()).toEqual([[1, 0, 0], [0, 1, 0]]);
    // torch.eye(3, 2).tolist() == [[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]]
    expect(eye(3, 2).toArray()).toEqual([[1, 0], [0, 1], [0, 0]]);
  });

  it('rejects a negative size', () => {
    expect(() => eye(-1)).toThrow(/eye: invalid shape/);
  });
});

describe('rand and randn', () => {
  it('have the requested shape', () => {
    expect(rand([2, 3]).shape).toEqual([2, 3]);
    expect(randn([4, 1, 2]).shape).toEqual([4, 1, 2]);
    expect(rand([]).size).toBe(1);
    expect(randn([0]).size).toBe(0);
    expect(rand([2], { requiresGrad: true }).requiresGrad).toBe(true);
    expect(() => rand([-2])).toThrow(/rand: invalid shape/);
    expect(() => randn([2.5])).toThrow(/randn: invalid shape/);
  });

  it('rand draws from [0, 1) with mean ≈ 0.5', () => {
    manualSeed(1);
    const t = rand([100_000]);
    let lo = Infinity;
    let hi = -Infinity;
    let total = 0;
    for (const v of t.data) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
      total += v;
    }
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(hi).toBeLessThan(1);
    expect(lo).toBeLessThan(0.001);
    expect(hi).toBeGreaterThan(0.999);
    // Standard error of the mean of U(0,1) over 1e5 samples ≈ 0.0009.
    expect(Math.abs(total / t.size - 0.5)).toBeLessThan(0.01);
  });

  it('randn has mean ≈ 0 and std ≈ 1 over 100k samples', () => {
    manualSeed(2);
    const t = randn([100_000]);
    let total = 0;
    let squares = 0;
    for (const v of t.data) {
      total += v;
      squares += v * v;
    }
    const mean = total / t.size;
    const std = Math.sqrt(squares / t.size - mean * mean);
    // Standard errors: mean ≈ 0.003, std ≈ 0.0022; bounds are several times that.
    expect(Math.abs(mean)).toBeLessThan(0.02);
    expect(Math.abs(std - 1)).toBeLessThan(0.02);
    expect(t.data.every((v) => Number.isFinite(v))).toBe(true);
  });

  it('manualSeed makes draws reproducible', () => {
    manualSeed(42);
    const a = rand([5]);
    const b = randn([3, 3]);
    manualSeed(42);
    const c = rand([5]);
    const d = randn([3, 3]);
    expect(Array.from(c.data)).toEqual(Array.from(a.data));
    expect(Array.from(d.data)).toEqual(Array.from(b.data));
  });

  it('an odd-sized randn does not leak its spare normal across a reseed', () => {
    manualSeed(7);
    randn([1]);
    manualSeed(7);
    const a = randn([4]);
    manualSeed(7);
    const b = randn([4]);
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
  });

  it('different seeds give different draws', () => {
    manualSeed(0);
    const a = rand([8]);
    manualSeed(1);
    const b = rand([8]);
    expect(Array.from(a.data)).not.toEqual(Array.from(b.data));
    manualSeed(0);
    const c = randn([8]);
    manualSeed(1);
    const d = randn([8]);
    expect(Array.from(c.data)).not.toEqual(Array.from(d.data));
  });

  it('successive draws differ', () => {
    manualSeed(3);
    const a = rand([8]);
    const b = rand([8]);
    expect(Array.from(a.data)).not.toEqual(Array.from(b.data));
  });

  it('manualSeed rejects non-integers', () => {
    expect(() => manualSeed(1.5)).toThrow('manualSeed: expected a finite integer seed, got 1.5');
    expect(() => manualSeed(NaN)).toThrow('got NaN');
  });
});

describe('Tensor accessors', () => {
  it('item() returns the single value', () => {
    expect(tensor(2.5).item()).toBe(2.5);
    expect(tensor([[-4]]).item()).toBe(-4);
  });

  it('item() on a tensor of size ≠ 1 names the shape', () => {
    expect(() => tensor([1, 2]).item()).toThrow('item: expected a tensor with one element, got shape [2] (2 elements)');
    expect(() => zeros([2, 0]).item()).toThrow('got shape [2,0] (0 elements)');
    expect(() => zeros([2, 3]).item()).toThrow('[2,3]');
  });

  it('toArray() nests like the shape', () => {
    expect(tensor(7).toArray()).toBe(7);
    expect(tensor([1, 2]).toArray()).toEqual([1, 2]);
    expect(arange(6).reshape([2, 3]).toArray()).toEqual([[0, 1, 2], [3, 4, 5]]);
    expect(arange(8).reshape([2, 2, 2]).toArray()).toEqual([[[0, 1], [2, 3]], [[4, 5], [6, 7]]]);
    expect(zeros([2, 0]).toArray()).toEqual([[], []]);
    expect(zeros([0, 2]).toArray()).toEqual([]);
    expect(zeros([1, 1]).toArray()).toEqual([[0]]);
  });

  it('clone() copies the buffer', () => {
    const x = tensor([1, 2, 3]);
    const y = x.clone();
    expect(y.data).not.toBe(x.data);
    expect(y.toArray()).toEqual([1, 2, 3]);
    expect(y.shape).toEqual([3]);
    y.data[0] = 100;
    expect(x.data[0]).toBe(1);
  });

  it('clone() of a tensor that requires grad stays in the graph', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = x.clone();
    expect(y.requiresGrad).toBe(true);
    expect(y.isLeaf).toBe(false);
    y.mul(tensor([3, 4])).sum().backward();
    // d/dx Σ clone(x)·[3, 4] = [3, 4]
    expect(x.grad!.toArray()).toEqual([3, 4]);
  });

  it('detach() shares the buffer and does not require grad', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = x.mul(2);
    const d = y.detach();
    expect(d.data).toBe(y.data);
    expect(d.shape).toEqual([2]);
    expect(d.requiresGrad).toBe(false);
    expect(d.gradFn).toBeNull();
    expect(d.isLeaf).toBe(true);
    d.data[0] = 50;
    expect(y.data[0]).toBe(50);
  });

  it('size, ndim and isLeaf', () => {
    const x = zeros([2, 3, 4], { requiresGrad: true });
    expect(x.size).toBe(24);
    expect(x.ndim).toBe(3);
    expect(x.isLeaf).toBe(true);
    const y = x.mul(2);
    expect(y.isLeaf).toBe(false);
    expect(y.gradFn?.op).toBe('mul');
    // Without grad, ops record no node, so results are leaves.
    expect(zeros([2]).mul(2).isLeaf).toBe(true);
    expect(tensor(1).ndim).toBe(0);
    expect(tensor(1).size).toBe(1);
    expect(zeros([3, 0]).size).toBe(0);
  });

  it('shape is frozen', () => {
    const t = zeros([2, 2]);
    expect(Object.isFrozen(t.shape)).toBe(true);
  });

  it('the constructor rejects a buffer of the wrong length', () => {
    expect(() => new Tensor(new Float32Array(3), [2, 2])).toThrow('Tensor: data has 3 elements but shape [2,2] needs 4');
  });
});
