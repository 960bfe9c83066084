/**
 * Shared helpers for the optimizer tests: the PyTorch fixtures in
 * test/fixtures/optim.json (written by test/fixtures/gen_optim.py) and the
 * small MLP they were generated with.
 */
import { readFileSync } from 'node:fs';
import { nn, Tensor, tensor } from '../../src/index.js';
import * as optim from '../../src/optim/index.js';

export interface FixtureTensor {
  shape: number[];
  data: number[];
}

export interface TrajectoryCase {
  name: string;
  optimizer: 'SGD' | 'Adam' | 'AdamW' | 'RMSprop' | 'Adagrad';
  options: Record<string, unknown>;
  groups?: { params: string[]; options?: Record<string, unknown> }[];
  scheduler?: { type: 'StepLR' | 'ExponentialLR' | 'CosineAnnealingLR'; options: Record<string, number> };
  clip?: { type: 'norm'; maxNorm: number } | { type: 'value'; clipValue: number };
  nullGrads?: string[];
  /** Loss before each step. */
  losses: number[];
  /** Each group's lr after each step (and scheduler step). */
  lrs: number[][];
  /** Every parameter (paramNames order, flat) after each step. */
  params: number[][][];
}

export interface SchedulerCase {
  name: string;
  /** `chain`: the `schedulers` all stepped each epoch, in order, on one optimizer. */
  type: 'StepLR' | 'ExponentialLR' | 'CosineAnnealingLR' | 'ReduceLROnPlateau' | 'chain';
  options?: Record<string, unknown>;
  schedulers?: { type: 'StepLR' | 'ExponentialLR' | 'CosineAnnealingLR'; options: Record<string, unknown> }[];
  groupLrs: number[];
  metrics?: number[];
  /** get_last_lr() after construction, then after each step. */
  lrs: number[][];
}

export interface ClipCase {
  name: string;
  kind: 'norm' | 'value';
  grads: FixtureTensor[];
  maxNorm?: number;
  normType?: number | 'inf';
  totalNorm?: number;
  clipValue?: number;
  clipped: FixtureTensor[];
}

export interface OptimFixtures {
  generator: string;
  torch: string;
  steps: number;
  model: {
    initial: Record<string, FixtureTensor>;
    x: FixtureTensor;
    y: FixtureTensor;
    paramNames: string[];
  };
  trajectories: TrajectoryCase[];
  schedulers: SchedulerCase[];
  clip: ClipCase[];
}

export const fixtures: OptimFixtures = JSON.parse(
  readFileSync(new URL('../fixtures/optim.json', import.meta.url), 'utf8'),
);

/** A fixture tensor as a tensorgrad Tensor. */
export function toTensor(t: FixtureTensor): Tensor {
  return tensor(t.data, { shape: t.shape });
}

/** The fixtures' MLP, Linear(4, 8) → tanh → Linear(8, 3), with the fixture's initial weights. */
export function buildModel(): nn.Sequential {
  const model = new nn.Sequential(new nn.Dense(4, 8), new nn.Tanh(), new nn.Dense(8, 3));
  const initial: Record<string, Tensor> = {};
  for (const [name, t] of Object.entries(fixtures.model.initial)) initial[name] = toTensor(t);
  model.loadStateDict(initial);
  return model;
}

/** The fixtures' loss, `(model(x) − y)².mean()`. */
export function lossOf(model: nn.Module, x: Tensor, y: Tensor): Tensor {
  return model.forward(x).sub(y).pow(2).mean();
}

/** Builds the optimizer a trajectory case describes. */
export function buildOptimizer(c: TrajectoryCase, model: nn.Module): optim.Optimizer<any> {
  const named = Object.fromEntries(model.namedParameters());
  const params = c.groups
    ? c.groups.map((g) => ({ params: g.params.map((n) => named[n]!), ...(g.options ?? {}) }))
    : model.parameters();
  const Ctor = { SGD: optim.SGD, Adam: optim.Adam, AdamW: optim.AdamW, RMSprop: optim.RMSprop, Adagrad: optim.Adagrad }[c.optimizer];
  return new (Ctor as new (p: unknown, o: unknown) => optim.Optimizer<any>)(params, c.options);
}
