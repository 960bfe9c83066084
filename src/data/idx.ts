/**
 * The IDX file format (MNIST's): a 4-byte header `00 00 <type> <ndims>`,
 * `ndims` big-endian uint32 dimensions, then the values, big-endian,
 * row-major. Every element type is read; corrupt input is an
 * {@link IdxFormatError} naming the problem, never a garbage array.
 * @module
 */
import { inflateWithStreams, isGzip, type Inflate } from './gzip.js';

/** Element types of IDX files, by the name of the JavaScript typed array they decode to. */
export type IdxDtype = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';

/** The typed arrays {@link parseIdx} returns, one per {@link IdxDtype}. */
export type IdxTypedArray = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

/** A decoded IDX file. */
export interface IdxArray {
  /** Dimensions, outermost first (`[60000, 28, 28]` for MNIST's training images). */
  shape: number[];
  /** The values in row-major order, as the typed array of the file's element type. */
  values: IdxTypedArray;
  /** The element type named by the header's type code. */
  dtype: IdxDtype;
}

/** What was wrong with an IDX input (the `reason` of an {@link IdxFormatError}). */
export type IdxErrorReason = 'gzip' | 'magic' | 'type' | 'truncated' | 'overflow' | 'trailing';

/**
 * A corrupt or unsupported IDX input. The message names the function, what
 * was expected and what was found; `reason` classifies it.
 * @example
 * try { decodeIdx(new Uint8Array([1, 2, 3, 4])); }
 * catch (e) { if (e instanceof IdxFormatError) console.log(e.reason); } // 'magic'
 */
export class IdxFormatError extends Error {
  /** Which check failed. */
  readonly reason: IdxErrorReason;

  /**
   * @param reason - which check failed
   * @param message - the full message
   */
  constructor(reason: IdxErrorReason, message: string) {
    super(message);
    this.name = 'IdxFormatError';
    this.reason = reason;
  }
}

interface ElementType {
  dtype: IdxDtype;
  bytes: number;
}

const ELEMENT_TYPES: Record<number, ElementType> = {
  0x08: { dtype: 'uint8', bytes: 1 },
  0x09: { dtype: 'int8', bytes: 1 },
  0x0b: { dtype: 'int16', bytes: 2 },
  0x0c: { dtype: 'int32', bytes: 4 },
  0x0d: { dtype: 'float32', bytes: 4 },
  0x0e: { dtype: 'float64', bytes: 8 },
};

/** Header type code of each element type, for {@link encodeIdx}. */
const TYPE_CODES: Record<IdxDtype, number> = { uint8: 0x08, int8: 0x09, int16: 0x0b, int32: 0x0c, float32: 0x0d, float64: 0x0e };

const hex = (byte: number): string => `0x${byte.toString(16).padStart(2, '0')}`;

function asBytes(input: Uint8Array | ArrayBuffer, fn: string): Uint8Array {
  if (input instanceof Uint8Array) return input;
  if (input instanceof ArrayBuffer) return new Uint8Array(input);
  const given = input === null ? 'null' : typeof input === 'object' ? (input as object).constructor?.name ?? 'object' : typeof input;
  throw new TypeError(`${fn}: expected a Uint8Array or ArrayBuffer, got ${given}`);
}

/**
 * Decodes uncompressed IDX bytes (synchronously).
 *
 * One-byte element types (`uint8`, `int8`) come back as views on `bytes`
 * (no copy); wider ones are converted from big-endian into a new array.
 * @param bytes - the file's contents, uncompressed
 * @returns the shape, the values and the element type
 * @throws IdxFormatError for gzip input (use {@link parseIdx}), a wrong
 *   magic number, an unknown type code, a truncated header or body, a
 *   dimension product beyond 2⁵³ or the largest array, or bytes after the data
 * @throws TypeError when `bytes` is neither a Uint8Array nor an ArrayBuffer
 * @example
 * const { shape, values } = decodeIdx(new Uint8Array([0, 0, 8, 1, 0, 0, 0, 2, 7, 9]));
 * // shape [2], values Uint8Array [7, 9]
 */
export function decodeIdx(bytes: Uint8Array | ArrayBuffer): IdxArray {
  return decode(asBytes(bytes, 'decodeIdx'), 'decodeIdx');
}

/**
 * Parses an IDX file, raw or gzip-compressed (recognised by its magic bytes
 * `1f 8b`, not by a file name). Gzip is inflated with the web-standard
 * `DecompressionStream`, so this works unchanged in browsers and in Node;
 * `tensorgrad/node`'s `parseIdxSync` inflates with zlib instead.
 *
 * Element types: `0x08` uint8, `0x09` int8, `0x0B` int16, `0x0C` int32,
 * `0x0D` float32, `0x0E` float64, all big-endian. One-byte types of raw
 * input are views on the input (no copy).
 * @param bytes - the file's contents
 * @returns the shape, the values (typed array of the file's element type) and the element type
 * @throws IdxFormatError (as a rejected promise) for corrupt gzip, a wrong
 *   magic number, an unknown type code, truncated data, a dimension product
 *   that overflows or does not match the length, or trailing bytes
 * @throws TypeError when `bytes` is neither a Uint8Array nor an ArrayBuffer
 * @example
 * const labels = await parseIdx(await (await fetch('t10k-labels-idx1-ubyte.gz')).arrayBuffer());
 * labels.shape;  // [10000]
 * labels.values; // Uint8Array [7, 2, 1, 0, 4, …]
 */
