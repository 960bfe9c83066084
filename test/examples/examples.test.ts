/**
 * Every example runs on a small budget (a subset of the data, two short
 * epochs) and its loss falls; the tiny ones also reach their result.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { main as autogradBasics } from '../../examples/autograd-basics.js';
import { main as binaryClassifier } from '../../examples/binary-classifier.js';
import { main as lstmSine } from '../../examples/lstm-sine.js';
import { main as mnistCnn } from '../../examples/mnist-cnn.js';
import { main as mnistMlp } from '../../examples/mnist-mlp.js';
import { main as mnistRmsprop } from '../../examples/mnist-rmsprop.js';
import { main as xor } from '../../examples/xor.js';

const out = mkdtempSync(join(tmpdir(), 'tensorgrad-examples-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

/** Runs `run` with console.log and stdout captured. */
async function quietly<T>(run: () => T | Promise<T>): Promise<{ value: T; printed: string[] }> {
  const printed: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => { printed.push(args.join(' ')); });
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  return { value: await run(), printed };
}

const small = ['--epochs', '2', '--limit', '1000', '--test-limit', '500'];

describe('MNIST examples (1000 training images, 2 epochs)', () => {
  it('mnist-mlp: loss falls, test accuracy is reported', async () => {
    const { value, printed } = await quietly(() => mnistMlp(small));
    expect(value.history.loss[1]!).toBeLessThan(value.history.loss[0]!);
    expect(printed.at(-1)).toMatch(/^test loss \d\.\d{4}, test accuracy \d+\.\d\d%$/);
  });

  it('mnist-cnn: loss falls and the weights are saved', async () => {
    const file = join(out, 'lenet.safetensors');
    const { value, printed } = await quietly(() => mnistCnn([...small, '--out', file]));
    expect(value.history.loss[1]!).toBeLessThan(value.history.loss[0]!);
    expect(printed).toContain(`saved the weights to ${file}`);
    expect(printed.at(-1)).toMatch(/^test loss \d\.\d{4}, test accuracy \d+\.\d\d%, \d+s in all$/);
  });

  it('mnist-rmsprop: loss falls on one-hot targets', async () => {
    const { value } = await quietly(() => mnistRmsprop(small));
    expect(value.history.loss[1]!).toBeLessThan(value.history.loss[0]!);
    expect(value.test.metrics['accuracy']!).toBeGreaterThan(0.7);
  });
});

describe('small examples', () => {
  it('binary-classifier: loss falls and it separates the classes', async () => {
    const { value, printed } = await quietly(() => binaryClassifier(['--epochs', '10', '--samples', '400']));
    expect(value.history.loss.at(-1)!).toBeLessThan(value.history.loss[0]!);
    expect(value.test.metrics['binaryAccuracy']!).toBeGreaterThan(0.8);
    expect(printed.at(-1)).toMatch(/test accuracy \d+\.\d%$/);
  });

  it('lstm-sine: loss falls and it beats the naive baseline', async () => {
    const { value, printed } = await quietly(() => lstmSine(['--epochs', '3', '--windows', '200']));
    expect(value.history.loss.at(-1)!).toBeLessThan(value.history.loss[0]!);
    expect(value.test.loss!).toBeLessThan(value.naiveMse);
    expect(printed.at(-1)).toMatch(/× lower\)$/);
  });

  it('xor: the loss falls and the network learns XOR', async () => {
    const short = await quietly(() => xor(['--epochs', '20']));
    const { value, printed } = await quietly(() => xor(['--epochs', '600']));
    expect(value.loss).toBeLessThan(short.value.loss);
    expect(value.accuracy).toBe(1);
    expect(printed.at(-1)).toMatch(/^final loss \d\.\d{4}, accuracy 100% \(4\/4\)$/);
  });

  it('xor: the same seed gives the same run', async () => {
    const a = await quietly(() => xor(['--epochs', '50', '--seed', '3']));
    const b = await quietly(() => xor(['--epochs', '50', '--seed', '3']));
    expect(a.printed).toEqual(b.printed);
  });

  it('autograd-basics: prints the tour and a passing gradcheck', async () => {
    const { printed } = await quietly(() => autogradBasics());
    expect(printed).toContain('d(Σx²)/dx = tensor([2., 4., 6.])  (2x)');
    expect(printed.at(-1)).toMatch(/^gradcheck of a softmax: ok/);
  });
});
