import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { gemm, gemmJs } from '../../src/kernels/gemm.js';
import { BACKEND_ENV_VAR, getBackend, resetBackend, setBackend } from '../../src/kernels/backend.js';
import { gemmWasm } from '../../src/kernels/wasm/gemm.js';
import { gemmCaseArb, randomFloats, type GemmCase } from './random.js';
import { wasmAvailable } from '../../src/kernels/wasm/runtime.js';
import { decodeWasm } from '../../src/kernels/wasm/module.generated.js';
import { getBackend as publicGetBackend, setBackend as publicSetBackend, tensor } from '../../src/index.js';

/**
 * Runs the wasm and the js kernel on the same operands (C guarded by
 * `cOffset` elements before and 3 after, NaN in C when overwriting) and
 * checks |wasm − js| ≤ 1e-5·√k·(|C₀| + Σₚ|a·b|) per element, guards intact.
 */
function checkAgainstJs(t: GemmCase): void {
  const { transA, transB, m, n, k, accumulate, aOffset, bOffset, cOffset, seed, scale = 1 } = t;
  const a = randomFloats(aOffset + m * k + 3, seed, scale);
  const b = randomFloats(bOffset + k * n + 3, seed + 1, scale);
  const c0 = randomFloats(cOffset + m * n + 3, seed + 2, scale);
  if (!accumulate) c0.fill(Number.NaN, cOffset, cOffset + m * n);
  const cw = c0.slice();
  const cj = c0.slice();
  gemmWasm(transA, transB, m, n, k, a, aOffset, b, bOffset, cw, cOffset, accumulate);
  gemmJs(transA, transB, m, n, k, a, aOffset, b, bOffset, cj, cOffset, accumulate);
  const lda = transA ? m : k;
  const ldb = transB ? k : n;
  const bad: string[] = [];
  for (let i = 0; i < m && bad.length < 5; i++) {
    for (let j = 0; j < n; j++) {
      let magnitude = accumulate ? Math.abs(c0[cOffset + i * n + j]!) : 0;
      for (let p = 0; p < k; p++) {
        const av = a[aOffset + (transA ? p * lda + i : i * lda + p)]!;
        const bv = b[bOffset + (transB ? j * ldb + p : p * ldb + j)]!;
        magnitude += Math.abs(av * bv);
      }
      const w = cw[cOffset + i * n + j]!;
      const js = cj[cOffset + i * n + j]!;
      const tol = 1e-5 * Math.sqrt(Math.max(k, 1)) * magnitude + 1e-30;
      if (!(Math.abs(w - js) <= tol) && bad.length < 5) bad.push(`C[${i},${j}]: wasm ${w}, js ${js} (tol ${tol})`);
    }
  }
  for (let i = 0; i < c0.length; i++) {
    const inside = i >= cOffset && i < cOffset + m * n;
    if (!inside && !Object.is(cw[i], c0[i])) bad.push(`guard c[${i}] changed`);
  }
  expect(bad, JSON.stringify(t)).toEqual([]);
}

const base = { aOffset: 0, bOffset: 0, cOffset: 0, seed: 1, scale: 1 };

