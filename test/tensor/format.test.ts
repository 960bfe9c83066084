/**
 * `Tensor.toString()` against PyTorch's `repr` (torch 1.13, default print
 * options: precision 4, linewidth 80, threshold 1000, edgeitems 3). Each
 * expected string was printed by the Python expression in the comment above
 * it. tensorgrad's suffixes are its own on purpose (`requiresGrad=true`,
 * `gradFn=<mul>` for PyTorch's `requires_grad=True`, `grad_fn=<MulBackward0>`);
 * where a case has a suffix, the PyTorch output is shown and the suffix text
 * swapped.
 */
import { describe, expect, it } from 'vitest';
import { arange, ones, tensor, zeros } from '../../src/index.js';

/** Values `f(i)` for i = 0..n-1 in the given shape. */
function fromIndex(shape: number[], f: (i: number) => number) {
  const size = shape.reduce((n, d) => n * d, 1);
  return tensor(Float32Array.from({ length: size }, (_, i) => f(i)), { shape });
}

describe('toString: fixed notation', () => {
  it('a float 2×2', () => {
    // repr(torch.tensor([[1.0, 2.5], [3.0, 4.0]]))
    expect(tensor([[1, 2.5], [3, 4]]).toString()).toBe(['tensor([[1.0000, 2.5000],', '        [3.0000, 4.0000]])'].join('\n'));
  });

  it('integer values print with a trailing point', () => {
    // repr(torch.tensor([1., 2., 3.]))
    expect(tensor([1, 2, 3]).toString()).toBe('tensor([1., 2., 3.])');
    // repr(torch.zeros(2, 3))
    expect(zeros([2, 3]).toString()).toBe(['tensor([[0., 0., 0.],', '        [0., 0., 0.]])'].join('\n'));
  });

  it('scalars', () => {
    // repr(torch.tensor(3.5)), repr(torch.tensor(2.)), repr(torch.tensor(-2.25))
    expect(tensor(3.5).toString()).toBe('tensor(3.5000)');
    expect(tensor(2).toString()).toBe('tensor(2.)');
    expect(tensor(-2.25).toString()).toBe('tensor(-2.2500)');
    // repr(torch.tensor(1e-5)), repr(torch.tensor(float('nan')))
    expect(tensor(1e-5).toString()).toBe('tensor(1.0000e-05)');
    expect(tensor(NaN).toString()).toBe('tensor(nan)');
  });

  it('aligns negative numbers to a common width', () => {
    // repr(torch.tensor([[-1.5, 2.0], [3.25, -40.125]]))
    expect(tensor([[-1.5, 2], [3.25, -40.125]]).toString()).toBe(
      ['tensor([[ -1.5000,   2.0000],', '        [  3.2500, -40.1250]])'].join('\n'),
    );
    // repr(torch.tensor([-1., 10., -100.]))
    expect(tensor([-1, 10, -100]).toString()).toBe('tensor([  -1.,   10., -100.])');
    // repr(torch.tensor([0.0, -0.5]))
    expect(tensor([0, -0.5]).toString()).toBe('tensor([ 0.0000, -0.5000])');
  });

  it('a column vector', () => {
    // repr(torch.arange(5.).reshape(5, 1))
    expect(arange(5).reshape([5, 1]).toString()).toBe(
      ['tensor([[0.],', '        [1.],', '        [2.],', '        [3.],', '        [4.]])'].join('\n'),
    );
  });

  it('a 3-D tensor has a blank line between blocks', () => {
    // repr(torch.arange(12.).reshape(2, 2, 3))
    expect(arange(12).reshape([2, 2, 3]).toString()).toBe(
      [
        'tensor([[[ 0.,  1.,  2.],',
        '         [ 3.,  4.,  5.]],',
        '',
        '        [[ 6.,  7.,  8.],',
        '         [ 9., 10., 11.]]])',
      ].join('\n'),
    );
    // repr(torch.arange(8.).reshape(2, 2, 2) / 4)
    expect(arange(8).reshape([2, 2, 2]).div(4).toString()).toBe(
      [
        'tensor([[[0.0000, 0.2500],',
        '         [0.5000, 0.7500]],',
        '',
        '        [[1.0000, 1.2500],',
        '         [1.5000, 1.7500]]])',
      ].join('\n'),
    );
  });

  it('a 4-D tensor has two blank lines between outer blocks', () => {
    // repr(torch.arange(16.).reshape(2, 2, 2, 2))
    expect(arange(16).reshape([2, 2, 2, 2]).toString()).toBe(
      [
        'tensor([[[[ 0.,  1.],',
        '          [ 2.,  3.]],',
        '',
        '         [[ 4.,  5.],',
        '          [ 6.,  7.]]],',
        '',
        '',
        '        [[[ 8.,  9.],',
        '          [10., 11.]],',
        '',
        '         [[12., 13.],',
        '          [14., 15.]]]])',
      ].join('\n'),
    );
  });

  it('empty tensors', () => {
    // repr(torch.zeros(0)), repr(torch.zeros(2, 0))
    expect(zeros([0]).toString()).toBe('tensor([])');
    expect(zeros([2, 0]).toString()).toBe('tensor([], size=(2, 0))');
  });
});

