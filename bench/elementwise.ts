/**
 * Broadcasting elementwise add through the public tensor API (`add` from
 * `src/index.ts`, output allocated per call as in tfjs), against `tf.add` on
 * the tfjs CPU and wasm backends.
 *
 * @module
 */

import { add, randn } from '../src/index.js';
import { timeIt, type BenchConfig, type BenchRow, type BenchSuite } from './harness.js';
import type { Tf } from './tfjs.js';

/** [a shape, b shape] pairs; b broadcasts against a. */
const cases: Array<[number[], number[]]> = [
  [[256, 1024], [1024]], // row vector broadcast along the leading axis (bias add)
  [[1024, 1024], [1024, 1]], // column vector broadcast along the last axis
];

/**
 * The elementwise suite: broadcasting `add` on a few shape pairs (the first
 * only with `--quick`).
 *
 * @example
 * const rows = await elementwiseSuite.run(makeConfig(true, null)); // tensorgrad only
 */
export const elementwiseSuite: BenchSuite = {
  name: 'elementwise',
  async run(config: BenchConfig): Promise<BenchRow[]> {
    const rows: BenchRow[] = [];
    for (const [shapeA, shapeB] of config.quick ? cases.slice(0, 1) : cases) {
      const a = randn(shapeA);
      const b = randn(shapeB);
      const tensorgrad = timeIt(() => add(a, b), config.timing);
      const setup = (tf: Tf) => {
        const ta = tf.randomNormal(shapeA);
        const tb = tf.randomNormal(shapeB);
        return { inputs: [ta, tb], compute: () => tf.add(ta, tb) };
      };
      const tfjsCpu = config.tfjs && (await config.tfjs.timeTfjs('cpu', setup, config.timing));
      const tfjsWasm = config.tfjs && (await config.tfjs.timeTfjs('wasm', setup, config.timing));
      rows.push({ name: `add [${shapeA}] + [${shapeB}]`, tensorgrad, tfjsCpu, tfjsWasm });
    }
    return rows;
  },
};
