/**
 * What copying costs: tensors stay Float32Arrays, and every WebAssembly
 * kernel call copies its operands into the module's memory (the arena) and
 * its results out. The alternative design keeps tensors resident in
 * linear memory, which saves exactly these copies but needs an allocator
 * with explicit or finalizer-driven frees for every tensor. This suite
 * measures the copies inside real training steps of the three example
 * models, so the saving that design could buy is a number.
 *
 * Method: `Float32Array.prototype.set` is wrapped for the duration of the
 * suite, and every `set` whose source or target lies in the wasm memory
 * (the only way the kernel wrappers copy) is timed. The wrapper's own
 * overhead (two `performance.now()` calls per copy) is included, so the
 * share is an upper bound.
 *
 * @module
 */

import { wasmAvailable, wasmKernels } from '../src/kernels/wasm/runtime.js';
import type { BenchConfig, BenchRow, BenchSuite } from './harness.js';
import { trainingCases } from './training.js';

/** Copy time and volume accumulated while the wrapper is installed. */
interface CopyTally {
  ms: number;
  calls: number;
  bytes: number;
}

/** Installs the timing wrapper; returns the tally and a function that removes it. */
function tallyCopies(): { tally: CopyTally; restore: () => void } {
  const tally: CopyTally = { ms: 0, calls: 0, bytes: 0 };
  const proto = Float32Array.prototype as unknown as { set(source: ArrayLike<number>, offset?: number): void };
  const original = proto.set;
  const memory = wasmKernels().memory;
  proto.set = function timedSet(this: Float32Array, source: ArrayLike<number>, offset?: number): void {
    const heap = memory.buffer;
    const crossing = this.buffer === heap || (ArrayBuffer.isView(source) && source.buffer === heap);
    if (!crossing) return original.call(this, source, offset);
    const start = performance.now();
    original.call(this, source, offset);
    tally.ms += performance.now() - start;
    tally.calls++;
    tally.bytes += 4 * source.length;
  };
  return { tally, restore: () => { proto.set = original; } };
}

/**
 * The copies suite: for each example model, the median step time, and the
 * time, count and volume of copies into and out of the wasm memory per step.
 * Prints its own table; adds no rows to the tfjs comparison.
 *
 * @example
 * await copiesSuite.run(makeConfig(false, null));
 */
export const copiesSuite: BenchSuite = {
  name: 'copies',
  async run(config: BenchConfig): Promise<BenchRow[]> {
    if (!wasmAvailable()) {
      console.log('[copies] skipped: no WebAssembly SIMD');
      return [];
    }
    const steps = config.quick ? 5 : 40;
    console.log('');
    console.log('copies into and out of the wasm memory per training step (median step; copies averaged):');
    for (const c of trainingCases) {
      const step = c.tensorgrad();
      for (let i = 0; i < 3; i++) step();
      const { tally, restore } = tallyCopies();
      const times: number[] = [];
      try {
        for (let i = 0; i < steps; i++) {
          const start = performance.now();
          step();
          times.push(performance.now() - start);
        }
      } finally {
        restore();
      }
      times.sort((a, b) => a - b);
      const median = times[times.length >> 1];
      const mean = times.reduce((a, b) => a + b, 0) / steps;
      const copyMs = tally.ms / steps;
      console.log(`  ${c.name.padEnd(10)} step ${median.toFixed(2)} ms; copies ${copyMs.toFixed(3)} ms ` +
        `(${((100 * copyMs) / mean).toFixed(1)}% of the mean step), ${Math.round(tally.calls / steps)} calls, ` +
        `${(tally.bytes / steps / 1e6).toFixed(2)} MB`);
    }
    return [];
  },
};