describe('toString: scientific notation', () => {
  it('when values span more than 1000×', () => {
    // repr(torch.tensor([1.0, 2000.0]))
    expect(tensor([1, 2000]).toString()).toBe('tensor([1.0000e+00, 2.0000e+03])');
    // repr(torch.tensor([0.5, 1234.5678, -3.0]))
    expect(tensor([0.5, 1234.5678, -3]).toString()).toBe('tensor([ 5.0000e-01,  1.2346e+03, -3.0000e+00])');
    // repr(torch.tensor([-123456.0, 0.001, 2.0]))
    expect(tensor([-123456, 0.001, 2]).toString()).toBe('tensor([-1.2346e+05,  1.0000e-03,  2.0000e+00])');
    // repr(torch.tensor([1., 1001.]))  vs  repr(torch.tensor([1., 1000.]))
    expect(tensor([1, 1001]).toString()).toBe('tensor([1.0000e+00, 1.0010e+03])');
    expect(tensor([1, 1000]).toString()).toBe('tensor([   1., 1000.])');
  });

  it('when integers exceed 1e8', () => {
    // repr(torch.tensor([1e9, 1.])), repr(torch.tensor([123456789., 1.]))
    expect(tensor([1e9, 1]).toString()).toBe('tensor([1.0000e+09, 1.0000e+00])');
    expect(tensor([123456789, 1]).toString()).toBe('tensor([1.2346e+08, 1.0000e+00])');
    // repr(torch.tensor([1e8 + 0.5, 1.5]))
    expect(tensor([1e8 + 0.5, 1.5]).toString()).toBe('tensor([1.0000e+08, 1.5000e+00])');
    // repr(torch.tensor([3e38, -1.0]))
    expect(tensor([3e38, -1]).toString()).toBe('tensor([ 3.0000e+38, -1.0000e+00])');
  });

  it('when non-integers are below 1e-4', () => {
    // repr(torch.tensor([1e-5, 1.0])), repr(torch.tensor([1e-5, 2e-5]))
    expect(tensor([1e-5, 1]).toString()).toBe('tensor([1.0000e-05, 1.0000e+00])');
    expect(tensor([1e-5, 2e-5]).toString()).toBe('tensor([1.0000e-05, 2.0000e-05])');
    // repr(torch.tensor([-1e-5, 1e3]))
    expect(tensor([-1e-5, 1e3]).toString()).toBe('tensor([-1.0000e-05,  1.0000e+03])');
    // repr(torch.tensor([1e-40, 1.0]))  (a float32 denormal)
    expect(tensor([1e-40, 1]).toString()).toBe('tensor([9.9999e-41, 1.0000e+00])');
    // 1e-4 itself is not below the threshold, but the ratio 5000 is:
    // repr(torch.tensor([1e-4, 0.5]))
    expect(tensor([1e-4, 0.5]).toString()).toBe('tensor([1.0000e-04, 5.0000e-01])');
  });
});

