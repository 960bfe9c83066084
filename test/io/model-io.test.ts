/**
 * saveModel / loadModel (tensorgrad/node) through a temporary directory:
 * round trips with metadata, PyTorch's files, non-strict loading, and errors
 * that name the path.
 */
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { manualSeed } from '../../src/index.js';
import { Dense, ReLU, Sequential } from '../../src/nn/index.js';
import { loadModel, saveModel } from '../../src/node/index.js';

const dir = mkdtempSync(join(tmpdir(), 'tensorgrad-model-io-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const FIXTURES = join(__dirname, '..', 'fixtures', 'io');
const mlp = (hidden = 32) => new Sequential(new Dense(784, hidden), new ReLU(), new Dense(hidden, 10));

describe('saveModel / loadModel', () => {
  it('round-trips every parameter exactly, with metadata, and leaves no temporary file', async () => {
    manualSeed(1);
    const model = mlp();
    const path = join(dir, 'mlp.safetensors');
    await saveModel(model, path, { epochs: '3', optimizer: 'adam' });
    expect(readdirSync(dir).filter((name) => name.includes('.tmp'))).toEqual([]);

    manualSeed(2);
    const copy = mlp();
    const result = await loadModel(copy, path);
    expect(result).toEqual({ missingKeys: [], unexpectedKeys: [], metadata: { epochs: '3', optimizer: 'adam' } });
    for (const [name, p] of model.namedParameters()) expect(copy.stateDict()[name]!.data).toEqual(p.data);
  });

  it('writes the same bytes as the Python writer for PyTorch’s weights', async () => {
    const model = mlp();
    await loadModel(model, join(FIXTURES, 'mlp.safetensors'));
    const path = join(dir, 'again.safetensors');
    await saveModel(model, path);
    expect(readFileSync(path).equals(readFileSync(join(FIXTURES, 'mlp.safetensors')))).toBe(true);
  });

  it('loads in place, so an optimizer holding the parameters keeps them', async () => {
    const model = mlp();
    const weight = model.parameters()[0]!;
    await loadModel(model, join(FIXTURES, 'mlp.safetensors'));
    expect(model.parameters()[0]).toBe(weight);
  });

  it('non-strict loading reports missing and unexpected keys', async () => {
    const bigger = new Sequential(new Dense(784, 32), new ReLU(), new Dense(32, 10), new ReLU(), new Dense(10, 2));
    const result = await loadModel(bigger, join(FIXTURES, 'mlp.safetensors'), { strict: false });
    expect(result.missingKeys).toEqual(['4.weight', '4.bias']);
    expect(result.unexpectedKeys).toEqual([]);
    await expect(loadModel(bigger, join(FIXTURES, 'mlp.safetensors'))).rejects.toThrow(/missing keys: 4\.weight, 4\.bias/);
  });

  it('errors name the path', async () => {
    const missing = join(dir, 'nope.safetensors');
    await expect(loadModel(mlp(), missing)).rejects.toThrow(`loadModel: cannot read ${missing}`);

    const corrupt = join(dir, 'corrupt.safetensors');
    copyFileSync(join(FIXTURES, 'mlp.safetensors'), corrupt);
    writeFileSync(corrupt, readFileSync(corrupt).subarray(0, 1000));
    await expect(loadModel(mlp(), corrupt)).rejects.toThrow(new RegExp(`^loadModel: ${corrupt.replace(/[.]/g, '\\.')}: loadSafetensors: .*run past the end`));

    await expect(loadModel(mlp(16), join(FIXTURES, 'mlp.safetensors'))).rejects.toThrow(/mlp\.safetensors: loadStateDict: [^]*size mismatch for 0\.weight/);

    // a regular file where the folder should be: nothing can be created under it
    const blocker = join(dir, 'blocker');
    writeFileSync(blocker, 'not a folder');
    const unwritable = join(blocker, 'model.safetensors');
    await expect(saveModel(mlp(), unwritable)).rejects.toThrow(`saveModel: cannot write ${unwritable}`);
  });

  it('saveModel creates missing folders', async () => {
    const nested = join(dir, 'new', 'deeper', 'model.safetensors');
    const model = mlp();
    await saveModel(model, nested);
    const copy = mlp();
    await loadModel(copy, nested);
    expect(copy.stateDict()['0.weight']!.data).toEqual(model.stateDict()['0.weight']!.data);
    await expect(saveModel(mlp(), join(dir, 'm.safetensors'), { n: 1 as unknown as string })).rejects.toThrow(/saveModel: cannot save to .*m\.safetensors: .*"n" must be a string/);
  });
});
