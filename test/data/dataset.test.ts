/**
 * TensorDataset, Subset, DataLoader (batching, shuffling, reproducibility),
 * randomSplit and trainValSplit, and oneHot.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { arange, manualSeed, Tensor, tensor } from '../../src/index.js';
import {
  DataLoader, oneHot, randomSplit, Subset, TensorDataset, trainValSplit, type Dataset,
} from '../../src/data/index.js';

/** Features [N, 3] with row i = [i, i + 0.5, −i], labels i mod 7. */
function toyDataset(n: number): TensorDataset<[Tensor, Int32Array]> {
  const x = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) x.set([i, i + 0.5, -i], i * 3);
  const y = Int32Array.from({ length: n }, (_, i) => i % 7);
  return new TensorDataset(new Tensor(x, [n, 3]), y);
}

/** The row ids in a batch's feature tensor (its first column). */
const idsOf = (x: Tensor): number[] => Array.from({ length: x.shape[0]! }, (_, i) => x.data[i * 3]!);

describe('TensorDataset', () => {
  it('gives row views and labels by index', () => {
    const ds = toyDataset(10);
    expect(ds.length).toBe(10);
    const [x, y] = ds.get(4);
    expect(x.shape).toEqual([3]);
    expect(Array.from(x.data)).toEqual([4, 4.5, -4]);
    expect(y).toBe(4);
    expect(ds.get(9)[1]).toBe(2);
  });

  it('gathers batches by rows, for shuffled and consecutive indices', () => {
    const ds = toyDataset(10);
    const [x, y] = ds.getBatch(new Int32Array([7, 2, 2, 9]));
    expect(x.shape).toEqual([4, 3]);
    expect(Array.from(x.data)).toEqual([7, 7.5, -7, 2, 2.5, -2, 2, 2.5, -2, 9, 9.5, -9]);
    expect(y).toEqual(new Int32Array([0, 2, 2, 2]));
    const [xs, ys] = ds.getBatch(new Int32Array([3, 4, 5]));
    expect(idsOf(xs)).toEqual([3, 4, 5]);
    expect(ys).toEqual(new Int32Array([3, 4, 5]));
    // Copies: writing to a batch leaves the dataset alone.
    xs.data[0] = 99;
    expect(ds.get(3)[0].data[0]).toBe(3);
  });

  it('keeps trailing dimensions, handles short rows and several tensor columns', () => {
    const images = arange(0, 2 * 5 * 1 * 2 * 2).reshape([10, 1, 2, 2]);
    const weights = arange(0, 10);
    const ds = new TensorDataset(images, weights, [1, 2, 3, 4, 5, 6, 7, 8, 9, 0]);
    const [x, w, y] = ds.getBatch(new Int32Array([9, 0]));
    expect(x.shape).toEqual([2, 1, 2, 2]);
    expect(Array.from(x.data)).toEqual([36, 37, 38, 39, 0, 1, 2, 3]);
    expect(w.shape).toEqual([2]);
    expect(Array.from(w.data)).toEqual([9, 0]);
    expect(y).toEqual(new Int32Array([0, 1]));
    expect(ds.get(1)[0].shape).toEqual([1, 2, 2]);
  });

  it('explains bad columns and indices', () => {
    expect(() => new TensorDataset()).toThrow('TensorDataset: expected at least one column (a Tensor or a label array), got none');
    expect(() => new TensorDataset(tensor(3))).toThrow('TensorDataset: column 0 is a scalar tensor');
    expect(() => new TensorDataset(arange(0, 4), [1, 2, 3])).toThrow(
      'TensorDataset: every column needs the same number of rows; column 0 has 4, column 1 has 3',
    );
    expect(() => new TensorDataset(arange(0, 2), [0.5, 1])).toThrow('TensorDataset: column 1 must hold 32-bit integers (labels), got 0.5 at row 0; pass float data as a Tensor');
    expect(() => new TensorDataset('x' as unknown as Tensor)).toThrow('TensorDataset: column 0 must be a Tensor or an integer label array, got string');
    const ds = toyDataset(3);
    expect(() => ds.get(3)).toThrow('TensorDataset.get: index 3 is out of range for a dataset of length 3');
    expect(() => ds.getBatch(new Int32Array([0, -1]))).toThrow('TensorDataset.getBatch: index -1 is out of range for a dataset of length 3');
  });
});

