/**
 * Test helpers shared by the kernel tests: seeded values, so a failing case
 * replays exactly, and the GEMM case record with its fast-check generator.
 */
import fc from 'fast-check';

/**
 * Deterministic uniform(−scale, scale) float32 values (mulberry32).
 * @param length - how many values
 * @param seed - the stream's seed
 * @param scale - half-width of the range (default 1)
 * @returns the values
 */
export function randomFloats(length: number, seed: number, scale = 1): Float32Array {
  const out = new Float32Array(length);
  let s = seed >>> 0;
  for (let i = 0; i < length; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = ((((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1) * scale;
  }
  return out;
}

/** One GEMM call to check: sizes, layouts, offsets and the operands' seed and scale. */
export interface GemmCase {
  transA: boolean;
  transB: boolean;
  m: number;
  n: number;
  k: number;
  accumulate: boolean;
  aOffset: number;
  bOffset: number;
  cOffset: number;
  seed: number;
  scale?: number;
}

/**
 * Random GEMM cases: every transpose pair, accumulate or not, offsets 0–5,
 * value scales 1, 1e-3 and 1e3.
 * @param maxSize - largest m, n and k
 * @param minK - smallest k (0 tests the empty sum)
 * @returns the generator
 */
export function gemmCaseArb(maxSize: number, minK: number): fc.Arbitrary<GemmCase> {
  return fc.record({
    transA: fc.boolean(),
    transB: fc.boolean(),
    m: fc.integer({ min: 1, max: maxSize }),
    n: fc.integer({ min: 1, max: maxSize }),
    k: fc.integer({ min: minK, max: maxSize }),
    accumulate: fc.boolean(),
    aOffset: fc.integer({ min: 0, max: 5 }),
    bOffset: fc.integer({ min: 0, max: 5 }),
    cOffset: fc.integer({ min: 0, max: 5 }),
    seed: fc.integer({ min: 0, max: 0x7fffffff }),
    scale: fc.constantFrom(1, 1e-3, 1e3),
  });
}
