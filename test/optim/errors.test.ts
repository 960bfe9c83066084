/**
 * Optimizers reject bad input with an Error naming the optimizer (and the
 * parameter group), the option and its value — the checks torch.optim
 * makes, applied to every group, plus the ones it only warns about.
 */
import { describe, expect, it } from 'vitest';
import { nn, tensor, type Tensor } from '../../src/index.js';
import * as optim from '../../src/optim/index.js';

const p = (): nn.Parameter => new nn.Parameter(new Float32Array(2), [2]);

type Make = (params: any, options: any) => optim.Optimizer<any>;
const OPTIMIZERS: Record<string, Make> = {
  SGD: (ps, o) => new optim.SGD(ps, { lr: 0.1, ...o }),
  Adam: (ps, o) => new optim.Adam(ps, o),
  AdamW: (ps, o) => new optim.AdamW(ps, o),
  RMSprop: (ps, o) => new optim.RMSprop(ps, o),
  Adagrad: (ps, o) => new optim.Adagrad(ps, o),
};

describe('every optimizer', () => {
  for (const [name, make] of Object.entries(OPTIMIZERS)) {
    describe(name, () => {
      it('rejects a negative or NaN learning rate', () => {
        expect(() => make([p()], { lr: -0.1 })).toThrow(`${name}: invalid lr -0.1 (must be a finite number >= 0)`);
        expect(() => make([p()], { lr: NaN })).toThrow(`${name}: invalid lr NaN`);
      });

      it('rejects a negative weightDecay', () => {
        expect(() => make([p()], { weightDecay: -1 })).toThrow(`${name}: invalid weightDecay -1`);
      });

      it('rejects an empty parameter list, or an empty group', () => {
        expect(() => make([], {})).toThrow(`${name}: got an empty parameter list`);
        expect(() => make([{ params: [] }], {})).toThrow(`${name}: param group 0: got an empty parameter list`);
      });

      it('rejects things that are not tensors', () => {
        expect(() => make([p(), 3], {})).toThrow(`${name}: can only optimize Tensors (Parameters), but params[1] is number 3`);
        expect(() => make([p(), new nn.ReLU()], {})).toThrow(/but params\[1\] is ReLU/);
        expect(() => make(p(), {})).toThrow(`${name}: params must be a list of tensors or of parameter groups, got a single Tensor (wrap it in [ ])`);
        expect(() => make(undefined, {})).toThrow(`${name}: params must be a list of tensors or of parameter groups, got undefined`);
      });

      it('rejects a non-leaf tensor', () => {
        const x = tensor([1, 2], { requiresGrad: true });
        expect(() => make([x.mul(2)], {})).toThrow(/params\[0\] is not a leaf tensor \(it was computed by 'mul'\)/);
      });

      it('rejects a parameter in two groups, or twice in one', () => {
        const shared = p();
        expect(() => make([{ params: [shared] }, { params: [p(), shared] }], {}))
          .toThrow(`${name}: param group 1: some parameters appear in more than one parameter group (also in group 0)`);
        expect(() => make([shared, shared], {})).toThrow(`${name}: params[1] appears twice in the group`);
        const opt = make([shared], {});
        expect(() => opt.addParamGroup({ params: [shared] })).toThrow(/param group 1: some parameters appear in more than one/);
      });

      it('checks each group\'s own options and rejects unknown ones', () => {
        expect(() => make([{ params: [p()] }, { params: [p()], lr: -1 }], {})).toThrow(`${name}: param group 1: invalid lr -1`);
        expect(() => make([{ params: [p()], learningRate: 0.1 }], {})).toThrow(`${name}: param group 0: unknown option 'learningRate'`);
      });
    });
  }
});

describe('SGD', () => {
  it('requires lr (unless every group sets it)', () => {
    expect(() => new optim.SGD([p()], {} as never)).toThrow('SGD: lr is required (e.g. new SGD(params, { lr: 0.01 }))');
    expect(() => new optim.SGD([p()], undefined as never)).toThrow('SGD: lr is required');
    expect(new optim.SGD([{ params: [p()], lr: 0.1 }], {} as never).paramGroups[0]!.lr).toBe(0.1);
  });

  it('rejects negative momentum and nesterov without momentum or with dampening', () => {
    expect(() => new optim.SGD([p()], { lr: 0.1, momentum: -0.9 })).toThrow('SGD: invalid momentum -0.9');
    expect(() => new optim.SGD([p()], { lr: 0.1, nesterov: true }))
      .toThrow('SGD: Nesterov momentum requires a momentum > 0 and zero dampening (got momentum 0, dampening 0)');
    expect(() => new optim.SGD([p()], { lr: 0.1, momentum: 0.9, dampening: 0.1, nesterov: true }))
      .toThrow(/Nesterov momentum requires .* \(got momentum 0.9, dampening 0.1\)/);
  });
});

describe('Adam / AdamW', () => {
  for (const [name, Ctor] of [['Adam', optim.Adam], ['AdamW', optim.AdamW]] as const) {
    it(`${name} rejects betas outside [0, 1) and a negative eps`, () => {
      expect(() => new Ctor([p()], { betas: [1, 0.999] })).toThrow(`${name}: invalid beta parameter at index 0: 1 (must be in [0, 1))`);
      expect(() => new Ctor([p()], { betas: [0.9, -0.1] })).toThrow(`${name}: invalid beta parameter at index 1: -0.1`);
      expect(() => new Ctor([p()], { betas: [0.9] as never })).toThrow(`${name}: betas must be a pair [beta1, beta2], got 0.9`);
      expect(() => new Ctor([p()], { eps: -1e-8 })).toThrow(`${name}: invalid eps -1e-8`);
      expect(() => new Ctor([p()], { amsgrad: 1 as never })).toThrow(`${name}: amsgrad must be true or false, got 1`);
    });
  }
});

describe('RMSprop', () => {
  it('rejects a negative eps, momentum or alpha', () => {
    expect(() => new optim.RMSprop([p()], { eps: -1 })).toThrow('RMSprop: invalid eps -1');
    expect(() => new optim.RMSprop([p()], { momentum: -0.5 })).toThrow('RMSprop: invalid momentum -0.5');
    expect(() => new optim.RMSprop([p()], { alpha: -0.5 })).toThrow('RMSprop: invalid alpha -0.5');
  });
});

describe('Adagrad', () => {
  it('rejects a negative eps, lrDecay or initialAccumulatorValue', () => {
    expect(() => new optim.Adagrad([p()], { eps: -1 })).toThrow('Adagrad: invalid eps -1');
    expect(() => new optim.Adagrad([p()], { lrDecay: -1 })).toThrow('Adagrad: invalid lrDecay -1');
    expect(() => new optim.Adagrad([p()], { initialAccumulatorValue: -1 })).toThrow('Adagrad: invalid initialAccumulatorValue -1');
  });
});

describe('step', () => {
  it('rejects a gradient whose size does not match its parameter', () => {
    for (const [name, make] of Object.entries(OPTIMIZERS)) {
      const q = p();
      const opt = make([q], {});
      q.grad = tensor([1, 2, 3]);
      expect(() => opt.step()).toThrow(`${name}.step: a parameter of shape [2] has a gradient of shape [3]`);
    }
  });
});

describe('a Tensor that is not a Parameter', () => {
  it('can be optimized (as in PyTorch, any leaf tensor)', () => {
    const x: Tensor = tensor([1], { requiresGrad: true });
    const opt = new optim.SGD([x], { lr: 0.5 });
    x.mul(x).sum().backward(); // d/dx x² = 2x = 2
    opt.step();
    expect(x.data).toBeAllClose([0]);
  });
});
