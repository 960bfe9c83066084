/**
 * Node's training helpers: the progress printer (live and line modes) and
 * modelCheckpoint.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { losses, manualSeed, nn, optim, randn, train } from '../../src/index.js';
import { loadModel, modelCheckpoint, progressBar } from '../../src/node/index.js';

/** A stand-in for process.stdout that records what is written. */
function fakeStream(isTTY: boolean): { stream: NodeJS.WriteStream; output: () => string } {
  let text = '';
  const stream = { isTTY, write: (chunk: string) => { text += chunk; return true; } } as unknown as NodeJS.WriteStream;
  return { stream, output: () => text };
}

async function tinyFit(reporter: train.ProgressReporter, callbacks: train.Callback[] = [], epochs = 2) {
  manualSeed(0);
  const x = randn([40, 3]);
  const y = x.sum(1, true);
  const model = new nn.Dense(3, 1);
  await train.fit(model, { x, y }, {
    loss: losses.mseLoss, optimizer: new optim.SGD(model.parameters(), { lr: 0.05 }), epochs, batchSize: 10,
    validationSplit: 0.25, reporter, callbacks, seed: 0,
  });
  return model;
}

const dir = mkdtempSync(join(tmpdir(), 'tensorgrad-train-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('progressBar', () => {
  it('prints one plain line per epoch when not a TTY', async () => {
    const { stream, output } = fakeStream(false);
    await tinyFit(progressBar({ stream }));
    const lines = output().trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^epoch 2\/2 - \d+\.\ds - \d+ samples\/s - loss \d+\.\d{4} - valLoss \d+\.\d{4}$/);
    expect(output()).not.toContain('\r');
  });

  it('redraws a live bar with batches, ETA and samples/s on a TTY', async () => {
    const { stream, output } = fakeStream(true);
    await tinyFit(progressBar({ stream, intervalMs: 0, width: 10 }), [], 1);
    const text = output();
    expect(text).toContain('\r\x1b[2Kepoch 1/1 [==>       ] 1/3 - ETA ');
    expect(text).toContain('epoch 1/1 [==========] 3/3 - ETA 0s - loss ');
    expect(text).toMatch(/samples\/s\r\x1b\[2Kepoch 1\/1 - \d+\.\ds - \d+ samples\/s - loss \d+\.\d{4} - valLoss \d+\.\d{4}\n$/);
  });
});

describe('modelCheckpoint', () => {
  it('saves every epoch, naming files by epoch, with the figures as metadata', async () => {
    const checkpoint = modelCheckpoint({ path: join(dir, 'every-{epoch}.safetensors') });
    const model = await tinyFit({}, [checkpoint]);
    expect(checkpoint.saved.map((f) => f.slice(dir.length + 1))).toEqual(['every-1.safetensors', 'every-2.safetensors']);
    const copy = new nn.Dense(3, 1);
    const { metadata } = await loadModel(copy, checkpoint.saved[1]!);
    expect(copy.weight.data).toEqual(model.weight.data);
    expect(metadata['epoch']).toBe('2');
    expect(Number(metadata['valLoss'])).toBeGreaterThan(0);
  });

  it('with saveBestOnly, writes only when the monitored figure improves', async () => {
    const checkpoint = modelCheckpoint({ path: join(dir, 'best-{epoch}.safetensors'), saveBestOnly: true, monitor: 'loss' });
    await tinyFit({}, [checkpoint], 3);
    // SGD on a convex problem: the training loss improves every epoch here
    expect(checkpoint.saved).toHaveLength(3);
    expect(readdirSync(dir).filter((f) => f.startsWith('best-'))).toHaveLength(3);
    expect(() => modelCheckpoint({ path: '' })).toThrow('modelCheckpoint: path must be a non-empty string');
  });
});
