/**
 * Learning-rate schedulers: get_last_lr() sequences from PyTorch
 * (test/fixtures/optim.json), hand-derived values, state dicts and errors.
 */
import { describe, expect, it } from 'vitest';
import { nn, tensor } from '../../src/index.js';
import * as optim from '../../src/optim/index.js';
import { fixtures, type SchedulerCase } from './fixtures.js';

const { StepLR, ExponentialLR, CosineAnnealingLR, ReduceLROnPlateau } = optim.lrScheduler;

/** An SGD optimizer with one group per learning rate. */
function sgd(...lrs: number[]): optim.SGD {
  return new optim.SGD(lrs.map((lr) => ({ params: [new nn.Parameter(new Float32Array(1), [1])], lr })), { lr: 1 });
}

type Scheduler = optim.lrScheduler.LRScheduler | optim.lrScheduler.ReduceLROnPlateau;

function build(type: SchedulerCase['type'], options: unknown, opt: optim.Optimizer<any>): Scheduler {
  switch (type) {
    case 'StepLR': return new StepLR(opt, options as never);
    case 'ExponentialLR': return new ExponentialLR(opt, options as never);
    case 'CosineAnnealingLR': return new CosineAnnealingLR(opt, options as never);
    case 'ReduceLROnPlateau': return new ReduceLROnPlateau(opt, options as never);
    default: throw new Error(`unknown scheduler ${type}`);
  }
}

describe('lr sequences match PyTorch\'s get_last_lr()', () => {
  it('covers every scheduler, cosine over 2+ periods', () => {
    for (const type of ['StepLR', 'ExponentialLR', 'CosineAnnealingLR', 'ReduceLROnPlateau']) {
      expect(fixtures.schedulers.some((c) => c.type === type)).toBe(true);
    }
    const cosine = fixtures.schedulers.find((c) => c.type === 'CosineAnnealingLR')!;
    expect(cosine.lrs.length - 1).toBeGreaterThan(4 * (cosine.options!.tMax as number));
    expect(fixtures.schedulers.some((c) => c.type === 'chain')).toBe(true);
  });

  it.each(fixtures.schedulers.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const opt = sgd(...c.groupLrs);
    const schedulers = c.type === 'chain'
      ? c.schedulers!.map((s) => build(s.type, s.options, opt))
      : [build(c.type, c.options, opt)];
    const last = schedulers[schedulers.length - 1]!;
    const got = [last.getLastLr()];
    for (let k = 0; k < c.lrs.length - 1; k++) {
      opt.step();
      for (const scheduler of schedulers) {
        if (scheduler instanceof ReduceLROnPlateau) scheduler.step(c.metrics![k]!);
        else scheduler.step();
      }
      got.push(last.getLastLr());
      expect(opt.paramGroups.map((g) => g.lr)).toEqual(got[got.length - 1]);
    }
    // Same formulas in the same order as PyTorch: equal up to the last bits of
    // Math.cos versus C's cos (V8 and glibc may differ by an ulp).
    got.forEach((lrs, k) => expect(lrs, `${c.name}: after step ${k}`).toBeAllClose(c.lrs[k]!, { rtol: 1e-12, atol: 1e-18 }));
  });
});

describe('hand-derived schedules', () => {
  it('StepLR: lr·gamma^⌊epoch/stepSize⌋', () => {
    const opt = sgd(1);
    const scheduler = new StepLR(opt, { stepSize: 2, gamma: 0.5 });
    const lrs = [scheduler.getLastLr()[0]];
    for (let k = 0; k < 5; k++) { scheduler.step(); lrs.push(scheduler.getLastLr()[0]); }
    expect(lrs).toEqual([1, 1, 0.5, 0.5, 0.25, 0.25]);
    expect(scheduler.lastEpoch).toBe(5);
  });

  it('CosineAnnealingLR follows etaMin + (lr₀ − etaMin)(1 + cos(πt/tMax))/2 through the bottom and back', () => {
    const opt = sgd(1);
    const scheduler = new CosineAnnealingLR(opt, { tMax: 4, etaMin: 0.2 });
    for (let t = 1; t <= 12; t++) {
      scheduler.step();
      expect(scheduler.getLastLr()[0]).toBeAllClose(0.2 + 0.8 * (1 + Math.cos((Math.PI * t) / 4)) / 2, { rtol: 1e-12, atol: 1e-15 });
    }
  });

  it('sets initialLr once; a second scheduler builds on the same base', () => {
    const opt = sgd(0.1);
    const a = new ExponentialLR(opt, { gamma: 0.5 });
    a.step();
    const b = new StepLR(opt, { stepSize: 1, gamma: 0.1 });
    expect(opt.paramGroups[0]!.initialLr).toBe(0.1);
    expect(b.baseLrs).toEqual([0.1]);
    expect(b.getLastLr()).toEqual([0.05]);
  });

  it('ReduceLROnPlateau accepts a one-element tensor as the metric and waits `patience` bad epochs', () => {
    const opt = sgd(1);
    const scheduler = new ReduceLROnPlateau(opt, { patience: 1, factor: 0.5 });
    expect(scheduler.getLastLr()).toEqual([1]);
    scheduler.step(tensor(1)); // best = 1
    scheduler.step(tensor([1])); // bad epoch 1 (not > patience)
    expect(scheduler.getLastLr()).toEqual([1]);
    scheduler.step(1); // bad epoch 2 > patience: reduce
    expect(scheduler.getLastLr()).toEqual([0.5]);
  });
});

