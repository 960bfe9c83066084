/**
 * Turning a drawing into an MNIST-like 28×28 image, the way MNIST's digits
 * were made: the digit is scaled so that its bounding box fits a 20×20 box
 * (aspect ratio kept), anti-aliased, and placed so that its centre of mass
 * sits at the centre of the 28×28 field.
 */

/** Side of the images the model reads. */
export const SIZE = 28;
/** Side of the box the digit's bounding box is scaled into. */
const BOX = 20;

/**
 * Downsamples a white-on-black drawing to MNIST's format.
 * @param rgba - the canvas pixels (`getImageData().data`); the red channel is read as ink
 * @param width - the canvas width in pixels
 * @param height - the canvas height in pixels
 * @returns 784 values in [0, 1], row-major, or `null` when nothing is drawn
 * @example toMnistPixels(ctx.getImageData(0, 0, 280, 280).data, 280, 280);
 */
export function toMnistPixels(rgba: Uint8ClampedArray, width: number, height: number): Float32Array | null {
  // Ink mass, centre of mass (of pixel centres) and bounding box.
  let mass = 0;
  let sumX = 0;
  let sumY = 0;
  let left = width;
  let right = -1;
  let top = height;
  let bottom = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const ink = rgba[4 * (y * width + x)]!;
      if (ink === 0) continue;
      mass += ink;
      sumX += ink * (x + 0.5);
      sumY += ink * (y + 0.5);
      if (x < left) left = x;
      if (x > right) right = x;
      if (y < top) top = y;
      if (y > bottom) bottom = y;
    }
  }
  if (mass === 0) return null;
  const centerX = sumX / mass;
  const centerY = sumY / mass;
  const scale = BOX / Math.max(right - left + 1, bottom - top + 1);

  // Splat every inked source pixel onto the 28×28 grid with a tent
  // (bilinear) filter: source point p lands at 14 + (p − centre)·scale, so
  // the centre of mass lands at the field's centre. Each source pixel adds a
  // total weight of 1 and covers scale² of a target pixel, so the sum times
  // scale² is the target pixel's mean ink: an area average, anti-aliased.
  const out = new Float32Array(SIZE * SIZE);
  const half = SIZE / 2;
  for (let y = top; y <= bottom; y++) {
    const fy = half + (y + 0.5 - centerY) * scale - 0.5; // in target pixel-centre coordinates
    const row = Math.floor(fy);
    const wy = fy - row;
    for (let x = left; x <= right; x++) {
      const ink = rgba[4 * (y * width + x)]!;
      if (ink === 0) continue;
      const fx = half + (x + 0.5 - centerX) * scale - 0.5;
      const col = Math.floor(fx);
      const wx = fx - col;
      const value = (ink / 255) * scale * scale;
      splat(out, row, col, value * (1 - wy) * (1 - wx));
      splat(out, row, col + 1, value * (1 - wy) * wx);
      splat(out, row + 1, col, value * wy * (1 - wx));
      splat(out, row + 1, col + 1, value * wy * wx);
    }
  }
  for (let i = 0; i < out.length; i++) out[i] = Math.min(out[i]!, 1);
  return out;
}

function splat(out: Float32Array, row: number, col: number, value: number): void {
  if (row >= 0 && row < SIZE && col >= 0 && col < SIZE) out[row * SIZE + col]! += value;
}
