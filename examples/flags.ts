/**
 * Reading `--name value` flags for the examples, without a dependency.
 */

function rawFlag(argv: readonly string[], name: string): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === `--${name}`) return argv[i + 1];
    if (arg.startsWith(`--${name}=`)) return arg.slice(name.length + 3);
  }
  return undefined;
}

/**
 * The number given as `--name value` (or `--name=value`), or a default.
 * @param argv - command-line arguments
 * @param name - flag name without dashes
 * @param fallback - value when the flag is absent
 * @returns the parsed number
 * @throws Error when the value is not a number
 */
export function numberFlag(argv: readonly string[], name: string, fallback: number): number {
  const value = rawFlag(argv, name);
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed)) throw new Error(`--${name}: expected a number, got ${value}`);
  return parsed;
}

/**
 * The string given as `--name value` (or `--name=value`), or a default.
 * @param argv - command-line arguments
 * @param name - flag name without dashes
 * @param fallback - value when the flag is absent
 * @returns the value
 */
export function stringFlag(argv: readonly string[], name: string, fallback: string): string {
  return rawFlag(argv, name) ?? fallback;
}
