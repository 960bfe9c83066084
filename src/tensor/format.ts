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

/** How to print each number, and the width to pad to, chosen once per tensor as PyTorch does. */
interface Formatter {
  format: (v: number) => string;
  /** Column width: the widest non-zero finite value (nan, inf and 0 do not count, as in PyTorch). */
  width: number;
}

function chooseFormatter(values: readonly number[]): Formatter {
  const finite = values.filter((v) => Number.isFinite(v));
  const magnitudes = finite.map(Math.abs).filter((v) => v !== 0);
  const integral = finite.every((v) => Number.isInteger(v));
  const largest = magnitudes.length > 0 ? Math.max(...magnitudes) : 0;
  const smallest = magnitudes.length > 0 ? Math.min(...magnitudes) : 0;
  const wideRange = magnitudes.length > 0 && (largest / smallest > 1000 || largest > 1e8);
  const scientific = integral ? wideRange : wideRange || (magnitudes.length > 0 && smallest < 1e-4);
  const number = scientific
    ? (v: number) => toScientific(v)
    : integral
      ? (v: number) => `${toFixed(v, 0)}.`
      : (v: number) => toFixed(v, PRECISION);
  const format = (v: number): string =>
    Number.isNaN(v) ? 'nan' : v === Infinity ? 'inf' : v === -Infinity ? '-inf' : number(v);
  const width = Math.max(1, ...finite.filter((v) => v !== 0).map((v) => format(v).length));
  return { format, width };
}

/**
 * `v` with `digits` decimals as Python's `'{:.Nf}'` prints it: ties round to
 * even (JavaScript's toFixed rounds them up) and -0 keeps its sign. A float32
 * times 10⁴ is exact in a double, so a tie is detected exactly.
 */
function toFixed(v: number, digits: number): string {
  const sign = v < 0 || Object.is(v, -0) ? '-' : '';
  const scale = 10 ** digits;
  const scaled = Math.abs(v) * scale;
  const floor = Math.floor(scaled);
  const rounded = scaled - floor === 0.5 && floor % 2 === 0 ? floor / scale : Math.abs(v);
  return sign + rounded.toFixed(digits);
}

/** `1.2345e+03`, as Python's `'{:.4e}'` (ties to even, two-digit exponent). */
function toScientific(v: number): string {
  // 16 extra digits show an exact tie as d.dddd5000…0, which toExponential
  // would round up; Python rounds it to the even neighbour.
  const [long, power] = v.toExponential(PRECISION + 16).split('e') as [string, string];
  const kept = long.slice(0, -16);
  const isTie = long.slice(-16) === `5${'0'.repeat(15)}`;
  const mantissa = isTie && Number(kept[kept.length - 1]) % 2 === 0 ? kept : v.toExponential(PRECISION).split('e')[0]!;
  const exponent = Number(isTie && mantissa === kept ? power : v.toExponential(PRECISION).split('e')[1]);
  return `${mantissa}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
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
  const { format, width } = chooseFormatter(shownValues(data, shape, summarize));
  const cell = (v: number): string => format(v).padStart(width);
  if (shape.length === 0) return format(data[0]!);

  const render = (dim: number, offset: number, stride: number, column: number): string => {
    const extent = shape[dim]!;
    const inner = stride / Math.max(extent, 1);
    const indices = shownIndices(extent, summarize);
    if (dim === shape.length - 1) {
      // NOTE: PyTorch marks an elided run inside a row as ' ...' (leading space).
      const items = indices.map((i) => (i < 0 ? ' ...' : cell(data[offset + i]!)));
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
  // As PyTorch's _add_suffixes: a suffix that would pass the line width
  // starts a new line, indented under the opening bracket.
  let text = `tensor(${body}`;
  let lastLineLength = text.length - text.lastIndexOf('\n') + 1;
  for (const suffix of suffixes) {
    if (lastLineLength + suffix.length + 2 > LINE_WIDTH) {
      text += `,\n${' '.repeat(7)}${suffix}`;
      lastLineLength = 7 + suffix.length;
    } else {
      text += `, ${suffix}`;
      lastLineLength += suffix.length + 2;
    }
  }
  return `${text})`;
}