describe('toString: nan and inf', () => {
  it('pad to the width of the finite values', () => {
    // repr(torch.tensor([float('nan'), float('inf'), -float('inf'), 1.5]))
    expect(tensor([NaN, Infinity, -Infinity, 1.5]).toString()).toBe('tensor([   nan,    inf,   -inf, 1.5000])');
    // repr(torch.tensor([float('inf'), 0.5]))
    expect(tensor([Infinity, 0.5]).toString()).toBe('tensor([   inf, 0.5000])');
    // repr(torch.tensor([-float('inf'), 1., 100.]))
    expect(tensor([-Infinity, 1, 100]).toString()).toBe('tensor([-inf,   1., 100.])');
    // repr(torch.tensor([float('nan'), 1e-5, 1.0]))
    expect(tensor([NaN, 1e-5, 1]).toString()).toBe('tensor([       nan, 1.0000e-05, 1.0000e+00])');
  });

  it('do not widen the integer columns (PyTorch measures width on finite non-zero values only)', () => {
    // repr(torch.tensor([float('nan'), 1., 2.]))
    expect(tensor([NaN, 1, 2]).toString()).toBe('tensor([nan, 1., 2.])');
    // repr(torch.tensor([float('inf'), -float('inf')]))
    expect(tensor([Infinity, -Infinity]).toString()).toBe('tensor([inf, -inf])');
    // repr(torch.tensor([[float('nan'), 1.0], [2.0, 3.0]]))
    expect(tensor([[NaN, 1], [2, 3]]).toString()).toBe(['tensor([[nan, 1.],', '        [2., 3.]])'].join('\n'));
  });
});

describe('toString: number rendering details', () => {
  it('keeps the sign of negative zero, as Python does', () => {
    // repr(torch.tensor([-0.0, 1.0])), repr(torch.tensor([-0.0, 0.5]))
    expect(tensor([-0, 1]).toString()).toBe('tensor([-0., 1.])');
    expect(tensor([-0, 0.5]).toString()).toBe('tensor([-0.0000, 0.5000])');
  });

  it('rounds exact ties to even, as Python\'s format does', () => {
    // 1.03125 is exact in binary and halfway between 1.0312 and 1.0313.
    // repr(torch.tensor([1.03125, 2.0])), repr(torch.tensor([-1.03125, 2.0]))
    expect(tensor([1.03125, 2]).toString()).toBe('tensor([1.0312, 2.0000])');
    expect(tensor([-1.03125, 2]).toString()).toBe('tensor([-1.0312,  2.0000])');
    // repr(torch.tensor([1.03125, 2000.0]))
    expect(tensor([1.03125, 2000]).toString()).toBe('tensor([1.0312e+00, 2.0000e+03])');
  });
});

