/**
 * Benchmark entry point (`npm run bench`).
 *
 * Usage:
 * ```
 * npm run bench                    # every suite, full sizes
 * npm run bench -- gemm            # only suites whose name contains "gemm"
 * npm run bench -- --quick         # fewer sizes and repetitions (CI smoke run)
 * npm run bench -- --no-tfjs       # tensorgrad only, without loading tfjs
 * npm run bench -- --threads 2     # tensorgrad's wasm kernels on 2 threads
 * ```
 *
 * tfjs is loaded before any timing, so every measurement runs in the same
 * V8 state (see the NOTE in `tfjs.ts` on why loading it slows all
 * typed-array code in the process).
 *
 * Prints the machine, then one table: median milliseconds per call for
 * tensorgrad, tfjs-cpu and tfjs-wasm, and tfjs/tensorgrad ratios (above 1
 * means tensorgrad is faster).
 *
 * @module
 */

import { formatTable, machineInfo, makeConfig, type BenchRow, type BenchSuite } from './harness.js';
import { getThreads, setThreads } from '../src/node/threads.js';

/**
 * Suites load lazily, so one that fails to import (e.g. the tensor API is
 * mid-rewrite) cannot stop the others.
 */
const suites: Array<{ name: string; load: () => Promise<BenchSuite> }> = [
  { name: 'gemm', load: async () => (await import('./gemm.js')).gemmSuite },
  { name: 'elementwise', load: async () => (await import('./elementwise.js')).elementwiseSuite },
  { name: 'conv', load: async () => (await import('./conv.js')).convSuite },
  { name: 'lstm', load: async () => (await import('./lstm.js')).lstmSuite },
  { name: 'optim', load: async () => (await import('./optim.js')).optimSuite },
  { name: 'copies', load: async () => (await import('./copies.js')).copiesSuite },
  { name: 'data', load: async () => (await import('./data.js')).dataSuite },
  { name: 'training', load: async () => (await import('./training.js')).trainingSuite },
];

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    console.log('usage: npm run bench -- [--quick] [--no-tfjs] [--threads N] [suite-filter ...]');
    console.log(`suites: ${suites.map((s) => s.name).join(', ')}`);
    return;
  }
  const quick = args.includes('--quick');
  // `--threads N`: tensorgrad's WebAssembly kernels on N threads for the
  // whole run (tfjs-wasm stays single-threaded, see bench/tfjs.ts).
  const threadsAt = args.indexOf('--threads');
  const threads = threadsAt >= 0 ? Number(args[threadsAt + 1]) : 1;
  if (threads !== 1) setThreads(threads);
  const filters = args.filter((a, i) => !a.startsWith('-') && (threadsAt < 0 || i !== threadsAt + 1));
  const selected = suites.filter((s) => filters.length === 0 || filters.some((f) => s.name.includes(f)));
  if (selected.length === 0) {
    console.error(`no suite matches ${filters.join(', ')}; suites: ${suites.map((s) => s.name).join(', ')}`);
    process.exitCode = 1;
    return;
  }

  const tfjs = args.includes('--no-tfjs') ? null : await import('./tfjs.js');
  const config = makeConfig(quick, tfjs);
  console.log(machineInfo());
  const notes = [
    tfjs ? await tfjs.tfjsInfo() : 'tfjs not loaded', `tensorgrad threads: ${getThreads()}`, ...(quick ? ['quick mode'] : []),
  ];
  console.log(notes.join(' | '));
  console.log('');

  const rows: BenchRow[] = [];
  for (const entry of selected) {
    let suite: BenchSuite;
    try {
      suite = await entry.load();
    } catch (err) {
      console.log(`[${entry.name}] skipped: ${(err as Error).message.split('\n')[0]}`);
      continue;
    }
    rows.push(...(await suite.run(config)));
  }
  if (rows.length === 0) return; // suites that print their own tables only
  console.log('');
  console.log(formatTable(rows));
  console.log('');
  console.log('median ms per call; ratio = tfjs / tensorgrad (> 1 means tensorgrad is faster)');
  if (tfjs) {
    console.log('loading tfjs-core slows all typed-array JS here (tensorgrad and tfjs-cpu alike) by ~15-20%;');
    console.log('see bench/tfjs.ts, and `--no-tfjs` for tensorgrad on its own');
  }
}

await main();
