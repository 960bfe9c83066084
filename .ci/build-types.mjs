// Declarations for dist/, run by `npm run build` after tsup has written the
// JavaScript. (A build tool, so it lives under .ci/: src/ holds only code that
// runs in the package.)
//
// ESM (the "import" condition): `tsc -p tsconfig.build.json` writes one
// dist/**/*.d.ts (+ .d.ts.map into the shipped src/) next to each module that
// tsup's per-module ESM build writes, so `export * as nn from './nn/index.js'`
// stays what it is in the source and every namespace member keeps all its
// meanings (value, type, generics).
//
// CJS (the "require" condition): dist/index.cjs and dist/node/index.cjs need
// CommonJS-format types, and a .d.ts under this package's `"type": "module"`
// is ESM-format. A one-line dist/index.d.cts with `export * from './index.js'`
// would re-export ESM declarations from a CommonJS one, which TypeScript
// accepts only from 5.8 on and only under `module: nodenext`/`node20`; under
// `node16`/`node18`, or with TypeScript ≤ 5.7, a consumer with skipLibCheck
// off gets TS1479 ("the referenced file is an ECMAScript module and cannot be
// imported with 'require'") in our .d.cts. So the same declarations are
// emitted a second time into dist/cjs-types/, whose package.json says
// `"type": "commonjs"`: TypeScript takes a .d.ts's format from the nearest
// package.json, so that copy is CommonJS and a CJS→CJS re-export is valid in
// every mode. dist/index.d.cts and dist/node/index.d.cts (what "exports"
// names, beside index.cjs) re-export it. The two copies also match the
// runtime: a `require`d Tensor (dist/chunk-*.cjs) is not the class an
// `import`ed one is (dist/tensor/tensor.js), and the types say so, as the
// bundled .d.ts/.d.cts pair did before. test/package/pack.mjs type-checks
// both under NodeNext with skipLibCheck off.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const cjsTypes = 'dist/cjs-types';

/** Runs the repo's tsc with `args` in the repo root; its errors fail the build. */
function runTsc(args) {
  execFileSync(process.execPath, [tsc, ...args], { cwd: root, stdio: 'inherit' });
}

runTsc(['-p', 'tsconfig.build.json']);
runTsc(['-p', 'tsconfig.build.json', '--outDir', cjsTypes]);

/** Writes `text` to `path` (relative to the repo root), creating its folder. */
function write(path, text) {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}
write(`${cjsTypes}/package.json`, `${JSON.stringify({ type: 'commonjs' }, null, 2)}\n`);
write('dist/index.d.cts', "export * from './cjs-types/index.js';\n");
write('dist/node/index.d.cts', "export * from '../cjs-types/node/index.js';\n");
console.log(`build-types: dist/**/*.d.ts (ESM), ${cjsTypes}/**/*.d.ts (CJS) and dist/index.d.cts, dist/node/index.d.cts`);
