/**
 * Reading binary files in Node, inflating gzip transparently.
 * @module
 */
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';

/**
 * True when `bytes` start with the gzip magic number `1f 8b`.
 * @param bytes - file contents
 * @returns whether the bytes are gzip-compressed
 * @example isGzip(new Uint8Array([0x1f, 0x8b, 8])); // true
 */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Inflates gzip-compressed bytes; returns other bytes unchanged.
 * @param bytes - possibly compressed contents
 * @param name - what the bytes are (for the error message)
 * @returns the uncompressed bytes
 * @throws Error naming `name` when the gzip stream is corrupt or truncated
 * @example gunzipIfCompressed(gzipSync(Buffer.from('hi'))); // bytes of 'hi'
 */
export function gunzipIfCompressed(bytes: Uint8Array, name = 'input'): Uint8Array {
  if (!isGzip(bytes)) return bytes;
  try {
    const inflated = gunzipSync(bytes);
    return new Uint8Array(inflated.buffer, inflated.byteOffset, inflated.byteLength);
  } catch (error) {
    throw new Error(`readBytes: ${name} is not a valid gzip stream (${(error as Error).message})`);
  }
}

/**
 * Reads a whole file as bytes, inflating it when it is gzip-compressed
 * (recognised by its magic bytes, not its name).
 * @param path - the file's path
 * @returns the (uncompressed) contents
 * @throws Error naming the path when the file cannot be read or is corrupt gzip
 * @example const bytes = await readBytes('data/t10k-labels-idx1-ubyte.gz');
 */
export async function readBytes(path: string): Promise<Uint8Array> {
  let raw: Buffer;
  try {
    raw = await readFile(path);
  } catch (error) {
    throw new Error(`readBytes: cannot read ${path} (${(error as Error).message})`);
  }
  return gunzipIfCompressed(new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength), path);
}
