/**
 * The machine's ceiling for WebAssembly 128-bit SIMD arithmetic: how many
 * float32 multiply-and-add operations per second one thread can issue in
 * this engine, measured with no memory traffic at all. The GEMM suite
 * prints each kernel's GFLOPS as a share of it, which says how much any
 * single-threaded kernel (tensorgrad's or XNNPACK's in tfjs-wasm) could
 * still gain.
 *
 * The probe is twelve independent chains `c = c·a + b` of f32x4 values (a
 * loop-invariant product could be hoisted out of the loop, a chain cannot).
 * Each step of a chain waits for the previous one (mul, then add: 5–6
 * cycles), so there must be enough chains to keep every floating-point
 * unit busy: on the CI machine 6, 8, 10 and 12 chains gave 29, 37, 45 and
 * 52 GFLOPS, and 12 (plus the two constants: 14 of the 15 xmm registers V8
 * allocates) is the most that stays in registers. Without FMA (relaxed
 * SIMD is off by default in Node 20) each step is one mul and one add: 8
 * flops.
 * It is compiled here, at bench time, with the project's AssemblyScript:
 * bench code stays out of the shipped module.
 *
 * @module
 */

import asc from 'assemblyscript/asc';
import { timeIt, type TimingOptions } from './harness.js';

/** The probe, in AssemblyScript. */
const PROBE_SOURCE = `
export function probe(iterations: i32): f32 {
  const a = f32x4.splat(0.999), b = f32x4.splat(0.001);
  let c0 = f32x4.splat(0.0), c1 = f32x4.splat(0.1), c2 = f32x4.splat(0.2), c3 = f32x4.splat(0.3), c4 = f32x4.splat(0.4), c5 = f32x4.splat(0.5);
  let c6 = f32x4.splat(0.6), c7 = f32x4.splat(0.7), c8 = f32x4.splat(0.8), c9 = f32x4.splat(0.9), c10 = f32x4.splat(1.0), c11 = f32x4.splat(1.1);
  for (let i = 0; i < iterations; i++) {
    c0 = f32x4.add(f32x4.mul(c0, a), b); c1 = f32x4.add(f32x4.mul(c1, a), b);
    c2 = f32x4.add(f32x4.mul(c2, a), b); c3 = f32x4.add(f32x4.mul(c3, a), b);
    c4 = f32x4.add(f32x4.mul(c4, a), b); c5 = f32x4.add(f32x4.mul(c5, a), b);
    c6 = f32x4.add(f32x4.mul(c6, a), b); c7 = f32x4.add(f32x4.mul(c7, a), b);
    c8 = f32x4.add(f32x4.mul(c8, a), b); c9 = f32x4.add(f32x4.mul(c9, a), b);
    c10 = f32x4.add(f32x4.mul(c10, a), b); c11 = f32x4.add(f32x4.mul(c11, a), b);
  }
  const s = f32x4.add(f32x4.add(f32x4.add(c0, c1), f32x4.add(c2, c3)), f32x4.add(f32x4.add(c4, c5), f32x4.add(c6, c7)));
  return f32x4.extract_lane(f32x4.add(s, f32x4.add(f32x4.add(c8, c9), f32x4.add(c10, c11))), 0);
}
`;

/** Flops per loop iteration: twelve chains × (mul + add) × four lanes. */
const FLOPS_PER_ITERATION = 12 * 2 * 4;

/** Iterations per timed call (~20 ms at 50 GFLOPS). */
const ITERATIONS = 10_000_000;

/** Compiles the probe to a callable function, or null without SIMD. */
async function compileProbe(): Promise<((iterations: number) => number) | null> {
  let wasm: Uint8Array | null = null;
  const { error } = await asc.main(['probe.ts', '--outFile', 'probe.wasm', '-O3', '--runtime', 'stub', '--enable', 'simd', '--use', 'abort='], {
    readFile: (name) => (name === 'probe.ts' ? PROBE_SOURCE : null),
    writeFile(name, contents) {
      if (name.endsWith('.wasm')) wasm = contents as Uint8Array;
    },
    listFiles: () => [],
  });
  if (error || wasm === null || !WebAssembly.validate(wasm)) return null;
  const instance = new WebAssembly.Instance(new WebAssembly.Module(wasm), {});
  return instance.exports.probe as (iterations: number) => number;
}

/**
 * Measures the single-thread f32x4 mul+add ceiling of this engine and CPU.
 *
 * @param timing - Repetitions and warm-up, as for any bench case.
 * @returns GFLOPS (best of the timed calls), or null without WebAssembly SIMD.
 * @example
 * const ceiling = await wasmCeilingGflops(config.timing); // e.g. 44.8
 */
export async function wasmCeilingGflops(timing: TimingOptions): Promise<number | null> {
  const probe = await compileProbe();
  if (probe === null) return null;
  const { minMs } = timeIt(() => probe(ITERATIONS), { ...timing, reps: Math.min(timing.reps, 10) });
  return (ITERATIONS * FLOPS_PER_ITERATION) / (minMs * 1e6);
}
