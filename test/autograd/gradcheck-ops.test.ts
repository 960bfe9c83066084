/**
 * Every differentiable op passes gradcheck (central differences) in a
 * property test over random shapes — broadcast pairs included — and values.
 *
 * The table is a Record<OpName, …>: an op added to OP_NAMES without a case
 * here fails `tsc`. Values are kept away from kinks and ties: kinked ops
 * (relu, abs, clamp, maximum, …) draw from grids offset from the kink, and
 * max/min draw distinct values, so no finite-difference step crosses one.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  concat, gradcheck, OP_NAMES, tensor, where, type OpName, type Tensor,
} from '../../src/index.js';
import { linear } from '../../src/ops/linear.js';
import { conv2d } from '../../src/ops/conv.js';
import { maxPool2d } from '../../src/ops/pool.js';
import { binaryCrossEntropy, binaryCrossEntropyWithLogits, nllLoss } from '../../src/losses/index.js';
import { lstm } from '../../src/ops/lstm.js';

/** One random instance of a case: the inputs and the function of them. */
interface Instance {
  inputs: Tensor[];
  f: (...inputs: Tensor[]) => Tensor;
}

const size = (shape: readonly number[]) => shape.reduce((n, d) => n * d, 1);

/** A shape of rank `minRank..maxRank` with dimensions 1..4. */
const shapeArb = (minRank = 0, maxRank = 3) =>
  fc.array(fc.integer({ min: 1, max: 4 }), { minLength: minRank, maxLength: maxRank });

/** A shape and a second one that broadcasts with it (dims set to 1, leading dims dropped), in random order. */
const broadcastPairArb = fc
  .tuple(shapeArb(0, 3), fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }), fc.integer({ min: 0, max: 3 }), fc.boolean())
  .map(([shape, ones, drop, swap]) => {
    const other = shape.map((d, i) => (ones[i] ? 1 : d)).slice(Math.min(drop, shape.length));
    return swap ? [other, shape] : [shape, other];
  });

/** Smooth values in [min, max]. */
const valuesArb = (count: number, min = -2, max = 2) =>
  fc.array(fc.double({ min, max, noNaN: true }), { minLength: count, maxLength: count });

/** Values on the grid offset + k·step: never within `offset` of a kink at offset ± k·step ± offset. */
const gridArb = (count: number, { step = 0.2, offset = 0.05, range = 10 } = {}) =>
  fc.array(fc.integer({ min: -range, max: range }).map((k) => k * step + offset), { minLength: count, maxLength: count });

/** Distinct values at least 0.1 apart (no ties for max/min). */
const distinctArb = (count: number) =>
  fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: count, maxLength: count }).map((keys) => {
    const order = keys.map((k, i) => [k, i] as const).sort((a, b) => a[0] - b[0]);
    const values = new Array<number>(count);
    order.forEach(([, i], rank) => (values[i] = (rank - count / 2) * 0.1));
    return values;
  });

const leaf = (shape: readonly number[], values: number[]) =>
  tensor(values, { shape, requiresGrad: true });
const constant = (shape: readonly number[], values: number[]) => tensor(values, { shape });

/** Instances of a unary op on random shapes and values. */
const unary = (f: (x: Tensor) => Tensor, values: (n: number) => fc.Arbitrary<number[]> = (n) => valuesArb(n)) =>
  shapeArb().chain((shape) => values(size(shape)).map((v): Instance => ({ inputs: [leaf(shape, v)], f: f as Instance['f'] })));

/** Instances of a binary op on broadcast pairs. */
const binary = (
  f: (a: Tensor, b: Tensor) => Tensor,
  left: (n: number) => fc.Arbitrary<number[]> = (n) => valuesArb(n),
  right: (n: number) => fc.Arbitrary<number[]> = (n) => valuesArb(n),
) =>
  broadcastPairArb.chain(([sa, sb]) =>
    fc.tuple(left(size(sa!)), right(size(sb!))).map(([a, b]): Instance => ({
      inputs: [leaf(sa!, a), leaf(sb!, b)],
      f: f as Instance['f'],
    })),
  );

