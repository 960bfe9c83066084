/**
 * Optimizers: single steps derived by hand (math in the comments), parameter
 * groups, zeroGrad, skipping parameters without a gradient, in-place updates
 * with reused buffers, and state dicts that resume a run identically.
 */
import { describe, expect, it } from 'vitest';
import { nn, tensor, type Tensor } from '../../src/index.js';
import * as optim from '../../src/optim/index.js';
import { buildModel, fixtures, lossOf, toTensor } from './fixtures.js';

/** A parameter holding `values`. */
function param(values: number[]): nn.Parameter {
  return new nn.Parameter(Float32Array.from(values), [values.length]);
}

/** Sets `p.grad` to `values` (a fresh gradient, as backward would). */
function setGrad(p: Tensor, values: number[]): void {
  p.grad = tensor(values);
}

/** Runs `steps` optimizer steps with the same gradient each time. */
function stepWith(opt: optim.Optimizer<any>, p: Tensor, grad: number[], steps = 1): void {
  for (let k = 0; k < steps; k++) {
    setGrad(p, grad);
    opt.step();
  }
}

describe('SGD', () => {
  it('plain: θ ← θ − lr·g', () => {
    const p = param([1, -2]);
    stepWith(new optim.SGD([p], { lr: 0.1 }), p, [0.5, 1]);
    expect(p.data).toBeAllClose([1 - 0.1 * 0.5, -2 - 0.1 * 1]); // [0.95, -2.1]
  });

  it('weight decay adds weightDecay·θ to the gradient', () => {
    const p = param([2]);
    stepWith(new optim.SGD([p], { lr: 0.1, weightDecay: 0.1 }), p, [1]);
    expect(p.data).toBeAllClose([2 - 0.1 * (1 + 0.1 * 2)]); // 1.88
  });

  it('momentum: the buffer starts as the first gradient, then b ← μb + (1 − dampening)g', () => {
    const p = param([1]);
    const opt = new optim.SGD([p], { lr: 0.1, momentum: 0.9, dampening: 0.5 });
    stepWith(opt, p, [1]);
    // b₁ = g = 1 (no dampening on the first step); θ₁ = 1 − 0.1·1 = 0.9
    expect(p.data).toBeAllClose([0.9]);
    stepWith(opt, p, [1]);
    // b₂ = 0.9·1 + 0.5·1 = 1.4; θ₂ = 0.9 − 0.14 = 0.76
    expect(p.data).toBeAllClose([0.76]);
  });

  it('nesterov: θ ← θ − lr·(g + μb)', () => {
    const p = param([1]);
    const opt = new optim.SGD([p], { lr: 0.1, momentum: 0.9, nesterov: true });
    stepWith(opt, p, [1]);
    // b₁ = 1; d = 1 + 0.9·1 = 1.9; θ₁ = 1 − 0.19 = 0.81
    expect(p.data).toBeAllClose([0.81]);
    stepWith(opt, p, [1]);
    // b₂ = 0.9 + 1 = 1.9; d = 1 + 0.9·1.9 = 2.71; θ₂ = 0.81 − 0.271 = 0.539
    expect(p.data).toBeAllClose([0.539]);
  });

  it('maximize ascends', () => {
    const p = param([1]);
    stepWith(new optim.SGD([p], { lr: 0.1, maximize: true }), p, [2]);
    expect(p.data).toBeAllClose([1.2]);
  });
});

