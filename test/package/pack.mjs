// Package test: the tarball that `npm pack` makes (from a built dist/) installs
// into a fresh project with no access to src/, and works there as ESM, as CJS,
// through `tensorgrad/node`, and from strict TypeScript (NodeNext, Node16 and
// Bundler resolution) against the shipped .d.ts / .d.cts. Each consumer trains a tiny
// model and checks that its loss fell.
//
//   npm run build && node test/package/pack.mjs      (KEEP_TMP=1 keeps the temp project)
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { check, main, ok, packAndInstall, repoRoot, run, step, trainLinearProgram } from './lib.mjs';

const node = process.execPath;
const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));

// Every consumer trains the same model: 50 SGD steps, loss must fall 10×.
const trainBody = trainLinearProgram('SGD', 10);

const esmConsumer = `import { losses, manualSeed, nn, optim, randn, tensor } from 'tensorgrad';
const where = import.meta.resolve('tensorgrad');
if (!where.includes('/node_modules/tensorgrad/dist/')) throw new Error('resolved to ' + where);
${trainBody}
console.log(\`ESM: \${where.replace(/^.*node_modules\\//, '')}, loss \${first.toFixed(3)} -> \${last.toExponential(1)}\`);
`;

const cjsConsumer = `'use strict';
const { losses, manualSeed, nn, optim, randn, tensor } = require('tensorgrad');
const node = require('tensorgrad/node');
const where = require.resolve('tensorgrad');
if (!where.includes('/node_modules/tensorgrad/dist/')) throw new Error('resolved to ' + where);
if (typeof node.saveModel !== 'function') throw new Error('tensorgrad/node has no saveModel under require');
${trainBody}
console.log(\`CJS: \${where.replace(/^.*node_modules\\//, '')}, loss \${first.toFixed(3)} -> \${last.toExponential(1)}\`);
`;

const nodeConsumer = `import { nn, randn, Tensor } from 'tensorgrad';
import { loadModel, saveModel } from 'tensorgrad/node';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { losses, manualSeed, optim, tensor } from 'tensorgrad';
${trainBody}
const dir = await mkdtemp(join(tmpdir(), 'tensorgrad-model-'));
const file = join(dir, 'tiny.safetensors');
try {
  await saveModel(model, file, { steps: '50' });
  manualSeed(1);
  const copy = new nn.Sequential(new nn.Dense(2, 1));
  const probe = randn([5, 2]);
  const before = Array.from(copy.forward(probe).data);
  const { metadata, missingKeys, unexpectedKeys } = await loadModel(copy, file);
  const want = Array.from(model.forward(probe).data);
  const got = copy.forward(probe);
  if (!(got instanceof Tensor)) throw new Error('tensorgrad/node and tensorgrad disagree on Tensor');
  if (JSON.stringify(Array.from(got.data)) !== JSON.stringify(want)) throw new Error(\`loaded model differs: \${got.data} vs \${want}\`);
  if (JSON.stringify(before) === JSON.stringify(want)) throw new Error('the copy matched before loading: the test proves nothing');
  if (metadata.steps !== '50' || missingKeys.length + unexpectedKeys.length > 0) throw new Error('metadata/keys: ' + JSON.stringify({ metadata, missingKeys, unexpectedKeys }));
  for (const [key, value] of Object.entries(model.stateDict())) {
    const loaded = copy.stateDict()[key];
    if (JSON.stringify(Array.from(loaded.data)) !== JSON.stringify(Array.from(value.data))) throw new Error('differs: ' + key);
  }
  console.log(\`node: saveModel/loadModel round trip of \${Object.keys(model.stateDict()).join(', ')} exact, metadata kept\`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
`;

// Strict TypeScript: real types (not any), checked against the shipped d.ts.
const tsBody = trainBody
  .replace('const x = randn', 'const x: Tensor = randn')
  .replace('let last = first;', 'let last: number = first;');
