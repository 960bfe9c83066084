/**
 * IDX parsing: every element type (big-endian), gzip by magic bytes, and a
 * clear IdxFormatError for each kind of corruption — checked by hand and by
 * a fast-check fuzz test over random and mutated files that must only ever
 * throw such errors, and quickly.
 */
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeIdx, encodeIdx, IdxFormatError, parseIdx, type IdxDtype, type IdxTypedArray } from '../../src/data/index.js';

const bytes = (...values: number[]) => new Uint8Array(values);

describe('parseIdx: element types, big-endian', () => {
  // Each case: header (00 00 <type> 01, dimension 2), then two values written out by hand.
  const cases: Array<[IdxDtype, number[], ArrayLike<number>, new (n: number) => IdxTypedArray]> = [
    ['uint8', [0x08, 0, 0, 0, 2, 0x00, 0xff], [0, 255], Uint8Array],
    ['int8', [0x09, 0, 0, 0, 2, 0x7f, 0xff], [127, -1], Int8Array],
    // 0x0102 = 258; 0xfffe = −2 in two's complement
    ['int16', [0x0b, 0, 0, 0, 2, 0x01, 0x02, 0xff, 0xfe], [258, -2], Int16Array],
    // 0x01020304 = 16909060; 0x80000000 = −2³¹
    ['int32', [0x0c, 0, 0, 0, 2, 0x01, 0x02, 0x03, 0x04, 0x80, 0, 0, 0], [16909060, -2147483648], Int32Array],
    // 0x3fc00000 = 1.5; 0xc0490fdb = −3.14159274 (π in float32, negated)
    ['float32', [0x0d, 0, 0, 0, 2, 0x3f, 0xc0, 0, 0, 0xc0, 0x49, 0x0f, 0xdb], [1.5, Math.fround(-Math.PI)], Float32Array],
    // 0xc004000000000000 = −2.5; 0x3ff0000000000001 = 1 + 2⁻⁵²
    ['float64', [0x0e, 0, 0, 0, 2, 0xc0, 0x04, 0, 0, 0, 0, 0, 0, 0x3f, 0xf0, 0, 0, 0, 0, 0, 1], [-2.5, 1 + 2 ** -52], Float64Array],
  ];

  for (const [dtype, [code, ...rest], expected, kind] of cases) {
    it(`reads ${dtype} (type code 0x${code!.toString(16)})`, async () => {
      const file = bytes(0, 0, code!, 1, ...rest);
      const parsed = await parseIdx(file);
      expect(parsed.dtype).toBe(dtype);
      expect(parsed.shape).toEqual([2]);
      expect(parsed.values).toBeInstanceOf(kind);
      expect(Array.from(parsed.values)).toEqual(Array.from(expected));
      expect(decodeIdx(file)).toEqual(parsed);
      // An ArrayBuffer works too, and an unaligned view into a larger buffer.
      expect(await parseIdx(file.slice().buffer)).toEqual(parsed);
      const padded = new Uint8Array(file.length + 3);
      padded.set(file, 3);
      expect(decodeIdx(padded.subarray(3))).toEqual(parsed);
    });
  }

  it('reads several dimensions, row-major, and zero-size and zero-dimension arrays', () => {
    const parsed = decodeIdx(bytes(0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 3, 1, 2, 3, 4, 5, 6));
    expect(parsed.shape).toEqual([2, 1, 3]);
    expect(Array.from(parsed.values)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(decodeIdx(bytes(0, 0, 8, 2, 0, 0, 0, 0, 0, 0, 0, 5)).values.length).toBe(0);
    // No dimensions: a scalar, one element (the empty product).
    expect(decodeIdx(bytes(0, 0, 8, 0, 42))).toMatchObject({ shape: [], values: new Uint8Array([42]) });
  });

  it('inflates gzip input, recognised by its magic bytes', async () => {
    const file = encodeIdx([3, 2], new Int16Array([1, -2, 300, -400, 5, 32767]));
    const parsed = await parseIdx(gzipSync(file));
    expect(parsed.shape).toEqual([3, 2]);
    expect(Array.from(parsed.values)).toEqual([1, -2, 300, -400, 5, 32767]);
  });

  it('shares the input buffer for one-byte types and copies wider ones', () => {
    const file = encodeIdx([2], new Uint8Array([7, 9]));
    expect(decodeIdx(file).values.buffer).toBe(file.buffer);
    expect(decodeIdx(encodeIdx([1], new Int32Array([5]))).values.buffer).not.toBe(file.buffer);
  });
});

describe('encodeIdx', () => {
  it('round-trips every element type through decodeIdx', () => {
    const arrays: IdxTypedArray[] = [
      new Uint8Array([0, 1, 255]), new Int8Array([-128, 0, 127]), new Int16Array([-32768, 1, 32767]),
      new Int32Array([-(2 ** 31), 1, 2 ** 31 - 1]), new Float32Array([-0.5, 3.25, 1e-30]), new Float64Array([Math.PI, -1e300, 5e-324]),
    ];
    for (const values of arrays) expect(Array.from(decodeIdx(encodeIdx([3], values)).values)).toEqual(Array.from(values));
    expect(Array.from(decodeIdx(encodeIdx([2], [1, 2], 'int16')).values)).toEqual([1, 2]);
  });

  it('rejects shapes that do not match the values', () => {
    expect(() => encodeIdx([2, 2], new Uint8Array(3))).toThrow('encodeIdx: shape [2,2] holds 4 values, got 3');
    expect(() => encodeIdx([1.5], new Uint8Array(1))).toThrow('encodeIdx: dimensions must be integers');
    expect(() => encodeIdx([2], [1, 2])).toThrow('encodeIdx: expected a typed array');
  });
});

describe('parseIdx: corrupt input is a clear IdxFormatError', () => {
  const errorOf = (input: Uint8Array): IdxFormatError => {
    try {
      decodeIdx(input);
    } catch (error) {
      expect(error).toBeInstanceOf(IdxFormatError);
      return error as IdxFormatError;
    }
    throw new Error('expected decodeIdx to throw');
  };

  it('wrong magic number', () => {
    const error = errorOf(bytes(1, 0, 8, 1, 0, 0, 0, 0));
    expect(error.reason).toBe('magic');
    expect(error.message).toBe('decodeIdx: wrong magic number: an IDX file starts with 00 00, got 0x01 0x00 (not an IDX file?)');
  });

  it('unknown element type code', () => {
    const error = errorOf(bytes(0, 0, 0x0a, 1, 0, 0, 0, 0));
    expect(error.reason).toBe('type');
    expect(error.message).toMatch(/^decodeIdx: unknown element type code 0x0a; expected 0x08 \(uint8\), .* or 0x0e \(float64\)$/);
  });

  it('truncated header', () => {
    expect(errorOf(bytes(0, 0, 8)).message).toBe('decodeIdx: truncated header: expected at least the 4 bytes 00 00 <type> <ndims>, got 3 bytes');
    const error = errorOf(bytes(0, 0, 8, 3, 0, 0, 0, 1, 0, 0));
    expect(error.reason).toBe('truncated');
    expect(error.message).toBe('decodeIdx: truncated header: 3 dimensions need 16 header bytes, got 10');
  });

  it('truncated data', () => {
    const file = encodeIdx([2, 3], new Int32Array(6));
    const error = errorOf(file.subarray(0, file.length - 1));
    expect(error.reason).toBe('truncated');
    expect(error.message).toBe('decodeIdx: truncated data: shape [2,3] of int32 needs 24 bytes after the 12-byte header, got 23');
  });

  it('a dimension product that overflows', () => {
    const error = errorOf(bytes(0, 0, 0x0e, 3, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 2, 1, 2, 3));
    expect(error.reason).toBe('overflow');
    expect(error.message).toMatch(/^decodeIdx: dimensions \[4294967295,4294967295,2\] of float64 hold 3\.689e\+19 elements, beyond the 4 GiB/);
    // Huge dimensions times a zero are an empty array, not an overflow.
    expect(decodeIdx(bytes(0, 0, 8, 3, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0)).values.length).toBe(0);
  });

  it('trailing garbage', () => {
    const error = errorOf(bytes(0, 0, 8, 1, 0, 0, 0, 2, 1, 2, 3));
    expect(error.reason).toBe('trailing');
    expect(error.message).toBe('decodeIdx: trailing garbage: 1 byte after the data of shape [2] of uint8 (expected a file of 10 bytes, got 11)');
  });

  it('corrupt or truncated gzip, and gzip given to the synchronous decoder', async () => {
    const gz = gzipSync(encodeIdx([100], new Uint8Array(100).fill(3)));
    await expect(parseIdx(gz.subarray(0, gz.length - 5))).rejects.toThrow(/^parseIdx: input starts with the gzip magic bytes 1f 8b but cannot be inflated: not a valid gzip stream/);
    await expect(parseIdx(gz.subarray(0, gz.length - 5))).rejects.toBeInstanceOf(IdxFormatError);
    expect(errorOf(gz).message).toBe('decodeIdx: input is gzip-compressed (starts with 1f 8b); use await parseIdx(bytes), or parseIdxSync from tensorgrad/node');
    await expect(parseIdx(gzipSync(gz))).rejects.toThrow('parseIdx: the inflated input starts with the gzip magic bytes 1f 8b again (compressed twice?)');
    // A valid gzip stream of a corrupt IDX file still reports the IDX problem.
    await expect(parseIdx(gzipSync(bytes(0, 0, 8, 1, 0, 0, 0, 2, 1)))).rejects.toThrow('parseIdx: truncated data');
  });

  it('rejects what is not bytes', async () => {
    await expect(parseIdx('IDX' as unknown as Uint8Array)).rejects.toThrow('parseIdx: expected a Uint8Array or ArrayBuffer, got string');
    expect(() => decodeIdx([0, 0, 8, 0] as unknown as Uint8Array)).toThrow('decodeIdx: expected a Uint8Array or ArrayBuffer, got Array');
  });
});

describe('parseIdx fuzz: only IdxFormatErrors, never a hang', () => {
  const dtypes: IdxDtype[] = ['uint8', 'int8', 'int16', 'int32', 'float32', 'float64'];
  const arrayOf: Record<IdxDtype, (n: number) => IdxTypedArray> = {
    uint8: (n) => new Uint8Array(n), int8: (n) => new Int8Array(n), int16: (n) => new Int16Array(n),
    int32: (n) => new Int32Array(n), float32: (n) => new Float32Array(n), float64: (n) => new Float64Array(n),
  };

  /** A valid IDX file of a random type and shape, filled with random bytes' worth of values. */
  const validFile = fc
    .record({
      dtype: fc.constantFrom(...dtypes),
      shape: fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 0, maxLength: 4 }),
      seed: fc.integer(),
    })
    .map(({ dtype, shape, seed }) => {
      const count = shape.reduce((a, b) => a * b, 1);
      const values = arrayOf[dtype](count);
      for (let i = 0; i < count; i++) values[i] = dtype.startsWith('float') ? Math.sin(seed + i) * 1000 : (seed * 31 + i * 7) % 100;
      return encodeIdx(shape, values);
    });

  type Mutation =
    | { kind: 'truncate'; at: number }
    | { kind: 'append'; extra: Uint8Array }
    | { kind: 'set'; at: number; value: number }
    | { kind: 'none' };
  const mutation: fc.Arbitrary<Mutation> = fc.oneof(
    fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
    fc.record({ kind: fc.constant('append' as const), extra: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
    fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
    fc.constant({ kind: 'none' as const }),
  );
  const mutate = (file: Uint8Array, m: Mutation): Uint8Array => {
    if (m.kind === 'truncate') return file.subarray(0, m.at % (file.length + 1));
    if (m.kind === 'append') return new Uint8Array([...file, ...m.extra]);
    if (m.kind === 'set') {
      const copy = file.slice();
      copy[m.at % copy.length] = m.value;
      return copy;
    }
    return file;
  };

  const input = fc.oneof(
    fc.uint8Array({ maxLength: 64 }),
    // Random bytes behind a valid-looking header: any type code, any rank.
    fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 4 }), fc.uint8Array({ maxLength: 48 }))
      .map(([code, ndims, rest]) => new Uint8Array([0, 0, code, ndims, ...rest])),
    // A valid header whose dimensions multiply past 4 GiB: random mutations
    // almost never build one, so the overflow check gets inputs of its own.
    fc.tuple(
      fc.constantFrom(0x08, 0x09, 0x0b, 0x0c, 0x0d, 0x0e),
      fc.array(fc.integer({ min: 0x10000, max: 0xffffffff }), { minLength: 2, maxLength: 4 }),
      fc.uint8Array({ maxLength: 16 }),
    ).map(([code, dims, rest]) => {
      const header = new DataView(new ArrayBuffer(4 + 4 * dims.length));
      header.setUint8(2, code);
      header.setUint8(3, dims.length);
      dims.forEach((d, i) => header.setUint32(4 + 4 * i, d)); // big-endian
      return new Uint8Array([...new Uint8Array(header.buffer), ...rest]);
    }),
    fc.tuple(validFile, mutation, fc.boolean()).map(([file, m, gzip]) => {
      const mutated = mutate(gzip ? new Uint8Array(gzipSync(file)) : file, m);
      return mutated;
    }),
  );

  const withTimeout = <T>(promise: Promise<T>, ms: number): Promise<T> =>
    Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`hang: no answer within ${ms} ms`)), ms))]);

  it('parses or throws an IdxFormatError naming parseIdx, for 1500 random and mutated inputs', async () => {
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(input, async (file) => {
        let parsed;
        try {
          parsed = await withTimeout(parseIdx(file), 2000);
        } catch (error) {
          if (!(error instanceof IdxFormatError)) throw error;
          seen.add(error.reason);
          expect(error.message).toMatch(/^parseIdx: (wrong magic number|unknown element type code|truncated header|truncated data|dimensions .* beyond the 4 GiB|trailing garbage|input starts with the gzip magic bytes)/);
          return;
        }
        // Whatever parses is consistent: as many values as the shape holds.
        expect(parsed.values.length).toBe(parsed.shape.reduce((a, b) => a * b, 1));
        seen.add('parsed');
      }),
      { numRuns: 1500, interruptAfterTimeLimit: 20_000 },
    );
    // The inputs reach every check (and also parse sometimes).
    expect([...seen].sort()).toEqual(['gzip', 'magic', 'overflow', 'parsed', 'trailing', 'truncated', 'type']);
  });

  it('round-trips every valid file, raw and gzip', async () => {
    await fc.assert(
      fc.asyncProperty(validFile, async (file) => {
        const raw = decodeIdx(file);
        const inflated = await parseIdx(gzipSync(file));
        expect(inflated.shape).toEqual(raw.shape);
        expect(Array.from(inflated.values)).toEqual(Array.from(raw.values));
        expect(encodeIdx(raw.shape, raw.values)).toEqual(file);
      }),
      { numRuns: 200 },
    );
  });
});