describe('DataLoader', () => {
  it('yields every row once per epoch, in order without shuffle, with length = number of batches', () => {
    const loader = new DataLoader(toyDataset(10), { batchSize: 4 });
    expect(loader.length).toBe(3);
    const batches = [...loader];
    expect(batches.map(([x]) => x.shape)).toEqual([[4, 3], [4, 3], [2, 3]]);
    expect(batches.flatMap(([x]) => idsOf(x))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(batches[2]![1]).toEqual(new Int32Array([1, 2]));
  });

  it('drops the short last batch with dropLast', () => {
    const loader = new DataLoader(toyDataset(10), { batchSize: 4, dropLast: true });
    expect(loader.length).toBe(2);
    expect([...loader].length).toBe(2);
    expect(new DataLoader(toyDataset(8), { batchSize: 4, dropLast: true }).length).toBe(2);
    expect(new DataLoader(toyDataset(3), { batchSize: 4, dropLast: true }).length).toBe(0);
    expect(new DataLoader(toyDataset(10)).length).toBe(10); // batchSize defaults to 1, as in PyTorch
  });

  it('shuffles each epoch differently, as a permutation, and reproducibly from the seed', () => {
    const epochOrder = (loader: DataLoader<TensorDataset<[Tensor, Int32Array]>>) => [...loader].flatMap(([x]) => idsOf(x));
    const a = new DataLoader(toyDataset(50), { batchSize: 8, shuffle: true, seed: 123 });
    const b = new DataLoader(toyDataset(50), { batchSize: 8, shuffle: true, seed: 123 });
    const a1 = epochOrder(a);
    const a2 = epochOrder(a);
    expect([...a1].sort((p, q) => p - q)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(a1).not.toEqual(a2);
    expect(epochOrder(b)).toEqual(a1);
    expect(epochOrder(b)).toEqual(a2);
    expect(a.epoch).toBe(2);
    // A seeded loader ignores (and leaves alone) the global generator.
    manualSeed(1);
    const c = new DataLoader(toyDataset(50), { batchSize: 8, shuffle: true, seed: 123 });
    expect(epochOrder(c)).toEqual(a1);
    expect(epochOrder(new DataLoader(toyDataset(50), { batchSize: 8, shuffle: true, seed: 124 }))).not.toEqual(a1);
  });

  it('without a seed, follows manualSeed', () => {
    const order = () => [...new DataLoader(toyDataset(30), { batchSize: 30, shuffle: true })].flatMap(([x]) => idsOf(x));
    manualSeed(7);
    const first = order();
    const second = order();
    manualSeed(7);
    expect(order()).toEqual(first);
    expect(order()).toEqual(second);
    expect(first).not.toEqual(second);
  });

  it('keeps the labels with their rows when shuffling', () => {
    for (const [x, y] of new DataLoader(toyDataset(40), { batchSize: 6, shuffle: true, seed: 5 })) {
      expect(Array.from(y)).toEqual(idsOf(x).map((i) => i % 7));
    }
  });

  it('collates datasets without getBatch into arrays of items', () => {
    const squares: Dataset<number> = { length: 5, get: (i) => i * i };
    const batches = [...new DataLoader(squares, { batchSize: 2 })];
    expect(batches).toEqual([[0, 1], [4, 9], [16]]);
  });

  it('types each batch by its columns, through subsets too', () => {
    const ds = new TensorDataset(tensor([[1], [2], [3]]), new Int32Array([0, 1, 2]), [5, 6, 7]);
    for (const [x, y, z] of new DataLoader(ds, { batchSize: 2 })) {
      expectTypeOf(x).toEqualTypeOf<Tensor>();
      expectTypeOf(y).toEqualTypeOf<Int32Array>();
      expectTypeOf(z).toEqualTypeOf<Int32Array>();
      expect(Array.from(z)).toEqual(Array.from(y).map((v) => v + 5));
    }
    const [part] = randomSplit(ds, [1], 0);
    for (const [x, y] of new DataLoader(part!)) {
      expectTypeOf(x).toEqualTypeOf<Tensor>();
      expectTypeOf(y).toEqualTypeOf<Int32Array>();
    }
    expectTypeOf(ds.get(0)).toEqualTypeOf<[Tensor, number, number]>();
  });

  it('explains bad options', () => {
    const ds = toyDataset(4);
    expect(() => new DataLoader(ds, { batchSize: 0 })).toThrow('DataLoader: batchSize must be a positive integer, got 0');
    expect(() => new DataLoader(ds, { batchSize: 2.5 })).toThrow('DataLoader: batchSize must be a positive integer, got 2.5');
    expect(() => new DataLoader(ds, { seed: 0.5 })).toThrow('DataLoader: seed must be a finite integer, got 0.5');
    expect(() => new DataLoader([1, 2] as unknown as Dataset)).toThrow('DataLoader: expected a dataset with an integer length and a get(index) method');
  });

  it('batches a real-sized dataset quickly (rows copied whole)', () => {
    const n = 60000;
    const ds = new TensorDataset(new Tensor(new Float32Array(n * 784), [n, 1, 28, 28]), new Int32Array(n));
    const loader = new DataLoader(ds, { batchSize: 64, shuffle: true, seed: 0 });
    const start = performance.now();
    let seen = 0;
    for (const [x] of loader) seen += x.shape[0]!;
    expect(seen).toBe(n);
    expect(loader.length).toBe(938);
    expect(performance.now() - start).toBeLessThan(3000);
  });
});

describe('Subset', () => {
  it('maps indices into the dataset and batches through its getBatch', () => {
    const subset = new Subset(toyDataset(10), [8, 1, 5]);
    expect(subset.length).toBe(3);
    expect(subset.get(0)[1]).toBe(1);
    const [x, y] = subset.getBatch(new Int32Array([2, 0]));
    expect(idsOf(x)).toEqual([5, 8]);
    expect(y).toEqual(new Int32Array([5, 1]));
    const [batch] = [...new DataLoader(subset, { batchSize: 3 })];
    expect(idsOf(batch![0])).toEqual([8, 1, 5]);
  });

  it('rejects indices outside the dataset', () => {
    expect(() => new Subset(toyDataset(3), [0, 3])).toThrow('Subset: index 3 (position 1) is out of range for a dataset of length 3');
    expect(() => new Subset(toyDataset(3), [0.5])).toThrow('Subset: index 0.5 (position 0) is out of range');
    expect(() => new Subset(toyDataset(3), [0]).get(1)).toThrow('Subset.get: index 1 is out of range for a dataset of length 1');
  });
});

describe('randomSplit', () => {
  const allIds = (parts: Array<Subset<TensorDataset<[Tensor, Int32Array]>>>) =>
    parts.flatMap((part) => Array.from(part.indices)).sort((a, b) => a - b);

  it('splits by fractions like PyTorch (remainder to the first parts), disjoint and covering', () => {
    const ds = toyDataset(11);
    const parts = randomSplit(ds, [0.5, 0.3, 0.2], 0);
    // ⌊11·0.5⌋ = 5, ⌊11·0.3⌋ = 3, ⌊11·0.2⌋ = 2 → one left over, to the first part.
    expect(parts.map((p) => p.length)).toEqual([6, 3, 2]);
    expect(allIds(parts)).toEqual(Array.from({ length: 11 }, (_, i) => i));
    const [train, val] = randomSplit(toyDataset(100), [0.9, 0.1], 3);
    expect([train!.length, val!.length]).toEqual([90, 10]);
  });

  it('splits by counts, reproducibly from the seed or from manualSeed', () => {
    const ds = toyDataset(20);
    const a = randomSplit(ds, [15, 5], 9);
    expect(a.map((p) => p.length)).toEqual([15, 5]);
    expect(randomSplit(ds, [15, 5], 9).map((p) => Array.from(p.indices))).toEqual(a.map((p) => Array.from(p.indices)));
    expect(Array.from(randomSplit(ds, [15, 5], 10)[0]!.indices)).not.toEqual(Array.from(a[0]!.indices));
    manualSeed(4);
    const b = Array.from(randomSplit(ds, [10, 10])[0]!.indices);
    manualSeed(4);
    expect(Array.from(randomSplit(ds, [10, 10])[0]!.indices)).toEqual(b);
  });

  it('explains lengths that do not add up', () => {
    const ds = toyDataset(10);
    expect(() => randomSplit(ds, [6, 5])).toThrow('randomSplit: counts [6, 5] sum to 11, but the dataset has 10 items');
    expect(() => randomSplit(ds, [0.5, 0.4])).toThrow('randomSplit: fractions [0.5, 0.4] sum to 0.9, expected 1 (or integer counts summing to 10)');
    expect(() => randomSplit(ds, [-1, 11])).toThrow('randomSplit: lengths must be non-negative numbers, got [-1, 11]');
    expect(() => randomSplit(ds, [])).toThrow('randomSplit: expected at least one length, got []');
    expect(() => randomSplit(ds, [5, 5], 1.5)).toThrow('randomSplit: seed must be a finite integer, got 1.5');
  });
});

describe('trainValSplit', () => {
  it('takes the LAST fraction for validation, in order, as Keras validation_split does', () => {
    const { train, validation } = trainValSplit(toyDataset(10), { validationSplit: 0.2 });
    expect(Array.from(train.indices)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(Array.from(validation.indices)).toEqual([8, 9]);
    // Keras: split_at = int(N · (1 − f)) = int(7 · 0.7) = int(4.9) = 4.
    const odd = trainValSplit(toyDataset(7), { validationSplit: 0.3 });
    expect([odd.train.length, odd.validation.length]).toEqual([4, 3]);
    expect(trainValSplit(toyDataset(60000), { validationSplit: 0.1 }).validation.indices[0]).toBe(54000);
  });

  it('draws a random split with shuffle: true, reproducibly', () => {
    const a = trainValSplit(toyDataset(30), { validationSplit: 0.5, shuffle: true, seed: 2 });
    const b = trainValSplit(toyDataset(30), { validationSplit: 0.5, shuffle: true, seed: 2 });
    expect(Array.from(a.validation.indices)).toEqual(Array.from(b.validation.indices));
    expect(Array.from(a.validation.indices)).not.toEqual(Array.from({ length: 15 }, (_, i) => 15 + i));
    expect([...a.train.indices, ...a.validation.indices].sort((p, q) => p - q)).toEqual(Array.from({ length: 30 }, (_, i) => i));
  });

  it('explains a bad fraction', () => {
    expect(() => trainValSplit(toyDataset(3), { validationSplit: 1 })).toThrow('trainValSplit: validationSplit must be a fraction in (0, 1), got 1');
    expect(() => trainValSplit(toyDataset(3), { validationSplit: 0 })).toThrow('trainValSplit: validationSplit must be a fraction in (0, 1), got 0');
  });
});

describe('oneHot', () => {
  it('encodes labels as rows of a [N, numClasses] float tensor', () => {
    const encoded = oneHot(new Int32Array([2, 0, 1]), 4);
    expect(encoded.shape).toEqual([3, 4]);
    expect(encoded.toArray()).toEqual([[0, 0, 1, 0], [1, 0, 0, 0], [0, 1, 0, 0]]);
    expect(oneHot([3, 1]).shape).toEqual([2, 4]); // classes default to max + 1
    expect(oneHot(new Int32Array(0), 10).shape).toEqual([0, 10]);
  });

  it('rejects labels outside the classes', () => {
    expect(() => oneHot([1, 10], 10)).toThrow('oneHot: label 10 at index 1 is outside the classes [0, 10)');
    expect(() => oneHot([-1], 10)).toThrow('oneHot: label -1 at index 0 is outside the classes [0, 10)');
    expect(() => oneHot([1.5], 10)).toThrow('oneHot: label 1.5 at index 0');
    expect(() => oneHot([1], 0)).toThrow('oneHot: numClasses must be a positive integer, got 0');
  });
});