describe('Adam and AdamW', () => {
  it('defaults are PyTorch\'s', () => {
    const group = new optim.Adam([param([0])]).paramGroups[0]!;
    expect(group).toMatchObject({ lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false });
    expect(new optim.AdamW([param([0])]).paramGroups[0]!.weightDecay).toBe(1e-2);
  });

  it('first step: θ ← θ − lr·g/(|g| + eps), eps added after the bias correction', () => {
    // m₁ = (1−β₁)g, v₁ = (1−β₂)g²; step size lr/(1−β₁); denom √v₁/√(1−β₂) + eps = |g| + eps.
    // With eps = 1 the placement shows: 1 − 0.1·2/(2 + 1) = 0.93333…
    const p = param([1]);
    stepWith(new optim.Adam([p], { lr: 0.1, eps: 1 }), p, [2]);
    expect(p.data).toBeAllClose([1 - (0.1 * 2) / 3]);
  });

  it('a constant gradient gives the same step every time (bias correction is exact)', () => {
    // mₜ = (1−β₁ᵗ)g and vₜ = (1−β₂ᵗ)g², so m̂ = g and v̂ = g² at every t.
    const p = param([1, 1]);
    stepWith(new optim.Adam([p], { lr: 0.01, eps: 0.5 }), p, [2, -0.5], 3);
    expect(p.data).toBeAllClose([1 - 3 * 0.01 * 2 / 2.5, 1 + 3 * 0.01 * 0.5 / 1]);
  });

  it('Adam weight decay is L2 in the gradient', () => {
    // g' = 2 + 0.5·1 = 2.5; θ = 1 − 0.1·2.5/(2.5 + 1)
    const p = param([1]);
    stepWith(new optim.Adam([p], { lr: 0.1, eps: 1, weightDecay: 0.5 }), p, [2]);
    expect(p.data).toBeAllClose([1 - (0.1 * 2.5) / 3.5]);
  });

  it('AdamW decays θ first, outside the adaptive step', () => {
    // θ ← 1·(1 − 0.1·0.5) = 0.95, then − 0.1·2/(2 + 1)
    const p = param([1]);
    stepWith(new optim.AdamW([p], { lr: 0.1, eps: 1, weightDecay: 0.5 }), p, [2]);
    expect(p.data).toBeAllClose([0.95 - (0.1 * 2) / 3]);
  });

  it('amsgrad normalises by the largest second moment so far', () => {
    // g = 2, then 0: v₁ = 0.001·4 = 0.004, v₂ = 0.999·0.004 = 0.003996 < v₁, so v̂₂ = 0.004.
    // m₂ = 0.9·0.2 = 0.18. Step 2: lr/(1−0.9²) · 0.18 / (√0.004/√(1−0.999²) + eps)
    const run = (amsgrad: boolean): number => {
      const p = param([0]);
      const opt = new optim.Adam([p], { lr: 0.1, amsgrad });
      stepWith(opt, p, [2]);
      const after1 = p.data[0]!;
      stepWith(opt, p, [0]);
      return after1 - p.data[0]!;
    };
    const bc2 = Math.sqrt(1 - 0.999 ** 2);
    expect(run(true)).toBeAllClose((0.1 / (1 - 0.81)) * 0.18 / (Math.sqrt(0.004) / bc2 + 1e-8), { rtol: 1e-5 });
    expect(run(false)).toBeAllClose((0.1 / (1 - 0.81)) * 0.18 / (Math.sqrt(0.003996) / bc2 + 1e-8), { rtol: 1e-5 });
  });
});

describe('RMSprop', () => {
  it('first step: s = (1−α)g², θ ← θ − lr·g/(√s + eps), eps outside the root', () => {
    // √s = √0.01·|g| = 0.3 for g = 3; with eps = 0.1: θ = 1 − 0.01·3/(0.3 + 0.1) = 0.925
    const p = param([1]);
    stepWith(new optim.RMSprop([p], { eps: 0.1 }), p, [3]);
    expect(p.data).toBeAllClose([1 - (0.01 * 3) / 0.4]);
  });

  it('centered subtracts the squared mean gradient', () => {
    // ḡ = 0.01·3 = 0.03; s − ḡ² = 0.09 − 0.0009 = 0.0891; θ = 1 − 0.01·3/√0.0891
    const p = param([1]);
    stepWith(new optim.RMSprop([p], { centered: true, eps: 0 }), p, [3]);
    expect(p.data).toBeAllClose([1 - (0.01 * 3) / Math.sqrt(0.0891)]);
  });

  it('momentum accumulates g/(√s + eps)', () => {
    // step 1: b = 3/0.3 = 10, θ = 1 − 0.01·10 = 0.9
    // step 2: s = 0.99·0.09 + 0.01·9 = 0.1791; b = 0.5·10 + 3/√0.1791; θ = 0.9 − 0.01·b
    const p = param([1]);
    const opt = new optim.RMSprop([p], { momentum: 0.5, eps: 0 });
    stepWith(opt, p, [3]);
    expect(p.data).toBeAllClose([0.9]);
    stepWith(opt, p, [3]);
    expect(p.data).toBeAllClose([0.9 - 0.01 * (5 + 3 / Math.sqrt(0.1791))]);
  });
});

