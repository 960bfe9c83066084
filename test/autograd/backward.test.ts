/**
 * The tape's semantics, with hand-derived expected values (the derivation in
 * a comment beside each).
 */
import { describe, expect, it } from 'vitest';
import {
  add, grad, gradcheck, mul, noGrad, isGradEnabled, ones, tensor, valueAndGrad, type Tensor,
} from '../../src/index.js';
import { record, result } from '../../src/ops/record.js';

describe('backward', () => {
  it('differentiates a polynomial', () => {
    // y = x² + 5x + 3 → dy/dx = 2x + 5 = 11 at x = 3
    const x = tensor(3, { requiresGrad: true });
    x.mul(x).add(x.mul(5)).add(3).backward();
    expect(x.grad!.item()).toBe(11);
  });

  it('sums the contributions of a tensor used several times', () => {
    // y = Σ (x·x + x) → dy/dx = 2x + 1
    const x = tensor([1, -2, 0.5], { requiresGrad: true });
    add(mul(x, x), x).sum().backward();
    expect(x.grad!).toBeAllClose([3, -3, 2]);
  });

  it('reduces broadcast gradients to the input shape', () => {
    // y = Σ (a[i,j] · b[j]) → dy/da = b broadcast over rows, dy/db = Σ_i a[i,:]
    const a = tensor([[1, 2, 3], [4, 5, 6]], { requiresGrad: true });
    const b = tensor([10, 20, 30], { requiresGrad: true });
    a.mul(b).sum().backward();
    expect(a.grad!).toBeAllClose([[10, 20, 30], [10, 20, 30]]);
    expect(b.grad!).toBeAllClose([5, 7, 9]);
  });

  it('matches the matmul example of the README', () => {
    // y = Σ relu(x xᵀ); all entries of x xᵀ are positive, so dy/dx = (1 + 1ᵀ) x = 2 · colsum broadcast
    const x = tensor([[1, 2], [3, 4]], { requiresGrad: true });
    x.matmul(x.transpose(0, 1)).relu().sum().backward();
    expect(x.grad!).toBeAllClose([[8, 12], [8, 12]]);
  });

  it('accumulates into .grad across calls until zeroGrad', () => {
    // d(2x)/dx = 2, twice → 4
    const x = tensor([1, 2], { requiresGrad: true });
    x.mul(2).sum().backward();
    x.mul(2).sum().backward();
    expect(x.grad!).toBeAllClose([4, 4]);
    x.zeroGrad();
    expect(x.grad).toBeNull();
  });

  it('takes an explicit upstream gradient for non-scalar outputs', () => {
    // y = 3x, upstream g → dx = 3g
    const x = tensor([1, 2, 3], { requiresGrad: true });
    const g = tensor([1, 0, -1]);
    x.mul(3).backward(g);
    expect(x.grad!).toBeAllClose([3, 0, -3]);
    // the leaf owns its gradient: later accumulation must not write into g
    x.mul(1).backward(g);
    expect(g.data).toEqual(new Float32Array([1, 0, -1]));
  });

  it("frees each node's rule after use unless retainGraph is set", () => {
    const x = tensor([2], { requiresGrad: true });
    const y = x.exp();
    const z = y.sum();
    z.backward(undefined, { retainGraph: true });
    expect(y.gradFn!.backward).not.toBeNull();
    z.backward();
    expect(y.gradFn!.backward).toBeNull();
    expect(z.gradFn!.backward).toBeNull();
  });

  it('rejects a gradient that is not a tensor', () => {
    const x = tensor([2], { requiresGrad: true });
    expect(() => x.exp().backward({ retainGraph: true } as never)).toThrow(
      'backward: grad must be a Tensor of shape [1], got object',
    );
  });

  it('runs twice through a graph kept with retainGraph, then frees it', () => {
    // d(x³)/dx = 3x² = 12 at x = 2; twice → 24
    const x = tensor(2, { requiresGrad: true });
    const y = x.pow(3);
    y.backward(undefined, { retainGraph: true });
    y.backward();
    expect(x.grad!.item()).toBeCloseTo(24, 4);
    expect(() => y.backward()).toThrow(/'pow'.*freed.*retainGraph/);
  });

  it('handles graphs deeper than the call stack', () => {
    // 20 000 chained additions of 1: dy/dx = 1
    let y: Tensor = tensor(0, { requiresGrad: true });
    const x = y;
    for (let i = 0; i < 20_000; i++) y = y.add(1);
    y.backward();
    expect(x.grad!.item()).toBe(1);
    expect(y.item()).toBe(20_000);
  });

  it('does not record under noGrad, and detach cuts the graph', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = noGrad(() => x.mul(2));
    expect(y.requiresGrad).toBe(false);
    expect(y.gradFn).toBeNull();
    expect(isGradEnabled()).toBe(true);
    // z = x · stop(x): dz/dx = stop(x) = x
    x.mul(x.detach()).sum().backward();
    expect(x.grad!).toBeAllClose([1, 2]);
  });

  it('restores grad mode when the noGrad body throws', () => {
    expect(() => noGrad(() => { throw new Error('boom'); })).toThrow('boom');
    expect(isGradEnabled()).toBe(true);
  });

  it('shares buffers for views and records them', () => {
    const x = tensor([[1, 2], [3, 4]], { requiresGrad: true });
    const v = x.reshape([4]);
    expect(v.data).toBe(x.data);
    // d Σ(v · [1,2,3,4]) / dx = [1,2,3,4] reshaped
    v.mul(tensor([1, 2, 3, 4])).sum().backward();
    expect(x.grad!).toBeAllClose([[1, 2], [3, 4]]);
  });

  it('checks that a rule returns gradients of the right shape', () => {
    const x = tensor([1, 2, 3], { requiresGrad: true });
    const bad = record('exp', result(new Float32Array(3), [3]), [x], () => [ones([2])]);
    expect(() => bad.sum().backward()).toThrow(
      "backward: the gradient of input 0 of 'exp' has shape [2], which does not match the input's shape [3]",
    );
  });
});

