/**
 * train.fit / evaluate / predict, metrics and callbacks on small problems
 * whose answers are known.
 */
import { describe, expect, it } from 'vitest';
import { data, losses, manualSeed, nn, optim, randn, tensor, train, type Tensor } from '../../src/index.js';

/** y = 3x − 1 with a little noise: a Dense(1, 1) should learn it. */
function line(n: number): { x: Tensor; y: Tensor } {
  manualSeed(0);
  const x = randn([n, 1]);
  const y = x.mul(3).sub(1).add(randn([n, 1]).mul(0.01));
  return { x, y };
}

/** Two Gaussian blobs at ±2 along both axes, labels 0/1. */
function blobs(n: number): { x: Tensor; y: Int32Array } {
  manualSeed(1);
  const labels = Int32Array.from({ length: n }, (_, i) => i % 2);
  const centers = tensor(Array.from(labels, (l) => (l === 1 ? [2, 2] : [-2, -2])));
  return { x: centers.add(randn([n, 2])), y: labels };
}

const quiet = { verbose: 0 as const };

describe('fit', () => {
  it('learns a line, and the loss falls epoch by epoch', async () => {
    const { x, y } = line(256);
    manualSeed(2);
    const model = new nn.Dense(1, 1);
    const history = await train.fit(model, { x, y }, {
      loss: losses.mseLoss, optimizer: new optim.SGD(model.parameters(), { lr: 0.1 }), epochs: 5, batchSize: 16, ...quiet,
    });
    expect(history.epoch).toEqual([0, 1, 2, 3, 4]);
    for (let i = 1; i < 5; i++) expect(history.loss[i]!).toBeLessThan(history.loss[i - 1]!);
    expect(model.weight.item()).toBeCloseTo(3, 1);
    expect(model.bias!.item()).toBeCloseTo(-1, 1);
  });

  it('classifies blobs with accuracy, validation split and history per metric', async () => {
    const { x, y } = blobs(400);
    manualSeed(3);
    const model = new nn.Sequential(new nn.Dense(2, 8), new nn.ReLU(), new nn.Dense(8, 2));
    const history = await train.fit(model, { x, y }, {
      loss: new nn.CrossEntropyLoss(), optimizer: new optim.Adam(model.parameters(), { lr: 0.05 }),
      epochs: 3, batchSize: 32, validationSplit: 0.25, metrics: ['accuracy'], seed: 0, ...quiet,
    });
    expect(history.valLoss).toHaveLength(3);
    expect(history.metrics['accuracy']).toHaveLength(3);
    expect(history.metrics['valAccuracy']!.at(-1)).toBeGreaterThan(0.95);
  });

  it('holds out the LAST fraction for validation, as Keras does', async () => {
    const x = tensor([[0], [1], [2], [3], [4], [5], [6], [7], [8], [9]]);
    const seen: number[] = [];
    class Spy extends nn.Module {
      w = new nn.Parameter(new Float32Array([1]), [1]);
      forward(input: Tensor): Tensor {
        if (!this.training) seen.push(...input.data);
        return input.mul(this.w);
      }
    }
    const model = new Spy();
    await train.fit(model, { x, y: x }, {
      loss: losses.mseLoss, optimizer: new optim.SGD(model.parameters(), { lr: 0 }), validationSplit: 0.2, ...quiet,
    });
    expect(seen).toEqual([8, 9]);
  });

  it('is reproducible: same seeds, same history', async () => {
    const run = async () => {
      const { x, y } = blobs(200);
      manualSeed(4);
      const model = new nn.Sequential(new nn.Dense(2, 4), new nn.Tanh(), new nn.Dense(4, 2));
      return train.fit(model, { x, y }, {
        loss: losses.crossEntropy, optimizer: new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 }),
        epochs: 2, batchSize: 10, seed: 7, ...quiet,
      });
    };
    expect(await run()).toEqual(await run());
  });

  it('accepts a DataLoader and validationData, and calls callbacks in order', async () => {
    const { x, y } = blobs(64);
    const loader = new data.DataLoader(new data.TensorDataset(x, y), { batchSize: 16 });
    const events: string[] = [];
    const model = new nn.Dense(2, 2);
    await train.fit(model, loader, {
      loss: losses.crossEntropy, optimizer: new optim.SGD(model.parameters(), { lr: 0.1 }), epochs: 2,
      validationData: { x, y }, ...quiet,
      callbacks: [{
        onTrainBegin: () => events.push('begin'),
        onEpochBegin: (e) => events.push(`epoch ${e}`),
        onBatchEnd: (b, logs) => { if (b === 0) events.push(`batch ${b} size ${logs.size}`); },
        onEpochEnd: (e, logs) => { events.push(`end ${e} ${'valLoss' in logs}`); },
        onTrainEnd: () => events.push('done'),
      }],
    });
    expect(events).toEqual(['begin', 'epoch 0', 'batch 0 size 16', 'end 0 true', 'epoch 1', 'batch 0 size 16', 'end 1 true', 'done']);
  });

  it('reports progress to an injected reporter, and verbose 0 silences it', async () => {
    const { x, y } = line(40);
    const model = new nn.Dense(1, 1);
    const lines: string[] = [];
    const batches: number[] = [];
    await train.fit(model, { x, y }, {
      loss: losses.mseLoss, optimizer: new optim.SGD(model.parameters(), { lr: 0.01 }), epochs: 2, batchSize: 10,
      reporter: { onBatchEnd: (p) => batches.push(p.batch), onEpochEnd: (s) => lines.push(train.formatEpoch(s)) },
    });
    expect(batches).toEqual([1, 2, 3, 4, 1, 2, 3, 4]);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^epoch 1\/2 - \d+\.\ds - \d+ samples\/s - loss \d+\.\d{4}$/);
  });

  it('yields to the event loop during long epochs, so timers fire mid-training', async () => {
    const { x, y } = blobs(4000);
    const model = new nn.Sequential(new nn.Dense(2, 256), new nn.ReLU(), new nn.Dense(256, 2));
    let timerFired = false;
    let firedDuringTraining = false;
    setTimeout(() => { timerFired = true; }, 0);
    const started = Date.now();
    await train.fit(model, { x, y }, {
      loss: losses.crossEntropy, optimizer: new optim.SGD(model.parameters(), { lr: 0.01 }), epochs: 3, batchSize: 8, ...quiet,
      callbacks: [{ onBatchEnd: () => { if (timerFired) firedDuringTraining = true; } }],
    });
    // only meaningful if training outlasted one yield interval (100 ms)
    if (Date.now() - started > 150) expect(firedDuringTraining).toBe(true);
  });

  it('rejects bad arguments with clear errors', async () => {
    const model = new nn.Dense(1, 1);
    const optimizer = new optim.SGD(model.parameters(), { lr: 0.1 });
    const { x, y } = line(8);
    await expect(train.fit(model, { x, y: tensor([[1]]) }, { loss: losses.mseLoss, optimizer, ...quiet }))
      .rejects.toThrow('fit: x has 8 samples (shape [8,1]) but y has 1');
    await expect(train.fit(model, { x, y }, { loss: losses.mseLoss, optimizer, epochs: -1 })).rejects.toThrow('fit: epochs must be a non-negative integer, got -1');
    await expect(train.fit(model, { x, y }, { loss: losses.mseLoss, optimizer: {} as never })).rejects.toThrow('fit: expected an optimizer with zeroGrad() and step()');
    const loader = new data.DataLoader(new data.TensorDataset(x, y), { batchSize: 4 });
    await expect(train.fit(model, loader, { loss: losses.mseLoss, optimizer, validationSplit: 0.5 }))
      .rejects.toThrow('fit: validationSplit needs { x, y } data');
    await expect(train.fit(model, { x, y }, { loss: (o) => o, optimizer, ...quiet })).rejects.toThrow('fit: the loss must return a one-element tensor, got shape [8,1]');
  });
});

