/**
 * Node file helpers: readBytes reads raw and gzip-compressed files (detected
 * by the magic bytes, not the name) and names the path in its errors.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gunzipIfCompressed, isGzip, readBytes } from '../../src/node/index.js';

// An IDX-like header followed by every byte value, so that any corruption shows.
const payload = new Uint8Array([0, 0, 8, 1, 0, 0, 1, 0, ...Array.from({ length: 256 }, (_, i) => i)]);

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tensorgrad-files-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('isGzip', () => {
  it('recognises the 1f 8b magic number', () => {
    expect(isGzip(new Uint8Array([0x1f, 0x8b, 8]))).toBe(true);
    expect(isGzip(gzipSync(Buffer.from('hello')))).toBe(true);
  });

  it('rejects other bytes, including too-short input', () => {
    expect(isGzip(new Uint8Array([0x8b, 0x1f]))).toBe(false);
    expect(isGzip(new Uint8Array([0x1f]))).toBe(false);
    expect(isGzip(new Uint8Array([]))).toBe(false);
    expect(isGzip(payload)).toBe(false);
  });
});

describe('gunzipIfCompressed', () => {
  it('inflates gzip bytes', () => {
    const out = gunzipIfCompressed(gzipSync(payload));
    expect(out).toBeInstanceOf(Uint8Array);
    expect(Array.from(out)).toEqual(Array.from(payload));
  });

  it('returns other bytes unchanged (the same array)', () => {
    expect(gunzipIfCompressed(payload)).toBe(payload);
  });

  it('names the input when the gzip stream is corrupt', () => {
    const truncated = gzipSync(payload).subarray(0, 12);
    expect(() => gunzipIfCompressed(truncated, 'labels.gz')).toThrow(/^readBytes: labels\.gz is not a valid gzip stream/);
    expect(() => gunzipIfCompressed(truncated)).toThrow(/input is not a valid gzip stream/);
  });
});

describe('readBytes', () => {
  it('reads a raw file', async () => {
    const path = join(dir, 'raw.bin');
    await writeFile(path, payload);
    const bytes = await readBytes(path);
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect(bytes.length).toBe(payload.length);
    expect(Array.from(bytes)).toEqual(Array.from(payload));
  });

  it('inflates a gzipped file', async () => {
    const path = join(dir, 'data.gz');
    await writeFile(path, gzipSync(payload));
    expect(Array.from(await readBytes(path))).toEqual(Array.from(payload));
  });

  it('detects gzip by content, not by name', async () => {
    const hidden = join(dir, 'no-extension');
    await writeFile(hidden, gzipSync(payload));
    expect(Array.from(await readBytes(hidden))).toEqual(Array.from(payload));
    const plainNamedGz = join(dir, 'plain.gz');
    await writeFile(plainNamedGz, payload);
    expect(Array.from(await readBytes(plainNamedGz))).toEqual(Array.from(payload));
  });

  it('reads an empty file', async () => {
    const path = join(dir, 'empty.bin');
    await writeFile(path, new Uint8Array(0));
    expect((await readBytes(path)).length).toBe(0);
  });

  it('a truncated gzip file gives an error naming the path', async () => {
    const path = join(dir, 'truncated.gz');
    const compressed = gzipSync(payload);
    await writeFile(path, compressed.subarray(0, compressed.length - 10));
    await expect(readBytes(path)).rejects.toThrow(`readBytes: ${path} is not a valid gzip stream`);
  });

  it('a missing file gives an error naming the path', async () => {
    const path = join(dir, 'does-not-exist.bin');
    await expect(readBytes(path)).rejects.toThrow(`readBytes: cannot read ${path}`);
    await expect(readBytes(path)).rejects.toThrow(/ENOENT/);
  });

  it('a directory gives an error naming the path', async () => {
    await expect(readBytes(dir)).rejects.toThrow(`readBytes: cannot read ${dir}`);
  });
});
