/**
 * Saving and loading a module's weights as safetensors files.
 * @module
 */
import { randomBytes } from 'node:crypto';
import { dirname } from 'node:path';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { decodeSafetensors, saveSafetensors } from '../io/safetensors.js';
import type { LoadStateDictOptions, LoadStateDictResult, Module } from '../nn/module.js';

/** What {@link loadModel} found besides the weights. */
export interface LoadModelResult extends LoadStateDictResult {
  /** The file's `__metadata__` map (`{}` when it has none). */
  metadata: Record<string, string>;
}

/**
 * Writes a module's state dict to a safetensors file (F32, PyTorch's key
 * names), which `safetensors.torch.load_file` reads back in Python. The file
 * is written under a temporary name and renamed into place, so a crash never
 * leaves a half-written file at `path`.
 * @param module - the model whose parameters to save
 * @param path - where to write, conventionally ending in `.safetensors`
 * @param metadata - optional string → string map stored in the header
 * @returns resolves once the file is in place
 * @throws Error naming the path when the file cannot be written, or when a
 *   metadata value is not a string
 * @example
 * await saveModel(model, 'mnist-mlp.safetensors', { epochs: '5' });
 */
export async function saveModel(module: Module, path: string, metadata?: Record<string, string>): Promise<void> {
  let bytes: Uint8Array;
  try {
    bytes = saveSafetensors(module.stateDict(), metadata);
  } catch (error) {
    throw new Error(`saveModel: cannot save to ${path}: ${(error as Error).message}`);
  }
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(temporary, bytes);
    await rename(temporary, path);
  } catch (error) {
    // Best-effort cleanup: it fails too when the folder itself is the problem.
    await rm(temporary, { force: true }).catch(() => undefined);
    throw new Error(`saveModel: cannot write ${path} (${(error as Error).message})`);
  }
}

/**
 * Loads a safetensors file into a module's parameters, in place (through
 * `module.loadStateDict`). Tensors stored as F16, BF16, F64 or integers are
 * converted to float32.
 * @param module - the model to fill; its architecture must match the file's
 * @param path - the safetensors file, e.g. one written by PyTorch's `save_file`
 * @param options - `strict` (default true): missing or unexpected keys are
 *   errors; wrongly shaped tensors always are
 * @returns the missing and unexpected keys (empty when strict) and the file's metadata
 * @throws Error naming the path when the file cannot be read, is not valid
 *   safetensors, or does not fit the module (listing the keys that do not match)
 * @example
 * const model = new nn.Sequential(new nn.Dense(784, 32), new nn.ReLU(), new nn.Dense(32, 10));
 * const { metadata } = await loadModel(model, 'mnist-mlp.safetensors');
 */
export async function loadModel(module: Module, path: string, options: LoadStateDictOptions = {}): Promise<LoadModelResult> {
  let raw: Buffer;
  try {
    raw = await readFile(path);
  } catch (error) {
    throw new Error(`loadModel: cannot read ${path} (${(error as Error).message})`);
  }
  const bytes = new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
  try {
    const { tensors, metadata } = decodeSafetensors(bytes, 'loadSafetensors');
    const result = module.loadStateDict(tensors, options);
    return { ...result, metadata };
  } catch (error) {
    throw new Error(`loadModel: ${path}: ${(error as Error).message}`);
  }
}
