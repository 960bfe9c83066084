/**
 * safetensors: the writer against the reference implementation's own test
 * vectors and against files written by the Python writer in gen_io.py;
 * metadata; dtype conversion on load (files crafted by hand below); data at
 * odd alignments; and a table of headers that lie, each of which must be an
 * Error naming the problem.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tensor, Tensor, zeros } from '../../src/index.js';
import { loadSafetensors, readSafetensorsHeader, saveSafetensors } from '../../src/io/index.js';
import { Dense, ReLU, Sequential } from '../../src/nn/index.js';

const FIXTURES = join(__dirname, '..', 'fixtures', 'io');
const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(join(FIXTURES, name)));
const cases = JSON.parse(readFileSync(join(FIXTURES, 'io.json'), 'utf8'));

/** A file from a header (object or raw text) and a data buffer, padded like the reference writer unless told not to. */
function craft(header: unknown, data: ArrayLike<number> = [], options: { pad?: boolean; headerLength?: number } = {}): Uint8Array {
  let text = new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  if (options.pad !== false) {
    const padded = new Uint8Array(Math.ceil(text.length / 8) * 8).fill(0x20);
    padded.set(text);
    text = padded;
  }
  const out = new Uint8Array(8 + text.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(options.headerLength ?? text.length), true);
  out.set(text, 8);
  out.set(Array.from(data), 8 + text.length);
  return out;
}

const f32Bytes = (values: number[]): number[] => Array.from(new Uint8Array(new Float32Array(values).buffer));
const ascii = (text: string): number[] => Array.from(new TextEncoder().encode(text));

describe('saveSafetensors', () => {
  // The expected bytes of the reference implementation's unit tests
  // (huggingface/safetensors, tensor.rs: test_serialization, test_empty,
  // test_serialization_forced_alignement), rebuilt from their text.
  it('writes the reference test vectors byte for byte', () => {
    const values = [0, 1, 2, 3, 4, 5];
    const header = '{"attn.0":{"dtype":"F32","shape":[1,2,3],"data_offsets":[0,24]}}'; // 64 bytes: no padding
    expect(Array.from(saveSafetensors({ 'attn.0': tensor(values).reshape([1, 2, 3]) })))
      .toEqual([64, 0, 0, 0, 0, 0, 0, 0, ...ascii(header), ...f32Bytes(values)]);

    const padded = `${'{"attn0":{"dtype":"F32","shape":[1,1,2,3],"data_offsets":[0,24]}}'}       `; // 65 + 7 spaces
    expect(Array.from(saveSafetensors({ attn0: tensor(values).reshape([1, 1, 2, 3]) })))
      .toEqual([72, 0, 0, 0, 0, 0, 0, 0, ...ascii(padded), ...f32Bytes(values)]);

    expect(Array.from(saveSafetensors({}))).toEqual([8, 0, 0, 0, 0, 0, 0, 0, ...ascii('{}      ')]);
    expect(Array.from(saveSafetensors({}, { framework: 'pt' })))
      .toEqual([40, 0, 0, 0, 0, 0, 0, 0, ...ascii('{"__metadata__":{"framework":"pt"}}     ')]);
  });

  it('is byte-identical to the Python writer for a PyTorch MLP state dict', () => {
    const file = fixture('mlp.safetensors');
    const model = new Sequential(new Dense(784, 32), new ReLU(), new Dense(32, 10));
    model.loadStateDict(loadSafetensors(file));
    expect(saveSafetensors(model.stateDict())).toEqual(file);
  });

  it('is byte-identical to the Python writer for odd names, a scalar, an empty tensor and metadata', () => {
    const { tensors, metadata } = cases.metadata as {
      tensors: Record<string, { shape: number[]; data: number[] }>;
      metadata: Record<string, string>;
    };
    // Insertion order differs from the file's; the writer sorts by code point
    // ('\ue000' before '😀', unlike UTF-16 order).
    const dict: Record<string, Tensor> = {};
    for (const name of Object.keys(tensors).reverse()) {
      dict[name] = new Tensor(new Float32Array(tensors[name]!.data), tensors[name]!.shape);
    }
    expect(saveSafetensors(dict, metadata)).toEqual(fixture('metadata.safetensors'));
  });

  it('round-trips values exactly, including NaN, ±Infinity and -0, and keeps shapes', () => {
    const special = tensor([NaN, Infinity, -Infinity, -0, 1e-45, 3.4028234663852886e38]);
    const dict = { special, scalar: tensor(2.5), empty: zeros([0, 4]), w: tensor([[1, 2, 3], [4, 5, 6]]) };
    const back = loadSafetensors(saveSafetensors(dict));
    expect(Object.keys(back).sort()).toEqual(['empty', 'scalar', 'special', 'w']);
    expect(Array.from(back.special!.data)).toEqual(Array.from(special.data)); // Object.is-equal, -0 and NaN included
    expect(Object.is(back.special!.data[3], -0)).toBe(true);
    expect(back.scalar!.shape).toEqual([]);
    expect(back.scalar!.item()).toBe(2.5);
    expect(back.empty!.shape).toEqual([0, 4]);
    expect(back.w!.toArray()).toEqual([[1, 2, 3], [4, 5, 6]]);
  });

  it('gives loaded tensors their own data (not views of the file)', () => {
    const bytes = saveSafetensors({ w: tensor([1, 2]) });
    const w = loadSafetensors(bytes).w!;
    bytes.fill(0);
    expect(Array.from(w.data)).toEqual([1, 2]);
  });

  it('writes a tensor that is a view into a larger buffer correctly', () => {
    const big = new Float32Array([9, 9, 1, 2, 3, 9]);
    const view = new Tensor(big.subarray(2, 5), [3]);
    expect(Array.from(loadSafetensors(saveSafetensors({ v: view })).v!.data)).toEqual([1, 2, 3]);
  });

  it('refuses what it cannot write, naming the key', () => {
    expect(() => saveSafetensors({ w: [1, 2] as unknown as Tensor })).toThrow(/"w" is not a Tensor/);
    expect(() => saveSafetensors({ __metadata__: tensor([1]) })).toThrow(/reserved/);
    expect(() => saveSafetensors({ '\ud800': tensor([1]) })).toThrow(/lone surrogate/);
    expect(() => saveSafetensors({}, { epoch: 3 as unknown as string })).toThrow(/metadata value of "epoch" must be a string, got 3/);
  });
});