describe('Adagrad', () => {
  it('accumulates squared gradients: steps lr·g/√(Σg²)', () => {
    // step 1: S = 4, θ = 1 − 0.1·2/2 = 0.9; step 2: S = 8, θ = 0.9 − 0.1·2/√8
    const p = param([1]);
    const opt = new optim.Adagrad([p], { lr: 0.1, eps: 0 });
    stepWith(opt, p, [2], 2);
    expect(p.data).toBeAllClose([0.9 - 0.2 / Math.sqrt(8)]);
  });

  it('lrDecay: step t uses lr/(1 + (t−1)·lrDecay); initialAccumulatorValue seeds S', () => {
    // S₀ = 5: step 1: S = 9, θ = 1 − 0.1·2/3; step 2: S = 13, lr' = 0.1/1.5
    const p = param([1]);
    const opt = new optim.Adagrad([p], { lr: 0.1, lrDecay: 0.5, initialAccumulatorValue: 5, eps: 0 });
    stepWith(opt, p, [2], 2);
    expect(p.data).toBeAllClose([1 - 0.2 / 3 - (0.1 / 1.5) * 2 / Math.sqrt(13)]);
  });

  it('has state from construction, as in PyTorch', () => {
    const opt = new optim.Adagrad([param([1, 2])], { initialAccumulatorValue: 0.5 });
    expect(opt.stateDict().state[0]).toEqual({ step: 0, sum: Float32Array.from([0.5, 0.5]) });
  });
});

describe('parameter groups', () => {
  it('each group uses its own options, the rest from the defaults', () => {
    const a = param([1]);
    const b = param([1]);
    const opt = new optim.SGD([{ params: [a], lr: 0.5 }, { params: b, momentum: 0.9 }], { lr: 0.1 });
    expect(opt.paramGroups.map((g) => [g.lr, g.momentum])).toEqual([[0.5, 0], [0.1, 0.9]]);
    setGrad(a, [1]);
    setGrad(b, [1]);
    opt.step();
    expect([a.data[0], b.data[0]]).toBeAllClose([0.5, 0.9]);
  });

  it('Adam groups as in the issue: new Adam([{ params: a, lr: 1e-4 }, { params: b }], { lr: 1e-3 })', () => {
    const opt = new optim.Adam([{ params: [param([0])], lr: 1e-4 }, { params: [param([0])] }], { lr: 1e-3 });
    expect(opt.paramGroups.map((g) => g.lr)).toEqual([1e-4, 1e-3]);
    expect(opt.paramGroups[1]!.betas).not.toBe(opt.defaults.betas); // options are copied, not shared
  });

  it('changing a group\'s lr between steps takes effect (what schedulers do)', () => {
    const p = param([1]);
    const opt = new optim.SGD([p], { lr: 0.1 });
    opt.paramGroups[0]!.lr = 0.01;
    stepWith(opt, p, [1]);
    expect(p.data).toBeAllClose([0.99]);
  });

  it('addParamGroup adds a group with defaults filled in', () => {
    const opt = new optim.Adagrad([param([0])], { lr: 0.1 });
    const q = param([1]);
    opt.addParamGroup({ params: [q], lrDecay: 1 });
    expect(opt.paramGroups[1]).toMatchObject({ lr: 0.1, lrDecay: 1, eps: 1e-10 });
    stepWith(opt, q, [1]);
    expect(q.data).toBeAllClose([0.9]);
  });

  it('accepts model.parameters() and a module\'s parameters per group', () => {
    const model = new nn.Sequential(new nn.Dense(2, 3), new nn.ReLU(), new nn.Dense(3, 1));
    const [first, , last] = model.layers as [nn.Dense, nn.Module, nn.Dense];
    const opt = new optim.RMSprop([{ params: first.parameters(), lr: 1e-3 }, { params: last.parameters() }]);
    expect(opt.paramGroups.map((g) => g.params.length)).toEqual([2, 2]);
    expect(new optim.RMSprop(model.parameters()).paramGroups[0]!.params).toHaveLength(4);
  });
});

describe('zeroGrad and parameters without a gradient', () => {
  it('zeroGrad() zeroes gradients in place (PyTorch 1.13 default), zeroGrad(true) sets them to null', () => {
    const p = param([1, 2]);
    const opt = new optim.SGD([p], { lr: 0.1 });
    p.mul(p).sum().backward();
    const buffer = p.grad!;
    opt.zeroGrad();
    expect(p.grad).toBe(buffer);
    expect(p.grad!.data).toEqual(new Float32Array([0, 0]));
    // backward accumulates into the same buffer: no new gradient tensor
    p.mul(p).sum().backward();
    expect(p.grad).toBe(buffer);
    expect(p.grad!.data).toBeAllClose([2, 4]);
    opt.zeroGrad(true);
    expect(p.grad).toBeNull();
  });

  it('skips parameters whose grad is null: no update, no state', () => {
    for (const make of [
      (ps: Tensor[]) => new optim.SGD(ps, { lr: 0.1, momentum: 0.9 }),
      (ps: Tensor[]) => new optim.Adam(ps),
      (ps: Tensor[]) => new optim.AdamW(ps),
      (ps: Tensor[]) => new optim.RMSprop(ps, { momentum: 0.5, centered: true }),
    ]) {
      const a = param([1]);
      const b = param([1]);
      const opt = make([a, b]);
      setGrad(a, [1]);
      opt.step();
      expect(b.data[0]).toBe(1);
      expect(Object.keys(opt.stateDict().state)).toEqual(['0']);
    }
  });

  it('a zero gradient still moves Adam (momentum), unlike a null one', () => {
    const p = param([1]);
    const opt = new optim.Adam([p], { lr: 0.1 });
    stepWith(opt, p, [1]);
    const after1 = p.data[0]!;
    stepWith(opt, p, [0]);
    expect(p.data[0]).toBeLessThan(after1);
  });
});