describe.runIf(wasmAvailable())('gemm on WebAssembly SIMD', () => {
  it('embeds a module that validates and is the default backend here', () => {
    expect(WebAssembly.validate(decodeWasm())).toBe(true);
    expect(getBackend()).toBe('wasm');
  });

  it('computes the TSDoc example', () => {
    const c = new Float32Array(4);
    gemmWasm(false, false, 2, 2, 2, new Float32Array([1, 2, 3, 4]), 0, new Float32Array([5, 6, 7, 8]), 0, c, 0, false);
    expect(Array.from(c)).toEqual([19, 22, 43, 50]);
  });

  it('matches the js kernel on random shapes, transposes, offsets and accumulate (property)', () => {
    fc.assert(
      fc.property(
        gemmCaseArb(40, 0),
        (t) => checkAgainstJs(t),
      ),
      { numRuns: 300 },
    );
  });

  it('matches the js kernel across cache blocks (m > MC, k > KC, n > NC), all transposes', () => {
    for (const [transA, transB] of [[false, false], [false, true], [true, false], [true, true]] as const) {
      for (const accumulate of [false, true]) {
        checkAgainstJs({ ...base, transA, transB, accumulate, m: 131, n: 45, k: 517, aOffset: 3, cOffset: 1 });
        checkAgainstJs({ ...base, transA, transB, accumulate, m: 5, n: 2051, k: 259, bOffset: 2, seed: 9 });
      }
    }
  });

  it('handles k = 0, m = 0 and n = 0 like the js kernel', () => {
    const c = new Float32Array([9, 1, 2, 3, 4, 5, 6, 9]);
    gemmWasm(true, false, 2, 3, 0, new Float32Array(0), 0, new Float32Array(0), 0, c, 1, true);
    expect(Array.from(c)).toEqual([9, 1, 2, 3, 4, 5, 6, 9]);
    gemmWasm(false, true, 2, 3, 0, new Float32Array(0), 0, new Float32Array(0), 0, c, 1, false);
    expect(Array.from(c)).toEqual([9, 0, 0, 0, 0, 0, 0, 9]);
    gemmWasm(false, false, 0, 3, 4, new Float32Array(12), 0, new Float32Array(12), 0, c, 0, false);
    expect(Array.from(c)).toEqual([9, 0, 0, 0, 0, 0, 0, 9]);
  });

  it('keeps a NaN in A to its own row (padding lanes never leak)', () => {
    const m = 5, n = 9, k = 4;
    const a = new Float32Array(m * k).fill(1);
    a[4 * k + 2] = Number.NaN;
    const c = new Float32Array(m * n);
    gemmWasm(false, false, m, n, k, a, 0, new Float32Array(k * n).fill(1), 0, c, 0, false);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) expect(Number.isNaN(c[i * n + j]!)).toBe(i === 4);
  });

  it('reuses the arena after growing it (large call, then small ones)', () => {
    checkAgainstJs({ ...base, transA: false, transB: false, accumulate: true, m: 7, n: 9, k: 11 });
    checkAgainstJs({ ...base, transA: true, transB: true, accumulate: false, m: 400, n: 300, k: 350, seed: 5 });
    checkAgainstJs({ ...base, transA: false, transB: false, accumulate: true, m: 7, n: 9, k: 11 });
  });

  it('throws RangeError on bad sizes or short buffers', () => {
    const x = new Float32Array(4);
    expect(() => gemmWasm(false, false, 2, 2, 2, x, 1, x, 0, x, 0, false)).toThrow(RangeError);
    expect(() => gemmWasm(false, false, 2, 2, 2, x, 0, x, 0, new Float32Array(3), 0, false)).toThrow(RangeError);
    expect(() => gemmWasm(false, false, -1, 2, 2, x, 0, x, 0, x, 0, false)).toThrow(RangeError);
  });
});

describe('backend selection', () => {
  const saved = process.env[BACKEND_ENV_VAR];
  afterEach(() => {
    if (saved === undefined) delete process.env[BACKEND_ENV_VAR];
    else process.env[BACKEND_ENV_VAR] = saved;
    resetBackend();
  });

  it('setBackend switches the kernel gemm dispatches to', () => {
    const a = randomFloats(37 * 41, 1);
    const b = randomFloats(41 * 43, 2);
    const viaJs = new Float32Array(37 * 43);
    const viaDispatch = new Float32Array(37 * 43);
    gemmJs(false, false, 37, 43, 41, a, 0, b, 0, viaJs, 0, false);
    setBackend('js');
    expect(getBackend()).toBe('js');
    gemm(false, false, 37, 43, 41, a, 0, b, 0, viaDispatch, 0, false);
    expect(Array.from(viaDispatch)).toEqual(Array.from(viaJs)); // bit for bit: same kernel
    if (wasmAvailable()) {
      const viaWasm = new Float32Array(37 * 43);
      gemmWasm(false, false, 37, 43, 41, a, 0, b, 0, viaWasm, 0, false);
      setBackend('wasm');
      expect(getBackend()).toBe('wasm');
      gemm(false, false, 37, 43, 41, a, 0, b, 0, viaDispatch, 0, false);
      expect(Array.from(viaDispatch)).toEqual(Array.from(viaWasm));
    }
  });

  it('is exported from the main entry and drives matmul', () => {
    publicSetBackend('js');
    expect(publicGetBackend()).toBe('js');
    const x = tensor([[1, 2], [3, 4]]);
    expect(Array.from(x.matmul(x).data)).toEqual([7, 10, 15, 22]);
    publicSetBackend('wasm');
    expect(Array.from(x.matmul(x).data)).toEqual([7, 10, 15, 22]);
  });

  it('rejects unknown backends', () => {
    expect(() => setBackend('gpu' as 'js')).toThrow(RangeError);
  });

  it(`reads ${BACKEND_ENV_VAR} on first use, and setBackend overrides it`, () => {
    process.env[BACKEND_ENV_VAR] = 'js';
    resetBackend();
    expect(getBackend()).toBe('js');
    setBackend('wasm');
    expect(getBackend()).toBe('wasm');
    process.env[BACKEND_ENV_VAR] = 'wasm';
    resetBackend();
    expect(getBackend()).toBe('wasm');
    delete process.env[BACKEND_ENV_VAR];
    resetBackend();
    expect(getBackend()).toBe(wasmAvailable() ? 'wasm' : 'js');
  });

  it(`names the variable when ${BACKEND_ENV_VAR} holds an unknown value`, () => {
    process.env[BACKEND_ENV_VAR] = 'cuda';
    resetBackend();
    expect(() => getBackend()).toThrow(/TENSORGRAD_BACKEND: unknown backend "cuda"/);
  });
});
