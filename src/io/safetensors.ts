/**
 * The safetensors format (Hugging Face): reading and writing state dicts.
 *
 * A file is an 8-byte little-endian unsigned length `N`, then `N` bytes of
 * UTF-8 JSON (the header), then the byte buffer holding every tensor,
 * row-major and little-endian:
 *
 * ```text
 * {"__metadata__":{"format":"pt"},
 *  "0.bias":{"dtype":"F32","shape":[32],"data_offsets":[0,128]},
 *  "0.weight":{"dtype":"F32","shape":[32,784],"data_offsets":[128,100480]}}
 * ```
 *
 * Offsets are relative to the start of the byte buffer. The header may be
 * padded with trailing spaces; the reference writer pads it to a multiple of
 * 8 bytes so that the data that follows is aligned.
 *
 * The reader treats the bytes as hostile: every number in the header is
 * checked before it is used, so a header that lies is an `Error` naming the
 * problem (and the tensor), never an out-of-bounds read or a garbage tensor.
 * @module
 */
import { Tensor } from '../tensor/tensor.js';

/** The element types a safetensors file can declare that this reader converts to float32. */
export type SafetensorsDtype =
  | 'F64' | 'F32' | 'F16' | 'BF16' | 'F8_E4M3' | 'F8_E5M2'
  | 'I64' | 'I32' | 'I16' | 'I8' | 'U64' | 'U32' | 'U16' | 'U8' | 'BOOL';

/** Bytes per element of each readable dtype. */
const DTYPE_SIZE: Readonly<Record<SafetensorsDtype, number>> = {
  F64: 8, F32: 4, F16: 2, BF16: 2, F8_E4M3: 1, F8_E5M2: 1,
  I64: 8, I32: 4, I16: 2, I8: 1, U64: 8, U32: 4, U16: 2, U8: 1, BOOL: 1,
};

const SUPPORTED_DTYPES = Object.keys(DTYPE_SIZE).join(', ');

/** The reference implementation refuses headers above 100 MB (`MAX_HEADER_SIZE`); so do we. */
export const MAX_HEADER_BYTES = 100_000_000;

/** The header entry of one tensor, after validation. */
export interface SafetensorsTensorInfo {
  /** The element type stored in the file (converted to float32 on load). */
  dtype: SafetensorsDtype;
  /** The dimensions, outermost first. */
  shape: number[];
  /** `[begin, end)` byte range, relative to the byte buffer after the header. */
  dataOffsets: [number, number];
}

/** A validated safetensors header. */
export interface SafetensorsHeader {
  /** Each tensor's dtype, shape and byte range, in the order of their data in the file. */
  tensors: Record<string, SafetensorsTensorInfo>;
  /** The free-form `__metadata__` string map; `{}` when the file has none. */
  metadata: Record<string, string>;
  /** Bytes before the byte buffer: 8 + the header length. */
  dataStart: number;
}

const METADATA_KEY = '__metadata__';

// Typed arrays use the host's byte order; the format is little-endian. Every
// fast path (viewing float32 bytes directly) is taken only on little-endian
// hosts, and DataView with `littleEndian = true` does the work elsewhere.
const HOST_IS_LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

// ---------------------------------------------------------------- writing

/**
 * Serialises a state dict to safetensors bytes, exactly as the reference
 * implementation (`safetensors.torch.save_file`) lays them out: tensors in
 * order of name (by Unicode code point, i.e. UTF-8 byte order; the reference
 * sorts by dtype alignment first, and every tensor here is F32), data packed
 * back to back from offset 0, the compact JSON header padded with spaces to a
 * multiple of 8 bytes, `__metadata__` first. Metadata keys are written in
 * code-point order (the reference keeps them in a hash map, in no fixed
 * order).
 * @param stateDict - name → tensor, e.g. `module.stateDict()`; written as F32
 * @param metadata - optional string → string map stored as `__metadata__`
 *   (omitted from the header when not given)
 * @returns the file's bytes
 * @throws Error when a value is not a Tensor, a name is `__metadata__` or not
 *   well-formed Unicode, or a metadata value is not a string
 * @example
 * const bytes = saveSafetensors(model.stateDict(), { format: 'pt' });
 * model.loadStateDict(loadSafetensors(bytes));
 */
