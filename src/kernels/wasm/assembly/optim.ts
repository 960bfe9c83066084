// AssemblyScript (compiled by `npm run build:wasm`, not by tsc): the
// optimizers' per-element updates, behind src/kernels/wasm/optim.ts.
//
// The TypeScript loops (src/kernels/optim.ts) compute in float64 and store
// float32; these do the very same operations in the same order on two f64
// lanes, so the results are identical bit for bit: IEEE add, mul, div and
// sqrt round exactly in both, and every float32 store that the TypeScript
// loop reads back (m, v, buffers) is mirrored by rounding to f32 and
// widening again (`store2`). Their cost is the float64 divider and square
// root, which f64x2 runs two lanes at a time.
//
// Every block is padded to a whole number of pairs by the host, which
// copies back only n floats: the last pair's spare lane computes on
// whatever the arena holds, harmlessly (no float op traps).

// @ts-ignore: decorator
@inline function at(base: usize, i: i32): usize {
  return base + (<usize>i << 2);
}

/** Two float32 at base[i], widened to f64x2. */
// @ts-ignore: decorator
@inline function load2(base: usize, i: i32): v128 {
  return f64x2.promote_low_f32x4(v128.load64_zero(at(base, i)));
}

/**
 * Stores two f64 lanes as float32 at base[i], and returns what a read of
 * them gives back (the lanes rounded to float32, widened).
 */
// @ts-ignore: decorator
@inline function store2(base: usize, i: i32, x: v128): v128 {
  const rounded = f32x4.demote_f64x2_zero(x);
  v128.store64_lane(at(base, i), rounded, 0);
  return f64x2.promote_low_f32x4(rounded);
}

// @ts-ignore: decorator
@inline function add(a: v128, b: v128): v128 { return f64x2.add(a, b); }
// @ts-ignore: decorator
@inline function sub(a: v128, b: v128): v128 { return f64x2.sub(a, b); }
// @ts-ignore: decorator
@inline function mul(a: v128, b: v128): v128 { return f64x2.mul(a, b); }
// @ts-ignore: decorator
@inline function div(a: v128, b: v128): v128 { return f64x2.div(a, b); }
// @ts-ignore: decorator
@inline function splat(x: f64): v128 { return f64x2.splat(x); }

/**
 * The gradient every update starts from, g = sign·∇ + weightDecay·θ
 * (sign −1 to maximize).
 */
// @ts-ignore: decorator
@inline function decayedGradient(sign: v128, grad: v128, weightDecay: v128, theta: v128): v128 {
  return add(mul(sign, grad), mul(weightDecay, theta));
}

/**
 * Adam/AdamW on n floats; `maxExpAvgSq` 0 without amsgrad, `shrink` 1 for
 * Adam (θ is then not rescaled). As `adamUpdateJs`:
 * θ ← θ·shrink; g ← sign·∇ + weightDecay·θ; m ← β₁m + (1−β₁)g;
 * v ← β₂v + (1−β₂)g·g; v̂ ← max(v̂, v);
 * θ ← θ − stepSize·m/(√v̂/biasCorrection2Sqrt + eps).
 */
export function adamUpdate(
  theta: usize, grad: usize, expAvg: usize, expAvgSq: usize, maxExpAvgSq: usize, n: i32,
  sign: f64, weightDecay: f64, shrink: f64, beta1: f64, beta2: f64, eps: f64,
  stepSize: f64, biasCorrection2Sqrt: f64,
): void {
  const s = splat(sign), wd = splat(weightDecay), factor = splat(shrink);
  const b1 = splat(beta1), b2 = splat(beta2), c1 = splat(1 - beta1), c2 = splat(1 - beta2);
  const e = splat(eps), size = splat(stepSize), bc2 = splat(biasCorrection2Sqrt);
  for (let i = 0; i < n; i += 2) {
    let th = load2(theta, i);
    if (shrink != 1) th = store2(theta, i, mul(th, factor));
    const g = decayedGradient(s, load2(grad, i), wd, th);
    const m = store2(expAvg, i, add(mul(b1, load2(expAvg, i)), mul(c1, g)));
    let second = store2(expAvgSq, i, add(mul(b2, load2(expAvgSq, i)), mul(mul(c2, g), g)));
    // f64x2.max, like Math.max, propagates NaN and orders −0 below +0.
    if (maxExpAvgSq != 0) second = store2(maxExpAvgSq, i, f64x2.max(load2(maxExpAvgSq, i), second));
    const denom = add(div(f64x2.sqrt(second), bc2), e);
    store2(theta, i, sub(th, mul(size, div(m, denom))));
  }
}