describe('state dicts', () => {
  it('epoch schedulers resume identically from JSON', () => {
    const makers = [
      (o: optim.Optimizer<any>) => new StepLR(o, { stepSize: 3, gamma: 0.5 }),
      (o: optim.Optimizer<any>) => new ExponentialLR(o, { gamma: 0.9 }),
      (o: optim.Optimizer<any>) => new CosineAnnealingLR(o, { tMax: 4, etaMin: 0.01 }),
    ];
    for (const make of makers) {
      const opt = sgd(0.1, 0.01);
      const scheduler = make(opt);
      for (let k = 0; k < 5; k++) scheduler.step();
      const saved = JSON.stringify({ opt: opt.stateDict({ arrays: true }), scheduler: scheduler.stateDict() });
      const expected: number[][] = [];
      for (let k = 0; k < 7; k++) { scheduler.step(); expected.push(scheduler.getLastLr()); }

      const { opt: optState, scheduler: schedulerState } = JSON.parse(saved);
      const opt2 = sgd(0.1, 0.01);
      opt2.loadStateDict(optState);
      const resumed = make(opt2);
      resumed.loadStateDict(schedulerState);
      const got: number[][] = [];
      for (let k = 0; k < 7; k++) { resumed.step(); got.push(resumed.getLastLr()); }
      expect(got).toEqual(expected);
    }
  });

  it('ReduceLROnPlateau resumes identically from JSON, including an infinite best', () => {
    const metrics = [1, 0.9, 0.9, 0.9, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8];
    const opt = sgd(0.1);
    const fresh = new ReduceLROnPlateau(opt, { patience: 1 });
    expect(JSON.parse(JSON.stringify(fresh.stateDict())).best).toBeNull();
    const scheduler = new ReduceLROnPlateau(opt, { patience: 1, cooldown: 1 });
    metrics.slice(0, 3).forEach((m) => scheduler.step(m));
    const saved = JSON.stringify({ opt: opt.stateDict(), scheduler: scheduler.stateDict() });
    metrics.slice(3).forEach((m) => scheduler.step(m));

    const opt2 = sgd(0.1);
    opt2.loadStateDict(JSON.parse(saved).opt);
    const resumed = new ReduceLROnPlateau(opt2);
    resumed.loadStateDict(JSON.parse(saved).scheduler);
    metrics.slice(3).forEach((m) => resumed.step(m));
    expect(resumed.getLastLr()).toEqual(scheduler.getLastLr());
    expect(resumed.stateDict()).toEqual(scheduler.stateDict());
  });

  it('loadStateDict rejects malformed state', () => {
    const scheduler = new StepLR(sgd(0.1), { stepSize: 2 });
    expect(() => scheduler.loadStateDict({ ...scheduler.stateDict(), baseLrs: [0.1, 0.2] })).toThrow(/'baseLrs' must be 1 numbers/);
    expect(() => scheduler.loadStateDict({ ...scheduler.stateDict(), gamma: 'x' })).toThrow(/'gamma' must be a number/);
    const plateau = new ReduceLROnPlateau(sgd(0.1));
    expect(() => plateau.loadStateDict({ ...plateau.stateDict(), mode: 'sideways' })).toThrow(/mode must be 'min' or 'max'/);
    expect(plateau.mode).toBe('min');
  });
});

describe('errors', () => {
  it('reject bad options with the scheduler\'s name', () => {
    const opt = sgd(0.1);
    expect(() => new StepLR({} as never, { stepSize: 1 })).toThrow(/^StepLR: expected an Optimizer/);
    expect(() => new StepLR(opt, { stepSize: 0 })).toThrow(/^StepLR: invalid stepSize 0 \(must be a positive integer\)/);
    expect(() => new StepLR(opt, {} as never)).toThrow(/^StepLR: invalid stepSize undefined/);
    expect(() => new ExponentialLR(opt, {} as never)).toThrow(/^ExponentialLR: invalid gamma undefined/);
    expect(() => new CosineAnnealingLR(opt, { tMax: 0 })).toThrow(/^CosineAnnealingLR: invalid tMax 0/);
    expect(() => new ReduceLROnPlateau(null as never)).toThrow(/^ReduceLROnPlateau: expected an Optimizer, got null/);
    expect(() => new ReduceLROnPlateau(opt, { factor: 1 })).toThrow(/invalid factor 1 \(must be in \[0, 1\)\)/);
    expect(() => new ReduceLROnPlateau(opt, { mode: 'up' as never })).toThrow(/mode must be 'min' or 'max', got up/);
    expect(() => new ReduceLROnPlateau(opt, { thresholdMode: 'x' as never })).toThrow(/thresholdMode must be 'rel' or 'abs'/);
    expect(() => new ReduceLROnPlateau(opt, { minLr: [0, 0] })).toThrow(/expected 1 minLr values/);
    expect(() => new ReduceLROnPlateau(opt, { patience: -1 })).toThrow(/invalid patience -1/);
    expect(() => new ReduceLROnPlateau(opt).step('x' as never)).toThrow(/metric must be a number or a one-element Tensor/);
    expect(() => new ReduceLROnPlateau(opt).step(tensor([1, 2]))).toThrow(/item: expected a tensor with one element/);
  });
});
