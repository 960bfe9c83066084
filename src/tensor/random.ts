/**
 * The global seeded random number generator behind `rand`, `randn`,
 * initialisers, dropout and shuffling. One stream, so that `manualSeed(n)`
 * makes a whole training run reproducible bit for bit.
 * @module
 */

// xoshiro128** (Blackman & Vigna): 128-bit state, fast in 32-bit integer
// arithmetic, good statistical quality. Seeded through splitmix32 so that
// nearby seeds give unrelated streams.
let s0 = 0;
let s1 = 0;
let s2 = 0;
let s3 = 0;
// Box–Muller yields normals in pairs; keep the second for the next call.
let spareNormal: number | null = null;

function splitmix32(state: number): [number, number] {
  state = (state + 0x9e3779b9) | 0;
  let z = state;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return [state, (z ^ (z >>> 16)) >>> 0];
}

/**
 * Seeds the global random number generator. Every later random call (`rand`,
 * `randn`, initialisers, dropout, shuffling) then yields the same sequence.
 * @param seed - any integer (values beyond 32 bits are folded in)
 * @throws Error if `seed` is not a finite integer
 * @example
 * manualSeed(42);
 * const a = randn([3]);
 * manualSeed(42);
 * randn([3]).data; // equals a.data
 */
export function manualSeed(seed: number): void {
  if (!Number.isFinite(seed) || !Number.isInteger(seed)) {
    throw new Error(`manualSeed: expected a finite integer seed, got ${seed}`);
  }
  let state = (seed | 0) ^ Math.floor(seed / 0x100000000);
  let word: number;
  [state, word] = splitmix32(state); s0 = word;
  [state, word] = splitmix32(state); s1 = word;
  [state, word] = splitmix32(state); s2 = word;
  [, word] = splitmix32(state); s3 = word;
  if ((s0 | s1 | s2 | s3) === 0) s0 = 1; // the all-zero state is a fixed point
  spareNormal = null;
}

manualSeed(Date.now() % 0x7fffffff);

/**
 * Next uniform 32-bit unsigned integer from the global stream.
 * @returns an integer in [0, 2³²)
 */
export function nextUint32(): number {
  const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
  const t = s1 << 9;
  s2 ^= s0;
  s3 ^= s1;
  s1 ^= s2;
  s0 ^= s3;
  s2 ^= t;
  s3 = rotl(s3, 11);
  return result;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/**
 * Next uniform float in [0, 1) with 24 random bits, so it is exact in float32.
 * @returns a number in [0, 1)
 */
export function randomUniform(): number {
  return (nextUint32() >>> 8) / 16777216;
}

/**
 * Next standard normal sample (Box–Muller transform).
 * @returns a number drawn from N(0, 1)
 */
export function randomNormal(): number {
  if (spareNormal !== null) {
    const z = spareNormal;
    spareNormal = null;
    return z;
  }
  // 1 - u keeps the logarithm's argument in (0, 1].
  const u = 1 - randomUniform();
  const v = randomUniform();
  const radius = Math.sqrt(-2 * Math.log(u));
  spareNormal = radius * Math.sin(2 * Math.PI * v);
  return radius * Math.cos(2 * Math.PI * v);
}

/**
 * Uniform random integer in [0, n), unbiased (rejection sampling).
 * @param n - exclusive upper bound, 1 ≤ n ≤ 2³²
 * @returns an integer in [0, n)
 */
export function randomInt(n: number): number {
  const limit = 0x100000000 - (0x100000000 % n);
  let x: number;
  do x = nextUint32();
  while (x >= limit);
  return x % n;
}
