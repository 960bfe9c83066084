// AssemblyScript (compiled by `npm run build:wasm`, not by tsc): log-softmax
// of contiguous rows and its gradient, behind src/kernels/wasm/reduce.ts.
// The TypeScript kernel (src/kernels/softmax.ts) spends its time in one
// float64 Math.exp per element; here e^x is `exp4` (four lanes, within 1
// float32 ulp), with the sums and the final arithmetic in float64 as there.
// The results agree with it to ~1e-7 absolute.
//
// (AssemblyScript's float64 Math.exp/Math.log would match V8's more closely,
// but they are scalar and bring ~8 KB of lookup tables into the module.)

import { exp4 } from './math';

// @ts-ignore: decorator
@inline function at(base: usize, i: i32): usize {
  return base + (<usize>i << 2);
}

/**
 * log t in float64: float32 `Mathf.log` of t rounded, plus the first-order
 * term of what the rounding dropped, log(r·(1 + δ)) ≈ log r + δ. At t = 0,
 * ∞ or NaN (rows of all −∞, or holding +∞ or NaN) that term is left out, so
 * log is −∞, ∞ or NaN as Math.log would give.
 */
// @ts-ignore: decorator
@inline function logOfSum(total: f64): f64 {
  const rounded = <f32>total;
  const logRounded = <f64>Mathf.log(rounded);
  return isFinite(logRounded) ? logRounded + (total - <f64>rounded) / <f64>rounded : logRounded;
}

/** out = (x − m) − log Σ e^{x−m} over each row of `cols` floats, m the row's maximum. */
export function logSoftmaxRows(x: usize, out: usize, rows: i32, cols: i32): void {
  for (let r = 0; r < rows; r++) {
    const row = at(x, r * cols);
    const outRow = at(out, r * cols);
    let m: f32 = -Infinity;
    // f32.max propagates NaN, like Math.max.
    for (let c = 0; c < cols; c++) m = max(m, load<f32>(at(row, c)));
    // A row of all −∞ (or holding +∞ or NaN) has no finite shift.
    if (!isFinite(m)) m = 0;
    const shift = f32x4.splat(m);
    // Σ e^{x−m} in float64, added in column order as the TypeScript loop does.
    let total: f64 = 0;
    let c = 0;
    for (; c + 4 <= cols; c += 4) {
      const e = exp4(f32x4.sub(v128.load(at(row, c)), shift));
      total += <f64>f32x4.extract_lane(e, 0);
      total += <f64>f32x4.extract_lane(e, 1);
      total += <f64>f32x4.extract_lane(e, 2);
      total += <f64>f32x4.extract_lane(e, 3);
    }
    for (; c < cols; c++) total += <f64>f32x4.extract_lane(exp4(f32x4.splat(load<f32>(at(row, c)) - m)), 0);
    const logTotal = logOfSum(total);
    // (x − m) first, as the TypeScript kernel: exact, and the same rounding.
    for (c = 0; c < cols; c++) store<f32>(at(outRow, c), <f32>((<f64>load<f32>(at(row, c)) - <f64>m) - logTotal));
  }
}

/** dx = dy − e^y · Σ dy over each row, y the log-softmax output; float64 but for e^y. */
export function logSoftmaxBackwardRows(y: usize, dy: usize, dx: usize, rows: i32, cols: i32): void {
  for (let r = 0; r < rows; r++) {
    const yRow = at(y, r * cols), dyRow = at(dy, r * cols), dxRow = at(dx, r * cols);
    let total: f64 = 0;
    for (let c = 0; c < cols; c++) total += <f64>load<f32>(at(dyRow, c));
    const totals = f64x2.splat(total);
    let c = 0;
    for (; c + 4 <= cols; c += 4) {
      const e = exp4(v128.load(at(yRow, c)));
      const g = v128.load(at(dyRow, c));
      const low = f64x2.sub(f64x2.promote_low_f32x4(g), f64x2.mul(f64x2.promote_low_f32x4(e), totals));
      const high = f64x2.sub(
        f64x2.promote_low_f32x4(i32x4.shuffle(g, g, 2, 3, 0, 1)),
        f64x2.mul(f64x2.promote_low_f32x4(i32x4.shuffle(e, e, 2, 3, 0, 1)), totals),
      );
      v128.store(at(dxRow, c), i32x4.shuffle(f32x4.demote_f64x2_zero(low), f32x4.demote_f64x2_zero(high), 0, 1, 4, 5));
    }
    for (; c < cols; c++) {
      const e = <f64>f32x4.extract_lane(exp4(f32x4.splat(load<f32>(at(yRow, c)))), 0);
      store<f32>(at(dxRow, c), <f32>(<f64>load<f32>(at(dyRow, c)) - e * total));
    }
  }
}
