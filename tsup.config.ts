import { defineConfig } from 'tsup';

// Two entry points: the portable core (no `node:*` imports, bundles for a
// browser unchanged) and the Node-only helpers behind `tensorgrad/node`.
export default defineConfig({
  entry: { index: 'src/index.ts', 'node/index': 'src/node/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  platform: 'neutral',
  // Shared chunks: tensorgrad/node must use the same Tensor class (and RNG) as
  // the main entry, not a bundled copy, or instanceof checks fail across them.
  splitting: true,
  treeshake: true,
});
