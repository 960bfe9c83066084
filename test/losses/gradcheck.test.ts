/**
 * Every loss passes gradcheck (central differences, float64 accumulation) in
 * a property test over random shapes, values, labels, options and all three
 * reductions. The table is a Record over the functions that
 * src/losses/index.ts exports, so a loss added there without a case here
 * fails `tsc`.
 *
 * Kinks are avoided as in test/autograd/gradcheck-ops.test.ts: differences
 * `input − target` for l1/smooth-L1/Huber sit on the grid ±(0.05 + 0.2k), at
 * least 0.05 from 0 and from the tested β/δ (multiples of 0.5 and 1); BCE
 * probabilities and targets stay inside [0.05, 0.95] so no step leaves [0, 1].
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gradcheck, tensor, type Tensor } from '../../src/index.js';
import * as losses from '../../src/losses/index.js';

interface Instance {
  inputs: Tensor[];
  f: (...inputs: Tensor[]) => Tensor;
  label: string;
}

type LossName = keyof typeof losses;

const size = (shape: readonly number[]) => shape.reduce((n, d) => n * d, 1);
const shapeArb = (minRank = 0, maxRank = 3) =>
  fc.array(fc.integer({ min: 1, max: 4 }), { minLength: minRank, maxLength: maxRank });
const valuesArb = (count: number, min = -2, max = 2) =>
  fc.array(fc.double({ min, max, noNaN: true }), { minLength: count, maxLength: count });
/** ±(0.05 + 0.2k): never within 0.05 of 0 or of a multiple of 0.5. */
const offsetsArb = (count: number) =>
  fc.array(fc.tuple(fc.integer({ min: 0, max: 12 }), fc.boolean()).map(([k, s]) => (s ? 1 : -1) * (0.05 + 0.2 * k)), { minLength: count, maxLength: count });
const reductionArb = fc.constantFrom<losses.Reduction>('mean', 'sum', 'none');

const leaf = (shape: readonly number[], values: number[]) => tensor(values, { shape, requiresGrad: true });
const constant = (shape: readonly number[], values: number[]) => tensor(values, { shape });

/** input = target + offset, both leaves: for losses with kinks at |input − target| ∈ {0, β}. */
const regression = (f: (x: Tensor, y: Tensor, reduction: losses.Reduction, param: number) => Tensor, params: number[]) =>
  fc.tuple(shapeArb(), reductionArb, fc.constantFrom(...params)).chain(([shape, reduction, param]) =>
    fc.tuple(valuesArb(size(shape)), offsetsArb(size(shape))).map(([y, d]): Instance => ({
      inputs: [leaf(shape, y.map((v, i) => v + d[i]!)), leaf(shape, y)],
      f: (x, t) => f(x!, t!, reduction, param),
      label: `shape [${shape}], ${reduction}, param ${param}`,
    })),
  );

/** `[N, C, d…]` (or `[C]`), one label per sample (some ignored, never all), optional class weights. */
const classification = (ignoreIndex: number) =>
  fc.tuple(
    fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 4 }), fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 2 }),
    fc.boolean(), reductionArb, fc.boolean(),
  ).chain(([n, c, spatial, unbatched, reduction, weighted]) => {
    const shape = unbatched ? [c] : [n, c, ...spatial];
    const count = size(shape) / c;
    return fc.tuple(
      valuesArb(size(shape), -3, 3),
      fc.array(fc.oneof(fc.integer({ min: 0, max: c - 1 }), fc.constant(ignoreIndex)), { minLength: count, maxLength: count }),
      fc.integer({ min: 0, max: c - 1 }),
      valuesArb(c, 0.2, 2),
    ).map(([values, labels, first, w]) => {
      labels[0] = first; // at least one sample counts, so 'mean' is not 0/0
      return { shape, values, labels, reduction, weight: weighted ? w : undefined, unbatched };
    });
  });

