// Shared by pack.mjs and bundle.mjs: `npm pack` the built repo and install the
// tarball into a fresh project in os.tmpdir(), the way a user gets tensorgrad.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

let stepNumber = 0;
/** Prints one numbered step line. */
export function step(text) {
  stepNumber += 1;
  console.log(`[${stepNumber}] ${text}`);
}

/** Prints a result line under the current step. */
export function ok(text) {
  console.log(`    ok: ${text}`);
}

/** Throws with a message when `condition` is false (plain `assert` with a readable line). */
export function check(condition, message) {
  if (!condition) throw new Error(message);
}

/** Runs a command, returns its stdout; on failure throws with its stdout and stderr. */
export function run(command, args, cwd) {
  try {
    return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
  } catch (error) {
    const lines = [error.stdout, error.stderr].filter(Boolean).join('\n').trim().split('\n');
    // Long outputs (tsc --traceResolution) are cut to their error lines.
    const errors = lines.filter((line) => /error/i.test(line));
    const shown = lines.length <= 60 ? lines : errors.length > 0 ? errors : lines.slice(-40);
    throw new Error(`${command} ${args.join(' ')} (in ${cwd}) failed:\n${shown.join('\n')}`);
  }
}

/** A fresh temporary folder; removed by `cleanup()` unless the run failed or KEEP_TMP is set. */
export function tempDir(prefix) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temporaries.push(dir);
  return dir;
}
const temporaries = [];

/**
 * Packs the repo (dist/ must be built) into a temp folder and installs the
 * tarball offline into a new, empty project next to it.
 * @returns {{ tarball: string, pack: object, project: string }} `pack` is npm's `--json` report
 */
export function packAndInstall() {
  const work = tempDir('tensorgrad-pack-');
  const [pack] = JSON.parse(run(npm, ['pack', '--json', '--pack-destination', work], repoRoot));
  const tarball = join(work, pack.filename);
  const project = join(work, 'consumer');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), `${JSON.stringify({ name: 'tensorgrad-consumer', version: '1.0.0', private: true, type: 'module' }, null, 2)}\n`);
  run(npm, ['install', tarball, '--offline', '--no-audit', '--no-fund', '--loglevel=error'], project);
  return { tarball, pack, project };
}

/** Runs `main`, prints PASS/FAIL, exits non-zero on failure (keeping temp folders to inspect). */
export async function main(name, body) {
  const started = performance.now();
  try {
    await body();
    if (!process.env.KEEP_TMP) for (const dir of temporaries) rmSync(dir, { recursive: true, force: true });
    console.log(`${name}: PASS (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  } catch (error) {
    console.error(`\n${name}: FAIL\n${error instanceof Error ? error.message : error}`);
    if (temporaries.length > 0) console.error(`(temporary files kept in ${temporaries.join(', ')})`);
    process.exitCode = 1;
  }
}

/**
 * The one training problem every consumer solves, as source text: fit
 * y = 2·x₁ − 3·x₂ + 0.5 with a Dense(2 → 1) for 50 steps and fail unless the
 * loss falls by `fall`×. Leaves `first` and `last` (the losses) in scope.
 * Needs `losses, manualSeed, nn, optim, randn, tensor` imported.
 * @param {string} optimizer - the optimizer class, e.g. 'SGD' or 'Adam'
 * @param {number} fall - how many times smaller the last loss must be
 * @returns {string} the program text
 */
export function trainLinearProgram(optimizer, fall) {
  return `
manualSeed(0);
const x = randn([64, 2]);
const y = x.matmul(tensor([[2], [-3]])).add(0.5);
const model = new nn.Sequential(new nn.Dense(2, 1));
const optimizer = new optim.${optimizer}(model.parameters(), { lr: 0.1 });
const first = losses.mseLoss(model.forward(x), y).item();
let last = first;
for (let step = 0; step < 50; step++) {
  optimizer.zeroGrad();
  const loss = losses.mseLoss(model.forward(x), y);
  loss.backward();
  optimizer.step();
  last = loss.item();
}
if (!(last < first / ${fall})) throw new Error('loss did not fall: ' + first + ' -> ' + last);
`;
}
