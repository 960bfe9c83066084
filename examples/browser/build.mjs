/**
 * Builds the browser demo with esbuild: `main.ts` (the page) and `worker.ts`
 * (the model, tensorgrad's main entry) bundled for the browser platform —
 * which also proves that the main entry needs no `node:*` module — plus
 * `index.html`, into `examples/browser/dist/`.
 *
 *   npm run browser:build
 */
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));

/** Where the built page goes. */
export const distDir = join(here, 'dist');

/**
 * Bundles the page into `dist/` (minified ES2022 modules with source maps).
 * @param {{ quiet?: boolean }} [options] - `quiet`: print nothing
 * @returns {Promise<{ files: Record<string, number>, ms: number }>} each output file's size in bytes, and the build time
 * @throws when esbuild reports an error (a `node:*` import from the page's code is one)
 */
export async function build({ quiet = false } = {}) {
  const started = performance.now();
  await rm(distDir, { recursive: true, force: true });
  await mkdir(distDir, { recursive: true });
  const result = await esbuild.build({
    entryPoints: { main: join(here, 'main.ts'), worker: join(here, 'worker.ts') },
    outdir: distDir,
    bundle: true,
    format: 'esm', // the worker is a module worker: new Worker(url, { type: 'module' })
    platform: 'browser',
    target: 'es2022',
    minify: true,
    sourcemap: true,
    metafile: true,
    logLevel: quiet ? 'silent' : 'warning',
  });
  await copyFile(join(here, 'index.html'), join(distDir, 'index.html'));
  const files = {};
  for (const [file, { bytes }] of Object.entries(result.metafile.outputs)) {
    if (!file.endsWith('.map')) files[relative(distDir, file)] = bytes;
  }
  const ms = performance.now() - started;
  if (!quiet) {
    const sizes = Object.entries(files).map(([file, bytes]) => `${file} ${(bytes / 1024).toFixed(1)} KB`);
    console.log(`built the browser demo into ${relative(process.cwd(), distDir) || '.'}/ in ${ms.toFixed(0)} ms: ${sizes.join(', ')}`);
  }
  return { files, ms };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await build();