describe('metadata', () => {
  it('round-trips string → string metadata, any keys and characters', () => {
    const metadata = { format: 'pt', '0': 'zero', note: 'quote " backslash \\ newline \n tab \t é 😀', __proto__x: '' };
    const bytes = saveSafetensors({ w: tensor([1]) }, metadata);
    expect(readSafetensorsHeader(bytes).metadata).toEqual(metadata);
    expect(readSafetensorsHeader(saveSafetensors({ w: tensor([1]) })).metadata).toEqual({});
  });

  it('reads the metadata of the Python-written file', () => {
    expect(readSafetensorsHeader(fixture('metadata.safetensors')).metadata).toEqual({ format: 'pt' });
  });

  it('keeps a key named __proto__ as an own property', () => {
    const bytes = craft('{"__metadata__":{"__proto__":"p"},"__proto__":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}', f32Bytes([7]));
    expect(Object.keys(readSafetensorsHeader(bytes).metadata)).toEqual(['__proto__']);
    const loaded = loadSafetensors(bytes);
    expect(Object.keys(loaded)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(loaded)).toBe(Object.prototype);
  });
});

describe('readSafetensorsHeader', () => {
  it('lists dtypes, shapes and offsets in data order', () => {
    const { tensors, dataStart } = readSafetensorsHeader(fixture('mlp.safetensors'));
    expect(Object.keys(tensors)).toEqual(['0.bias', '0.weight', '2.bias', '2.weight']);
    expect(tensors['0.weight']).toEqual({ dtype: 'F32', shape: [32, 784], dataOffsets: [128, 100480] });
    expect(dataStart % 8).toBe(0);
  });

  it('accepts tensors listed out of offset order in the header (the reference sorts them)', () => {
    const bytes = craft({
      second: { dtype: 'F32', shape: [1], data_offsets: [4, 8] },
      first: { dtype: 'F32', shape: [1], data_offsets: [0, 4] },
    }, f32Bytes([1, 2]));
    const loaded = loadSafetensors(bytes);
    expect(loaded.first!.item()).toBe(1);
    expect(loaded.second!.item()).toBe(2);
  });
});

