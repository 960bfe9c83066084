/**
 * Runs the README's example and compares what it prints with the text block
 * that follows it, so the README cannot drift from the code.
 */
import { readFileSync, writeFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it, vi } from 'vitest';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const example = /## Example\s+```ts\n([\s\S]*?)```\s+prints\s+```text\n([\s\S]*?)```/.exec(readme);
const scratch = new URL('./.readme-example.ts', import.meta.url);

afterAll(() => rmSync(scratch, { force: true }));

it('README example prints what the README says', async () => {
  expect(example, 'README needs "## Example", a ts block, "prints" and a text block').not.toBeNull();
  const [, code, expected] = example!;
  const source = code!.replace(/from 'tensorgrad'/g, `from '${fileURLToPath(new URL('../src/index.ts', import.meta.url))}'`);
  writeFileSync(scratch, source);
  const printed: string[] = [];
  const spy = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => { printed.push(args.join(' ')); });
  try {
    await import(/* @vite-ignore */ `${scratch.href}?t=${Date.now()}`);
  } finally {
    spy.mockRestore();
  }
  expect(printed.join('\n')).toBe(expected!.trimEnd());
});
