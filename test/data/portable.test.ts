/**
 * The data layer belongs to the main entry point, which must bundle for a
 * browser unchanged: nothing reachable from src/data/index.ts may import a
 * Node built-in (`node:*`, `fs`, `zlib`, `path`, …).
 */
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const builtins = new Set(builtinModules);

/** Every module specifier imported (statically or dynamically) by a TypeScript file, comments aside. */
function specifiers(text: string): string[] {
  const source = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
  const found: string[] = [];
  // Statements start a line; the same words inside an error message's string do not.
  const pattern = /^\s*(?:import|export)\s[^;]*?from\s*['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s*['"]([^'"]+)['"]/gm;
  for (const match of source.matchAll(pattern)) found.push((match[1] ?? match[2] ?? match[3])!);
  return found;
}

describe('src/data is portable', () => {
  it('imports no Node built-in, directly or through what it imports', () => {
    const start = resolve(here, '../../src/data/index.ts');
    const seen = new Set<string>();
    const offenders: string[] = [];
    const visit = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const specifier of specifiers(readFileSync(file, 'utf8'))) {
        if (specifier.startsWith('.')) visit(resolve(dirname(file), specifier.replace(/\.js$/, '.ts')));
        else if (specifier.startsWith('node:') || builtins.has(specifier.split('/')[0]!)) offenders.push(`${file}: ${specifier}`);
        else offenders.push(`${file}: imports the package ${specifier}`); // no runtime dependencies either
      }
    };
    visit(start);
    expect(offenders).toEqual([]);
    // The walk did reach the data files and the tensor layer behind them.
    expect([...seen].some((f) => f.endsWith('src/data/idx.ts'))).toBe(true);
    expect([...seen].some((f) => f.endsWith('src/tensor/tensor.ts'))).toBe(true);
  });
});
