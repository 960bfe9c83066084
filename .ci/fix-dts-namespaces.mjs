// Post-build fix for the bundled declarations (run by `npm run build` after tsup).
//
// tsup's declaration bundler (rollup-plugin-dts 6.1, vendored in tsup 8.5)
// writes each `export * as nn from './nn/index.js'` as a namespace of aliases:
// `type nn_Dense = Dense; declare const nn_Dense: typeof Dense;`. For a member
// that lives in the declaration chunk shared with `tensorgrad/node` (Module,
// Parameter, IdxFormatError, Callback, LoadMnistOptions, …) it only sees an
// imported name and always writes `declare const nn_Module: typeof Module;`:
// `nn.Module` is then no type, and for type-only members (`data.IdxFiles`,
// `train.Callback`, …) the shipped .d.ts does not compile (TS2693, visible to
// every consumer without skipLibCheck). Each such line becomes an import of
// the same chunk export under the alias's name,
// `import { M as nn_Module } from './progress-….js';`, which carries every
// meaning of the name (value, type, generics). test/package/pack.mjs
// type-checks the result.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
let fixed = 0;
for (const entry of readdirSync(dist, { recursive: true })) {
  const file = join(dist, String(entry));
  if (!/\.d\.c?ts$/.test(file)) continue;
  const text = readFileSync(file, 'utf8');
  const imported = new Map(); // local name → { from, name } of its import specifier
  for (const [, specifiers, from] of text.matchAll(/^import \{([^}]*)\} from ('[^']+');$/gm)) {
    for (const specifier of specifiers.split(',')) {
      const [name, local = name] = specifier.trim().replace(/^type\s+/, '').split(/\s+as\s+/);
      if (name) imported.set(local, { from, name });
    }
  }
  let count = 0;
  const out = text.replace(/^declare const ([\w$]+): typeof ([\w$]+);$/gm, (line, alias, local) => {
    const source = imported.get(local);
    if (!source) return line;
    count += 1;
    return `import { ${source.name} as ${alias} } from ${source.from};`;
  });
  if (count > 0) writeFileSync(file, out);
  fixed += count;
}
console.log(`fix-dts-namespaces: ${fixed} namespace members aliased to imported declarations`);
