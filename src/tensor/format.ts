/**
 * PyTorch-style printing: `tensor([[1.0000, 2.0000], [3.0000, 4.0000]])`,
 * with the same choice of fixed or scientific notation, aligned columns and
 * elision (`...`) of the middle of tensors with more than 1000 elements.
 * @module
 */
import type { Tensor } from './tensor.js';

/** Elements above which the middle of each axis is elided (PyTorch's threshold). */
const SUMMARIZE_THRESHOLD = 1000;
/** Elements kept at each end of an elided axis (PyTorch's edgeitems). */
const EDGE_ITEMS = 3;
/** Line width for wrapping the innermost axis (PyTorch's linewidth). */
const LINE_WIDTH = 80;
/** Digits after the point (PyTorch's precision). */
const PRECISION = 4;

/** How to print each number, chosen once per tensor as PyTorch does. */
function chooseFormatter(values: Float32Array | number[]): (v: number) => string {
  const finite = Array.from(values).filter((v) => Number.isFinite(v));
  const magnitudes = finite.map(Math.abs).filter((v) => v !== 0);
  const integral = finite.every((v) => Number.isInteger(v));
  const largest = magnitudes.length > 0 ? Math.max(...magnitudes) : 0;
  const smallest = magnitudes.length > 0 ? Math.min(...magnitudes) : 0;
  const wideRange = magnitudes.length > 0 && (largest / smallest > 1000 || largest > 1e8);
  const scientific = integral ? wideRange : wideRange || (magnitudes.length > 0 && smallest < 1e-4);
  const special = (v: number): string | null => (Number.isNaN(v) ? 'nan' : v === Infinity ? 'inf' : v === -Infinity ? '-inf' : null);
  if (scientific) return (v) => special(v) ?? toScientific(v);
  if (integral) return (v) => special(v) ?? `${v.toFixed(0)}.`;
  return (v) => special(v) ?? v.toFixed(PRECISION);
}

/** `1.2345e+03`, as Python's `'{:.4e}'`. */
function toScientific(v: number): string {
  const [mantissa, exponent] = v.toExponential(PRECISION).split('e') as [string, string];
  const sign = exponent.startsWith('-') ? '-' : '+';
  return `${mantissa}e${sign}${exponent.replace(/^[+-]/, '').padStart(2, '0')}`;
}

/** The values that will be shown (the edges of each axis when summarising). */
function shownValues(data: Float32Array, shape: readonly number[], summarize: boolean): number[] {
  const out: number[] = [];
  const walk = (dim: number, offset: number, stride: number): void => {
    if (dim === shape.length) { out.push(data[offset]!); return; }
    const extent = shape[dim]!;
    const inner = stride / extent;
    for (const i of shownIndices(extent, summarize)) if (i >= 0) walk(dim + 1, offset + i * inner, inner);
  };
  if (data.length > 0) walk(0, 0, data.length);
  return out;
}

/** Indices printed along an axis; -1 marks the `...`. */
function shownIndices(extent: number, summarize: boolean): number[] {
  if (!summarize || extent <= 2 * EDGE_ITEMS) return Array.from({ length: extent }, (_, i) => i);
  return [
    ...Array.from({ length: EDGE_ITEMS }, (_, i) => i),
    -1,
    ...Array.from({ length: EDGE_ITEMS }, (_, i) => extent - EDGE_ITEMS + i),
  ];
}

/**
 * Formats raw values and a shape the way PyTorch prints a tensor's body.
 * @param data - values, row-major
 * @param shape - dimensions
 * @param indent - column at which the body starts (7 for `tensor(`)
 * @returns the nested bracketed text
 */
export function formatValues(data: Float32Array, shape: readonly number[], indent = 7): string {
  const summarize = data.length > SUMMARIZE_THRESHOLD;
  const format = chooseFormatter(shownValues(data, shape, summarize));
  const width = Math.max(1, ...shownValues(data, shape, summarize).map((v) => format(v).length));
  const cell = (v: number): string => format(v).padStart(width);
  if (shape.length === 0) return format(data[0]!);

  const render = (dim: number, offset: number, stride: number, column: number): string => {
    const extent = shape[dim]!;
    const inner = stride / Math.max(extent, 1);
    const indices = shownIndices(extent, summarize);
    if (dim === shape.length - 1) {
      const items = indices.map((i) => (i < 0 ? '...' : cell(data[offset + i]!)));
      // Wrap long rows at the line width, continuing under the first element.
      const perLine = Math.max(1, Math.floor((LINE_WIDTH - column) / (width + 2)));
      const lines: string[] = [];
      for (let i = 0; i < items.length; i += perLine) lines.push(items.slice(i, i + perLine).join(', '));
      return `[${lines.join(`,\n${' '.repeat(column + 1)}`)}]`;
    }
    const rows = indices.map((i) => (i < 0 ? '...' : render(dim + 1, offset + i * inner, inner, column + 1)));
    const separator = `,${'\n'.repeat(shape.length - dim - 1)}${' '.repeat(column + 1)}`;
    return `[${rows.join(separator)}]`;
  };
  return render(0, 0, data.length, indent);
}

/**
 * The printed form of a tensor: `tensor([...])` plus `requiresGrad=true` or
 * `gradFn=<op>` as in PyTorch, and `size=(…)` for empty tensors.
 * @param t - the tensor
 * @returns e.g. `tensor([1.5000, 2.0000], requiresGrad=true)`
 */
export function formatTensor(t: Tensor): string {
  const suffixes: string[] = [];
  let body: string;
  if (t.size === 0) {
    body = '[]';
    if (t.ndim !== 1) suffixes.push(`size=(${t.shape.join(', ')}${t.ndim === 1 ? ',' : ''})`);
  } else {
    body = formatValues(t.data, t.shape);
  }
  if (t.gradFn !== null) suffixes.push(`gradFn=<${t.gradFn.op}>`);
  else if (t.requiresGrad) suffixes.push('requiresGrad=true');
  return `tensor(${[body, ...suffixes].join(', ')})`;
}