/** A non-empty subset of the axes of a rank-`rank` tensor, as (possibly negative) dims. */
const dimsArb = (rank: number) =>
  fc.subarray(Array.from({ length: rank }, (_, i) => i), { minLength: 1 }).chain((axes) =>
    fc.tuple(...axes.map((a) => fc.constantFrom(a, a - rank))),
  );

/** A reduction over a random dim choice (one axis, several, or all) with random keepdim. */
const reduction = (
  f: (x: Tensor, dim: number | number[] | undefined, keepdim: boolean) => Tensor,
  values: (n: number) => fc.Arbitrary<number[]> = (n) => valuesArb(n),
  single = false,
) =>
  shapeArb(1, 3).chain((shape) =>
    fc.tuple(
      values(size(shape)),
      single ? fc.integer({ min: -shape.length, max: shape.length - 1 }) : fc.oneof(fc.constant(undefined), dimsArb(shape.length)),
      fc.boolean(),
    ).map(([v, dim, keepdim]): Instance => ({ inputs: [leaf(shape, v)], f: (x) => f(x!, dim as number | number[] | undefined, keepdim) })),
  );

const positive = (n: number) => valuesArb(n, 0.2, 3);
const awayFromZero = (n: number) => valuesArb(n, 0.5, 2).chain((v) => fc.array(fc.boolean(), { minLength: n, maxLength: n }).map((s) => v.map((x, i) => (s[i] ? x : -x))));

