/**
 * Conv2d and MaxPool2d as modules: PyTorch's default initialisation, output
 * shapes, errors that name the layer and the shapes, state-dict keys and the
 * PyTorch-style print.
 */
import { describe, expect, it } from 'vitest';
import { manualSeed, nn, ones, randn, tensor, zeros } from '../../src/index.js';

const { Conv2d, MaxPool2d, Sequential, ReLU, Flatten, Dense, functional: F } = nn;

describe('Conv2d', () => {
  it('initialises weight and bias in U(±1/√fanIn), fanIn = inChannels·kh·kw (PyTorch default)', () => {
    manualSeed(1);
    const conv = new Conv2d(6, 16, 5);
    const bound = 1 / Math.sqrt(6 * 5 * 5);
    expect(conv.weight.shape).toEqual([16, 6, 5, 5]);
    expect(conv.bias!.shape).toEqual([16]);
    const w = Array.from(conv.weight.data);
    expect(Math.max(...w.map(Math.abs))).toBeLessThanOrEqual(bound);
    expect(Math.max(...w)).toBeGreaterThan(0.95 * bound); // spread over the whole range
    expect(Math.min(...w)).toBeLessThan(-0.95 * bound);
    expect(Math.max(...Array.from(conv.bias!.data, Math.abs))).toBeLessThanOrEqual(bound);
    expect(conv.weight.requiresGrad).toBe(true);
  });

  it('is reproducible under manualSeed', () => {
    manualSeed(7);
    const a = new Conv2d(3, 4, [2, 3]);
    manualSeed(7);
    const b = new Conv2d(3, 4, [2, 3]);
    expect(Array.from(a.weight.data)).toEqual(Array.from(b.weight.data));
    expect(Array.from(a.bias!.data)).toEqual(Array.from(b.bias!.data));
  });

  it.each([
    // [input, args, expected output]
    [[2, 1, 28, 28], [1, 6, 5, {}], [2, 6, 24, 24]],
    [[4, 16, 28, 28], [16, 32, 3, { padding: 1 }], [4, 32, 28, 28]],
    [[1, 3, 9, 10], [3, 4, 3, { stride: 2, padding: 1, dilation: 2 }], [1, 4, 4, 4]],
    [[2, 3, 6, 7], [3, 4, 4, { padding: 'same' }], [2, 4, 6, 7]],
    [[2, 3, 6, 7], [3, 4, [2, 3], { padding: 'valid', stride: [1, 2] }], [2, 4, 5, 3]],
    [[3, 8, 8], [3, 5, 3, {}], [5, 6, 6]], // unbatched
  ] as const)('maps %j through Conv2d%j to %j', (input, [inCh, outCh, k, options], expected) => {
    const conv = new Conv2d(inCh, outCh, k as number | [number, number], options as nn.Conv2dOptions);
    expect(conv.forward(zeros(input)).shape).toEqual(expected);
  });

  it('computes a hand-checked convolution', () => {
    // x = [[1, 2, 3], [4, 5, 6], [7, 8, 9]], W = [[1, 0], [0, -1]], b = 0.5:
    // y[i, j] = x[i, j] − x[i+1, j+1] + 0.5 = −4 + 0.5 everywhere
    const conv = new Conv2d(1, 1, 2);
    conv.loadStateDict({ weight: tensor([[[[1, 0], [0, -1]]]]), bias: tensor([0.5]) });
    const x = tensor([[[[1, 2, 3], [4, 5, 6], [7, 8, 9]]]], { requiresGrad: true });
    const y = conv.forward(x);
    expect(y.toArray()).toEqual([[[[-3.5, -3.5], [-3.5, -3.5]]]]);
    y.sum().backward();
    // dL/dx = Σ over windows of W placed at each window: +1 at x[0..1, 0..1], −1 at x[1..2, 1..2]
    expect(x.grad!.toArray()).toEqual([[[[1, 1, 0], [1, 0, -1], [0, -1, -1]]]]);
    // dL/dW[i, j] = Σ of the 2×2 block of x starting at (i, j); dL/db = 4
    expect(conv.weight.grad!.toArray()).toEqual([[[[12, 16], [24, 28]]]]);
    expect(conv.bias!.grad!.toArray()).toEqual([4]);
  });

  it('stateDict keys are weight and bias (weight only without bias), prefixed in Sequential', () => {
    expect(Object.keys(new Conv2d(1, 2, 3).stateDict())).toEqual(['weight', 'bias']);
    const noBias = new Conv2d(1, 2, 3, { bias: false });
    expect(Object.keys(noBias.stateDict())).toEqual(['weight']);
    expect(noBias.bias).toBeNull();
    const model = new Sequential(new Conv2d(1, 6, 5), new ReLU(), new MaxPool2d(2), new Conv2d(6, 16, 5));
    expect(Object.keys(model.stateDict())).toEqual(['0.weight', '0.bias', '3.weight', '3.bias']);
    expect(model.numParameters()).toBe(6 * 25 + 6 + 16 * 6 * 25 + 16);
  });

  it('prints like PyTorch', () => {
    expect(new Conv2d(1, 6, 5).extraRepr()).toBe('1, 6, kernelSize=[5, 5], stride=[1, 1]');
    expect(new Conv2d(3, 8, [3, 5], { stride: 2, padding: 1, dilation: 2 }).extraRepr())
      .toBe('3, 8, kernelSize=[3, 5], stride=[2, 2], padding=[1, 1], dilation=[2, 2]');
    expect(new Conv2d(3, 8, 3, { padding: 'same', bias: false }).extraRepr())
      .toBe('3, 8, kernelSize=[3, 3], stride=[1, 1], padding=same, bias=false');
    expect(new Conv2d(1, 6, 5).toString()).toBe(
      'Conv2d(1, 6, kernelSize=[5, 5], stride=[1, 1])  # weight [6,1,5,5], bias [6]: 156\nTotal parameters: 156',
    );
  });

  it('errors name the layer and the shapes', () => {
    const conv = new Conv2d(3, 8, 3);
    expect(() => conv.forward(zeros([2, 4, 8, 8]))).toThrow(
      'Conv2d(3, 8, kernelSize=[3, 3]): input [2,4,8,8] has 4 channels, but weight [8,3,3,3] expects 3 (input [N, 3, H, W])',
    );
    expect(() => conv.forward(zeros([1, 3, 2, 8]))).toThrow(
      'Conv2d(3, 8, kernelSize=[3, 3]): input [1,3,2,8] is too small for weight [8,3,3,3]: padded input 2×8 is smaller than the kernel 3×3',
    );
    expect(() => conv.forward(zeros([3, 8]))).toThrow(
      'Conv2d(3, 8, kernelSize=[3, 3]): expected a 4-D input [N, C, H, W] (or 3-D [C, H, W]), got [3,8]',
    );
    expect(() => new Conv2d(1, 6, 5, { dilation: 2 }).forward(zeros([1, 1, 8, 8]))).toThrow(/smaller than the dilated kernel 9×9/);
  });

  it('rejects bad constructor arguments', () => {
    expect(() => new Conv2d(0, 6, 5)).toThrow('Conv2d: inChannels must be a positive integer, got 0');
    expect(() => new Conv2d(1, 6, 0)).toThrow(/Conv2d: kernelSize must be a positive integer or a pair/);
    expect(() => new Conv2d(1, 6, 3, { stride: 0 })).toThrow(/Conv2d: stride must be a positive integer/);
    expect(() => new Conv2d(1, 6, 3, { stride: [1, 2, 3] as unknown as [number, number] })).toThrow(/stride must be/);
    expect(() => new Conv2d(1, 6, 3, { padding: -1 })).toThrow(/Conv2d: padding must be a non-negative integer/);
    expect(() => new Conv2d(1, 6, 3, { padding: 1.5 })).toThrow(/padding must be/);
    expect(() => new Conv2d(1, 6, 3, { padding: 'same', stride: 2 })).toThrow(/'same' is not supported for strided convolutions/);
  });

  it('trains inside a LeNet-style Sequential (shapes and gradients flow end to end)', () => {
    manualSeed(0);
    const model = new Sequential(
      new Conv2d(1, 6, 5), new ReLU(), new MaxPool2d(2),
      new Conv2d(6, 16, 5), new ReLU(), new MaxPool2d(2),
      new Flatten(), new Dense(16 * 4 * 4, 10),
    );
    const logits = model.forward(randn([2, 1, 28, 28]));
    expect(logits.shape).toEqual([2, 10]);
    logits.sum().backward();
    for (const [name, p] of model.namedParameters()) {
      expect(p.grad, name).not.toBeNull();
      expect(p.grad!.shape, name).toEqual(p.shape);
    }
  });
});