export async function parseIdx(bytes: Uint8Array | ArrayBuffer): Promise<IdxArray> {
  return parseIdxWith(asBytes(bytes, 'parseIdx'), inflateWithStreams, 'parseIdx');
}

/**
 * {@link parseIdx} with a chosen gzip inflater (tensorgrad/node passes zlib's).
 * @param bytes - the file's contents
 * @param inflate - inflates gzip bytes
 * @param fn - the public function's name, for messages
 * @returns the decoded file
 * @throws IdxFormatError as {@link parseIdx}
 */
export async function parseIdxWith(bytes: Uint8Array, inflate: Inflate, fn: string): Promise<IdxArray> {
  if (!isGzip(bytes)) return decode(bytes, fn);
  let inflated: Uint8Array;
  try {
    inflated = await inflate(bytes);
  } catch (error) {
    throw new IdxFormatError('gzip', `${fn}: input starts with the gzip magic bytes 1f 8b but cannot be inflated: ${(error as Error).message}`);
  }
  return decodeInflated(inflated, fn);
}

/**
 * Gzip-aware synchronous parse, for runtimes with a synchronous inflater.
 * @param bytes - the file's contents
 * @param inflateSync - inflates gzip bytes synchronously
 * @param fn - the public function's name, for messages
 * @returns the decoded file
 * @throws IdxFormatError as {@link parseIdx}
 */
export function parseIdxSyncWith(bytes: Uint8Array | ArrayBuffer, inflateSync: (compressed: Uint8Array) => Uint8Array, fn: string): IdxArray {
  const raw = asBytes(bytes, fn);
  if (!isGzip(raw)) return decode(raw, fn);
  let inflated: Uint8Array;
  try {
    inflated = inflateSync(raw);
  } catch (error) {
    throw new IdxFormatError('gzip', `${fn}: input starts with the gzip magic bytes 1f 8b but cannot be inflated: ${(error as Error).message}`);
  }
  return decodeInflated(inflated, fn);
}

/** Decodes inflated bytes, naming a second layer of gzip for what it is. */
function decodeInflated(inflated: Uint8Array, fn: string): IdxArray {
  if (isGzip(inflated)) {
    throw new IdxFormatError('gzip', `${fn}: the inflated input starts with the gzip magic bytes 1f 8b again (compressed twice?); an IDX file starts with 00 00`);
  }
  return decode(inflated, fn);
}

// The most data bytes one IDX array may claim (4 GiB, about V8's largest
// typed array); a header asking for more is corrupt, not merely truncated.
const MAX_BYTES = 2 ** 32;

