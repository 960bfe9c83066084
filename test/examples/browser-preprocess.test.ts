/**
 * The browser demo's drawing → 28×28 step (`examples/browser/preprocess.ts`):
 * MNIST's recipe of a 20×20 bounding box, anti-aliasing and centring by
 * centre of mass. The page itself is tested in Chromium by test/browser/demo.mjs.
 */
import { describe, expect, it } from 'vitest';
import { toMnistPixels } from '../../examples/browser/preprocess.js';

/** A 280×280 RGBA canvas, black, with white (255) rectangles `[left, top, width, height]`. */
function canvas(...rects: [number, number, number, number][]): Uint8ClampedArray {
  const rgba = new Uint8ClampedArray(280 * 280 * 4);
  for (const [left, top, width, height] of rects) {
    for (let y = top; y < top + height; y++) rgba.fill(255, 4 * (y * 280 + left), 4 * (y * 280 + left + width));
  }
  return rgba;
}

/** Total ink, centre of mass (pixel centres) and the rows and columns with ink. */
function describeImage(pixels: Float32Array) {
  let mass = 0, x = 0, y = 0;
  const rows = new Set<number>(), cols = new Set<number>();
  pixels.forEach((v, i) => {
    if (v <= 1e-6) return;
    const [r, c] = [Math.floor(i / 28), i % 28];
    mass += v; x += v * (c + 0.5); y += v * (r + 0.5);
    rows.add(r); cols.add(c);
  });
  return { mass, centerX: x / mass, centerY: y / mass, rows: rows.size, cols: cols.size, max: Math.max(...pixels), min: Math.min(...pixels) };
}

describe('toMnistPixels', () => {
  it('returns null for an empty drawing', () => {
    expect(toMnistPixels(canvas(), 280, 280)).toBeNull();
  });

  it('scales a "1" (20×200 bar) into a 2×20 box centred by mass, keeping the area', () => {
    const pixels = toMnistPixels(canvas([30, 10, 20, 200]), 280, 280)!;
    const image = describeImage(pixels);
    // scale = 20 / 200 = 0.1: the 4 000 inked pixels become 4 000 · 0.1² = 40 pixels' worth of ink
    expect(image.mass).toBeCloseTo(40, 3);
    expect(image.centerX).toBeCloseTo(14, 4); // moved from the far left to the centre
    expect(image.centerY).toBeCloseTo(14, 4);
    // 20 rows, plus at most one on each side: the tent filter spreads an edge pixel over two
    expect(image.rows).toBeLessThanOrEqual(22);
    expect(image.cols).toBeLessThanOrEqual(4);
    expect(image.max).toBeLessThanOrEqual(1);
    expect(image.min).toBeGreaterThanOrEqual(0);
  });

  it('centres by mass, not by bounding box, and keeps the aspect ratio', () => {
    // An "L": a heavy vertical bar and a thin foot; the 200-pixel height sets the scale for both axes.
    const pixels = toMnistPixels(canvas([100, 40, 40, 200], [140, 220, 60, 20]), 280, 280)!;
    const image = describeImage(pixels);
    expect(image.centerX).toBeCloseTo(14, 4);
    expect(image.centerY).toBeCloseTo(14, 4);
    expect(image.rows).toBeLessThanOrEqual(22);
    expect(image.cols).toBeLessThanOrEqual(12); // 100 px wide · 0.1, plus the tent's spread
  });
});
