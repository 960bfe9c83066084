/**
 * nn.init against PyTorch's formulas (torch.nn.init, 1.13).
 */
import { describe, expect, it } from 'vitest';
import { manualSeed, nn, zeros } from '../../src/index.js';

const { init } = nn;

function stats(values: Float32Array): { mean: number; std: number; maxAbs: number } {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length;
  return { mean, std: Math.sqrt(variance), maxAbs: Math.max(...Array.from(values, Math.abs)) };
}

/** Within `rel` relative error: sample statistics of ~10⁴–10⁵ draws wobble by ~1%. */
function expectNear(actual: number, expected: number, rel = 0.02): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rel * Math.abs(expected));
}

describe('nn.init', () => {
  it('calculateGain matches torch.nn.init.calculate_gain', () => {
    // calculate_gain('tanh') = 5/3, ('relu') = √2, ('leaky_relu', 0.2) = √(2/1.04), ('selu') = 3/4
    expect(init.calculateGain('linear')).toBe(1);
    expect(init.calculateGain('tanh')).toBeCloseTo(5 / 3, 12);
    expect(init.calculateGain('relu')).toBeCloseTo(1.4142135623730951, 12);
    expect(init.calculateGain('leakyRelu', 0.2)).toBeCloseTo(1.386750490563073, 12);
    expect(init.calculateGain('leakyRelu')).toBeCloseTo(1.4141428569978354, 12);
    expect(init.calculateGain('selu')).toBe(0.75);
  });

  it('fans follow PyTorch: [out, in, ...kernel]', () => {
    expect(init.fans(zeros([6, 1, 5, 5]))).toEqual({ fanIn: 25, fanOut: 150 });
    expect(init.fans(zeros([10, 784]))).toEqual({ fanIn: 784, fanOut: 10 });
    expect(() => init.fans(zeros([5]))).toThrow('fans: fan in and fan out need a tensor with at least 2 axes, got shape [5]');
  });

  it('kaimingUniform with a = √5 gives U(±1/√fanIn), as PyTorch\'s Linear/Conv2d', () => {
    manualSeed(0);
    const w = init.kaimingUniform(zeros([64, 400]), { a: Math.sqrt(5) });
    const { mean, std, maxAbs } = stats(w.data);
    const bound = 1 / Math.sqrt(400);
    expect(maxAbs).toBeLessThanOrEqual(bound);
    expect(maxAbs).toBeGreaterThan(bound * 0.99);
    expect(Math.abs(mean)).toBeLessThan(bound * 0.02);
    expectNear(std, bound / Math.sqrt(3));
  });

  it('kaimingNormal, xavierUniform and xavierNormal have PyTorch\'s spreads', () => {
    manualSeed(1);
    // kaiming_normal_(mode='fan_out', nonlinearity='relu'): std = √2/√fanOut
    const k = stats(init.kaimingNormal(zeros([200, 300]), { mode: 'fanOut', nonlinearity: 'relu' }).data);
    expectNear(k.std, Math.SQRT2 / Math.sqrt(200));
    // xavier_uniform_: bound = √(6/(fanIn + fanOut))
    const xu = stats(init.xavierUniform(zeros([100, 300])).data);
    expect(xu.maxAbs).toBeLessThanOrEqual(Math.sqrt(6 / 400));
    expectNear(xu.std, Math.sqrt(6 / 400) / Math.sqrt(3));
    // xavier_normal_(gain=2): std = 2·√(2/(fanIn + fanOut))
    const xn = stats(init.xavierNormal(zeros([100, 300]), 2).data);
    expectNear(xn.std, 2 * Math.sqrt(2 / 400));
  });

  it('uniform, normal, constant, zeros and ones fill in place', () => {
    manualSeed(2);
    const t = zeros([1000]);
    expect(init.uniform(t, 2, 3)).toBe(t);
    expect(Math.min(...t.data)).toBeGreaterThanOrEqual(2);
    expect(Math.max(...t.data)).toBeLessThan(3);
    const n = stats(init.normal(zeros([20000]), 1, 0.5).data);
    expect(n.mean).toBeCloseTo(1, 1);
    expect(n.std).toBeCloseTo(0.5, 1);
    expect(init.constant(zeros([2]), 0.3).data).toEqual(new Float32Array([0.3, 0.3]));
    expect(init.ones(zeros([2])).data).toEqual(new Float32Array([1, 1]));
    expect(init.zeros(init.ones(zeros([2]))).data).toEqual(new Float32Array([0, 0]));
  });

  it('is reproducible under manualSeed', () => {
    manualSeed(5);
    const a = new nn.Dense(10, 5).weight.data.slice();
    manualSeed(5);
    expect(new nn.Dense(10, 5).weight.data).toEqual(a);
  });
});
