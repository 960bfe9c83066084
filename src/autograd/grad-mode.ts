/**
 * Whether ops record the graph. Off inside {@link noGrad} and while
 * `backward()` runs its rules.
 * @module
 */

let gradEnabled = true;

/**
 * True when operations currently record the autograd graph.
 * @returns the current grad mode
 */
export function isGradEnabled(): boolean {
  return gradEnabled;
}

/**
 * Runs `fn` without recording the autograd graph (like `torch.no_grad()`):
 * results of ops inside do not require grad. Use it for inference and for
 * in-place parameter updates.
 * @param fn - the work to run
 * @returns what `fn` returns
 * @example
 * const y = noGrad(() => model.forward(x)); // y.requiresGrad === false
 */
export function noGrad<T>(fn: () => T): T {
  return withGradMode(false, fn);
}

/**
 * Runs `fn` with graph recording switched on or off, restoring the previous
 * mode afterwards (also when `fn` throws).
 * @param enabled - the mode to run `fn` in
 * @param fn - the work to run
 * @returns what `fn` returns
 */
export function withGradMode<T>(enabled: boolean, fn: () => T): T {
  const previous = gradEnabled;
  gradEnabled = enabled;
  try {
    return fn();
  } finally {
    gradEnabled = previous;
  }
}