export function saveSafetensors(stateDict: Record<string, Tensor>, metadata?: Record<string, string>): Uint8Array {
  if (typeof stateDict !== 'object' || stateDict === null) {
    throw new Error(`saveSafetensors: expected a state dict (name → Tensor), got ${describe(stateDict)}`);
  }
  const entries = Object.entries(stateDict);
  for (const [name, t] of entries) {
    checkWellFormed(name, `tensor name ${JSON.stringify(name)}`);
    if (name === METADATA_KEY) throw new Error(`saveSafetensors: "${METADATA_KEY}" is reserved and cannot name a tensor`);
    if (!(t instanceof Tensor)) throw new Error(`saveSafetensors: "${name}" is not a Tensor (got ${describe(t)})`);
  }
  entries.sort(([a], [b]) => compareCodePoints(a, b));

  const parts: string[] = [];
  if (metadata !== undefined) {
    if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
      throw new Error(`saveSafetensors: metadata must be an object of strings, got ${describe(metadata)}`);
    }
    const fields = Object.entries(metadata).sort(([a], [b]) => compareCodePoints(a, b)).map(([key, value]) => {
      checkWellFormed(key, `metadata key ${JSON.stringify(key)}`);
      if (typeof value !== 'string') {
        throw new Error(`saveSafetensors: metadata value of "${key}" must be a string, got ${describe(value)}`);
      }
      checkWellFormed(value, `metadata value of "${key}"`);
      return `${JSON.stringify(key)}:${JSON.stringify(value)}`;
    });
    parts.push(`"${METADATA_KEY}":{${fields.join(',')}}`);
  }
  let offset = 0;
  for (const [name, t] of entries) {
    const end = offset + t.data.length * 4;
    // The same compact JSON serde_json writes: fields in struct order, no spaces.
    parts.push(`${JSON.stringify(name)}:{"dtype":"F32","shape":[${t.shape.join(',')}],"data_offsets":[${offset},${end}]}`);
    offset = end;
  }
  const json = new TextEncoder().encode(`{${parts.join(',')}}`);
  const headerLength = Math.ceil(json.length / 8) * 8; // pad with spaces so the data is 8-byte aligned

  const out = new Uint8Array(8 + headerLength + offset);
  const view = new DataView(out.buffer);
  view.setUint32(0, headerLength % 2 ** 32, true);
  view.setUint32(4, Math.floor(headerLength / 2 ** 32), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerLength);
  let position = 8 + headerLength;
  for (const [, t] of entries) {
    if (HOST_IS_LITTLE_ENDIAN) {
      out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), position);
    } else {
      for (let i = 0; i < t.data.length; i++) view.setFloat32(position + 4 * i, t.data[i]!, true);
    }
    position += t.data.byteLength;
  }
  return out;
}

// ---------------------------------------------------------------- reading

/**
 * Parses and validates the header of safetensors bytes without touching the
 * tensor data: useful to list a file's tensors or read its metadata.
 *
 * Checked: the header length (at most 100 MB and within the file), UTF-8,
 * that the JSON is an object starting with `{` and has no duplicate keys,
 * that `__metadata__` maps strings to strings, and for each tensor a known
 * dtype, a shape of non-negative integers, and `data_offsets` of two
 * integers `begin ≤ end` inside the buffer whose length is
 * dtype size × number of elements. Taken in order of offset, the ranges must
 * tile the byte buffer exactly (the spec allows no holes and no overlap) and
 * the last one must end where the file ends.
 * @param bytes - the whole file
 * @returns the tensors' dtypes, shapes and offsets, and the metadata
 * @throws Error naming the problem, and the tensor where there is one, for
 *   any header that does not describe the bytes exactly
 * @example
 * const { tensors, metadata } = readSafetensorsHeader(bytes);
 * Object.keys(tensors); // ['0.bias', '0.weight', …]
 */
export function readSafetensorsHeader(bytes: Uint8Array | ArrayBuffer): SafetensorsHeader {
  return parseHeader(asBytes(bytes, 'readSafetensorsHeader'), 'readSafetensorsHeader');
}

/**
 * Loads the tensors of safetensors bytes as float32 tensors that own their
 * data (the bytes can be dropped afterwards). F32 is read as is; F64, F16,
 * BF16, F8_E4M3, F8_E5M2, the integer types and BOOL are converted to float32
 * (F64 and 64-bit integers round to nearest; integers above 2²⁴ lose
 * precision). The header is validated first (see
 * {@link readSafetensorsHeader}); data at any alignment is accepted.
 * @param bytes - the whole file, e.g. from `fetch(url).then((r) => r.arrayBuffer())`
 * @returns name → tensor, ready for `module.loadStateDict`
 * @throws Error naming the problem (and the tensor) when the header does not
 *   describe the bytes exactly or declares an unsupported dtype
 * @example
 * const weights = loadSafetensors(await (await fetch('mlp.safetensors')).arrayBuffer());
 * model.loadStateDict(weights);
 */