function decode(bytes: Uint8Array, fn: string): IdxArray {
  if (isGzip(bytes)) {
    throw new IdxFormatError('gzip', `${fn}: input is gzip-compressed (starts with 1f 8b); use await parseIdx(bytes), or parseIdxSync from tensorgrad/node`);
  }
  if (bytes.length < 4) {
    throw new IdxFormatError('truncated', `${fn}: truncated header: expected at least the 4 bytes 00 00 <type> <ndims>, got ${bytes.length} byte${bytes.length === 1 ? '' : 's'}`);
  }
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new IdxFormatError('magic', `${fn}: wrong magic number: an IDX file starts with 00 00, got ${hex(bytes[0]!)} ${hex(bytes[1]!)} (not an IDX file?)`);
  }
  const code = bytes[2]!;
  const type = ELEMENT_TYPES[code];
  if (type === undefined) {
    throw new IdxFormatError(
      'type',
      `${fn}: unknown element type code ${hex(code)}; expected 0x08 (uint8), 0x09 (int8), 0x0b (int16), 0x0c (int32), 0x0d (float32) or 0x0e (float64)`,
    );
  }
  const ndims = bytes[3]!;
  const headerBytes = 4 + 4 * ndims;
  if (bytes.length < headerBytes) {
    throw new IdxFormatError('truncated', `${fn}: truncated header: ${ndims} dimension${ndims === 1 ? '' : 's'} need ${headerBytes} header bytes, got ${bytes.length}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape = new Array<number>(ndims);
  let count = 1;
  for (let d = 0; d < ndims; d++) {
    shape[d] = view.getUint32(4 + 4 * d, false);
    count *= shape[d]!;
  }
  // Each dimension is below 2³², so a product of finitely many is finite;
  // checking it once after the loop is exact while it stays below 2⁵³.
  if (count * type.bytes > MAX_BYTES || !Number.isSafeInteger(count)) {
    const zero = shape.includes(0);
    if (!zero) {
      throw new IdxFormatError(
        'overflow',
        `${fn}: dimensions [${shape.join(',')}] of ${type.dtype} hold ${count.toExponential(3)} elements, beyond the 4 GiB an array may take (corrupt header?)`,
      );
    }
    count = 0;
  }
  const dataBytes = count * type.bytes;
  const available = bytes.length - headerBytes;
  if (available < dataBytes) {
    throw new IdxFormatError(
      'truncated',
      `${fn}: truncated data: shape [${shape.join(',')}] of ${type.dtype} needs ${dataBytes} bytes after the ${headerBytes}-byte header, got ${available}`,
    );
  }
  if (available > dataBytes) {
    throw new IdxFormatError(
      'trailing',
      `${fn}: trailing garbage: ${available - dataBytes} byte${available - dataBytes === 1 ? '' : 's'} after the data of shape [${shape.join(',')}] of ${type.dtype} (expected a file of ${headerBytes + dataBytes} bytes, got ${bytes.length})`,
    );
  }
  const start = bytes.byteOffset + headerBytes;
  return { shape, values: readValues(type.dtype, bytes, view, headerBytes, count, start), dtype: type.dtype };
}

/** Big-endian values → a typed array in the platform's order. */
function readValues(dtype: IdxDtype, bytes: Uint8Array, view: DataView, at: number, count: number, start: number): IdxTypedArray {
  switch (dtype) {
    case 'uint8':
      return bytes.subarray(at, at + count);
    case 'int8':
      return new Int8Array(bytes.buffer, start, count);
    case 'int16': {
      const out = new Int16Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt16(at + 2 * i, false);
      return out;
    }
    case 'int32': {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt32(at + 4 * i, false);
      return out;
    }
    case 'float32': {
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(at + 4 * i, false);
      return out;
    }
    case 'float64': {
      const out = new Float64Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(at + 8 * i, false);
      return out;
    }
  }
}

/**
 * Encodes an array as uncompressed IDX bytes (big-endian), the inverse of
 * {@link decodeIdx}: handy for writing test fixtures or small datasets.
 * @param shape - dimensions, each an integer in [0, 2³²)
 * @param values - row-major values; the typed array's kind picks the element
 *   type (a plain array of numbers needs `dtype`)
 * @param dtype - element type; defaults to the one of `values`
 * @returns the IDX file's bytes
 * @throws Error when the shape is invalid, the value count does not match
 *   it, there are more than 255 dimensions, or the element type cannot be told
 * @example
 * const bytes = encodeIdx([2, 2], new Uint8Array([0, 255, 128, 7]));
 * decodeIdx(bytes).shape; // [2, 2]
 */
export function encodeIdx(shape: readonly number[], values: IdxTypedArray | readonly number[], dtype?: IdxDtype): Uint8Array {
  const kind = dtype ?? dtypeOf(values);
  if (kind === undefined) {
    throw new Error('encodeIdx: expected a typed array of an IDX element type, or a dtype for plain numbers');
  }
  if (shape.length > 255) throw new Error(`encodeIdx: IDX holds at most 255 dimensions, got ${shape.length}`);
  let count = 1;
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0 || d >= 2 ** 32) throw new Error(`encodeIdx: dimensions must be integers in [0, 2³²), got [${shape.join(',')}]`);
    count *= d;
  }
  if (count !== values.length) {
    throw new Error(`encodeIdx: shape [${shape.join(',')}] holds ${count} values, got ${values.length}`);
  }
  const size = ELEMENT_TYPES[TYPE_CODES[kind]]!.bytes;
  const header = 4 + 4 * shape.length;
  const out = new Uint8Array(header + count * size);
  const view = new DataView(out.buffer);
  out[2] = TYPE_CODES[kind];
  out[3] = shape.length;
  shape.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  for (let i = 0; i < count; i++) {
    const v = values[i]!;
    const at = header + i * size;
    switch (kind) {
      case 'uint8': view.setUint8(at, v); break;
      case 'int8': view.setInt8(at, v); break;
      case 'int16': view.setInt16(at, v, false); break;
      case 'int32': view.setInt32(at, v, false); break;
      case 'float32': view.setFloat32(at, v, false); break;
      case 'float64': view.setFloat64(at, v, false); break;
    }
  }
  return out;
}

function dtypeOf(values: IdxTypedArray | readonly number[]): IdxDtype | undefined {
  if (values instanceof Uint8Array) return 'uint8';
  if (values instanceof Int8Array) return 'int8';
  if (values instanceof Int16Array) return 'int16';
  if (values instanceof Int32Array) return 'int32';
  if (values instanceof Float32Array) return 'float32';
  if (values instanceof Float64Array) return 'float64';
  return undefined;
}
