// AssemblyScript (compiled by `npm run build:wasm`, not by tsc): the bulk
// elementwise kernels, f32x4, behind src/kernels/wasm/elementwise.ts.
//
// Unary kernels and reluBackward run whole vectors up to n rounded up to 4:
// the host pads every block to a multiple of 4 floats and copies back only
// n, so the last lanes take the same path as all the others. The broadcast
// binary kernel cannot (its rows are not padded) and ends each row with
// scalar code, which rounds exactly as the lanes do (IEEE single ops).

import { exp4, sigmoid4, tanh4 } from './math';
import { nextRow, rowStep } from './plan';

/** Unary op codes (src/kernels/wasm/elementwise.ts holds the same table). */
const RELU: i32 = 0, EXP: i32 = 1, SIGMOID: i32 = 2, TANH: i32 = 3;

// @ts-ignore: decorator
@inline function at(base: usize, i: i32): usize {
  return base + (<usize>i << 2);
}

/**
 * out = f(x) over n floats (blocks padded to a multiple of 4). relu clears
 * lanes with x ≤ 0 (−0 and −∞ included: +0 out) and keeps NaN, which fails
 * the compare, as the TypeScript bit trick does.
 */
export function unary(op: i32, x: usize, out: usize, n: i32): void {
  if (op == RELU) {
    const zero = f32x4.splat(0);
    for (let i = 0; i < n; i += 4) {
      const v = v128.load(at(x, i));
      v128.store(at(out, i), v128.andnot(v, f32x4.le(v, zero)));
    }
  } else if (op == EXP) {
    for (let i = 0; i < n; i += 4) v128.store(at(out, i), exp4(v128.load(at(x, i))));
  } else if (op == SIGMOID) {
    for (let i = 0; i < n; i += 4) v128.store(at(out, i), sigmoid4(v128.load(at(x, i))));
  } else if (op == TANH) {
    for (let i = 0; i < n; i += 4) v128.store(at(out, i), tanh4(v128.load(at(x, i))));
  } else {
    unreachable();
  }
}

/**
 * relu's backward, fused: dx = dy · (y > 0 ? 1 : 0), the very product the
 * unfused `mul(dy, step(y))` forms (so NaN or ∞ in dy where y ≤ 0 still
 * gives NaN, and a negative dy there gives −0). Blocks padded as above.
 */
export function reluBackward(y: usize, dy: usize, dx: usize, n: i32): void {
  const zero = f32x4.splat(0);
  const one = f32x4.splat(1);
  for (let i = 0; i < n; i += 4) {
    const step = v128.and(f32x4.gt(v128.load(at(y, i)), zero), one);
    v128.store(at(dx, i), f32x4.mul(v128.load(at(dy, i)), step));
  }
}

/** Binary op codes (src/kernels/wasm/elementwise.ts holds the same table). */
const ADD: i32 = 0, SUB: i32 = 1, MUL: i32 = 2, DIV: i32 = 3, MAXIMUM: i32 = 4, MINIMUM: i32 = 5;

/** a ∘ b on four lanes; maximum/minimum as the TypeScript kernel: `a > b || a ≠ a ? a : b`. */
// @ts-ignore: decorator
@inline function apply4(op: i32, a: v128, b: v128): v128 {
  switch (op) {
    case ADD: return f32x4.add(a, b);
    case SUB: return f32x4.sub(a, b);
    case MUL: return f32x4.mul(a, b);
    case DIV: return f32x4.div(a, b);
    case MAXIMUM: return v128.bitselect(a, b, v128.or(f32x4.gt(a, b), f32x4.ne(a, a)));
    default: return v128.bitselect(a, b, v128.or(f32x4.lt(a, b), f32x4.ne(a, a)));
  }
}

/** The same on one float. */
// @ts-ignore: decorator
@inline function apply1(op: i32, a: f32, b: f32): f32 {
  switch (op) {
    case ADD: return a + b;
    case SUB: return a - b;
    case MUL: return a * b;
    case DIV: return a / b;
    case MAXIMUM: return a > b || a != a ? a : b;
    default: return a < b || a != a ? a : b;
  }
}

/**
 * One output row of n floats: a read with element stride `as`, b with `bs`
 * (0 = broadcast, 1 = contiguous; anything else takes the scalar loop).
 */
function binaryRow(op: i32, a: usize, as: i32, b: usize, bs: i32, out: usize, n: i32): void {
  let i = 0;
  if (as == 1 && bs == 1) {
    for (; i + 4 <= n; i += 4) v128.store(at(out, i), apply4(op, v128.load(at(a, i)), v128.load(at(b, i))));
  } else if (as == 1 && bs == 0) {
    const bv = v128.load32_splat(b);
    for (; i + 4 <= n; i += 4) v128.store(at(out, i), apply4(op, v128.load(at(a, i)), bv));
  } else if (as == 0 && bs == 1) {
    const av = v128.load32_splat(a);
    for (; i + 4 <= n; i += 4) v128.store(at(out, i), apply4(op, av, v128.load(at(b, i))));
  }
  for (; i < n; i++) store<f32>(at(out, i), apply1(op, load<f32>(at(a, i * as)), load<f32>(at(b, i * bs))));
}

/**
 * Broadcasting binary op over a coalesced iteration plan (see
 * src/kernels/iterate.ts) stored as i32 at `plan`:
 * `[rank, shape…, a strides…, b strides…, counter…]` (the counters are
 * scratch). The output is contiguous; rows are visited in the same order as
 * `forEachRow` visits them.
 */
export function binary(op: i32, a: usize, b: usize, out: usize, plan: usize): void {
  const rank = load<i32>(plan);
  const shape = plan + 4;
  const aStrides = shape + (<usize>rank << 2);
  const bStrides = aStrides + (<usize>rank << 2);
  const counter = bStrides + (<usize>rank << 2);
  memory.fill(counter, 0, <usize>rank << 2);
  const length = load<i32>(at(shape, rank - 1));
  const as = load<i32>(at(aStrides, rank - 1));
  const bs = load<i32>(at(bStrides, rank - 1));
  let ai = 0, bi = 0, oi = 0;
  for (;;) {
    binaryRow(op, at(a, ai), as, at(b, bi), bs, at(out, oi), length);
    oi += length;
    const axis = nextRow(rank, shape, counter);
    if (axis < 0) return;
    ai += rowStep(aStrides, shape, axis, rank);
    bi += rowStep(bStrides, shape, axis, rank);
  }
}