export function loadSafetensors(bytes: Uint8Array | ArrayBuffer): Record<string, Tensor> {
  return decodeSafetensors(bytes, 'loadSafetensors').tensors;
}

/**
 * {@link loadSafetensors} that also returns the metadata, parsing the header once.
 * @internal For `tensorgrad/node`'s `loadModel`.
 * @param bytes - the whole file
 * @param fn - the name to start error messages with
 * @returns the tensors and the `__metadata__` map
 * @throws Error as {@link loadSafetensors}
 */
export function decodeSafetensors(bytes: Uint8Array | ArrayBuffer, fn: string): { tensors: Record<string, Tensor>; metadata: Record<string, string> } {
  const data = asBytes(bytes, fn);
  const header = parseHeader(data, fn);
  const tensors: Record<string, Tensor> = {};
  for (const [name, info] of Object.entries(header.tensors)) {
    const begin = header.dataStart + info.dataOffsets[0];
    const end = header.dataStart + info.dataOffsets[1];
    const values = decode(data, begin, end, info.dtype);
    // defineProperty: a tensor named `__proto__` must stay an own key.
    Object.defineProperty(tensors, name, { value: new Tensor(values, info.shape), enumerable: true, writable: true, configurable: true });
  }
  return { tensors, metadata: header.metadata };
}

function asBytes(bytes: Uint8Array | ArrayBuffer, fn: string): Uint8Array {
  if (bytes instanceof Uint8Array) return bytes;
  if (bytes instanceof ArrayBuffer) return new Uint8Array(bytes);
  throw new Error(`${fn}: expected a Uint8Array or ArrayBuffer, got ${describe(bytes)}`);
}