const cases: Record<OpName, fc.Arbitrary<Instance>> = {
  neg: unary((x) => x.neg()),
  exp: unary((x) => x.exp()),
  log: unary((x) => x.log(), positive),
  sqrt: unary((x) => x.sqrt(), positive),
  abs: unary((x) => x.abs(), (n) => gridArb(n)),
  sigmoid: unary((x) => x.sigmoid(), (n) => valuesArb(n, -4, 4)),
  tanh: unary((x) => x.tanh(), (n) => valuesArb(n, -3, 3)),
  relu: unary((x) => x.relu(), (n) => gridArb(n)),
  leakyRelu: unary((x) => x.leakyRelu(0.1), (n) => gridArb(n)),
  // bounds ±0.5 sit between grid points 0.45 and 0.55
  clamp: unary((x) => x.clamp(-0.5, 0.5), (n) => gridArb(n, { step: 0.1 })),

  add: binary((a, b) => a.add(b)),
  sub: binary((a, b) => a.sub(b)),
  mul: binary((a, b) => a.mul(b)),
  div: binary((a, b) => a.div(b), (n) => valuesArb(n), awayFromZero),
  pow: binary((a, b) => a.pow(b), (n) => valuesArb(n, 0.5, 2), (n) => valuesArb(n, -2, 2)),
  // grids offset by 0.05 and 0.15: |a − b| ≥ 0.1 everywhere
  maximum: binary((a, b) => a.maximum(b), (n) => gridArb(n), (n) => gridArb(n, { offset: 0.15 })),
  minimum: binary((a, b) => a.minimum(b), (n) => gridArb(n), (n) => gridArb(n, { offset: 0.15 })),
  where: broadcastPairArb.chain(([sa, sb]) =>
    fc.tuple(valuesArb(size(sa!)), valuesArb(size(sb!)), fc.array(fc.boolean(), { minLength: size(sa!), maxLength: size(sa!) }))
      .map(([a, b, c]): Instance => {
        const cond = constant(sa!, c.map(Number));
        return { inputs: [leaf(sa!, a), leaf(sb!, b)], f: (x, y) => where(cond, x!, y!) };
      }),
  ),

  sum: reduction((x, d, k) => x.sum(d, k)),
  mean: reduction((x, d, k) => x.mean(d, k)),
  max: fc.oneof(reduction((x, d, k) => x.max(d, k), distinctArb), reduction((x, d, k) => x.max(d, k), distinctArb, true)),
  min: fc.oneof(reduction((x, d, k) => x.min(d, k), distinctArb), reduction((x, d, k) => x.min(d, k), distinctArb, true)),
  logsumexp: reduction((x, d, k) => x.logsumexp(d, k), (n) => valuesArb(n, -3, 3)),
  logSoftmax: reduction((x, d) => x.logSoftmax(d as number), (n) => valuesArb(n, -3, 3), true),

  clone: unary((x) => x.clone()),
  reshape: unary((x) => x.reshape([-1]).unsqueeze(0).squeeze(0).flatten()),
  permute: shapeArb(1, 3).chain((shape) =>
    fc.tuple(valuesArb(size(shape)), fc.shuffledSubarray(shape.map((_, i) => i), { minLength: shape.length, maxLength: shape.length }))
      .map(([v, perm]): Instance => ({ inputs: [leaf(shape, v)], f: (x) => x!.permute(perm) })),
  ),
  expand: broadcastPairArb.chain(([sa, sb]) => {
    // expand the smaller-rank operand to the broadcast of both
    const target = sa!.length >= sb!.length ? sa! : sb!;
    const source = sa!.length >= sb!.length ? sb! : sa!;
    const full = target.map((d, i) => Math.max(d, source[i - (target.length - source.length)] ?? 1));
    return valuesArb(size(source)).map((v): Instance => ({ inputs: [leaf(source, v)], f: (x) => x!.expand(full) }));
  }),
  slice: shapeArb(1, 3).chain((shape) =>
    fc.integer({ min: 0, max: shape.length - 1 }).chain((dim) =>
      fc.tuple(valuesArb(size(shape)), fc.integer({ min: -5, max: 5 }), fc.integer({ min: -5, max: 5 }), fc.integer({ min: 1, max: 3 }))
        .map(([v, start, end, step]): Instance => ({ inputs: [leaf(shape, v)], f: (x) => x!.slice(dim, start, end, step) })),
    ),
  ),
  concat: shapeArb(1, 3).chain((shape) =>
    fc.tuple(fc.integer({ min: 0, max: shape.length - 1 }), fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 3 }))
      .chain(([dim, extents]) => {
        const shapes = extents.map((e) => shape.map((d, i) => (i === dim ? e : d)));
        return fc.tuple(...shapes.map((s) => valuesArb(size(s)))).map((vs): Instance => ({
          inputs: vs.map((v, i) => leaf(shapes[i]!, v)),
          f: (...xs) => concat(xs, dim),
        }));
      }),
  ),
  pad: shapeArb(1, 3).chain((shape) =>
    fc.tuple(valuesArb(size(shape)), fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 2, maxLength: 2 * shape.length }), fc.double({ min: -1, max: 1, noNaN: true }))
      .map(([v, pads, value]): Instance => ({
        inputs: [leaf(shape, v)],
        f: (x) => x!.pad(pads.slice(0, pads.length - (pads.length % 2)), value),
      })),
  ),
  gather: shapeArb(1, 3).chain((shape) =>
    fc.integer({ min: 0, max: shape.length - 1 }).chain((dim) => {
      const indexShape = shape.map((d, i) => (i === dim ? 3 : d));
      return fc.tuple(valuesArb(size(shape)), fc.array(fc.integer({ min: 0, max: shape[dim]! - 1 }), { minLength: size(indexShape), maxLength: size(indexShape) }))
        .map(([v, idx]): Instance => {
          const index = constant(indexShape, idx);
          return { inputs: [leaf(shape, v)], f: (x) => x!.gather(dim, index) };
        });
    }),
  ),
  indexSelect: shapeArb(1, 3).chain((shape) =>
    fc.integer({ min: 0, max: shape.length - 1 }).chain((dim) =>
      fc.tuple(valuesArb(size(shape)), fc.array(fc.integer({ min: 0, max: shape[dim]! - 1 }), { minLength: 1, maxLength: 5 }))
        .map(([v, idx]): Instance => ({ inputs: [leaf(shape, v)], f: (x) => x!.indexSelect(dim, idx) })),
    ),
  ),
  matmul: fc
    .tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), broadcastPairArb, fc.constantFrom('mat', 'vecLeft', 'vecRight', 'dot'))
    .chain(([m, k, n, [ba, bb], kind]) => {
      const batchA = ba!.slice(0, 2);
      const batchB = bb!.slice(0, 2);
      const sa = kind === 'vecLeft' || kind === 'dot' ? [k] : [...batchA, m, k];
      const sb = kind === 'vecRight' || kind === 'dot' ? [k] : [...batchB, k, n];
      return fc.tuple(valuesArb(size(sa)), valuesArb(size(sb))).map(([a, b]): Instance => ({
        inputs: [leaf(sa, a), leaf(sb, b)],
        f: (x, y) => x!.matmul(y!),
      }));
    }),
  linear: fc
    .tuple(shapeArb(1, 2), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), fc.boolean())
    .chain(([lead, inFeatures, outFeatures, withBias]) => {
      const xs = [...lead, inFeatures];
      return fc.tuple(valuesArb(size(xs)), valuesArb(inFeatures * outFeatures), valuesArb(outFeatures)).map(([x, w, b]): Instance => ({
        inputs: withBias
          ? [leaf(xs, x), leaf([outFeatures, inFeatures], w), leaf([outFeatures], b)]
          : [leaf(xs, x), leaf([outFeatures, inFeatures], w)],
        f: (input, weight, bias) => linear(input!, weight!, bias),
      }));
    }),
  // One LSTM layer over a whole sequence: every input (x, h0, c0, both
  // weights, both biases) requires grad, and the packed output [B, T+1, H]
  // covers the output sequence and c_T, so all of BPTT is checked.
  lstm: fc
    .tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.boolean())
    .chain(([B, T, F, H, withBias]) => {
      const shapes = [[B, T, F], [B, H], [B, H], [4 * H, F], [4 * H, H], ...(withBias ? [[4 * H], [4 * H]] : [])];
      return fc.tuple(...shapes.map((s) => valuesArb(size(s), -1, 1))).map((vs): Instance => ({
        inputs: vs.map((v, i) => leaf(shapes[i]!, v)),
        f: (x, h0, c0, wIh, wHh, bIh, bHh) => lstm(x!, h0!, c0!, wIh!, wHh!, bIh, bHh),
      }));
    }),
  // fused loss ops (src/losses), per element ('none'); test/losses/gradcheck.test.ts checks every reduction
  nllLoss: fc
    .tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 2 }), fc.boolean())
    .chain(([n, c, spatial, weighted]) => {
      const shape = [n, c, ...spatial];
      const count = size(shape) / c;
      return fc.tuple(valuesArb(size(shape)), fc.array(fc.integer({ min: -1, max: c - 1 }), { minLength: count, maxLength: count }), valuesArb(c, 0.5, 2))
        .map(([v, labels, w]): Instance => ({
          inputs: [leaf(shape, v)],
          f: (x) => nllLoss(x!, labels, { reduction: 'none', ignoreIndex: -1, weight: weighted ? w : undefined }),
        }));
    }),
  binaryCrossEntropy: shapeArb().chain((shape) =>
    fc.tuple(valuesArb(size(shape), 0.05, 0.95), valuesArb(size(shape), 0.05, 0.95)).map(([p, t]): Instance => ({
      inputs: [leaf(shape, p), leaf(shape, t)],
      f: (x, y) => binaryCrossEntropy(x!, y!, { reduction: 'none' }),
    })),
  ),
  binaryCrossEntropyWithLogits: shapeArb().chain((shape) =>
    fc.tuple(valuesArb(size(shape), -4, 4), valuesArb(size(shape), 0, 1), valuesArb(shape.at(-1) ?? 1, 0.5, 3), fc.boolean())
      .map(([x, t, pw, weighted]): Instance => ({
        inputs: [leaf(shape, x), leaf(shape, t)],
        f: (a, b) => binaryCrossEntropyWithLogits(a!, b!, { reduction: 'none', posWeight: weighted && shape.length > 0 ? pw : undefined }),
      })),
  ),
  // Random geometry: batch 1–2 (or unbatched), 1–3 channels in and out, a
  // 1–3 × 1–3 kernel, stride 1–2, dilation 1–2, padding 0–2 per axis or
  // 'same' (stride 1) / 'valid'; the input is just big enough for the dilated
  // kernel plus 0–3 rows and columns.
  conv2d: fc
    .record({
      batch: fc.integer({ min: 0, max: 2 }), inChannels: fc.integer({ min: 1, max: 3 }), outChannels: fc.integer({ min: 1, max: 3 }),
      kernel: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
      stride: fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 })),
      dilation: fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 })),
      padding: fc.oneof(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 })), fc.constantFrom('same' as const, 'valid' as const)),
      extra: fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 })),
      withBias: fc.boolean(),
    })
    .chain(({ batch, inChannels, outChannels, kernel, stride, dilation, padding, extra, withBias }) => {
      const pads = typeof padding === 'string' ? [0, 0] : padding;
      const [h, w] = [0, 1].map((a) => Math.max(1, dilation[a]! * (kernel[a]! - 1) + 1 - 2 * pads[a]!) + extra[a]!);
      const xs = batch === 0 ? [inChannels, h!, w!] : [batch, inChannels, h!, w!];
      const ws = [outChannels, inChannels, ...kernel];
      const options = { stride: padding === 'same' ? 1 : stride, padding, dilation };
      return fc.tuple(valuesArb(size(xs), -1, 1), valuesArb(size(ws), -1, 1), valuesArb(outChannels, -1, 1)).map(([x, wv, b]): Instance => ({
        inputs: withBias ? [leaf(xs, x), leaf(ws, wv), leaf([outChannels], b)] : [leaf(xs, x), leaf(ws, wv)],
        f: (input, weight, bias) => conv2d(input!, weight!, bias, options),
      }));
    }),
  // Distinct values (no finite-difference step crosses a tie); windows of
  // 1–3 × 1–3 with stride 1–3 (overlapping when smaller than the window),
  // padding up to half the window, dilation 1–2, either rounding mode. The
  // input is at least the dilated window, so no window lies only in padding.
  maxPool2d: fc
    .record({
      batch: fc.integer({ min: 0, max: 2 }), channels: fc.integer({ min: 1, max: 2 }),
      kernel: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
      stride: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
      dilation: fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 })),
      padding: fc.tuple(fc.boolean(), fc.boolean()),
      extra: fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 })),
      ceilMode: fc.boolean(),
    })
    .chain(({ batch, channels, kernel, stride, dilation, padding, extra, ceilMode }) => {
      const [h, w] = [0, 1].map((a) => dilation[a]! * (kernel[a]! - 1) + 1 + extra[a]!);
      const xs = batch === 0 ? [channels, h!, w!] : [batch, channels, h!, w!];
      const options = {
        kernelSize: kernel, stride, dilation, ceilMode,
        padding: [padding[0] ? kernel[0] >> 1 : 0, padding[1] ? kernel[1] >> 1 : 0] as [number, number],
      };
      return distinctArb(size(xs)).map((v): Instance => ({ inputs: [leaf(xs, v)], f: (x) => maxPool2d(x!, options) }));
    }),
};

describe('gradcheck over every op', () => {
  it('has a case for every op name', () => {
    expect(Object.keys(cases).sort()).toEqual([...OP_NAMES].sort());
  });

  for (const op of OP_NAMES) {
    it(`${op}: analytic gradients match finite differences`, () => {
      fc.assert(
        fc.property(cases[op], ({ inputs, f }) => {
          const result = gradcheck(f, inputs);
          if (!result.ok) throw new Error(`${op} on shapes ${inputs.map((t) => `[${t.shape}]`).join(' ')}: ${result.message}`);
        }),
        { numRuns: 40, seed: 42 },
      );
    });
  }
});