describe('grad and valueAndGrad', () => {
  it('returns one gradient per argument without touching .grad', () => {
    // f(x, y) = Σ x·y + x² → df/dx = y + 2x, df/dy = x
    const f = (x: Tensor, y: Tensor) => x.mul(y).add(x.mul(x)).sum();
    const x = tensor([1, 2], { requiresGrad: true });
    const y = tensor([3, 4]);
    const [dx, dy] = grad(f)(x, y);
    expect(dx).toBeAllClose([5, 8]);
    expect(dy).toBeAllClose([1, 2]);
    expect(x.grad).toBeNull();
  });

  it('returns the value and zeros for unused arguments', () => {
    // f(x, unused) = Σ sin-free quadratic 0.5·x² → value 0.5·(1 + 4) = 2.5, df/dx = x
    const { value, grads } = valueAndGrad((x: Tensor, _unused: Tensor) => x.mul(x).mul(0.5).sum())(
      tensor([1, 2]),
      tensor([[7]]),
    );
    expect(value.item()).toBe(2.5);
    expect(value.requiresGrad).toBe(false);
    expect(grads[0]).toBeAllClose([1, 2]);
    expect(grads[1]).toBeAllClose([[0]]);
  });

  it('works inside noGrad and for constant functions', () => {
    const [dx] = noGrad(() => grad((x: Tensor) => x.exp().sum())(tensor([0])));
    expect(dx).toBeAllClose([1]); // d eˣ/dx = 1 at 0
    const [dz] = grad((_x: Tensor) => tensor(3))(tensor([1, 2]));
    expect(dz).toBeAllClose([0, 0]);
  });

  it('rejects functions that do not return one element', () => {
    expect(() => grad((x: Tensor) => x.mul(2))(tensor([1, 2]))).toThrow('grad: f must return a one-element tensor, got shape [2]');
  });
});

describe('gradcheck', () => {
  it('passes a correct gradient and reports both gradients', () => {
    const x = tensor([0.5, -1, 2], { requiresGrad: true });
    const check = gradcheck((t) => t.tanh().mul(t), [x]);
    expect(check.ok).toBe(true);
    expect(check.inputs[0]!.analytic.length).toBe(3);
    expect(check.maxAbsError).toBeLessThan(1e-3);
  });

  it('catches a wrong backward rule', () => {
    // claims d(x²)/dx = x instead of 2x
    const wrongSquare = (x: Tensor) => record('mul', result(x.data.map((v) => v * v), x.shape), [x], (dy) => [dy.mul(x)]);
    const check = gradcheck((x) => wrongSquare(x).sum(), [tensor([1, 2, 3], { requiresGrad: true })]);
    expect(check.ok).toBe(false);
    expect(check.message).toMatch(/input 0, element \d: analytic .* vs numeric/);
  });

  it('leaves the inputs unchanged and checks only inputs that require grad', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const c = tensor([3, 4]);
    const check = gradcheck((a, b) => a.mul(b).sum(), [x, c]);
    expect(check.ok).toBe(true);
    expect(check.inputs.map((r) => r.index)).toEqual([0]);
    expect(x.data).toEqual(new Float32Array([1, 2]));
    expect(x.grad).toBeNull();
    expect(() => gradcheck((a) => a.sum(), [c])).toThrow(/no input has requiresGrad/);
  });
});

describe('printing in Node', () => {
  it('console.log / util.inspect shows the PyTorch-style text', async () => {
    const { inspect } = await import('node:util');
    const x = tensor([1.5, 2], { requiresGrad: true });
    expect(inspect(x)).toBe('tensor([1.5000, 2.0000], requiresGrad=true)');
    expect(inspect(x.mul(2))).toBe('tensor([3., 4.], gradFn=<mul>)');
  });
});