function parseHeader(bytes: Uint8Array, fn: string): SafetensorsHeader {
  const fail = (message: string): never => {
    throw new Error(`${fn}: ${message}`);
  };
  if (bytes.length < 8) fail(`file is ${bytes.length} bytes, too short for the 8-byte header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const low = view.getUint32(0, true);
  const high = view.getUint32(4, true);
  const headerLength = high * 2 ** 32 + low; // exact below 2^53; anything near that fails the next check anyway
  if (headerLength > MAX_HEADER_BYTES) {
    fail(`header length ${high === 0 ? headerLength : `${high}·2^32 + ${low}`} is larger than the 100 MB limit`);
  }
  if (8 + headerLength > bytes.length) {
    fail(`header length ${headerLength} runs past the end of the file (${bytes.length} bytes, so at most ${bytes.length - 8})`);
  }
  if (headerLength === 0 || bytes[8] !== 0x7b) fail('header must be a JSON object starting with "{"');

  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes.subarray(8, 8 + headerLength));
  } catch {
    return fail('header is not valid UTF-8');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return fail(`header is not valid JSON (${(error as Error).message})`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) fail('header must be a JSON object');
  const duplicate = findDuplicateKey(text);
  if (duplicate !== null) fail(`header has the key ${JSON.stringify(duplicate)} more than once`);

  const dataStart = 8 + headerLength;
  const dataLength = bytes.length - dataStart;
  const metadata: Record<string, string> = {};
  const infos: [string, SafetensorsTensorInfo][] = [];
  for (const [name, entry] of Object.entries(json as Record<string, unknown>)) {
    if (name === METADATA_KEY) {
      if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
        fail(`"${METADATA_KEY}" must be an object of strings, got ${describe(entry)}`);
      }
      for (const [key, value] of Object.entries(entry as Record<string, unknown>)) {
        if (typeof value !== 'string') fail(`"${METADATA_KEY}" value of ${JSON.stringify(key)} must be a string, got ${describe(value)}`);
        Object.defineProperty(metadata, key, { value, enumerable: true, writable: true, configurable: true });
      }
      continue;
    }
    const where = `tensor ${JSON.stringify(name)}`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      fail(`${where}: expected {dtype, shape, data_offsets}, got ${describe(entry)}`);
    }
    const { dtype, shape, data_offsets: offsets } = entry as Record<string, unknown>;
    if (typeof dtype !== 'string') fail(`${where}: dtype must be a string, got ${describe(dtype)}`);
    if (!Object.prototype.hasOwnProperty.call(DTYPE_SIZE, dtype as string)) {
      fail(`${where}: unsupported dtype ${JSON.stringify(dtype)} (supported: ${SUPPORTED_DTYPES})`);
    }
    if (!Array.isArray(shape) || !shape.every(isNonNegativeInteger)) {
      fail(`${where}: shape must be an array of non-negative integers, got ${describe(shape)}`);
    }
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isNonNegativeInteger)) {
      fail(`${where}: data_offsets must be [begin, end], two non-negative integers, got ${describe(offsets)}`);
    }
    const [begin, end] = offsets as [number, number];
    if (begin > end) fail(`${where}: data_offsets [${begin}, ${end}] end before they begin`);
    if (end > dataLength) {
      fail(`${where}: data_offsets [${begin}, ${end}] run past the end of the data (${dataLength} bytes after the header)`);
    }
    const dims = shape as number[];
    const elements = countElements(dims);
    const size = DTYPE_SIZE[dtype as SafetensorsDtype];
    if (elements === null || elements * size !== end - begin) {
      fail(`${where}: ${dtype} shape [${dims.join(',')}] needs ${elements === null ? 'more than 2^53' : elements * size} bytes `
        + `but data_offsets [${begin}, ${end}] hold ${end - begin}`);
    }
    infos.push([name, { dtype: dtype as SafetensorsDtype, shape: dims.map((d) => d + 0), dataOffsets: [begin, end] }]); // + 0: no -0
  }

  // In order of offset, the ranges must tile [0, dataLength): no gap, no overlap.
  infos.sort(([, a], [, b]) => a.dataOffsets[0] - b.dataOffsets[0] || a.dataOffsets[1] - b.dataOffsets[1]);
  let covered = 0;
  let previous = '';
  for (const [name, { dataOffsets: [begin, end] }] of infos) {
    if (begin < covered) {
      fail(`tensor ${JSON.stringify(name)}: data_offsets [${begin}, ${end}] overlap those of ${JSON.stringify(previous)} (which end at ${covered})`);
    }
    if (begin > covered) fail(`bytes ${covered}..${begin} of the data belong to no tensor (the format allows no gaps; next is ${JSON.stringify(name)})`);
    covered = end;
    previous = name;
  }
  if (covered !== dataLength) {
    fail(`${dataLength - covered} trailing bytes after the last tensor (the data is ${dataLength} bytes, the tensors cover ${covered})`);
  }

  const tensors: Record<string, SafetensorsTensorInfo> = {};
  for (const [name, info] of infos) {
    Object.defineProperty(tensors, name, { value: info, enumerable: true, writable: true, configurable: true });
  }
  return { tensors, metadata, dataStart };
}

function isNonNegativeInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** Product of the dimensions, or null when it passes 2^53 (no file can hold that). */
function countElements(shape: number[]): number | null {
  if (shape.includes(0)) return 0;
  let count = 1;
  for (const d of shape) {
    count *= d;
    if (count > Number.MAX_SAFE_INTEGER) return null;
  }
  return count;
}

/**
 * The first key that appears twice in one object of a JSON text that
 * `JSON.parse` accepted (which silently keeps the last one), or null. The
 * spec forbids duplicates: two entries for one name would let two readers
 * see two different tensors.
 */
function findDuplicateKey(text: string): string | null {
  // A stack of the open containers: a key set for an object, null for an array.
  const stack: (Set<string> | null)[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x7b) stack.push(new Set());
    else if (c === 0x5b) stack.push(null);
    else if (c === 0x7d || c === 0x5d) stack.pop();
    else if (c === 0x22) {
      const start = i;
      let escaped = false;
      for (i++; text.charCodeAt(i) !== 0x22; i++) {
        if (text.charCodeAt(i) === 0x5c) {
          escaped = true;
          i++; // skip the escaped character
        }
      }
      const keys = stack[stack.length - 1];
      if (!keys) continue;
      let j = i + 1;
      while (text.charCodeAt(j) === 0x20 || text.charCodeAt(j) === 0x0a || text.charCodeAt(j) === 0x0d || text.charCodeAt(j) === 0x09) j++;
      if (text.charCodeAt(j) !== 0x3a) continue; // a string value, not a key
      const key = escaped ? (JSON.parse(text.slice(start, i + 1)) as string) : text.slice(start + 1, i);
      if (keys.has(key)) return key;
      keys.add(key);
    }
  }
  return null;
}

/** Converts `bytes[begin, end)` of the given dtype to a fresh float32 array. */
function decode(bytes: Uint8Array, begin: number, end: number, dtype: SafetensorsDtype): Float32Array {
  const n = (end - begin) / DTYPE_SIZE[dtype];
  if (dtype === 'F32' && HOST_IS_LITTLE_ENDIAN) {
    // slice() copies into a fresh, aligned buffer, whatever the alignment of `begin`.
    return new Float32Array(bytes.slice(begin, end).buffer);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset + begin, end - begin);
  const out = new Float32Array(n);
  switch (dtype) {
    case 'F32': for (let i = 0; i < n; i++) out[i] = view.getFloat32(4 * i, true); break;
    case 'F64': for (let i = 0; i < n; i++) out[i] = view.getFloat64(8 * i, true); break; // rounds to nearest even
    case 'F16': for (let i = 0; i < n; i++) out[i] = halfToFloat(view.getUint16(2 * i, true)); break;
    case 'BF16': {
      // bfloat16 is the top half of a float32: shift its bits back into place.
      const word = new DataView(new ArrayBuffer(4));
      for (let i = 0; i < n; i++) {
        word.setUint32(0, view.getUint16(2 * i, true) << 16);
        out[i] = word.getFloat32(0);
      }
      break;
    }
    case 'F8_E5M2': for (let i = 0; i < n; i++) out[i] = halfToFloat(view.getUint8(i) << 8); break; // the top byte of a float16
    case 'F8_E4M3': for (let i = 0; i < n; i++) out[i] = e4m3ToFloat(view.getUint8(i)); break;
    case 'I64': for (let i = 0; i < n; i++) out[i] = Number(view.getBigInt64(8 * i, true)); break;
    case 'U64': for (let i = 0; i < n; i++) out[i] = Number(view.getBigUint64(8 * i, true)); break;
    case 'I32': for (let i = 0; i < n; i++) out[i] = view.getInt32(4 * i, true); break;
    case 'U32': for (let i = 0; i < n; i++) out[i] = view.getUint32(4 * i, true); break;
    case 'I16': for (let i = 0; i < n; i++) out[i] = view.getInt16(2 * i, true); break;
    case 'U16': for (let i = 0; i < n; i++) out[i] = view.getUint16(2 * i, true); break;
    case 'I8': for (let i = 0; i < n; i++) out[i] = view.getInt8(i); break;
    case 'U8': for (let i = 0; i < n; i++) out[i] = view.getUint8(i); break;
    case 'BOOL': for (let i = 0; i < n; i++) out[i] = view.getUint8(i) !== 0 ? 1 : 0; break;
  }
  return out;
}

/** IEEE 754 binary16 bits → value (exact in float32). */
function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24; // zero and subnormals: m · 2⁻¹⁴ / 2¹⁰
  if (exponent === 0x1f) return mantissa === 0 ? sign * Infinity : NaN;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

/** float8 e4m3fn (bias 7, no infinities, S.1111.111 is NaN) → value. */
function e4m3ToFloat(bits: number): number {
  const sign = bits & 0x80 ? -1 : 1;
  const exponent = (bits >> 3) & 0xf;
  const mantissa = bits & 0x7;
  if (exponent === 0xf && mantissa === 0x7) return NaN;
  if (exponent === 0) return sign * mantissa * 2 ** -9; // subnormals: m/8 · 2⁻⁶
  return sign * (1 + mantissa / 8) * 2 ** (exponent - 7);
}

// ---------------------------------------------------------------- helpers

/** Orders strings by Unicode code point, which is UTF-8 byte order (Rust's and Python's `str` order). */
function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x - y;
    if (x > 0xffff) i++; // both sides hold the same surrogate pair
  }
  return a.length - b.length;
}

/** Lone surrogates have no UTF-8 encoding: refuse them rather than write U+FFFD. */
function checkWellFormed(text: string, what: string): void {
  if (/\p{Cs}/u.test(text)) throw new Error(`saveSafetensors: ${what} is not well-formed Unicode (it has a lone surrogate)`);
}

/** A short, safe description of a value for an error message (never recursive, never throws). */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) {
    const simple = value.length <= 8 && value.every((v) => v === null || ['number', 'string', 'boolean'].includes(typeof v));
    return simple ? `[${value.map((v) => (typeof v === 'string' ? describe(v) : String(v))).join(', ')}]` : `an array of ${value.length}`;
  }
  if (typeof value === 'object') {
    return Object.getPrototypeOf(value) === Object.prototype ? 'an object' : `a ${Object.prototype.toString.call(value).slice(8, -1)}`;
  }
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return String(value);
}