describe('earlyStopping', () => {
  it('stops after `patience` epochs without improvement and restores the best weights', async () => {
    const { x, y } = line(32);
    const model = new nn.Dense(1, 1);
    // lr 0 after the first epoch: the loss cannot improve any more
    const optimizer = new optim.SGD(model.parameters(), { lr: 0.05 });
    const stopper = train.earlyStopping({ monitor: 'loss', patience: 1, restoreBest: true });
    let bestWeight = NaN;
    const history = await train.fit(model, { x, y }, {
      loss: losses.mseLoss, optimizer, epochs: 10, batchSize: 32, ...quiet,
      callbacks: [
        { onEpochEnd: (epoch) => { if (epoch === 0) { bestWeight = model.weight.item(); optimizer.paramGroups[0]!.lr = 0; } } },
        stopper,
      ],
    });
    // One batch per epoch. Epoch 0's loss is measured before its step; epoch 1
    // (lr 0) measures the stepped weights: an improvement, the best. Epochs 2
    // and 3 repeat it exactly (wait 1, then 2 > patience) → stop after epoch 3.
    expect(history.epoch).toEqual([0, 1, 2, 3]);
    expect(history.loss[1]!).toBeLessThan(history.loss[0]!);
    expect(history.loss[3]).toBe(history.loss[1]);
    expect(stopper.stoppedEpoch).toBe(3);
    expect(stopper.bestEpoch).toBe(1);
    expect(model.weight.item()).toBe(bestWeight);
  });

  it('names the missing figure', async () => {
    const { x, y } = line(8);
    const model = new nn.Dense(1, 1);
    await expect(train.fit(model, { x, y }, {
      loss: losses.mseLoss, optimizer: new optim.SGD(model.parameters(), { lr: 0.1 }), callbacks: [train.earlyStopping()], ...quiet,
    })).rejects.toThrow("earlyStopping: the logs have no 'valLoss' (they have loss)");
  });
});

