// AssemblyScript (compiled by `npm run build:wasm`, not by tsc): e^x, σ(x)
// and tanh(x) on four float32 lanes at once, for the elementwise kernels.
//
// Accuracy, against the TypeScript kernels (float64 Math.exp/Math.tanh
// rounded to float32) on all 2³² float32 inputs, in a one-off sweep: exp and
// tanh within 1 ulp, sigmoid within 2 (largest relative error 2.4e-7 on
// normal results; subnormal results included), and the same NaN, ±∞ and
// ±0. test/kernels/elementwise-wasm.test.ts re-checks a million of them.

/** log2(e), to find k = round(x / ln 2). */
const LOG2E: f32 = 1.44269504088896341;
/** ln 2 split in two (Cody–Waite), so that x − k·ln 2 loses no bits: LN2_HI has few mantissa bits. */
const LN2_HI: f32 = 0.693359375;
const LN2_LO: f32 = -2.12194440e-4;

/**
 * e^x: x = k·ln 2 + r with |r| ≤ ln 2 / 2, e^r by Cephes's expf polynomial
 * (1 + r + r²·P(r)), then scaled by 2^k built in the exponent bits.
 */
// @ts-ignore: decorator
@inline export function exp4(x: v128): v128 {
  // Beyond [−104, 89] e^x is 0 or ∞ in float32; clamping keeps k in
  // [−150, 129]. min/max propagate NaN, which then flows through as NaN.
  x = f32x4.min(f32x4.max(x, f32x4.splat(-104)), f32x4.splat(89));
  const k = f32x4.nearest(f32x4.mul(x, f32x4.splat(LOG2E)));
  let r = f32x4.sub(x, f32x4.mul(k, f32x4.splat(LN2_HI)));
  r = f32x4.sub(r, f32x4.mul(k, f32x4.splat(LN2_LO)));
  let p = f32x4.splat(1.9875691500e-4);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.3981999507e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(8.3334519073e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(4.1665795894e-2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.6666665459e-1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(5.0000001201e-1));
  const er = f32x4.add(f32x4.add(f32x4.mul(f32x4.mul(p, r), r), r), f32x4.splat(1));
  // 2^k as two factors 2^(k/2) that are each a normal float, so that a
  // result down in the subnormals is rounded once, by the last multiply.
  const ki = i32x4.trunc_sat_f32x4_s(k);
  const k1 = i32x4.shr_s(ki, 1);
  const bias = i32x4.splat(127);
  const scale1 = i32x4.shl(i32x4.add(k1, bias), 23);
  const scale2 = i32x4.shl(i32x4.add(i32x4.sub(ki, k1), bias), 23);
  return f32x4.mul(f32x4.mul(er, scale1), scale2);
}

/**
 * σ(x) = 1 / (1 + e^−x) for x ≥ 0 and e^x / (1 + e^x) below, both from
 * e = e^−|x| ≤ 1, so nothing overflows (as the TypeScript kernel).
 */
// @ts-ignore: decorator
@inline export function sigmoid4(x: v128): v128 {
  const e = exp4(f32x4.neg(f32x4.abs(x)));
  const onePlusE = f32x4.add(f32x4.splat(1), e);
  const positive = f32x4.div(f32x4.splat(1), onePlusE);
  const negative = f32x4.div(e, onePlusE);
  return v128.bitselect(negative, positive, f32x4.lt(x, f32x4.splat(0)));
}

/**
 * tanh x = sign(x) · tanh |x|: below |x| = 0.625 Cephes's tanhf polynomial
 * a + a·z·P(z) with a = |x|, z = x² (no cancellation near 0); above,
 * 1 − 2 / (e^{2a} + 1) (→ 1 at ∞). The sign goes back on last, as a bit, so
 * that −0 stays −0.
 */
// @ts-ignore: decorator
@inline export function tanh4(x: v128): v128 {
  const a = f32x4.abs(x);
  const z = f32x4.mul(x, x);
  let p = f32x4.splat(-5.70498872745e-3);
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(2.06390887954e-2));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(-5.37397155531e-2));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(1.33314422036e-1));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(-3.33332819422e-1));
  const small = f32x4.add(f32x4.mul(f32x4.mul(p, z), a), a);
  const e = exp4(f32x4.add(a, a));
  const large = f32x4.sub(f32x4.splat(1), f32x4.div(f32x4.splat(2), f32x4.add(e, f32x4.splat(1))));
  const magnitude = v128.bitselect(small, large, f32x4.lt(a, f32x4.splat(0.625)));
  return v128.or(magnitude, v128.and(x, i32x4.splat(0x80000000)));
}
