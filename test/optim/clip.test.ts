/**
 * Gradient clipping against torch.nn.utils.clip_grad_norm_ /
 * clip_grad_value_ (test/fixtures/optim.json), hand-derived cases and errors.
 */
import { describe, expect, it } from 'vitest';
import { nn, tensor, type Tensor } from '../../src/index.js';
import * as optim from '../../src/optim/index.js';
import { fixtures, toTensor } from './fixtures.js';

/** A parameter of the given shape whose gradient is `grad`. */
function withGrad(grad: Tensor): nn.Parameter {
  const p = new nn.Parameter(new Float32Array(grad.size), grad.shape);
  p.grad = grad;
  return p;
}

describe('clipping matches PyTorch', () => {
  it.each(fixtures.clip.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const params = c.grads.map((g) => withGrad(toTensor(g)));
    if (c.kind === 'norm') {
      const normType = c.normType === 'inf' ? Infinity : c.normType!;
      const total = optim.clipGradNorm(params, c.maxNorm!, normType);
      expect(total).toBeAllClose(c.totalNorm!, { rtol: 1e-6, atol: 0 });
    } else {
      optim.clipGradValue(params, c.clipValue!);
    }
    params.forEach((p, i) => expect(p.grad!.data).toBeAllClose(c.clipped[i]!.data, { rtol: 1e-6, atol: 1e-7 }));
  });
});

describe('clipGradNorm', () => {
  it('scales by maxNorm/(norm + 1e-6) over all gradients together', () => {
    // ‖(3, 4)‖ = 5 and ‖(12)‖ = 12 → total √(25 + 144) = 13; coefficient 6.5/(13 + 1e-6)
    const a = withGrad(tensor([3, 4]));
    const b = withGrad(tensor([12]));
    expect(optim.clipGradNorm([a, b], 6.5)).toBe(13);
    const coef = 6.5 / (13 + 1e-6);
    expect(a.grad!.data).toBeAllClose([3 * coef, 4 * coef]);
    expect(b.grad!.data).toBeAllClose([12 * coef]);
  });

  it('leaves gradients alone when the norm is within maxNorm (coefficient clamped to 1)', () => {
    const a = withGrad(tensor([3, 4]));
    expect(optim.clipGradNorm(a, 10)).toBe(5);
    expect(a.grad!.data).toEqual(Float32Array.from([3, 4]));
  });

  it('supports the 1-norm and the max-norm, ignores tensors without a gradient, returns 0 for none', () => {
    const a = withGrad(tensor([-3, 4]));
    const none = new nn.Parameter(new Float32Array(2), [2]);
    expect(optim.clipGradNorm([a, none], 100, 1)).toBe(7);
    expect(optim.clipGradNorm([a, none], 100, Infinity)).toBe(4);
    expect(optim.clipGradNorm([none], 1)).toBe(0);
    expect(none.grad).toBeNull();
  });

  it('errorIfNonfinite throws on a NaN or infinite norm', () => {
    const a = withGrad(tensor([NaN, 1]));
    expect(() => optim.clipGradNorm(a, 1, 2, true)).toThrow(/^clipGradNorm: the total norm of order 2 of the gradients is NaN/);
    expect(Number.isNaN(optim.clipGradNorm(a, 1))).toBe(true); // PyTorch 1.13's default: scale anyway
  });
});

describe('clipGradValue', () => {
  it('clamps each element into [-clipValue, clipValue], NaN stays NaN', () => {
    const a = withGrad(tensor([-2, -0.5, 0.5, 2, NaN]));
    optim.clipGradValue([a], 1);
    expect(Array.from(a.grad!.data)).toEqual([-1, -0.5, 0.5, 1, NaN]);
  });
});

describe('errors', () => {
  it('name the function and the bad value', () => {
    const a = withGrad(tensor([1]));
    expect(() => optim.clipGradNorm([a], -1)).toThrow(/^clipGradNorm: invalid maxNorm -1/);
    expect(() => optim.clipGradNorm([a], 1, 0)).toThrow(/^clipGradNorm: invalid normType 0/);
    expect(() => optim.clipGradNorm([a, 3 as never], 1)).toThrow(/^clipGradNorm: params\[1\] is not a Tensor \(got number\)/);
    expect(() => optim.clipGradNorm(null as never, 1)).toThrow(/^clipGradNorm: params must be a Tensor or a list of tensors/);
    expect(() => optim.clipGradValue([a], NaN)).toThrow(/^clipGradValue: invalid clipValue NaN/);
  });
});