describe('toString: wrapping at 80 columns', () => {
  it('a long 1-D row', () => {
    // repr(torch.arange(30.) / 7)
    expect(arange(30).div(7).toString()).toBe(
      [
        'tensor([0.0000, 0.1429, 0.2857, 0.4286, 0.5714, 0.7143, 0.8571, 1.0000, 1.1429,',
        '        1.2857, 1.4286, 1.5714, 1.7143, 1.8571, 2.0000, 2.1429, 2.2857, 2.4286,',
        '        2.5714, 2.7143, 2.8571, 3.0000, 3.1429, 3.2857, 3.4286, 3.5714, 3.7143,',
        '        3.8571, 4.0000, 4.1429])',
      ].join('\n'),
    );
  });

  it('a long row of wide integers', () => {
    // repr(torch.arange(100.) * 1000)
    expect(arange(100).mul(1000).toString()).toBe(
      [
        'tensor([    0.,  1000.,  2000.,  3000.,  4000.,  5000.,  6000.,  7000.,  8000.,',
        '         9000., 10000., 11000., 12000., 13000., 14000., 15000., 16000., 17000.,',
        '        18000., 19000., 20000., 21000., 22000., 23000., 24000., 25000., 26000.,',
        '        27000., 28000., 29000., 30000., 31000., 32000., 33000., 34000., 35000.,',
        '        36000., 37000., 38000., 39000., 40000., 41000., 42000., 43000., 44000.,',
        '        45000., 46000., 47000., 48000., 49000., 50000., 51000., 52000., 53000.,',
        '        54000., 55000., 56000., 57000., 58000., 59000., 60000., 61000., 62000.,',
        '        63000., 64000., 65000., 66000., 67000., 68000., 69000., 70000., 71000.,',
        '        72000., 73000., 74000., 75000., 76000., 77000., 78000., 79000., 80000.,',
        '        81000., 82000., 83000., 84000., 85000., 86000., 87000., 88000., 89000.,',
        '        90000., 91000., 92000., 93000., 94000., 95000., 96000., 97000., 98000.,',
        '        99000.])',
      ].join('\n'),
    );
  });

  it('long rows of a 2-D tensor continue under their first element', () => {
    // repr((torch.arange(40.) / 3).reshape(2, 20))
    expect(arange(40).div(3).reshape([2, 20]).toString()).toBe(
      [
        'tensor([[ 0.0000,  0.3333,  0.6667,  1.0000,  1.3333,  1.6667,  2.0000,  2.3333,',
        '          2.6667,  3.0000,  3.3333,  3.6667,  4.0000,  4.3333,  4.6667,  5.0000,',
        '          5.3333,  5.6667,  6.0000,  6.3333],',
        '        [ 6.6667,  7.0000,  7.3333,  7.6667,  8.0000,  8.3333,  8.6667,  9.0000,',
        '          9.3333,  9.6667, 10.0000, 10.3333, 10.6667, 11.0000, 11.3333, 11.6667,',
        '         12.0000, 12.3333, 12.6667, 13.0000]])',
      ].join('\n'),
    );
  });

  it('1000 elements are printed in full (the threshold is > 1000)', () => {
    const text = arange(1000).toString();
    // repr(torch.arange(1000.)): 84 lines, 12 per line, no '...'
    const lines = text.split('\n');
    expect(lines).toHaveLength(84);
    expect(lines[0]).toBe('tensor([  0.,   1.,   2.,   3.,   4.,   5.,   6.,   7.,   8.,   9.,  10.,  11.,');
    expect(lines[8]).toBe('         96.,  97.,  98.,  99., 100., 101., 102., 103., 104., 105., 106., 107.,');
    expect(lines[83]).toBe('        996., 997., 998., 999.])');
    expect(text).not.toContain('...');
  });
});

