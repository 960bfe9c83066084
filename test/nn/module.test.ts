/**
 * nn.Module: parameter discovery and names, modes, state dicts, printing;
 * Sequential, Dense, the activation modules, Flatten and Dropout.
 */
import { describe, expect, it } from 'vitest';
import { linear, manualSeed, nn, ones, randn, tensor, zeros, type Tensor } from '../../src/index.js';

const { Module, Parameter, Sequential, Dense, ReLU, LeakyReLU, Sigmoid, Tanh, Softmax, LogSoftmax, Flatten, Dropout } = nn;

class Block extends Module {
  fc = new Dense(3, 4);
  layers = [new Dense(4, 4), new Tanh(), new Dense(4, 2, { bias: false })];
  scale = new Parameter(new Float32Array([2]), [1]);
  forward(x: Tensor): Tensor {
    return this.layers.reduce((h, layer) => layer.forward(h), this.fc.forward(x)).mul(this.scale);
  }
}

describe('Module', () => {
  it('names parameters as PyTorch does: own first, then children, arrays as name.i', () => {
    expect(new Block().namedParameters().map(([name]) => name)).toEqual([
      'scale', 'fc.weight', 'fc.bias', 'layers.0.weight', 'layers.0.bias', 'layers.2.weight',
    ]);
  });

  it('lists children, modules and the parameter count', () => {
    const block = new Block();
    expect(block.namedChildren().map(([name]) => name)).toEqual(['fc', 'layers.0', 'layers.1', 'layers.2']);
    expect(block.modules()).toHaveLength(5);
    // 1 + (3·4 + 4) + (4·4 + 4) + 4·2 = 45
    expect(block.numParameters()).toBe(45);
    expect(block.parameters().every((p) => p.requiresGrad)).toBe(true);
  });

  it('lists a parameter shared by two layers once', () => {
    const shared = new Dense(2, 2);
    const model = new Sequential(shared, new ReLU(), shared);
    expect(model.namedParameters().map(([name]) => name)).toEqual(['0.weight', '0.bias']);
  });

  it('switches train/eval mode recursively', () => {
    const block = new Block();
    block.eval();
    expect(block.modules().every((m) => !m.training)).toBe(true);
    block.train();
    expect(block.modules().every((m) => m.training)).toBe(true);
  });

  it('zeroGrad zeroes every gradient in place (or drops it with setToNone)', () => {
    const block = new Block();
    block.forward(randn([5, 3])).sum().backward();
    const buffers = block.parameters().map((p) => p.grad!.data);
    block.zeroGrad();
    expect(block.parameters().every((p, i) => p.grad!.data === buffers[i] && p.grad!.data.every((g) => g === 0))).toBe(true);
    // the next backward accumulates into the same buffers
    block.forward(randn([5, 3])).sum().backward();
    expect(block.parameters()[0]!.grad!.data).toBe(buffers[0]);
    block.zeroGrad(true);
    expect(block.parameters().every((p) => p.grad === null)).toBe(true);
  });

  it('stateDict shares the parameters\' data and loadStateDict copies in place', () => {
    const a = new Block();
    const b = new Block();
    const dict = a.stateDict();
    expect(dict['fc.weight']!.data).toBe(a.fc.weight.data);
    expect(dict['fc.weight']!.requiresGrad).toBe(false);
    const weightBuffer = b.fc.weight.data;
    expect(b.loadStateDict(dict)).toEqual({ missingKeys: [], unexpectedKeys: [] });
    expect(b.fc.weight.data).toBe(weightBuffer); // same buffer: optimizers keep working
    const x = randn([2, 3]);
    expect(b.forward(x)).toBeAllClose(a.forward(x));
  });

  it('loadStateDict lists missing, unexpected and mis-shaped keys, and copies nothing then', () => {
    const model = new Sequential(new Dense(3, 2));
    const before = model.stateDict()['0.weight']!.data.slice();
    const dict = { '0.weight': zeros([2, 4]), extra: zeros([1]) };
    expect(() => model.loadStateDict(dict)).toThrow(
      'loadStateDict: cannot load into Sequential:\n  size mismatch for 0.weight: expected [2,3], got [2,4]\n' +
        '  missing keys: 0.bias\n  unexpected keys: extra',
    );
    expect(model.stateDict()['0.weight']!.data).toEqual(before);
  });

  it('loadStateDict with strict: false reports instead of throwing', () => {
    const model = new Sequential(new Dense(3, 2));
    const result = model.loadStateDict({ '0.weight': ones([2, 3]), stray: zeros([1]) }, { strict: false });
    expect(result).toEqual({ missingKeys: ['0.bias'], unexpectedKeys: ['stray'] });
    expect(model.layers[0]!.stateDict()['weight']!.data).toEqual(new Float32Array(6).fill(1));
    // shapes are checked even when not strict
    expect(() => model.loadStateDict({ '0.weight': ones([3, 3]) }, { strict: false })).toThrow(/size mismatch for 0.weight/);
  });

  it('prints like PyTorch, with parameter shapes and counts', () => {
    const model = new Sequential(new Dense(784, 128), new ReLU(), new Dropout(0.2), new Dense(128, 10));
    expect(model.toString()).toBe(
      [
        'Sequential(',
        '  (0): Dense(inFeatures=784, outFeatures=128, bias=true)  # weight [128,784], bias [128]: 100,480',
        '  (1): ReLU()',
        '  (2): Dropout(p=0.2)',
        '  (3): Dense(inFeatures=128, outFeatures=10, bias=true)  # weight [10,128], bias [10]: 1,290',
        ')',
        'Total parameters: 101,770',
      ].join('\n'),
    );
  });
});

