import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'tsup';

// Two entry points: the portable core (no `node:*` imports, bundles for a
// browser unchanged) and the Node-only helpers behind `tensorgrad/node`.
const entry = { index: 'src/index.ts', 'node/index': 'src/node/index.ts' };
const common = { target: 'es2022', platform: 'neutral', sourcemap: true } as const;

// The two builds below run concurrently and share dist/, so dist/ is emptied
// once here rather than by each build's `clean`. tsup writes no declarations:
// `npm run build` then runs tsc (.ci/build-types.mjs, tsconfig.build.json),
// one .d.ts per module for ESM and a CommonJS copy for the require condition.
rmSync(fileURLToPath(new URL('./dist', import.meta.url)), { recursive: true, force: true });

export default defineConfig([
  // ESM: one file per module, as tsc would write it, so that an app's bundler
  // tree-shakes what it does not use (`"sideEffects": false`). A bundled ESM
  // build turns `export * as nn` into runtime `__export(...)` calls that keep
  // every namespace alive. tensorgrad/node (dist/node/) imports the same
  // modules, so it shares the main entry's Tensor class.
  { ...common, entry: ['src/**/*.ts', '!src/kernels/wasm/assembly/**'], format: ['esm'], bundle: false },
  // CJS: bundled, with a shared chunk so that tensorgrad/node's require() uses
  // the same Tensor class (and RNG) as the main entry, not a bundled copy.
  { ...common, entry, format: ['cjs'], splitting: true, treeshake: true },
]);
