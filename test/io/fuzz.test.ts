/**
 * Fuzzing the safetensors reader with fast-check: random bytes, random
 * headers, and mutations and truncations of a valid file with several dtypes.
 * Whatever the input, loading either succeeds with tensors that match their
 * header or throws a plain Error from the reader (never a RangeError,
 * TypeError or SyntaxError leaking from a typed array, TextDecoder or
 * JSON.parse), and every call returns quickly.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tensor } from '../../src/index.js';
import { loadSafetensors, readSafetensorsHeader, saveSafetensors } from '../../src/io/index.js';

/** A valid file mixing dtypes and alignments, built by hand. */
function validFile(): Uint8Array {
  const parts: [string, string, number[], number[]][] = [
    ['w', 'F32', [2, 2], Array.from(new Uint8Array(new Float32Array([1, -2, 3.5, 0]).buffer))],
    ['h', 'F16', [3], [0x00, 0x3c, 0x00, 0xc0, 0x01, 0x00]],
    ['b', 'BF16', [1], [0x80, 0x3f]],
    ['d', 'F64', [1], Array.from(new Uint8Array(new Float64Array([0.1]).buffer))],
    ['i', 'I64', [1], [5, 0, 0, 0, 0, 0, 0, 0]],
    ['u', 'U8', [2, 1], [7, 9]],
    ['e', 'F32', [0], []],
  ];
  const header: Record<string, unknown> = { __metadata__: { format: 'pt', note: 'fuzz' } };
  const data: number[] = [];
  for (const [name, dtype, shape, bytes] of parts) {
    header[name] = { dtype, shape, data_offsets: [data.length, data.length + bytes.length] };
    data.push(...bytes);
  }
  return withHeader(JSON.stringify(header), data);
}

function withHeader(text: string, data: ArrayLike<number>, length?: number): Uint8Array {
  const json = new TextEncoder().encode(text);
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(length ?? json.length), true);
  out.set(json, 8);
  out.set(Array.from(data), 8 + json.length);
  return out;
}

const VALID = validFile();
const HEADER_LENGTH = Number(new DataView(VALID.buffer).getBigUint64(0, true));
const HEADER_TEXT = new TextDecoder().decode(VALID.subarray(8, 8 + HEADER_LENGTH));
const DATA = VALID.subarray(8 + HEADER_LENGTH);

let slowest = 0;

/** Loads `bytes`; passes if it succeeds consistently or throws the reader's own Error. */
function check(bytes: Uint8Array): void {
  const start = performance.now();
  for (const load of [loadSafetensors, readSafetensorsHeader]) {
    try {
      const result = load(bytes);
      if (load === loadSafetensors) {
        const { tensors } = readSafetensorsHeader(bytes);
        for (const [name, t] of Object.entries(result as ReturnType<typeof loadSafetensors>)) {
          expect(t.shape).toEqual(tensors[name]!.shape);
          expect(t.data.length).toBe(tensors[name]!.shape.reduce((a, b) => a * b, 1));
        }
      }
    } catch (error) {
      if (!(error instanceof Error) || error.constructor !== Error || !/^(loadSafetensors|readSafetensorsHeader): /.test(error.message)) {
        throw new Error(`leaked ${(error as Error)?.constructor?.name}: ${String(error)}`);
      }
    }
  }
  slowest = Math.max(slowest, performance.now() - start);
}

