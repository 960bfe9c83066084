/**
 * Kernels on several threads (src/node/threads.ts): the batch and tile
 * splitting, and every threaded kernel against the same kernel on one
 * thread, on random sizes large enough to be split (and some that are not).
 * GEMM, conv forward and conv input gradient must agree bit for bit; the
 * conv weight gradient (per-thread partial sums) to float32 rounding.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { conv2dGeometry, type Conv2dGeometry } from '../../src/kernels/conv2d.js';
import { conv2dBackwardInputWasm, conv2dBackwardWeightWasm, conv2dForwardWasm } from '../../src/kernels/wasm/conv2d.js';
import { gemmWasm } from '../../src/kernels/wasm/gemm.js';
import { kernelTeam, wasmAvailable } from '../../src/kernels/wasm/runtime.js';
import { MIN_SPLIT_MACS, splitRange } from '../../src/kernels/wasm/split.js';
import { getThreads, setThreads } from '../../src/node/threads.js';
import { randomFloats } from '../kernels/random.js';

describe('splitRange', () => {
  it('cuts [0, length) into at most `parts` aligned consecutive ranges', () => {
    fc.assert(fc.property(
      fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 16 }),
      (length, parts, align) => {
        const ranges = splitRange(length, parts, align);
        expect(ranges.length).toBeLessThanOrEqual(parts);
        let at = 0;
        for (const [start, end] of ranges) {
          expect(start).toBe(at);
          expect(end).toBeGreaterThan(start);
          expect(start % align).toBe(0);
          at = end;
        }
        expect(at).toBe(length);
      },
    ));
  });

  it('gives the examples of its documentation', () => {
    expect(splitRange(100, 2, 8)).toEqual([[0, 56], [56, 100]]);
    expect(splitRange(5, 2, 8)).toEqual([[0, 5]]);
    expect(splitRange(64, 2, 1)).toEqual([[0, 32], [32, 64]]);
    expect(splitRange(0, 2, 1)).toEqual([]);
  });
});

describe('setThreads', () => {
  afterAll(() => setThreads(1));

  it('rejects counts that are not whole numbers ≥ 1', () => {
    for (const bad of [0, -1, 1.5, Number.NaN, Infinity, '2' as unknown as number]) {
      expect(() => setThreads(bad)).toThrow(/setThreads: expected a whole number of threads ≥ 1 or 'auto', got/);
    }
    expect(getThreads()).toBe(1);
  });

  it.runIf(wasmAvailable())('starts and stops workers; one thread has no team', () => {
    expect(getThreads()).toBe(1);
    expect(kernelTeam()).toBeNull();
    setThreads(3);
    expect(getThreads()).toBe(3);
    expect(kernelTeam()?.size).toBe(3);
    setThreads(2);
    expect(getThreads()).toBe(2);
    setThreads(1);
    expect(getThreads()).toBe(1);
    expect(kernelTeam()).toBeNull();
  });

  it.runIf(wasmAvailable())('throws when a piece traps, on whichever thread, and stays usable', () => {
    setThreads(2);
    try {
      const team = kernelTeam()!;
      // gemmTile of a 1×1×1 product at a byte address far past the memory: a trap.
      const outOfBounds = [0, 0, 1, 1, 1, 0x7ffffff0, 0x7ffffff0, 0x7ffffff0, 0, 0, 0, 1, 0, 1];
      const emptyTile = [0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0];
      for (let i = 0; i < 20; i++) {
        expect(() => team.run([{ kernel: 'gemmTile', args: emptyTile }, { kernel: 'gemmTile', args: outOfBounds }]))
          .toThrow(/worker thread failed|out of bounds/);
        expect(() => team.run([{ kernel: 'gemmTile', args: outOfBounds }, { kernel: 'gemmTile', args: emptyTile }]))
          .toThrow(/out of bounds/);
      }
      const a = randomFloats(300 * 300, 7);
      const [one, many] = bothWays(2, () => {
        const c = new Float32Array(300 * 300);
        gemmWasm(false, false, 300, 300, 300, a, 0, a, 0, c, 0, false);
        return c;
      });
      expect(many).toEqual(one);
    } finally {
      setThreads(1);
    }
  });

  it.runIf(wasmAvailable())('lets a process with parked workers exit', () => {
    const from = (file: string): string => JSON.stringify(pathToFileURL(path.resolve(file)).href);
    const dir = mkdtempSync(path.join(tmpdir(), 'tensorgrad-threads-'));
    const script = path.join(dir, 'exit.mts');
    writeFileSync(script, `
      import { setThreads } from ${from('src/node/threads.ts')};
      import { gemmWasm } from ${from('src/kernels/wasm/gemm.ts')};
      setThreads(2);
      const a = new Float32Array(256 * 256).fill(1);
      const c = new Float32Array(256 * 256);
      gemmWasm(false, false, 256, 256, 256, a, 0, a, 0, c, 0, false);
      console.log(c[0]);`);
    const result = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8', timeout: 30_000 });
    rmSync(dir, { recursive: true });
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe('256');
    expect(result.status).toBe(0);
  });
});

/** Runs `compute` on one thread and on `threads`, returning both results. */
function bothWays<T>(threads: number, compute: () => T): [one: T, many: T] {
  setThreads(1);
  const one = compute();
  setThreads(threads);
  try {
    return [one, compute()];
  } finally {
    setThreads(1);
  }
}

