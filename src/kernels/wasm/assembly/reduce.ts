// AssemblyScript (compiled by `npm run build:wasm`, not by tsc): the sum
// over leading (non-last) axes, behind src/kernels/wasm/reduce.ts. Same
// float64 accumulators and the same order of additions as the TypeScript
// kernel (src/kernels/reduce.ts), so the results are identical bit for bit.
import { nextRow, rowStep } from './plan';

// @ts-ignore: decorator
@inline function at(base: usize, i: i32): usize {
  return base + (<usize>i << 2);
}

/** acc[0..n) += x[0..n) in float64, four floats per step (two f64x2 halves). */
function accumulateRow(x: usize, acc: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const v = v128.load(at(x, i));
    const low = acc + (<usize>i << 3);
    v128.store(low, f64x2.add(v128.load(low), f64x2.promote_low_f32x4(v)));
    const high = low + 16;
    v128.store(high, f64x2.add(v128.load(high), f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 1))));
  }
  for (; i < n; i++) {
    const p = acc + (<usize>i << 3);
    store<f64>(p, load<f64>(p) + <f64>load<f32>(at(x, i)));
  }
}

/**
 * Sum of x over the reduced axes when the last axis is kept, into `out`
 * (`outSize` floats) through the float64 accumulators at `acc`. The
 * coalesced plan is i32 at `plan`: `[rank, shape…, x strides…, out strides…,
 * counter…]` with both inner strides 1 (the host checks); the counters are
 * scratch. Rows are visited in `forEachRow`'s order.
 */
export function sumKeepLast(x: usize, acc: usize, out: usize, outSize: i32, plan: usize): void {
  const rank = load<i32>(plan);
  const shape = plan + 4;
  const xStrides = shape + (<usize>rank << 2);
  const accStrides = xStrides + (<usize>rank << 2);
  const counter = accStrides + (<usize>rank << 2);
  memory.fill(counter, 0, <usize>rank << 2);
  memory.fill(acc, 0, <usize>outSize << 3);
  const length = load<i32>(at(shape, rank - 1));
  let xi = 0, ai = 0;
  for (;;) {
    accumulateRow(at(x, xi), acc + (<usize>ai << 3), length);
    const axis = nextRow(rank, shape, counter);
    if (axis < 0) break;
    xi += rowStep(xStrides, shape, axis, rank);
    ai += rowStep(accStrides, shape, axis, rank);
  }
  for (let i = 0; i < outSize; i++) store<f32>(at(out, i), <f32>load<f64>(acc + (<usize>i << 3)));
}
