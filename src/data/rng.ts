/**
 * Shuffling for the data layer. A loader or split given a `seed` uses its own
 * generator, so its order does not depend on (or disturb) the global stream;
 * without a seed it draws one word from the global generator (`manualSeed`)
 * per shuffle, as PyTorch's RandomSampler draws its seed from torch's.
 * @module
 */
import { nextUint32 } from '../tensor/random.js';

/** splitmix32 finaliser: spreads the bits of a 32-bit word. */
function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/** A small xoshiro128** generator, seeded from (seed, stream) through splitmix32. */
class Xoshiro128 {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(seed: number, stream: number) {
    // Fold the high bits of large seeds in, then separate the streams.
    let state = mix32((seed | 0) ^ Math.floor(seed / 0x100000000)) ^ mix32((stream | 0) + 0x632be5ab);
    const next = (): number => {
      state = (state + 0x9e3779b9) | 0;
      return mix32(state);
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform integer in [0, n), unbiased (rejection sampling). */
  below(n: number): number {
    const limit = 0x100000000 - (0x100000000 % n);
    let x: number;
    do x = this.nextUint32();
    while (x >= limit);
    return x % n;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/**
 * Checks that a seed is a finite integer.
 * @param seed - the seed, or undefined
 * @param fn - the caller's name, for the message
 * @throws Error naming the caller and the value
 */
export function assertSeed(seed: number | undefined, fn: string): void {
  if (seed !== undefined && (typeof seed !== 'number' || !Number.isInteger(seed))) {
    throw new Error(`${fn}: seed must be a finite integer, got ${String(seed)}`);
  }
}

/**
 * A uniformly random permutation of 0…n−1 (Fisher–Yates).
 * @param n - how many indices
 * @param seed - fixes the permutation; without it one word is drawn from the
 *   global generator
 * @param stream - separates permutations of the same seed (a loader's epoch)
 * @returns the permutation
 */
export function randomPermutation(n: number, seed: number | undefined, stream = 0): Int32Array {
  const rng = new Xoshiro128(seed ?? nextUint32(), stream);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = rng.below(i + 1);
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  return order;
}