describe('nn.functional.conv2d', () => {
  it('checks the bias and the weight rank', () => {
    expect(() => F.conv2d(zeros([1, 2, 5, 5]), zeros([3, 2, 3, 3]), zeros([2]))).toThrow(
      'conv2d: bias must have shape [3] for weight [3,2,3,3], got [2]',
    );
    expect(() => F.conv2d(zeros([1, 2, 5, 5]), zeros([3, 2, 3]))).toThrow(
      'conv2d: expected a 4-D weight [outChannels, inChannels, kh, kw], got [3,2,3]',
    );
    expect(() => F.conv2d(zeros([1, 2, 5, 5]), zeros([3, 2, 3, 3]), null, { padding: 'same', stride: [1, 2] })).toThrow(
      "conv2d: padding 'same' is not supported for strided convolutions (stride [1,2])",
    );
  });

  it('does not record a graph when nothing requires grad', () => {
    const y = F.conv2d(ones([1, 1, 3, 3]), ones([1, 1, 2, 2]));
    expect(y.requiresGrad).toBe(false);
    expect(y.toArray()).toEqual([[[[4, 4], [4, 4]]]]);
  });
});

describe('MaxPool2d', () => {
  it.each([
    [[64, 6, 24, 24], [2, {}], [64, 6, 12, 12]],
    [[2, 3, 9, 8], [3, { stride: 2, padding: 1 }], [2, 3, 5, 4]],
    [[1, 2, 5, 5], [2, { ceilMode: true }], [1, 2, 3, 3]],
    [[1, 2, 9, 7], [[3, 2], { stride: [2, 1], padding: 1, dilation: 2 }], [1, 2, 4, 7]], // ⌊(9 + 2 − 4 − 1) / 2⌋ + 1, ⌊(7 + 2 − 2 − 1) / 1⌋ + 1
    [[6, 24, 24], [2, {}], [6, 12, 12]], // unbatched
  ] as const)('maps %j through MaxPool2d%j to %j', (input, [k, options], expected) => {
    const pool = new MaxPool2d(k as number | [number, number], options as nn.MaxPool2dOptions);
    expect(pool.forward(zeros(input)).shape).toEqual(expected);
  });

  it('routes the gradient to the first maximum of each window', () => {
    const x = tensor([[[[1, 3, 3, 0], [2, 0, 1, 1]]]], { requiresGrad: true });
    const y = new MaxPool2d(2).forward(x);
    expect(y.toArray()).toEqual([[[[3, 3]]]]);
    y.backward(tensor([[[[10, 20]]]]));
    expect(x.grad!.toArray()).toEqual([[[[0, 10, 20, 0], [0, 0, 0, 0]]]]);
  });

  it('has no parameters and prints like PyTorch', () => {
    const pool = new MaxPool2d(2);
    expect(pool.numParameters()).toBe(0);
    expect(pool.stride).toBe(2);
    expect(pool.extraRepr()).toBe('kernelSize=2, stride=2, padding=0, dilation=1, ceilMode=false');
    expect(new MaxPool2d([3, 2], { stride: 1, padding: 1 }).toString())
      .toBe('MaxPool2d(kernelSize=[3, 2], stride=1, padding=1, dilation=1, ceilMode=false)\nTotal parameters: 0');
  });

  it('errors name the layer and the shape', () => {
    expect(() => new MaxPool2d(2, { padding: 2 })).toThrow('MaxPool2d: padding [2,2] must be at most half the kernel size [2,2]');
    expect(() => new MaxPool2d(0)).toThrow(/MaxPool2d: kernelSize must be a positive integer/);
    expect(() => new MaxPool2d(2, { stride: 0 })).toThrow(/MaxPool2d: stride must be a positive integer/);
    expect(() => new MaxPool2d(3).forward(zeros([1, 1, 2, 5]))).toThrow(
      'MaxPool2d(kernelSize=3): input [1,1,2,5] is too small for the 3×3 window: padded input is 2×5',
    );
    expect(() => new MaxPool2d(2).forward(zeros([4, 4]))).toThrow(
      'MaxPool2d(kernelSize=2): expected a 4-D input [N, C, H, W] (or 3-D [C, H, W]), got [4,4]',
    );
    expect(() => F.maxPool2d(zeros([4, 4]), { kernelSize: 2 })).toThrow(/^maxPool2d: expected a 4-D input/);
  });
});
