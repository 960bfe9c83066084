/**
 * Runs every README code block that is followed by "prints" and a text
 * block, and compares what it prints with that text, so the README cannot
 * drift from the code. `tensorgrad` imports are pointed at src/.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it, vi } from 'vitest';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const examples = [...readme.matchAll(/^## (.+)\n+```ts\n([\s\S]*?)```\s+prints\s+```text\n([\s\S]*?)```/gm)];
const source = (name: string) => fileURLToPath(new URL(`../src/${name}`, import.meta.url));
const scratch: URL[] = [];

afterAll(() => scratch.forEach((file) => rmSync(file, { force: true })));

it('README has runnable examples', () => {
  expect(examples.map((m) => m[1])).toEqual(['Example', 'Training']);
});

it.each(examples.map((m) => [m[1]!, m[2]!, m[3]!] as const))('README "%s" prints what the README says', async (section, code, expected) => {
  const file = new URL(`./.readme-${section.toLowerCase()}.ts`, import.meta.url);
  scratch.push(file);
  writeFileSync(file, code.replace(/from 'tensorgrad\/node'/g, `from '${source('node/index.ts')}'`).replace(/from 'tensorgrad'/g, `from '${source('index.ts')}'`));
  const printed: string[] = [];
  const spy = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => { printed.push(args.join(' ')); });
  try {
    await import(/* @vite-ignore */ `${file.href}?t=${Date.now()}`);
  } finally {
    spy.mockRestore();
  }
  expect(printed.join('\n')).toBe(expected.trimEnd());
});
