/**
 * Runs every ```ts block of the guides (docs/guides/*.md) as a module, so the
 * guides cannot drift from the code:
 * - a block that throws fails with its page, block number and line;
 * - a block followed by the word "prints" and a ```text block must print
 *   exactly that text (as `console.log` formats it);
 * - every block must type-check against src/ with the project's strict
 *   tsconfig (unused variables allowed). The check runs in a worker thread
 *   while the blocks run.
 * Blocks marked ```ts no-run are illustrative fragments and are skipped.
 *
 * `tensorgrad` / `tensorgrad/node` imports are pointed at src/. Each block is
 * written to a scratch file next to this test (test/.docs-*.ts, git-ignored,
 * removed afterwards) and runs with a fresh temporary folder as the working
 * directory, so the files a block saves land there.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format } from 'node:util';
import { Worker } from 'node:worker_threads';
import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';

interface Block {
  /** File name of the guide, e.g. `training.md`. */
  page: string;
  /** Position among the page's ```ts blocks, from 1. */
  number: number;
  /** Line of the opening fence in the page, from 1. */
  line: number;
  code: string;
  /** What the block must print, when the page says so. */
  expected: string | null;
  /** False for ```ts no-run. */
  runs: boolean;
}

const guides = new URL('../docs/guides/', import.meta.url);
const pages = readdirSync(guides).filter((name) => name.endsWith('.md')).sort();

function blocksOf(page: string): Block[] {
  const text = readFileSync(new URL(page, guides), 'utf8');
  // A fence may be indented (inside a list item); its contents are dedented by as much.
  const fence = /^([ \t]*)```ts([^\n]*)\n([\s\S]*?)^\1```[ \t]*$/gm;
  const blocks: Block[] = [];
  for (const match of text.matchAll(fence)) {
    const indent = match[1]!;
    const dedent = (lines: string) => lines.split('\n').map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l)).join('\n');
    const after = text.slice(match.index + match[0].length);
    const printed = /^\s*prints:?[ \t]*\n\s*```text\n([\s\S]*?)\n[ \t]*```/.exec(after);
    const flags = match[2]!.trim().split(/\s+/).filter(Boolean);
    for (const flag of flags) if (flag !== 'no-run') throw new Error(`${page}: unknown flag '${flag}' on a ts block`);
    blocks.push({
      page,
      number: blocks.length + 1,
      line: text.slice(0, match.index).split('\n').length,
      code: dedent(match[3]!),
      expected: printed ? dedent(printed[1]!).trimEnd() : null,
      runs: !flags.includes('no-run'),
    });
  }
  return blocks;
}

const blocks = pages.flatMap(blocksOf);
const runnable = blocks.filter((block) => block.runs);
const scratchOf = (block: Block) => new URL(`./.docs-${block.page.replace(/\.md$/, '')}-${block.number}.ts`, import.meta.url);
const label = (block: Block) => `${block.page} block ${block.number} (line ${block.line})`;

/** The block as a module with `tensorgrad` pointed at src/ (relative, so both vitest and tsc resolve it). */
function moduleSource(block: Block): string {
  const code = block.code
    .replace(/from 'tensorgrad\/node'/g, "from '../src/node/index.js'")
    .replace(/from 'tensorgrad'/g, "from '../src/index.js'");
  return `${code}\nexport {};\n`;
}

/** A diagnostic of one scratch file, as the worker reports it. */
interface Problem {
  file: string;
  /** 0-based line in the scratch file (= line in the block). */
  line: number;
  message: string;
}

/**
 * The type-check, run in a worker thread (CommonJS, given the files and
 * tsconfig): only the blocks' own diagnostics, since checking src/ is tsc's job.
 */
const TYPECHECK = `
const { parentPort, workerData } = require('node:worker_threads');
const ts = require(workerData.typescript);
const parsed = ts.getParsedCommandLineOfConfigFile(workerData.tsconfig, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic() {} });
const options = { ...parsed.options, noUnusedLocals: false, noUnusedParameters: false, noEmit: true };
const program = ts.createProgram(workerData.files, options);
const problems = workerData.files.flatMap((file) => {
  const source = program.getSourceFile(file);
  if (!source) return [{ file, line: 0, message: 'not found by the compiler' }];
  return [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)].map((d) => ({
    file,
    line: d.start === undefined ? 0 : source.getLineAndCharacterOfPosition(d.start).line,
    message: ts.flattenDiagnosticMessageText(d.messageText, '\\n'),
  }));
});
parentPort.postMessage(problems);
`;

const home = process.cwd();
let workdir = '';
let worker: Worker | null = null;
let typecheck: Promise<Problem[]> = Promise.resolve([]);

beforeAll(() => {
  for (const block of runnable) writeFileSync(scratchOf(block), moduleSource(block));
  workdir = mkdtempSync(join(tmpdir(), 'tensorgrad-docs-'));
  const running = new Worker(TYPECHECK, {
    eval: true,
    workerData: {
      typescript: createRequire(import.meta.url).resolve('typescript'),
      tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)),
      files: runnable.map((block) => fileURLToPath(scratchOf(block))),
    },
  });
  worker = running;
  typecheck = new Promise<Problem[]>((resolve, reject) => {
    running.once('message', resolve);
    running.once('error', reject);
    running.once('exit', (code) => reject(new Error(`the type-check worker exited with code ${code}`)));
  });
  typecheck.catch(() => {}); // reported by its test
});

afterAll(async () => {
  process.chdir(home);
  await worker?.terminate();
  for (const block of runnable) rmSync(scratchOf(block), { force: true });
  rmSync(workdir, { recursive: true, force: true });
});

afterEach(() => vi.restoreAllMocks());

it('every guide has runnable code, and few blocks are marked no-run', () => {
  expect(pages.length).toBeGreaterThanOrEqual(8);
  for (const page of pages) expect(blocks.some((b) => b.page === page && b.runs), page).toBe(true);
  expect(blocks.length - runnable.length).toBeLessThanOrEqual(Math.ceil(blocks.length / 10));
});

it.each(runnable.map((block) => [label(block), block] as const))('%s runs', async (_, block) => {
  const printed: string[] = [];
  // util.format is how console.log prints (arrays as `[ 2, 3 ]`, tensors through their inspect hook).
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => { printed.push(format(...args)); });
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  process.chdir(workdir);
  try {
    await import(/* @vite-ignore */ `${scratchOf(block).href}?t=${Date.now()}`);
  } catch (error) {
    throw new Error(`${label(block)} threw: ${(error as Error).stack ?? String(error)}`);
  } finally {
    process.chdir(home);
  }
  if (block.expected !== null) expect(printed.join('\n'), `what ${label(block)} prints`).toBe(block.expected);
});

it('every block type-checks (strict)', async () => {
  const byFile = new Map(runnable.map((block) => [fileURLToPath(scratchOf(block)), block]));
  const problems = (await typecheck).map(({ file, line, message }) => {
    const block = byFile.get(file)!;
    return `${block.page}:${block.line + 1 + line} (block ${block.number}): ${message}`;
  });
  expect(problems).toEqual([]);
});