describe('toString: elision of tensors with more than 1000 elements', () => {
  it('a 1-D arange of 1001 elements', () => {
    // repr(torch.arange(1001.))
    expect(arange(1001).toString()).toBe('tensor([   0.,    1.,    2.,  ...,  998.,  999., 1000.])');
    // repr(torch.ones(1001))
    expect(ones([1001]).toString()).toBe('tensor([1., 1., 1.,  ..., 1., 1., 1.])');
  });

  it('arange(2000).reshape([40, 50]) (scientific, wrapped rows)', () => {
    // repr(torch.arange(2000.).reshape(40, 50))
    expect(arange(2000).reshape([40, 50]).toString()).toBe(
      [
        'tensor([[0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 4.7000e+01, 4.8000e+01,',
        '         4.9000e+01],',
        '        [5.0000e+01, 5.1000e+01, 5.2000e+01,  ..., 9.7000e+01, 9.8000e+01,',
        '         9.9000e+01],',
        '        [1.0000e+02, 1.0100e+02, 1.0200e+02,  ..., 1.4700e+02, 1.4800e+02,',
        '         1.4900e+02],',
        '        ...,',
        '        [1.8500e+03, 1.8510e+03, 1.8520e+03,  ..., 1.8970e+03, 1.8980e+03,',
        '         1.8990e+03],',
        '        [1.9000e+03, 1.9010e+03, 1.9020e+03,  ..., 1.9470e+03, 1.9480e+03,',
        '         1.9490e+03],',
        '        [1.9500e+03, 1.9510e+03, 1.9520e+03,  ..., 1.9970e+03, 1.9980e+03,',
        '         1.9990e+03]])',
      ].join('\n'),
    );
  });

  it('a fixed-notation 30×40 with negative values', () => {
    // repr(torch.arange(1200.).reshape(30, 40) / 7 - 50)
    expect(arange(1200).reshape([30, 40]).div(7).sub(50).toString()).toBe(
      [
        'tensor([[-50.0000, -49.8571, -49.7143,  ..., -44.7143, -44.5714, -44.4286],',
        '        [-44.2857, -44.1429, -44.0000,  ..., -39.0000, -38.8571, -38.7143],',
        '        [-38.5714, -38.4286, -38.2857,  ..., -33.2857, -33.1429, -33.0000],',
        '        ...,',
        '        [104.2857, 104.4286, 104.5714,  ..., 109.5714, 109.7143, 109.8571],',
        '        [110.0000, 110.1429, 110.2857,  ..., 115.2857, 115.4286, 115.5714],',
        '        [115.7143, 115.8571, 116.0000,  ..., 121.0000, 121.1429, 121.2857]])',
      ].join('\n'),
    );
  });

  it('elides only the long axis of a 1001×2', () => {
    // repr(torch.arange(2002.).reshape(1001, 2) % 3)
    expect(fromIndex([1001, 2], (i) => i % 3).toString()).toBe(
      [
        'tensor([[0., 1.],',
        '        [2., 0.],',
        '        [1., 2.],',
        '        ...,',
        '        [1., 2.],',
        '        [0., 1.],',
        '        [2., 0.]])',
      ].join('\n'),
    );
  });

  it('a 3-D tensor elides blocks, rows and columns', () => {
    // repr(torch.arange(1008.).reshape(7, 8, 18) % 7)
    expect(fromIndex([7, 8, 18], (i) => i % 7).toString()).toBe(
      [
        'tensor([[[0., 1., 2.,  ..., 1., 2., 3.],',
        '         [4., 5., 6.,  ..., 5., 6., 0.],',
        '         [1., 2., 3.,  ..., 2., 3., 4.],',
        '         ...,',
        '         [6., 0., 1.,  ..., 0., 1., 2.],',
        '         [3., 4., 5.,  ..., 4., 5., 6.],',
        '         [0., 1., 2.,  ..., 1., 2., 3.]],',
        '',
        '        [[4., 5., 6.,  ..., 5., 6., 0.],',
        '         [1., 2., 3.,  ..., 2., 3., 4.],',
        '         [5., 6., 0.,  ..., 6., 0., 1.],',
        '         ...,',
        '         [3., 4., 5.,  ..., 4., 5., 6.],',
        '         [0., 1., 2.,  ..., 1., 2., 3.],',
        '         [4., 5., 6.,  ..., 5., 6., 0.]],',
        '',
        '        [[1., 2., 3.,  ..., 2., 3., 4.],',
        '         [5., 6., 0.,  ..., 6., 0., 1.],',
        '         [2., 3., 4.,  ..., 3., 4., 5.],',
        '         ...,',
        '         [0., 1., 2.,  ..., 1., 2., 3.],',
        '         [4., 5., 6.,  ..., 5., 6., 0.],',
        '         [1., 2., 3.,  ..., 2., 3., 4.]],',
        '',
        '        ...,',
        '',
        '        [[2., 3., 4.,  ..., 3., 4., 5.],',
        '         [6., 0., 1.,  ..., 0., 1., 2.],',
        '         [3., 4., 5.,  ..., 4., 5., 6.],',
        '         ...,',
        '         [1., 2., 3.,  ..., 2., 3., 4.],',
        '         [5., 6., 0.,  ..., 6., 0., 1.],',
        '         [2., 3., 4.,  ..., 3., 4., 5.]],',
        '',
        '        [[6., 0., 1.,  ..., 0., 1., 2.],',
        '         [3., 4., 5.,  ..., 4., 5., 6.],',
        '         [0., 1., 2.,  ..., 1., 2., 3.],',
        '         ...,',
        '         [5., 6., 0.,  ..., 6., 0., 1.],',
        '         [2., 3., 4.,  ..., 3., 4., 5.],',
        '         [6., 0., 1.,  ..., 0., 1., 2.]],',
        '',
        '        [[3., 4., 5.,  ..., 4., 5., 6.],',
        '         [0., 1., 2.,  ..., 1., 2., 3.],',
        '         [4., 5., 6.,  ..., 5., 6., 0.],',
        '         ...,',
        '         [2., 3., 4.,  ..., 3., 4., 5.],',
        '         [6., 0., 1.,  ..., 0., 1., 2.],',
        '         [3., 4., 5.,  ..., 4., 5., 6.]]])',
      ].join('\n'),
    );
  });
});