const typeOnlyChecks = `
// Never called: compile-time proof that the shipped types are precise, not any.
export function typeOnly(model: nn.Module, x: Tensor): void {
  // @ts-expect-error the learning rate is a number
  new optim.SGD(model.parameters(), { lr: '0.1' });
  // @ts-expect-error forward returns a Tensor
  const n: number = model.forward(x);
  // @ts-expect-error mseLoss takes tensors
  losses.mseLoss(x, [1, 2]);
  void n;
}
// Classes and type-only members of the namespaces are usable as types.
export type NamespaceTypes = [nn.Module, nn.Dense, nn.LoadStateDictOptions, optim.SGD, data.IdxFiles<string>, data.IdxFormatError, train.Callback, train.FitOptions];
`;
const tsConsumer = `import { losses, manualSeed, nn, optim, randn, tensor, type Tensor, type data, type train } from 'tensorgrad';
import { saveModel, type LoadModelResult } from 'tensorgrad/node';
${tsBody}
${typeOnlyChecks}
const save: (module: nn.Module, path: string) => Promise<void> = saveModel;
const result: LoadModelResult | undefined = undefined;
void save; void result;
console.log(\`TS (\${import.meta.url.split('/').slice(-2).join('/')}): loss \${first.toFixed(3)} -> \${last.toExponential(1)}\`);
`;
// The same under CommonJS TypeScript (.cts → require → the .d.cts types).
const ctsConsumer = `import { losses, manualSeed, nn, optim, randn, tensor, type Tensor, type data, type train } from 'tensorgrad';
import { loadModel } from 'tensorgrad/node';
${tsBody}
${typeOnlyChecks}
const load: typeof loadModel = loadModel;
void load;
console.log(\`TS CJS (\${__filename.split('/').slice(-2).join('/')}): loss \${first.toFixed(3)} -> \${last.toExponential(1)}\`);
`;
// A browser app's file: only the main entry, DOM lib, no @types/node.
const browserConsumer = `import { matmul, nn, tensor, type Tensor } from 'tensorgrad';
const layer = new nn.Dense(2, 2);
const out: Tensor = matmul(tensor([[1, 2]]), layer.forward(tensor([[3, 4]])).transpose(0, 1));
document.title = String(out.item());
`;

function tsconfig(compilerOptions, files) {
  return `${JSON.stringify({
    compilerOptions: {
      strict: true,
      target: 'ES2022',
      skipLibCheck: false, // the shipped .d.ts must itself compile under strict
      // @types/node is not a dependency of the package; use the repo's copy for the Node consumers.
      typeRoots: [join(repoRoot, 'node_modules/@types')],
      ...compilerOptions,
    },
    files,
  }, null, 2)}\n`;
}

