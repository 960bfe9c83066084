// Bundle test: browser apps that import 'tensorgrad' from the installed
// tarball (as a user's project would) build with esbuild and with Vite for the
// browser, with no polyfills and no Node built-ins; tree-shaking drops what an
// app does not use; the whole library stays under 60 KB min+gzip. Prints a
// size table (min and min+gzip, gzip level 9).
//
//   npm run build && node test/package/bundle.mjs      (KEEP_TMP=1 keeps the temp project)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';
import * as vite from 'vite';
import { check, main, ok, packAndInstall, repoRoot, step, trainLinearProgram } from './lib.mjs';

const WHOLE_LIBRARY_LIMIT = 60 * 1024; // min+gzip
// Tree-shaking limits, on min+gzip sizes (app A: tensor + matmul; B: nn + optim + losses)
const A_OVER_WHOLE_LIMIT = 0.5; // both bundlers
const A_OVER_B_LIMIT = 0.6; // esbuild, which keeps a used namespace whole
const B_OVER_WHOLE_LIMIT_VITE = 0.6; // Vite, which keeps only the namespace members used

const apps = {
  // A: tensors and one matmul, nothing else
  'tensor-matmul': `import { matmul, tensor } from 'tensorgrad';
const a = tensor([[1, 2], [3, 4]]);
const out = matmul(a, a.transpose(0, 1));
console.log('A ' + Array.from(out.data).join(','));
`,
  // B: a layer, an optimizer and a loss: trains y = 2·x₁ − 3·x₂ + 0.5
  'nn-optim-losses': `import { losses, manualSeed, nn, optim, randn, tensor } from 'tensorgrad';
${trainLinearProgram('Adam', 2)}console.log('B loss ' + first.toFixed(3) + ' -> ' + last.toFixed(4));
`,
  // the whole library: every export kept
  'whole library': `import * as tg from 'tensorgrad';
console.log('all ' + Object.keys(tg).length + ' exports');
`,
};
// Negative control: tensorgrad/node must be refused, proving the guards work.
const nodeApp = `import { saveModel } from 'tensorgrad/node';
console.log(typeof saveModel);
`;

