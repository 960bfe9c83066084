/**
 * Timing and reporting helpers shared by the benchmark suites.
 *
 * Each measurement runs a few untimed warm-up calls (so V8 has optimised the
 * code and caches/pack buffers are warm), then times repetitions one by one
 * with `performance.now()` and reports the median (robust to GC pauses and
 * scheduler noise) and the minimum (the best the machine can do).
 *
 * @module
 */

import os from 'node:os';
import type * as TfjsModule from './tfjs.js';

/** Summary of one timed function. */
export interface Timing {
  /** Median wall time of one call, in milliseconds. */
  medianMs: number;
  /** Fastest call, in milliseconds. */
  minMs: number;
  /** Number of timed repetitions. */
  reps: number;
}

/** How long and how often to time a function. */
export interface TimingOptions {
  /** Untimed calls before measuring (at least this many)... */
  warmup: number;
  /** ...and for at least this long, so small cases reach V8's optimising tier. */
  warmupMs: number;
  /** Timed repetitions to aim for. */
  reps: number;
  /** Stop early once this much time has been spent on timed reps (keeps slow cases bounded). */
  budgetMs: number;
  /** Never fewer timed reps than this, whatever the budget. */
  minReps: number;
}

/** Settings for a full run (`--quick` shrinks them for CI smoke tests). */
export interface BenchConfig {
  /** Smaller sizes and fewer repetitions. */
  quick: boolean;
  /** Timing options handed to every measurement. */
  timing: TimingOptions;
  /** The tfjs reference (`bench/tfjs.ts`), or null when run with `--no-tfjs`. */
  tfjs: typeof TfjsModule | null;
}

/** One row of the results table: a case timed in tensorgrad and both tfjs backends (null = not run). */
export interface BenchRow {
  /** Human-readable case name, e.g. `gemm 512x512x512`. */
  name: string;
  tensorgrad: Timing | null;
  tfjsCpu: Timing | null;
  tfjsWasm: Timing | null;
  /** Text shown instead of a missing (null) timing, e.g. `unsupported` when a backend lacks a kernel. */
  notes?: Partial<Record<'tensorgrad' | 'tfjsCpu' | 'tfjsWasm', string>>;
}

/** A named group of cases; `run` returns its rows and may print skip notes. */
export interface BenchSuite {
  name: string;
  run(config: BenchConfig): Promise<BenchRow[]>;
}

/**
 * Builds the run configuration.
 *
 * @param quick - If true, fewer repetitions and a smaller time budget.
 * @param tfjs - The loaded `bench/tfjs.ts` module, or null to skip tfjs.
 * @returns The configuration passed to every suite.
 * @example
 * const config = makeConfig(process.argv.includes('--quick'), await import('./tfjs.js'));
 */
export function makeConfig(quick: boolean, tfjs: typeof TfjsModule | null): BenchConfig {
  return {
    quick,
    tfjs,
    timing: quick
      ? { warmup: 2, warmupMs: 100, reps: 5, budgetMs: 500, minReps: 3 }
      : { warmup: 3, warmupMs: 300, reps: 21, budgetMs: 3000, minReps: 5 },
  };
}

/**
 * Times a synchronous function: untimed warm-up calls (at least `warmup` of
 * them and `warmupMs` long), then up to `reps` timed calls (at least
 * `minReps`, fewer once `budgetMs` is spent).
 *
 * @param fn - The work to time; must do the whole computation synchronously.
 * @param options - Warm-up, repetition and budget settings.
 * @returns Median and minimum milliseconds per call.
 * @example
 * const t = timeIt(() => gemm(false, false, n, n, n, a, 0, b, 0, c, 0, false), config.timing);
 * console.log(t.medianMs);
 */
export function timeIt(fn: () => void, options: TimingOptions): Timing {
  const warmupStart = performance.now();
  for (let i = 0; i < options.warmup || performance.now() - warmupStart < options.warmupMs; i++) fn();
  const times: number[] = [];
  let spent = 0;
  while (times.length < options.reps && (times.length < options.minReps || spent < options.budgetMs)) {
    const start = performance.now();
    fn();
    const elapsed = performance.now() - start;
    times.push(elapsed);
    spent += elapsed;
  }
  times.sort((x, y) => x - y);
  const mid = times.length >> 1;
  const medianMs = times.length % 2 === 1 ? times[mid] : (times[mid - 1] + times[mid]) / 2;
  return { medianMs, minMs: times[0], reps: times.length };
}

/**
 * Describes the machine: Node version, CPU model and core count.
 *
 * @returns One line of text, e.g. `node v20.20.2 | AMD EPYC | 2 cores`.
 * @example
 * console.log(machineInfo());
 */
export function machineInfo(): string {
  const cpus = os.cpus();
  const model = cpus.length > 0 ? cpus[0].model.trim() : 'unknown CPU';
  return `node ${process.version} | ${model} | ${cpus.length} cores | ${os.platform()}-${os.arch()}`;
}

/**
 * Formats rows as a fixed-width table. Ratios are tfjs time / tensorgrad
 * time, so a ratio above 1 means tensorgrad is faster.
 *
 * @param rows - Results to print, in order.
 * @returns The table as a multi-line string.
 * @example
 * console.log(formatTable([{ name: 'gemm 128', tensorgrad: t1, tfjsCpu: t2, tfjsWasm: t3 }]));
 */
export function formatTable(rows: BenchRow[]): string {
  const header = ['case', 'tensorgrad ms', 'tfjs-cpu ms', 'tfjs-wasm ms', 'cpu/tg', 'wasm/tg'];
  const ms = (t: Timing | null) => (t === null ? '-' : formatMs(t.medianMs));
  const ratio = (other: Timing | null, ours: Timing | null) =>
    other === null || ours === null ? '-' : `${(other.medianMs / ours.medianMs).toFixed(2)}x`;
  const body = rows.map((r) => [
    r.name,
    r.tensorgrad === null && r.notes?.tensorgrad ? r.notes.tensorgrad : ms(r.tensorgrad),
    r.tfjsCpu === null && r.notes?.tfjsCpu ? r.notes.tfjsCpu : ms(r.tfjsCpu),
    r.tfjsWasm === null && r.notes?.tfjsWasm ? r.notes.tfjsWasm : ms(r.tfjsWasm),
    ratio(r.tfjsCpu, r.tensorgrad),
    ratio(r.tfjsWasm, r.tensorgrad),
  ]);
  const widths = header.map((h, col) => Math.max(h.length, ...body.map((cells) => cells[col].length)));
  // Case names left-aligned, numbers right-aligned.
  const line = (cells: string[]) =>
    cells.map((cell, col) => (col === 0 ? cell.padEnd(widths[col]) : cell.padStart(widths[col]))).join(' | ');
  const rule = widths.map((w) => '-'.repeat(w)).join('-|-');
  return [line(header), rule, ...body.map(line)].join('\n');
}

/** Milliseconds with about three significant digits. */
function formatMs(value: number): string {
  if (value >= 100) return value.toFixed(0);
  if (value >= 10) return value.toFixed(1);
  if (value >= 1) return value.toFixed(2);
  if (value >= 0.01) return value.toFixed(3);
  return value.toPrecision(2); // microsecond calls (small optimizer steps): 0.0012, not 0.001
}
