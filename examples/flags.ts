/**
 * Reading `--name value` flags for the examples, without a dependency.
 */

/**
 * The number given as `--name value` (or `--name=value`), or a default.
 * @param argv - command-line arguments
 * @param name - flag name without dashes
 * @param fallback - value when the flag is absent
 * @returns the parsed number
 * @throws Error when the value is not a number
 */
export function numberFlag(argv: readonly string[], name: string, fallback: number): number {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = arg === `--${name}` ? argv[i + 1] : arg.startsWith(`--${name}=`) ? arg.slice(name.length + 3) : undefined;
    if (value === undefined) continue;
    const parsed = Number(value);
    if (!Number.isFinite(parsed)) throw new Error(`--${name}: expected a number, got ${value}`);
    return parsed;
  }
  return fallback;
}