describe('dtype conversion on load', () => {
  /** One tensor of `dtype` with the given raw little-endian bytes. */
  const one = (dtype: string, shape: number[], bytes: number[]): Tensor =>
    loadSafetensors(craft({ x: { dtype, shape, data_offsets: [0, bytes.length] } }, bytes)).x!;
  const le = (write: (view: DataView) => void, length: number): number[] => {
    const view = new DataView(new ArrayBuffer(length));
    write(view);
    return Array.from(new Uint8Array(view.buffer));
  };

  it('F16: normals, subnormals, ±0, ±Infinity, NaN, max', () => {
    // 0x3c00 = 1, 0xc000 = -2, 0x3555 ≈ 1/3, 0x0001 = 2⁻²⁴ (smallest subnormal),
    // 0x03ff = 1023·2⁻²⁴ (largest subnormal), 0x7bff = 65504 (max), 0x8000 = -0
    const bits = [0x3c00, 0xc000, 0x3555, 0x0001, 0x03ff, 0x7bff, 0x8000, 0x7c00, 0xfc00, 0x7e00];
    const x = one('F16', [2, 5], le((v) => bits.forEach((b, i) => v.setUint16(2 * i, b, true)), 20));
    expect(x.shape).toEqual([2, 5]);
    expect(Array.from(x.data)).toEqual([1, -2, 0.333251953125, 2 ** -24, 1023 * 2 ** -24, 65504, -0, Infinity, -Infinity, NaN]);
  });

  it('BF16: the top 16 bits of a float32', () => {
    // 0x3f80 = 1, 0xc020 = -2.5, 0x4049 = 3.140625, 0x0001 = 2⁻¹³³ (smallest subnormal),
    // 0x7f7f = (2 − 2⁻⁷)·2¹²⁷ (max), 0x8000 = -0, 0x7f80 = Infinity, 0x7fc0 = NaN
    const bits = [0x3f80, 0xc020, 0x4049, 0x0001, 0x7f7f, 0x8000, 0x7f80, 0x7fc0];
    const x = one('BF16', [8], le((v) => bits.forEach((b, i) => v.setUint16(2 * i, b, true)), 16));
    expect(Array.from(x.data)).toEqual([1, -2.5, 3.140625, 2 ** -133, (2 - 2 ** -7) * 2 ** 127, -0, Infinity, NaN]);
  });

  it('F64: rounds to the nearest float32', () => {
    const values = [0.1, -1 / 3, 1e300, 2 ** -149, 123456789.123];
    const x = one('F64', [5], le((v) => values.forEach((value, i) => v.setFloat64(8 * i, value, true)), 40));
    expect(Array.from(x.data)).toEqual(values.map(Math.fround));
  });

  it('integers and BOOL', () => {
    expect(Array.from(one('I8', [3], [0x80, 0xff, 0x7f]).data)).toEqual([-128, -1, 127]);
    expect(Array.from(one('U8', [3], [0, 200, 255]).data)).toEqual([0, 200, 255]);
    expect(Array.from(one('BOOL', [3], [0, 1, 2]).data)).toEqual([0, 1, 1]);
    expect(Array.from(one('I16', [2], le((v) => { v.setInt16(0, -30000, true); v.setInt16(2, 7, true); }, 4)).data)).toEqual([-30000, 7]);
    expect(Array.from(one('U16', [1], le((v) => v.setUint16(0, 65535, true), 2)).data)).toEqual([65535]);
    expect(Array.from(one('I32', [2], le((v) => { v.setInt32(0, -5, true); v.setInt32(4, 1 << 24, true); }, 8)).data)).toEqual([-5, 16777216]);
    expect(Array.from(one('U32', [1], le((v) => v.setUint32(0, 4294967295, true), 4)).data)).toEqual([4294967296]);
    expect(Array.from(one('I64', [2], le((v) => { v.setBigInt64(0, -3n, true); v.setBigInt64(8, 2n ** 40n, true); }, 16)).data))
      .toEqual([-3, 2 ** 40]);
    expect(Array.from(one('U64', [1], le((v) => v.setBigUint64(0, 2n ** 64n - 1n, true), 8)).data)).toEqual([2 ** 64]);
  });

  it('F8_E4M3 and F8_E5M2', () => {
    // e4m3fn: 0x38 = 1, 0xc0 = -2, 0x7e = 448 (max), 0x01 = 2⁻⁹, 0x7f = NaN
    expect(Array.from(one('F8_E4M3', [5], [0x38, 0xc0, 0x7e, 0x01, 0x7f]).data)).toEqual([1, -2, 448, 2 ** -9, NaN]);
    // e5m2 is the top byte of a float16: 0x3c = 1, 0x7b = 57344 (max), 0x7c = Infinity
    expect(Array.from(one('F8_E5M2', [3], [0x3c, 0x7b, 0x7c]).data)).toEqual([1, 57344, Infinity]);
  });

  it('mixed dtypes in one file, in any order', () => {
    const bytes = craft({
      h: { dtype: 'F16', shape: [1], data_offsets: [4, 6] },
      f: { dtype: 'F32', shape: [1], data_offsets: [0, 4] },
      d: { dtype: 'F64', shape: [1], data_offsets: [6, 14] },
    }, [...f32Bytes([0.5]), 0x00, 0x3c, ...le((v) => v.setFloat64(0, 0.25, true), 8)]);
    const loaded = loadSafetensors(bytes);
    expect([loaded.f!.item(), loaded.h!.item(), loaded.d!.item()]).toEqual([0.5, 1, 0.25]);
  });

  it('reads F32 data at every alignment (copying where it is not 4-byte aligned)', () => {
    const values = [1.5, -2, 3.25];
    for (let pad = 0; pad < 8; pad++) {
      // A header padded to length 8k + pad puts the data at byte 8 + 8k + pad of the file…
      const text = `{"x":{"dtype":"F32","shape":[3],"data_offsets":[0,12]}}`;
      const header = text + ' '.repeat(((pad - text.length) % 8 + 8) % 8);
      const file = craft(header, f32Bytes(values), { pad: false });
      expect(Array.from(loadSafetensors(file).x!.data)).toEqual(values);
      // …and a Uint8Array that starts at an odd offset of its buffer shifts it again.
      const shifted = new Uint8Array(file.length + 3);
      shifted.set(file, 3);
      expect(Array.from(loadSafetensors(shifted.subarray(3)).x!.data)).toEqual(values);
      expect(Array.from(loadSafetensors(file.slice().buffer).x!.data)).toEqual(values);
    }
  });
});