describe('in place, without allocation per step', () => {
  it('updates param.data in place and reuses its state buffers', () => {
    const makers = [
      (ps: Tensor[]) => new optim.SGD(ps, { lr: 0.1, momentum: 0.9 }),
      (ps: Tensor[]) => new optim.Adam(ps, { amsgrad: true }),
      (ps: Tensor[]) => new optim.AdamW(ps),
      (ps: Tensor[]) => new optim.RMSprop(ps, { momentum: 0.5, centered: true }),
      (ps: Tensor[]) => new optim.Adagrad(ps),
    ];
    for (const make of makers) {
      const p = param([1, 2, 3]);
      const data = p.data;
      const opt = make([p]);
      stepWith(opt, p, [0.1, -0.2, 0.3]);
      const buffers = (opt as unknown as { state: Map<Tensor, Record<string, unknown>> }).state.get(p)!;
      const before = Object.values(buffers).filter((v) => v instanceof Float32Array);
      expect(before.length).toBeGreaterThan(0);
      stepWith(opt, p, [0.1, -0.2, 0.3], 3);
      const after = Object.values((opt as unknown as { state: Map<Tensor, Record<string, unknown>> }).state.get(p)!)
        .filter((v) => v instanceof Float32Array);
      expect(after).toHaveLength(before.length);
      after.forEach((buffer, i) => expect(buffer).toBe(before[i]));
      expect(p.data).toBe(data);
    }
  });
});