describe('evaluate and predict', () => {
  it('evaluate reports loss and metrics over all batches, in eval mode', () => {
    const model = new nn.Sequential(new nn.Dense(2, 2), new nn.Dropout(0.9));
    model.loadStateDict({ '0.weight': tensor([[1, 0], [0, 1]]), '0.bias': tensor([0, 0]) });
    // predictions = argmax of x itself: rows 0 and 2 are right, row 1 wrong → 2/3
    const x = tensor([[1, 0], [1, 0], [0, 1]]);
    const labels = Int32Array.from([0, 1, 1]);
    const result = train.evaluate(model, { x, y: labels }, { loss: losses.crossEntropy, metrics: ['accuracy'], batchSize: 2 });
    expect(result.metrics['accuracy']).toBeCloseTo(2 / 3, 10);
    expect(result.loss).toBeCloseTo(losses.crossEntropy(x, labels).item(), 6);
    expect(model.training).toBe(true);
  });

  it('predict batches in eval mode without a graph and matches one forward pass', () => {
    manualSeed(5);
    const model = new nn.Sequential(new nn.Dense(3, 4), new nn.Dropout(0.5), new nn.Dense(4, 2));
    const x = randn([10, 3]);
    const out = train.predict(model, x, { batchSize: 3 });
    model.eval();
    expect(out).toBeAllClose(model.forward(x));
    expect(out.requiresGrad).toBe(false);
  });
});

describe('metrics', () => {
  it('accuracy takes labels, one-hot rows, or a single probability column', () => {
    const logits = tensor([[0.1, 0.9], [0.8, 0.2], [0.3, 0.7]]);
    expect(train.accuracy.update(logits, Int32Array.from([1, 0, 0]))).toEqual({ total: 2, count: 3 });
    expect(train.accuracy.update(logits, tensor([[0, 1], [1, 0], [0, 1]]))).toEqual({ total: 3, count: 3 });
    expect(train.accuracy.update(tensor([[0.9], [0.2]]), tensor([[1], [1]]))).toEqual({ total: 1, count: 2 });
  });

  it('binaryAccuracy thresholds at 0.5 and mae averages |output − target|', () => {
    expect(train.binaryAccuracy.update(tensor([0.6, 0.4, 0.51]), [1, 1, 0])).toEqual({ total: 1, count: 3 });
    expect(train.mae.update(tensor([1, 2, 4]), tensor([1, 3, 2]))).toEqual({ total: 3, count: 3 });
  });

  it('binaryAccuracyAt(0) scores logits as binaryAccuracy scores their sigmoids', () => {
    const logits = tensor([2.5, -0.1, 0.3, -4, 0]);
    const labels = [1, 1, 0, 0, 0];
    const atZero = train.binaryAccuracyAt(0);
    expect(atZero.name).toBe('binaryAccuracy');
    expect(atZero.update(logits, labels)).toEqual({ total: 3, count: 5 });
    expect(atZero.update(logits, labels)).toEqual(train.binaryAccuracy.update(logits.sigmoid(), labels));
    // The default 0.5 misreads logits: 0.3 (σ = 0.57, a 1) counts as a 0.
    expect(train.binaryAccuracy.update(logits, labels)).toEqual({ total: 4, count: 5 });
    expect(train.binaryAccuracyAt(0.9).update(tensor([0.95, 0.8]), [1, 1])).toEqual({ total: 1, count: 2 });
    for (const bad of [Number.NaN, Infinity, '0' as unknown as number]) {
      expect(() => train.binaryAccuracyAt(bad)).toThrow(/binaryAccuracyAt: expected a finite threshold, got/);
    }
    expect(() => atZero.update(logits, [1, 0])).toThrow(/binaryAccuracy: 5 predictions but 2 targets/);
  });
});