describe('headers that lie', () => {
  const x4 = f32Bytes([1, 2, 3, 4]);
  const t = (shape: unknown, offsets: unknown, dtype: unknown = 'F32') => ({ dtype, shape, data_offsets: offsets });
  const lengthOnly = (n: bigint, total: number): Uint8Array => {
    const out = new Uint8Array(total);
    new DataView(out.buffer).setBigUint64(0, n, true);
    out[8] = 0x7b;
    return out;
  };
  const table: [string, Uint8Array, RegExp][] = [
    ['empty file', new Uint8Array(0), /0 bytes, too short/],
    ['7 bytes', new Uint8Array(7), /7 bytes, too short/],
    ['header length past the end', lengthOnly(100n, 50), /header length 100 runs past the end of the file \(50 bytes/],
    ['header length over 100 MB', lengthOnly(100_000_001n, 16), /larger than the 100 MB limit/],
    ['header length 2^64 - 1', lengthOnly(2n ** 64n - 1n, 16), /larger than the 100 MB limit/],
    ['zero header length', lengthOnly(0n, 8), /must be a JSON object starting with "\{"/],
    ['header not starting with {', craft(' {}'), /starting with "\{"/],
    ['a JSON array', craft('[1,2]'), /starting with "\{"/],
    ['bad JSON', craft('{"x":'), /not valid JSON/],
    ['JSON with trailing garbage', craft('{} x'), /not valid JSON/],
    // 0xff never occurs in UTF-8
    ['invalid UTF-8', new Uint8Array([8, 0, 0, 0, 0, 0, 0, 0, 0x7b, 0xff, 0x7d, 0x20, 0x20, 0x20, 0x20, 0x20]), /header is not valid UTF-8/],
    ['a duplicate tensor name', craft('{"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"x":{"dtype":"U8","shape":[4],"data_offsets":[0,4]}}', x4.slice(0, 4)), /key "x" more than once/],
    ['a duplicate name spelled with an escape', craft('{"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"\\u0078":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}', x4.slice(0, 4)), /key "x" more than once/],
    ['a duplicate field', craft('{"x":{"dtype":"F32","dtype":"F32","shape":[1],"data_offsets":[0,4]}}', x4.slice(0, 4)), /key "dtype" more than once/],
    ['metadata not an object', craft({ __metadata__: ['a'] }), /"__metadata__" must be an object of strings, got \["a"\]/],
    ['metadata value a number', craft({ __metadata__: { epoch: 3 } }), /value of "epoch" must be a string, got 3/],
    ['metadata value an object', craft({ __metadata__: { nested: { a: 'b' } } }), /value of "nested" must be a string, got an object/],
    ['tensor entry not an object', craft({ x: 5 }), /tensor "x": expected \{dtype, shape, data_offsets\}, got 5/],
    ['unknown dtype', craft({ x: t([1], [0, 4], 'F33') }, x4.slice(0, 4)), /tensor "x": unsupported dtype "F33" \(supported: F64, F32/],
    ['unsupported dtype C64', craft({ x: t([1], [0, 8], 'C64') }, x4.slice(0, 8)), /unsupported dtype "C64"/],
    ['dtype missing', craft({ x: { shape: [1], data_offsets: [0, 4] } }, x4.slice(0, 4)), /tensor "x": dtype must be a string, got undefined/],
    ['negative shape', craft({ x: t([-1], [0, 4]) }, x4.slice(0, 4)), /tensor "x": shape must be an array of non-negative integers, got \[-1\]/],
    ['fractional shape', craft({ x: t([1.5], [0, 4]) }, x4.slice(0, 4)), /shape must be an array of non-negative integers, got \[1.5\]/],
    ['string shape', craft({ x: t(['4'], [0, 16]) }, x4), /shape must be an array of non-negative integers/],
    ['shape not an array', craft({ x: t(4, [0, 16]) }, x4), /shape must be an array of non-negative integers, got 4/],
    ['one offset', craft({ x: t([1], [0]) }, x4.slice(0, 4)), /data_offsets must be \[begin, end\]/],
    ['negative offset', craft({ x: t([1], [-4, 0]) }, x4.slice(0, 4)), /data_offsets must be \[begin, end\], two non-negative integers, got \[-4, 0\]/],
    ['huge offset', craft({ x: t([1], [0, 1e300]) }, x4.slice(0, 4)), /data_offsets must be/],
    ['end before begin', craft({ x: t([1], [8, 4]) }, x4), /tensor "x": data_offsets \[8, 4\] end before they begin/],
    ['offsets past the end', craft({ x: t([4], [0, 16]) }, x4.slice(0, 12)), /tensor "x": data_offsets \[0, 16\] run past the end of the data \(12 bytes/],
    ['data length ≠ dtype size × elements', craft({ x: t([3], [0, 16]) }, x4), /tensor "x": F32 shape \[3\] needs 12 bytes but data_offsets \[0, 16\] hold 16/],
    ['shape product overflowing 2^53', craft({ x: t([2 ** 30, 2 ** 30, 2 ** 30], [0, 16]) }, x4), /needs more than 2\^53 bytes/],
    ['overlapping ranges', craft({ a: t([2], [0, 8]), b: t([2], [4, 12]) }, x4.slice(0, 12)), /tensor "b": data_offsets \[4, 12\] overlap those of "a"/],
    ['two tensors on one range', craft({ a: t([2], [0, 8]), b: t([2], [0, 8]) }, x4.slice(0, 8)), /overlap those of "a"/],
    ['a gap between tensors', craft({ a: t([1], [0, 4]), b: t([1], [8, 12]) }, x4.slice(0, 12)), /bytes 4\.\.8 of the data belong to no tensor/],
    ['a gap at the start', craft({ a: t([1], [4, 8]) }, x4.slice(0, 8)), /bytes 0\.\.4 of the data belong to no tensor/],
    ['trailing bytes', craft({ a: t([1], [0, 4]) }, x4), /12 trailing bytes after the last tensor/],
    ['data but no tensors', craft({}, [1, 2, 3]), /3 trailing bytes/],
  ];

  it.each(table)('%s', (_name, bytes, message) => {
    for (const load of [loadSafetensors, readSafetensorsHeader]) {
      let thrown: unknown;
      try {
        load(bytes);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(Error);
      expect((thrown as Error).constructor).toBe(Error); // not a RangeError/TypeError/SyntaxError leaking through
      expect((thrown as Error).message).toMatch(message);
      expect((thrown as Error).message).toMatch(/^(loadSafetensors|readSafetensorsHeader): /);
    }
  });

  it('accepts whitespace padding of any length and zero-size tensors anywhere', () => {
    const header = `${JSON.stringify({ e: t([0, 5], [4, 4]), a: t([1], [0, 4]), z: t([2, 0], [4, 4]) })}${' '.repeat(13)}`;
    const loaded = loadSafetensors(craft(header, x4.slice(0, 4), { pad: false }));
    expect(loaded.e!.shape).toEqual([0, 5]);
    expect(loaded.a!.item()).toBe(1);
  });

  it('rejects input that is not bytes', () => {
    expect(() => loadSafetensors('abc' as unknown as Uint8Array)).toThrow(/expected a Uint8Array or ArrayBuffer, got "abc"/);
  });
});