describe.runIf(wasmAvailable())('threaded GEMM', () => {
  it('is bit-identical to one thread, split or not, for every transpose', () => {
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 300 }), fc.integer({ min: 2, max: 4 }),
      fc.boolean(), fc.boolean(), fc.boolean(), fc.boolean(), fc.integer({ min: 0, max: 1e9 }),
      (m, n, threads, transA, transB, accumulate, bigEnough, seed) => {
        // Half the cases have enough multiply-adds to be split.
        const k = bigEnough ? Math.min(20_000, Math.ceil(MIN_SPLIT_MACS / (m * n))) : 1 + (seed % 40);
        const a = randomFloats(m * k, seed);
        const b = randomFloats(k * n, seed + 1);
        const c0 = randomFloats(m * n, seed + 2);
        const [one, many] = bothWays(threads, () => {
          const c = c0.slice();
          gemmWasm(transA, transB, m, n, k, a, 0, b, 0, c, 0, accumulate);
          return c;
        });
        expect(many).toEqual(one);
      },
    ), { numRuns: 40 });
  });
});

describe.runIf(wasmAvailable())('threaded conv2d', () => {
  const cases: [string, Conv2dGeometry][] = [
    ['LeNet conv1, batch 64', conv2dGeometry([64, 1, 28, 28], [6, 1, 5, 5], [1, 1], [2, 2, 2, 2], [1, 1])],
    ['LeNet conv2, odd batch 37', conv2dGeometry([37, 6, 14, 14], [16, 6, 5, 5], [1, 1], [0, 0, 0, 0], [1, 1])],
    ['strided, dilated, 3 threads', conv2dGeometry([9, 5, 23, 19], [7, 5, 3, 4], [2, 1], [1, 2, 0, 1], [2, 1])],
    ['pointwise', conv2dGeometry([16, 64, 16, 16], [32, 64, 1, 1], [1, 1], [0, 0, 0, 0], [1, 1])],
    ['too small to split', conv2dGeometry([2, 1, 5, 5], [2, 1, 3, 3], [1, 1], [0, 0, 0, 0], [1, 1])],
  ];

  it.each(cases)('%s: forward and input gradient bit-identical, weight gradient to rounding', (_, g) => {
    const depth = g.inChannels * g.kernelHeight * g.kernelWidth;
    const x = randomFloats(g.batch * g.inChannels * g.inHeight * g.inWidth, 1);
    const w = randomFloats(g.outChannels * depth, 2);
    const bias = randomFloats(g.outChannels, 3);
    const dy = randomFloats(g.batch * g.outChannels * g.outHeight * g.outWidth, 4);
    const dw0 = randomFloats(g.outChannels * depth, 5);
    const threads = g.batch === 9 ? 3 : 2;
    const [one, many] = bothWays(threads, () => {
      const y = new Float32Array(dy.length);
      conv2dForwardWasm(g, x, w, bias, y);
      const dx = new Float32Array(x.length);
      conv2dBackwardInputWasm(g, dy, w, dx);
      const dw = dw0.slice();
      conv2dBackwardWeightWasm(g, x, dy, dw, true);
      return { y, dx, dw };
    });
    expect(many.y).toEqual(one.y);
    expect(many.dx).toEqual(one.dx);
    const terms = g.batch * g.outHeight * g.outWidth;
    for (let i = 0; i < one.dw.length; i++) {
      expect(Math.abs(many.dw[i]! - one.dw[i]!)).toBeLessThanOrEqual(1e-6 * Math.sqrt(terms) * (1 + Math.abs(one.dw[i]!)));
    }
  });
});
