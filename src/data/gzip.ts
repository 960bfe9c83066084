/**
 * Gzip in the portable core: recognise it by its magic bytes and inflate it
 * with the web-standard `DecompressionStream` (browsers, Node ≥ 18, Deno,
 * Bun). No `node:*` import here; `tensorgrad/node` swaps in zlib, which is
 * about twice as fast in Node.
 * @module
 */

/** Inflates gzip bytes; the loaders take one so that Node can pass zlib's. */
export type Inflate = (compressed: Uint8Array) => Promise<Uint8Array> | Uint8Array;

/**
 * True when `bytes` start with the gzip magic number `1f 8b`.
 * @param bytes - file contents
 * @returns whether the bytes are gzip-compressed
 */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Inflates a gzip stream with `DecompressionStream`.
 * @param compressed - the gzip bytes
 * @returns the inflated bytes
 * @throws Error when the runtime has no `DecompressionStream`, or the stream
 *   is corrupt or truncated (the message says which)
 */
export async function inflateWithStreams(compressed: Uint8Array): Promise<Uint8Array> {
  if (typeof DecompressionStream !== 'function') {
    throw new Error(
      'this runtime has no DecompressionStream to inflate gzip; serve the files uncompressed, ' +
        "or in Node use tensorgrad/node (which inflates with zlib)",
    );
  }
  // Blob.stream() hands the bytes over without copying them chunk by chunk.
  const stream = new Blob([compressed as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip'));
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      total += value.length;
    }
  } catch (error) {
    throw new Error(`not a valid gzip stream (${(error as Error).message})`);
  }
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}