describe('Sequential', () => {
  it('chains layers and names state-dict keys by position', () => {
    manualSeed(1);
    const model = new Sequential(new Dense(4, 3), new ReLU(), new Dense(3, 2));
    expect(Object.keys(model.stateDict())).toEqual(['0.weight', '0.bias', '2.weight', '2.bias']);
    const x = randn([5, 4]);
    const [first, , last] = model.layers as [InstanceType<typeof Dense>, unknown, InstanceType<typeof Dense>];
    expect(model.forward(x)).toBeAllClose(last.forward(first.forward(x).relu()));
  });

  it('rejects a layer that is not a Module', () => {
    expect(() => new Sequential(new ReLU(), {} as never)).toThrow('Sequential: layer 1 is not a Module (got object)');
  });
});

describe('Dense', () => {
  it('holds PyTorch\'s layout and initialises within ±1/√inFeatures', () => {
    manualSeed(0);
    const layer = new Dense(100, 30);
    expect(layer.weight.shape).toEqual([30, 100]);
    expect(layer.bias!.shape).toEqual([30]);
    const bound = 1 / Math.sqrt(100);
    const weights = Array.from(layer.weight.data);
    expect(Math.max(...weights.map(Math.abs))).toBeLessThanOrEqual(bound);
    // U(-b, b) has variance b²/3
    const variance = weights.reduce((s, w) => s + w * w, 0) / weights.length;
    expect(variance).toBeGreaterThan((bound * bound) / 3 * 0.85);
    expect(variance).toBeLessThan((bound * bound) / 3 * 1.15);
    expect(Math.max(...Array.from(layer.bias!.data, Math.abs))).toBeLessThanOrEqual(bound);
  });

  it('computes x·Wᵀ + b over the last axis, with and without bias', () => {
    const layer = new Dense(2, 1);
    layer.loadStateDict({ weight: tensor([[2, -1]]), bias: tensor([0.5]) });
    // [1, 3]·[2, -1] + 0.5 = -0.5
    expect(layer.forward(tensor([[1, 3], [0, 0]]))).toBeAllClose([[-0.5], [0.5]]);
    expect(layer.forward(ones([2, 3, 2])).shape).toEqual([2, 3, 1]);
    const noBias = new Dense(2, 1, { bias: false });
    expect(noBias.bias).toBeNull();
    expect(Object.keys(noBias.stateDict())).toEqual(['weight']);
    const x = randn([4, 2]);
    expect(noBias.forward(x)).toBeAllClose(linear(x, noBias.weight));
  });

  it('names itself and the shapes when the input does not fit', () => {
    expect(() => new Dense(4, 2).forward(zeros([3, 5]))).toThrow('Dense(4, 2): expected input [..., 4], got [3,5]');
    expect(() => new Dense(0, 2)).toThrow('Dense: inFeatures must be a positive integer, got 0');
  });
});

describe('activation modules and Flatten', () => {
  it('apply their functions', () => {
    const x = tensor([[-2, 0.5], [1, -0.25]]);
    expect(new ReLU().forward(x)).toBeAllClose([[0, 0.5], [1, 0]]);
    expect(new LeakyReLU(0.1).forward(x)).toBeAllClose([[-0.2, 0.5], [1, -0.025]]);
    expect(new Sigmoid().forward(x)).toBeAllClose(x.sigmoid());
    expect(new Tanh().forward(x)).toBeAllClose(x.tanh());
    expect(new Softmax(1).forward(x)).toBeAllClose(x.softmax(1));
    expect(new LogSoftmax(0).forward(x)).toBeAllClose(x.logSoftmax(0));
    expect(new LeakyReLU(0.1).toString()).toBe('LeakyReLU(negativeSlope=0.1)\nTotal parameters: 0');
  });

  it('Flatten keeps the batch axis by default and shares the buffer', () => {
    const x = zeros([2, 3, 4, 5]);
    const y = new Flatten().forward(x);
    expect(y.shape).toEqual([2, 60]);
    expect(y.data).toBe(x.data);
    expect(new Flatten(0, 1).forward(x).shape).toEqual([6, 4, 5]);
  });
});

describe('Dropout', () => {
  it('is the identity in eval mode and with p = 0', () => {
    const x = randn([10, 10]);
    const drop = new Dropout(0.5);
    drop.eval();
    expect(drop.forward(x)).toBe(x);
    expect(new Dropout(0).forward(x)).toBe(x);
  });

  it('drops about p of the values and scales the rest by 1/(1 − p)', () => {
    manualSeed(3);
    const y = new Dropout(0.25).forward(ones([100, 100]));
    const values = Array.from(y.data);
    const dropped = values.filter((v) => v === 0).length / values.length;
    expect(dropped).toBeGreaterThan(0.23);
    expect(dropped).toBeLessThan(0.27);
    expect(values.filter((v) => v !== 0).every((v) => Math.abs(v - 4 / 3) < 1e-6)).toBe(true);
    expect(new Dropout(1).forward(ones([3]))).toBeAllClose([0, 0, 0]);
  });

  it('is reproducible with manualSeed and routes gradients through the mask', () => {
    manualSeed(7);
    const a = new Dropout(0.5).forward(ones([50]));
    manualSeed(7);
    const x = ones([50], { requiresGrad: true });
    const b = new Dropout(0.5).forward(x);
    expect(b).toBeAllClose(a);
    b.sum().backward();
    // d(mask·x)/dx = mask
    expect(x.grad!).toBeAllClose(a);
  });

  it('rejects probabilities outside [0, 1]', () => {
    expect(() => new Dropout(1.5)).toThrow('Dropout: p must be a probability in [0, 1], got 1.5');
  });
});
