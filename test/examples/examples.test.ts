/**
 * Every example runs on a small budget, and the training ones learn.
 */
import { afterEach, expect, it, vi } from 'vitest';
import { main as autogradBasics } from '../../examples/autograd-basics.js';
import { main as xor } from '../../examples/xor.js';

afterEach(() => vi.restoreAllMocks());

function quietly<T>(run: () => T): { value: T; printed: string[] } {
  const printed: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => { printed.push(args.join(' ')); });
  return { value: run(), printed };
}

it('xor: the loss falls and the network learns XOR', () => {
  const short = quietly(() => xor(['--epochs', '20']));
  const { value, printed } = quietly(() => xor(['--epochs', '600']));
  expect(value.loss).toBeLessThan(short.value.loss);
  expect(value.accuracy).toBe(1);
  expect(printed.at(-1)).toMatch(/^final loss \d\.\d{4}, accuracy 100% \(4\/4\)$/);
});

it('xor: the same seed gives the same run', () => {
  const a = quietly(() => xor(['--epochs', '50', '--seed', '3']));
  const b = quietly(() => xor(['--epochs', '50', '--seed', '3']));
  expect(a.printed).toEqual(b.printed);
});

it('autograd-basics: prints the tour and a passing gradcheck', () => {
  const { printed } = quietly(() => autogradBasics());
  expect(printed).toContain('d(Σx²)/dx = tensor([2., 4., 6.])  (2x)');
  expect(printed.at(-1)).toMatch(/^gradcheck of a softmax: ok/);
});