const nodeBuiltin = (id) => {
  const bare = id.replace(/^node:/, '');
  return id.startsWith('node:') || builtinModules.includes(bare) || builtinModules.includes(bare.split('/')[0]);
};
/** Node-only references that must not appear in a browser bundle. */
const forbiddenInOutput = [
  [/["'`]node:[a-z]/, 'a node:* specifier'],
  [/\brequire\s*\(/, 'require('],
  [/__vite-browser-external/, "Vite's stub for a Node built-in"],
  [/\b__dirname\b|\b__filename\b/, '__dirname/__filename'],
  [/\bprocess\.(env|versions|platform|argv|cwd|stdout)\b/, 'process.*'],
  [/\bBuffer\.(from|alloc|concat)\b/, 'Buffer'],
];
function assertBrowserClean(code, label) {
  for (const [pattern, what] of forbiddenInOutput) {
    const match = code.match(pattern);
    check(!match, `${label}: the bundle references ${what}: …${match && code.slice(Math.max(0, match.index - 60), match.index + 60)}…`);
  }
}

/** esbuild for the browser; a plugin fails the build on any Node built-in. */
async function buildWithEsbuild(entry, project) {
  const refused = [];
  const guard = {
    name: 'no-node-builtins',
    setup(build) {
      build.onResolve({ filter: /.*/ }, (args) => {
        if (!nodeBuiltin(args.path)) return undefined;
        refused.push(`${args.path} (from ${args.importer.replace(`${project}/`, '')})`);
        return { errors: [{ text: `Node built-in "${args.path}" in a browser bundle` }] };
      });
    },
  };
  try {
    const result = await esbuild.build({
      entryPoints: [entry], absWorkingDir: project, bundle: true, platform: 'browser', format: 'esm',
      minify: true, write: false, metafile: true, logLevel: 'silent', plugins: [guard],
    });
    return { code: result.outputFiles[0].text, inputs: Object.keys(result.metafile.inputs), refused };
  } catch (error) {
    return { error, refused };
  }
}

/** Vite (Rolldown) production build of an index.html app; a plugin fails it on any Node built-in. */
async function buildWithVite(appDir) {
  const refused = [];
  const guard = {
    name: 'no-node-builtins',
    enforce: 'pre',
    resolveId(id, importer) {
      if (!nodeBuiltin(id)) return null;
      refused.push(`${id} (from ${importer})`);
      this.error(`Node built-in "${id}" in a browser bundle`);
    },
  };
  try {
    const result = await vite.build({
      root: appDir, configFile: false, envFile: false, logLevel: 'silent', plugins: [guard],
      build: { write: false, minify: true, modulePreload: { polyfill: false }, reportCompressedSize: false },
    });
    const outputs = (Array.isArray(result) ? result : [result]).flatMap((r) => r.output);
    const chunks = outputs.filter((o) => o.type === 'chunk');
    return { code: chunks.map((c) => c.code).join('\n'), inputs: chunks.flatMap((c) => c.moduleIds), refused };
  } catch (error) {
    return { error, refused };
  }
}

const sizes = (code) => ({ min: Buffer.byteLength(code), gzip: gzipSync(code, { level: 9 }).length });
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

await main('bundle test', async () => {
  step('npm pack + install the tarball into a fresh project (the bundlers resolve tensorgrad from its node_modules)');
  check(existsSync(join(repoRoot, 'dist/index.js')), 'dist/ is missing: run `npm run build` first');
  const { project } = packAndInstall();
  ok(`esbuild ${esbuild.version}, vite ${vite.version} (rolldown ${vite.rolldownVersion}); project ${project}`);
  const write = (name, source) => {
    const dir = join(project, name.replace(/\W+/g, '-'));
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'main.js'), source);
    writeFileSync(join(dir, 'index.html'), '<!doctype html>\n<title>app</title>\n<script type="module" src="./main.js"></script>\n');
    return dir;
  };

  const table = [];
  for (const [name, source] of Object.entries(apps)) {
    step(`app "${name}": esbuild (browser, esm, minify) and vite build`);
    const dir = write(name, source);
    const row = { name };
    for (const [bundler, built] of [
      ['esbuild', await buildWithEsbuild(join(dir, 'main.js'), project)],
      ['vite', await buildWithVite(dir)],
    ]) {
      check(!built.error, `${bundler} failed on "${name}"${built.refused.length ? ` (Node built-ins: ${built.refused.join(', ')})` : ''}:\n${built.error?.message}`);
      const fromPackage = built.inputs.filter((id) => id.includes('node_modules/tensorgrad/'));
      // The package's ESM build (dist/**/*.js, never .cjs nor dist/node/)
      const wrong = fromPackage.filter((id) => !/node_modules\/tensorgrad\/dist\/[\w/.-]+\.js$/.test(id) || id.includes('/dist/node/'));
      check(fromPackage.length > 0 && wrong.length === 0,
        `${bundler} "${name}": expected the package's ESM dist files, got ${wrong.join(', ') || 'nothing from node_modules/tensorgrad'}`);
      assertBrowserClean(built.code, `${bundler} "${name}"`);
      // The minified bundle runs too (it touches no browser-only API).
      const bundleFile = join(dir, `${bundler}.bundle.mjs`);
      writeFileSync(bundleFile, built.code);
      const printed = execFileSync(process.execPath, [bundleFile], { encoding: 'utf8' }).trim();
      row[bundler] = sizes(built.code);
      ok(`${bundler}: ${kb(row[bundler].min)} min, ${kb(row[bundler].gzip)} min+gzip, ${fromPackage.length} modules of tensorgrad/dist/ in the graph; runs: ${printed}`);
    }
    table.push(row);
  }

  step('negative control: an app importing tensorgrad/node must be refused by both guards');
  const nodeDir = write('node-only', nodeApp);
  const viaEsbuild = await buildWithEsbuild(join(nodeDir, 'main.js'), project);
  check(viaEsbuild.error && viaEsbuild.refused.length > 0, 'esbuild bundled tensorgrad/node for the browser: the guard does not work');
  const viaVite = await buildWithVite(nodeDir);
  check(viaVite.error && viaVite.refused.length > 0, 'vite bundled tensorgrad/node for the browser: the guard does not work');
  ok(`both refused it (esbuild: ${viaEsbuild.refused.slice(0, 3).join(', ')}, …)`);

  step('size table (min / min+gzip level 9) and limits');
  const [a, b, all] = table;
  const line = (cells) => `    | ${cells.join(' | ')} |`;
  console.log(line(['app', 'esbuild min', 'esbuild min+gzip', 'vite min', 'vite min+gzip']));
  console.log(line(['---', '---:', '---:', '---:', '---:']));
  for (const row of table) console.log(line([row.name, kb(row.esbuild.min), kb(row.esbuild.gzip), kb(row.vite.min), kb(row.vite.gzip)]));
  for (const bundler of ['esbuild', 'vite']) {
    const [sa, sb, sall] = [a, b, all].map((row) => row[bundler].gzip);
    const pct = (x, y) => `${((100 * x) / y).toFixed(0)}%`;
    check(sall < WHOLE_LIBRARY_LIMIT, `${bundler}: the whole library is ${kb(sall)} min+gzip (limit ${kb(WHOLE_LIBRARY_LIMIT)})`);
    check(sa < sb && sa < A_OVER_WHOLE_LIMIT * sall, `${bundler}: tensor+matmul (${kb(sa)}) must be smaller than nn+optim+losses (${kb(sb)}) and < ${100 * A_OVER_WHOLE_LIMIT}% of the whole library (${kb(sall)}): tree-shaking is not working`);
    // esbuild keeps a namespace (nn, optim, losses) whole once an app uses it,
    // so app B carries every layer and optimizer; Rolldown (Vite) keeps only
    // the members used, which makes B nearly as small as A.
    if (bundler === 'esbuild') check(sa < A_OVER_B_LIMIT * sb, `esbuild: tensor+matmul is ${pct(sa, sb)} of nn+optim+losses (limit ${100 * A_OVER_B_LIMIT}%)`);
    else check(sb < B_OVER_WHOLE_LIMIT_VITE * sall, `vite: nn+optim+losses is ${pct(sb, sall)} of the whole library (limit ${100 * B_OVER_WHOLE_LIMIT_VITE}%)`);
    ok(`${bundler}: whole library ${kb(sall)} (< ${kb(WHOLE_LIBRARY_LIMIT)}); A = ${pct(sa, sb)} of B${bundler === 'esbuild' ? ` (< ${100 * A_OVER_B_LIMIT}%)` : ''}, ${pct(sa, sall)} of the whole (< ${100 * A_OVER_WHOLE_LIMIT}%)${bundler === 'vite' ? `; B = ${pct(sb, sall)} of the whole (< ${100 * B_OVER_WHOLE_LIMIT_VITE}%)` : ''}`);
  }
});