/**
 * SGD on n floats; `momentumBuffer` 0 without momentum, `first` when the
 * buffer is new (it then takes g itself). As `sgdUpdateJs`:
 * g ← sign·∇ + weightDecay·θ; b ← momentum·b + (1 − dampening)·g;
 * θ ← θ − lr·(nesterov ? g + momentum·b : b), or θ − lr·g without momentum.
 */
export function sgdUpdate(
  theta: usize, grad: usize, momentumBuffer: usize, n: i32,
  sign: f64, weightDecay: f64, lr: f64, momentum: f64, dampening: f64, first: bool, nesterov: bool,
): void {
  const s = splat(sign), wd = splat(weightDecay), rate = splat(lr);
  const mu = splat(momentum), keep = splat(1 - dampening);
  if (momentumBuffer == 0) {
    for (let i = 0; i < n; i += 2) {
      const th = load2(theta, i);
      const g = decayedGradient(s, load2(grad, i), wd, th);
      store2(theta, i, sub(th, mul(rate, g)));
    }
    return;
  }
  for (let i = 0; i < n; i += 2) {
    const th = load2(theta, i);
    const g = decayedGradient(s, load2(grad, i), wd, th);
    const b = store2(momentumBuffer, i, first ? g : add(mul(mu, load2(momentumBuffer, i)), mul(keep, g)));
    store2(theta, i, sub(th, mul(rate, nesterov ? add(g, mul(mu, b)) : b)));
  }
}

/**
 * RMSprop on n floats; `gradAvg` 0 unless centered, `momentumBuffer` 0
 * without momentum. As `rmspropUpdateJs`:
 * g ← sign·∇ + weightDecay·θ; s ← αs + (1−α)g·g; ḡ ← αḡ + (1−α)g;
 * d ← √(s − ḡ·ḡ) + eps (or √s + eps); b ← momentum·b + g/d;
 * θ ← θ − lr·b (or θ − lr·(g/d)).
 */
export function rmspropUpdate(
  theta: usize, grad: usize, squareAvg: usize, gradAvg: usize, momentumBuffer: usize, n: i32,
  sign: f64, weightDecay: f64, lr: f64, alpha: f64, eps: f64, momentum: f64,
): void {
  const s = splat(sign), wd = splat(weightDecay), rate = splat(lr);
  const a = splat(alpha), c = splat(1 - alpha), e = splat(eps), mu = splat(momentum);
  for (let i = 0; i < n; i += 2) {
    const th = load2(theta, i);
    const g = decayedGradient(s, load2(grad, i), wd, th);
    const sq = store2(squareAvg, i, add(mul(a, load2(squareAvg, i)), mul(mul(c, g), g)));
    let denom: v128;
    if (gradAvg != 0) {
      const mean = store2(gradAvg, i, add(mul(a, load2(gradAvg, i)), mul(c, g)));
      denom = add(f64x2.sqrt(sub(sq, mul(mean, mean))), e);
    } else {
      denom = add(f64x2.sqrt(sq), e);
    }
    if (momentumBuffer != 0) {
      const b = store2(momentumBuffer, i, add(mul(mu, load2(momentumBuffer, i)), div(g, denom)));
      store2(theta, i, sub(th, mul(rate, b)));
    } else {
      store2(theta, i, sub(th, mul(rate, div(g, denom))));
    }
  }
}

/**
 * Adagrad on n floats, `lr` already decayed for this step. As
 * `adagradUpdateJs`: g ← sign·∇ + weightDecay·θ; Σ ← Σ + g·g;
 * θ ← θ − lr·(g/(√Σ + eps)).
 */
export function adagradUpdate(
  theta: usize, grad: usize, sum: usize, n: i32,
  sign: f64, weightDecay: f64, lr: f64, eps: f64,
): void {
  const s = splat(sign), wd = splat(weightDecay), rate = splat(lr), e = splat(eps);
  for (let i = 0; i < n; i += 2) {
    const th = load2(theta, i);
    const g = decayedGradient(s, load2(grad, i), wd, th);
    const total = store2(sum, i, add(load2(sum, i), mul(g, g)));
    store2(theta, i, sub(th, mul(rate, div(g, add(f64x2.sqrt(total), e)))));
  }
}