describe('fuzzing loadSafetensors', () => {
  it('the valid base file loads', () => {
    const loaded = loadSafetensors(VALID);
    expect(Array.from(loaded.h!.data)).toEqual([1, -2, 2 ** -24]);
    expect(loaded.b!.item()).toBe(1);
    expect(loaded.i!.item()).toBe(5);
    expect(readSafetensorsHeader(VALID).metadata).toEqual({ format: 'pt', note: 'fuzz' });
  });

  it('random bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), check), { numRuns: 2000 });
  });

  it('random bytes behind a plausible header length', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(320), (body, n) => {
      const bytes = new Uint8Array(8 + body.length);
      new DataView(bytes.buffer).setUint32(0, n, true);
      bytes.set(body, 8);
      if (body.length > 0) bytes[8] = 0x7b;
      check(bytes);
    }), { numRuns: 2000 });
  });

  it('byte mutations, truncations and extensions of a valid file', () => {
    const edit = fc.oneof(
      fc.record({ kind: fc.constant('set' as const), at: fc.nat(VALID.length - 1), value: fc.integer({ min: 0, max: 255 }) }),
      fc.record({ kind: fc.constant('cut' as const), at: fc.nat(VALID.length) }),
      fc.record({ kind: fc.constant('append' as const), extra: fc.uint8Array({ minLength: 1, maxLength: 16 }) }),
      fc.record({ kind: fc.constant('delete' as const), at: fc.nat(VALID.length - 1) }),
    );
    fc.assert(fc.property(fc.array(edit, { minLength: 1, maxLength: 4 }), (edits) => {
      let bytes = VALID.slice();
      for (const e of edits) {
        if (e.kind === 'set') bytes[Math.min(e.at, bytes.length - 1)] = e.value;
        else if (e.kind === 'cut') bytes = bytes.slice(0, e.at);
        else if (e.kind === 'append') bytes = new Uint8Array([...bytes, ...e.extra]);
        else bytes = new Uint8Array([...bytes.subarray(0, e.at), ...bytes.subarray(e.at + 1)]);
        if (bytes.length === 0) break;
      }
      check(bytes);
    }), { numRuns: 3000 });
  });

  it('character mutations of the JSON header (length kept consistent or not)', () => {
    const chars = '{}[]":,0123456789-.eE truexF ';
    const edit = fc.record({ at: fc.nat(HEADER_TEXT.length - 1), char: fc.constantFrom(...chars), insert: fc.boolean() });
    fc.assert(fc.property(fc.array(edit, { minLength: 1, maxLength: 5 }), fc.boolean(), (edits, fixLength) => {
      let text = HEADER_TEXT;
      for (const { at, char, insert } of edits) {
        const i = Math.min(at, text.length - 1);
        text = text.slice(0, i) + char + text.slice(insert ? i : i + 1);
      }
      check(withHeader(text, DATA, fixLength ? undefined : HEADER_LENGTH));
    }), { numRuns: 3000 });
  });

  it('random well-formed headers with lying dtypes, shapes and offsets', () => {
    const value = fc.oneof(
      fc.integer({ min: -4, max: 64 }), fc.double(), fc.constant(2 ** 53), fc.constant(1e300),
      fc.string({ maxLength: 4 }), fc.constant(null), fc.boolean(),
    );
    const entry = fc.record({
      dtype: fc.oneof(fc.constantFrom('F32', 'F16', 'BF16', 'F64', 'I64', 'U8', 'BOOL', 'F8_E4M3', 'C64', 'f32', ''), value),
      shape: fc.oneof(fc.array(fc.oneof(fc.integer({ min: -1, max: 9 }), value), { maxLength: 4 }), value),
      data_offsets: fc.oneof(fc.array(fc.integer({ min: -2, max: 80 }), { maxLength: 3 }), fc.tuple(fc.nat(80), fc.nat(80)), value),
    }, { requiredKeys: [] });
    const header = fc.dictionary(
      fc.oneof(fc.constantFrom('a', 'b', 'c', '__metadata__', '__proto__', 'constructor'), fc.string({ maxLength: 3 })),
      fc.oneof(entry, value, fc.dictionary(fc.string({ maxLength: 3 }), value, { maxKeys: 3 })),
      { maxKeys: 5 },
    );
    fc.assert(fc.property(header, fc.uint8Array({ maxLength: 80 }), fc.nat(8), (h, data, pad) => {
      check(withHeader(JSON.stringify(h) + ' '.repeat(pad), data));
    }), { numRuns: 3000 });
  });

  it('random state dicts round-trip', () => {
    const dict = fc.dictionary(
      fc.string({ maxLength: 6, unit: 'grapheme' }).filter((k) => k !== '__metadata__'),
      fc.array(fc.float({ noNaN: false }), { maxLength: 6 }),
      { maxKeys: 5 },
    );
    fc.assert(fc.property(dict, (d) => {
      const state = Object.fromEntries(Object.entries(d).map(([k, v]) => [k, tensor(v.length === 0 ? [] : v)]));
      const back = loadSafetensors(saveSafetensors(state));
      expect(Object.keys(back).sort()).toEqual(Object.keys(state).sort());
      for (const [k, t] of Object.entries(state)) expect(Array.from(back[k]!.data)).toEqual(Array.from(t.data));
    }), { numRuns: 300 });
  });

  it('no call took long', () => {
    expect(slowest).toBeLessThan(500);
  });
});