describe('toString: suffixes (tensorgrad spelling)', () => {
  it('requiresGrad=true on leaves that require grad', () => {
    // repr(torch.tensor([1.5, 2.0], requires_grad=True))
    //   == 'tensor([1.5000, 2.0000], requires_grad=True)'
    expect(tensor([1.5, 2], { requiresGrad: true }).toString()).toBe('tensor([1.5000, 2.0000], requiresGrad=true)');
    // repr(torch.tensor(2., requires_grad=True)) == 'tensor(2., requires_grad=True)'
    expect(tensor(2, { requiresGrad: true }).toString()).toBe('tensor(2., requiresGrad=true)');
    // repr(torch.tensor([[1., 2.], [3., 4.]], requires_grad=True))
    expect(tensor([[1, 2], [3, 4]], { requiresGrad: true }).toString()).toBe(
      ['tensor([[1., 2.],', '        [3., 4.]], requiresGrad=true)'].join('\n'),
    );
  });

  it('requiresGrad=true on empty tensors, after size=', () => {
    // repr(torch.zeros(0, requires_grad=True)) == 'tensor([], requires_grad=True)'
    expect(zeros([0], { requiresGrad: true }).toString()).toBe('tensor([], requiresGrad=true)');
    // repr(torch.zeros(2, 0, requires_grad=True)) == 'tensor([], size=(2, 0), requires_grad=True)'
    expect(zeros([2, 0], { requiresGrad: true }).toString()).toBe('tensor([], size=(2, 0), requiresGrad=true)');
  });

  it('gradFn=<op> on results of recorded ops, and no requiresGrad suffix', () => {
    const a = tensor([1.5, 2], { requiresGrad: true });
    // repr(a * 2) == 'tensor([3., 4.], grad_fn=<MulBackward0>)'
    expect(a.mul(2).toString()).toBe('tensor([3., 4.], gradFn=<mul>)');
    // repr(a + 1) == 'tensor([2.5000, 3.0000], grad_fn=<AddBackward0>)'
    expect(a.add(1).toString()).toBe('tensor([2.5000, 3.0000], gradFn=<add>)');
    // repr(a.sum()) == 'tensor(3.5000, grad_fn=<SumBackward0>)'
    expect(a.sum().toString()).toBe('tensor(3.5000, gradFn=<sum>)');
  });

  it('no suffix without grad, or after detach', () => {
    const a = tensor([1.5, 2], { requiresGrad: true });
    expect(a.detach().toString()).toBe('tensor([1.5000, 2.0000])');
    expect(tensor([1.5, 2]).mul(2).toString()).toBe('tensor([3., 4.])');
  });

  it('moves the suffix to its own line when the last line is full, as PyTorch does', () => {
    // repr((torch.arange(27.) / 7).requires_grad_())
    expect(arange(27).div(7).detach().toString()).not.toContain('requiresGrad');
    const x = arange(27).div(7);
    x.requiresGrad = true;
    expect(x.toString()).toBe(
      [
        'tensor([0.0000, 0.1429, 0.2857, 0.4286, 0.5714, 0.7143, 0.8571, 1.0000, 1.1429,',
        '        1.2857, 1.4286, 1.5714, 1.7143, 1.8571, 2.0000, 2.1429, 2.2857, 2.4286,',
        '        2.5714, 2.7143, 2.8571, 3.0000, 3.1429, 3.2857, 3.4286, 3.5714, 3.7143],',
        '       requiresGrad=true)',
      ].join('\n'),
    );
    // repr(torch.arange(42., requires_grad=True))
    expect(arange(42, undefined, 1, { requiresGrad: true }).toString()).toBe(
      [
        'tensor([ 0.,  1.,  2.,  3.,  4.,  5.,  6.,  7.,  8.,  9., 10., 11., 12., 13.,',
        '        14., 15., 16., 17., 18., 19., 20., 21., 22., 23., 24., 25., 26., 27.,',
        '        28., 29., 30., 31., 32., 33., 34., 35., 36., 37., 38., 39., 40., 41.],',
        '       requiresGrad=true)',
      ].join('\n'),
    );
  });
});