const cases: Record<LossName, fc.Arbitrary<Instance>> = {
  mseLoss: regression((x, y, reduction) => losses.mseLoss(x, y, { reduction }), [0]),
  l1Loss: regression((x, y, reduction) => losses.l1Loss(x, y, { reduction }), [0]),
  smoothL1Loss: regression((x, y, reduction, beta) => losses.smoothL1Loss(x, y, { reduction, beta }), [0, 0.5, 1, 2]),
  huberLoss: regression((x, y, reduction, delta) => losses.huberLoss(x, y, { reduction, delta }), [0.5, 1, 2]),

  nllLoss: classification(-100).map(({ shape, values, labels, reduction, weight }): Instance => ({
    inputs: [leaf(shape, values)],
    f: (x) => losses.nllLoss(x!, labels, { reduction, weight }),
    label: `shape [${shape}], labels [${labels}], ${reduction}, weight ${weight ? 'yes' : 'no'}`,
  })),

  crossEntropy: fc.oneof(
    // class labels (as a tensor, an Int32Array or an array), label smoothing, ignoreIndex
    fc.tuple(classification(-1), fc.constantFrom(0, 0.1, 0.5, 1), fc.constantFrom('array', 'int32', 'tensor'))
      .map(([{ shape, values, labels, reduction, weight, unbatched }, labelSmoothing, form]): Instance => {
        const target = form === 'array' ? labels : form === 'int32' ? Int32Array.from(labels) : constant(unbatched ? [] : [shape[0]!, ...shape.slice(2)], labels);
        return {
          inputs: [leaf(shape, values)],
          f: (x) => losses.crossEntropy(x!, target, { reduction, weight, labelSmoothing, ignoreIndex: -1 }),
          label: `shape [${shape}], labels [${labels}] (${form}), ${reduction}, smoothing ${labelSmoothing}, weight ${weight ? 'yes' : 'no'}`,
        };
      }),
    // class probabilities (a leaf too: PyTorch differentiates them)
    fc.tuple(classification(-100), fc.constantFrom(0, 0.2)).chain(([{ shape, values, reduction, weight }, labelSmoothing]) =>
      valuesArb(size(shape), 0, 1).map((probs): Instance => ({
        inputs: [leaf(shape, values), leaf(shape, probs)],
        f: (x, t) => losses.crossEntropy(x!, t!, { reduction, weight, labelSmoothing }),
        label: `shape [${shape}], probability target, ${reduction}, smoothing ${labelSmoothing}, weight ${weight ? 'yes' : 'no'}`,
      })),
    ),
  ),

  // At most 16 elements: a 'sum' of more BCE terms is large enough that its
  // float32 rounding (~1e-6) divided by the 2e-3 step approaches gradcheck's atol.
  binaryCrossEntropy: fc.tuple(shapeArb(1, 2), reductionArb, fc.boolean()).chain(([shape, reduction, weighted]) =>
    fc.tuple(valuesArb(size(shape), 0.05, 0.95), valuesArb(size(shape), 0.05, 0.95), valuesArb(shape.at(-1)!, 0.2, 2))
      .map(([p, t, w]): Instance => ({
        inputs: [leaf(shape, p), leaf(shape, t)],
        f: (x, y) => losses.binaryCrossEntropy(x!, y!, { reduction, weight: weighted ? w : undefined }),
        label: `shape [${shape}], ${reduction}, weight ${weighted}`,
      })),
  ),

  binaryCrossEntropyWithLogits: fc.tuple(shapeArb(1, 3), reductionArb, fc.boolean(), fc.boolean()).chain(([shape, reduction, weighted, positive]) =>
    fc.tuple(valuesArb(size(shape), -5, 5), valuesArb(size(shape), 0, 1), valuesArb(size(shape), 0.2, 2), valuesArb(shape.at(-1)!, 0.2, 4))
      .map(([x, t, w, pw]): Instance => ({
        inputs: [leaf(shape, x), leaf(shape, t)],
        f: (a, b) => losses.binaryCrossEntropyWithLogits(a!, b!, {
          reduction,
          weight: weighted ? constant(shape, w) : undefined,
          posWeight: positive ? pw : undefined,
        }),
        label: `shape [${shape}], ${reduction}, weight ${weighted}, posWeight ${positive}`,
      })),
  ),
};

describe('gradcheck over every loss', () => {
  it('has a case for every exported loss', () => {
    expect(Object.keys(cases).sort()).toEqual(Object.keys(losses).sort());
  });

  for (const name of Object.keys(cases) as LossName[]) {
    it(`${name}: analytic gradients match finite differences`, () => {
      fc.assert(
        fc.property(cases[name], ({ inputs, f, label }) => {
          const result = gradcheck(f, inputs);
          if (!result.ok) throw new Error(`${name} (${label}): ${result.message}`);
        }),
        { numRuns: 60, seed: 7 },
      );
    });
  }
});