describe('stateDict / loadStateDict', () => {
  const x = toTensor(fixtures.model.x);
  const y = toTensor(fixtures.model.y);
  const trainSteps = (model: nn.Module, opt: optim.Optimizer<any>, steps: number): void => {
    for (let k = 0; k < steps; k++) {
      opt.zeroGrad();
      lossOf(model, x, y).backward();
      opt.step();
    }
  };
  const makers: [string, (m: nn.Module) => optim.Optimizer<any>][] = [
    ['SGD nesterov', (m) => new optim.SGD(m.parameters(), { lr: 0.1, momentum: 0.9, nesterov: true })],
    ['Adam amsgrad', (m) => new optim.Adam(m.parameters(), { lr: 0.01, amsgrad: true })],
    ['AdamW', (m) => new optim.AdamW(m.parameters(), { lr: 0.01 })],
    ['RMSprop centered+momentum', (m) => new optim.RMSprop(m.parameters(), { momentum: 0.5, centered: true })],
    ['Adagrad lrDecay', (m) => new optim.Adagrad(m.parameters(), { lr: 0.1, lrDecay: 0.01 })],
    [
      'Adam groups',
      (m) => {
        const [w0, b0, w2, b2] = m.parameters();
        return new optim.Adam([{ params: [w0!, b0!], lr: 0.02 }, { params: [w2!, b2!], weightDecay: 0.1 }]);
      },
    ],
  ];

  for (const [name, make] of makers) {
    it(`${name}: a run resumed from a JSON checkpoint continues bit for bit`, () => {
      const model = buildModel();
      const opt = make(model);
      trainSteps(model, opt, 5);
      const checkpoint = JSON.stringify({ model: Object.fromEntries(model.namedParameters().map(([n, p]) => [n, Array.from(p.data)])), optimizer: opt.stateDict({ arrays: true }) });
      trainSteps(model, opt, 5);

      const saved = JSON.parse(checkpoint);
      const resumed = buildModel();
      for (const [n, p] of resumed.namedParameters()) p.data.set(saved.model[n]);
      const opt2 = make(resumed);
      opt2.loadStateDict(saved.optimizer);
      trainSteps(resumed, opt2, 5);
      resumed.parameters().forEach((p, i) => expect(p.data).toEqual(model.parameters()[i]!.data));
    });
  }

  it('copies buffers both ways', () => {
    const p = param([1, 2]);
    const opt = new optim.Adam([p]);
    stepWith(opt, p, [1, 1]);
    const dict = opt.stateDict();
    const saved = (dict.state[0]!.expAvg as Float32Array).slice();
    stepWith(opt, p, [1, 1]);
    expect(dict.state[0]!.expAvg).toEqual(saved); // not changed by later steps
    opt.loadStateDict(dict);
    (dict.state[0]!.expAvg as Float32Array).fill(42);
    expect(opt.stateDict().state[0]!.expAvg).toEqual(saved); // not changed by editing the dict
    expect(opt.stateDict().state[0]!.step).toBe(1);
  });

  it('has PyTorch\'s layout: state by parameter position, groups with options and positions', () => {
    const [a, b, c] = [param([1]), param([1, 2]), param([3])];
    const opt = new optim.SGD([{ params: [a, b] }, { params: [c], lr: 0.5 }], { lr: 0.1, momentum: 0.9 });
    setGrad(b, [1, 1]);
    setGrad(c, [1]);
    opt.step();
    const dict = opt.stateDict({ arrays: true });
    expect(Object.keys(dict.state)).toEqual(['1', '2']);
    expect(dict.state[1]).toEqual({ momentumBuffer: [1, 1] });
    expect(dict.paramGroups).toEqual([
      { lr: 0.1, momentum: 0.9, dampening: 0, weightDecay: 0, nesterov: false, maximize: false, params: [0, 1] },
      { lr: 0.5, momentum: 0.9, dampening: 0, weightDecay: 0, nesterov: false, maximize: false, params: [2] },
    ]);
  });

  it('restores group options (e.g. a scheduled lr)', () => {
    const p = param([1]);
    const opt = new optim.SGD([p], { lr: 0.1 });
    opt.paramGroups[0]!.lr = 0.025;
    const dict = opt.stateDict();
    const fresh = new optim.SGD([p], { lr: 0.1 });
    fresh.loadStateDict(dict);
    expect(fresh.paramGroups[0]!.lr).toBe(0.025);
  });

  it('rejects dicts that do not fit, changing nothing', () => {
    const p = param([1, 2]);
    const opt = new optim.Adam([p]);
    stepWith(opt, p, [1, 1]);
    const good = opt.stateDict();
    const other = new optim.Adam([param([1, 2]), param([3])]);
    expect(() => other.loadStateDict(good)).toThrow(/parameter group 0 has 2 parameters but the dict's has 1/);
    expect(() => new optim.Adam([{ params: [param([1, 2])] }, { params: [param([1])] }]).loadStateDict(good))
      .toThrow(/the dict has 1 parameter groups, the optimizer 2/);
    expect(() => new optim.Adam([param([1, 2, 3])]).loadStateDict(good)).toThrow(/state 'expAvg' of parameter 0 has 2 values, the parameter 3/);
    const sgd = new optim.SGD([param([1, 2])], { lr: 0.1 });
    expect(() => sgd.loadStateDict(good)).toThrow(/group 0 has option 'betas', which SGD does not have/);
    const badState = { state: { 0: { momentumBuffer: [1, 1] } }, paramGroups: good.paramGroups };
    expect(() => opt.loadStateDict(badState)).toThrow(/parameter 0 has state 'momentumBuffer', which Adam does not keep/);
    expect(() => opt.loadStateDict({ state: { 5: {} }, paramGroups: good.paramGroups })).toThrow(/state for parameter 5, but the optimizer has 1 parameters/);
    const noStep = { state: { 0: { expAvg: [0, 0], expAvgSq: [0, 0] } }, paramGroups: good.paramGroups };
    expect(() => opt.loadStateDict(noStep)).toThrow(/the state of parameter 0 lacks 'step'/);
    const badStep = { state: { 0: { ...good.state[0]!, step: [1] } }, paramGroups: good.paramGroups };
    expect(() => opt.loadStateDict(badStep)).toThrow(/state 'step' of parameter 0 must be an integer >= 0, got an array/);
    const badLr = { state: {}, paramGroups: [{ ...good.paramGroups[0]!, lr: -1 }] };
    expect(() => opt.loadStateDict(badLr)).toThrow(/invalid lr -1/);
    expect(() => opt.loadStateDict(null as never)).toThrow(/expected \{ state, paramGroups \}/);
    expect(opt.stateDict()).toEqual(good);
  });
});