await main('package test', async () => {
  step(`npm pack ${manifest.name}@${manifest.version} (dist/ from npm run build) and install the tarball offline into a fresh project`);
  check(existsSync(join(repoRoot, 'dist/index.js')), 'dist/ is missing: run `npm run build` first');
  const { pack, project } = packAndInstall();
  ok(`${pack.filename}: ${(pack.size / 1024).toFixed(1)} KB packed, ${(pack.unpackedSize / 1024).toFixed(1)} KB unpacked, ${pack.entryCount} files`);
  ok(`installed into ${project}`);

  step('tarball file list: dist/, README.md, LICENSE, package.json and every exports/main/types target; no test/, bench/, node_modules/');
  const files = new Set(pack.files.map((f) => f.path));
  const targets = new Set(['package.json', 'README.md', 'LICENSE']);
  const collect = (value) => {
    if (typeof value === 'string') targets.add(value.replace(/^\.\//, ''));
    else if (value && typeof value === 'object') Object.values(value).forEach(collect);
  };
  collect(manifest.exports);
  collect([manifest.main, manifest.module, manifest.types]);
  const missing = [...targets].filter((path) => !files.has(path));
  check(missing.length === 0, `the tarball lacks ${missing.join(', ')}`);
  const forbidden = [...files].filter((path) => /^(test|bench|examples|node_modules|docs|\.ci)\//.test(path) || /\.test\.[cm]?[jt]s$/.test(path));
  check(forbidden.length === 0, `the tarball holds files it should not: ${forbidden.slice(0, 10).join(', ')}`);
  const byTop = {};
  for (const f of pack.files) {
    const top = f.path.includes('/') ? `${f.path.split('/')[0]}/` : f.path;
    byTop[top] = (byTop[top] ?? 0) + f.size;
  }
  ok(`${targets.size} required paths present; contents: ${Object.entries(byTop).map(([k, v]) => `${k} ${(v / 1024).toFixed(0)} KB`).join(', ')}`);

  step("ESM consumer: import { nn, optim, losses, tensor } from 'tensorgrad', train Dense(2→1) 50 steps");
  writeFileSync(join(project, 'esm.mjs'), esmConsumer);
  ok(run(node, ['esm.mjs'], project).trim());

  step("CJS consumer: require('tensorgrad') (and 'tensorgrad/node'), same training");
  writeFileSync(join(project, 'cjs.cjs'), cjsConsumer);
  ok(run(node, ['cjs.cjs'], project).trim());

  step("tensorgrad/node: saveModel → temp file → loadModel into a fresh model, outputs identical");
  writeFileSync(join(project, 'node.mjs'), nodeConsumer);
  ok(run(node, ['node.mjs'], project).trim());

  const require = createRequire(join(repoRoot, 'package.json'));
  const tsc = require.resolve('typescript/bin/tsc');
  const tsVersion = require('typescript/package.json').version;
  step(`TypeScript ${tsVersion} consumers, strict: NodeNext (.ts + .cts, skipLibCheck off, compiled and run), Node16 (.ts + .cts, skipLibCheck off), Bundler (skipLibCheck on), browser file (DOM lib, no @types/node)`);
  writeFileSync(join(project, 'train.ts'), tsConsumer);
  writeFileSync(join(project, 'train.cts'), ctsConsumer);
  writeFileSync(join(project, 'browser.ts'), browserConsumer);
  writeFileSync(join(project, 'tsconfig.nodenext.json'), tsconfig(
    { module: 'NodeNext', moduleResolution: 'NodeNext', lib: ['ES2022'], types: ['node'], outDir: 'out' },
    ['train.ts', 'train.cts'],
  ));
  // Node16 (TypeScript's resolution for Node 16+ without require(esm)): a .d.cts
  // that re-exported ESM declarations would fail here with TS1479, so this
  // proves the require condition's types are CommonJS all the way down.
  writeFileSync(join(project, 'tsconfig.node16.json'), tsconfig(
    { module: 'Node16', moduleResolution: 'Node16', lib: ['ES2022'], types: ['node'], noEmit: true },
    ['train.ts', 'train.cts'],
  ));
  writeFileSync(join(project, 'tsconfig.bundler.json'), tsconfig(
    // skipLibCheck on, as in Vite's templates: the consumer's own code must still check
    { module: 'ESNext', moduleResolution: 'Bundler', lib: ['ES2022', 'DOM'], types: ['node'], noEmit: true, skipLibCheck: true },
    ['train.ts'],
  ));
  writeFileSync(join(project, 'tsconfig.browser.json'), tsconfig(
    { module: 'ESNext', moduleResolution: 'Bundler', lib: ['ES2022', 'DOM'], types: [], noEmit: true },
    ['browser.ts'],
  ));
  // NodeNext compiles (to out/) with a resolution trace: train.ts must get the ESM types, train.cts the CJS ones.
  const traced = run(node, [tsc, '-p', 'tsconfig.nodenext.json', '--traceResolution'], project);
  ok('tsc -p tsconfig.nodenext.json: no errors');
  for (const [from, dts] of [['train.ts', 'dist/index.d.ts'], ['train.cts', 'dist/index.d.cts']]) {
    const pattern = new RegExp(`Module name 'tensorgrad' was successfully resolved to '[^']*node_modules/tensorgrad/${dts.replace('.', '\\.')}'`);
    const section = traced.split('======== Resolving module').find((s) => s.includes(`'tensorgrad' from '${join(project, from)}'`));
    check(section && pattern.test(section), `${from} did not resolve 'tensorgrad' to ${dts}:\n${section ?? '(no trace)'}`);
  }
  for (const config of ['tsconfig.node16.json', 'tsconfig.bundler.json', 'tsconfig.browser.json']) {
    run(node, [tsc, '-p', config], project);
    ok(`tsc -p ${config}: no errors`);
  }
  ok("NodeNext resolved 'tensorgrad' to dist/index.d.ts from .ts and dist/index.d.cts from .cts");
  ok(run(node, ['out/train.js'], project).trim());
  ok(run(node, ['out/train.cjs'], project).trim());
});
