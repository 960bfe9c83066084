/**
 * Messages between the page (`main.ts`) and the training worker
 * (`worker.ts`). The worker owns the model; the page owns the canvas, the
 * bars and the chart.
 */

/** What the page asks of the worker. */
export type Request =
  /** Classify one drawing: 784 pixels in [0, 1], row-major 28×28. */
  | { type: 'predict'; id: number; pixels: Float32Array }
  /** Train a fresh LeNet on the first `limit` MNIST training images. */
  | { type: 'train'; url: string; limit: number; testLimit: number; epochs: number; batchSize: number; lr: number }
  /** Load safetensors weights (the ones `examples/mnist-cnn` saves) into LeNet. */
  | { type: 'load'; url: string };

/** One finished batch, with the figures of that batch alone (not the epoch's running means). */
export interface BatchReport {
  type: 'batch';
  /** Batches done so far, over all epochs. */
  batch: number;
  /** Batches planned, over all epochs. */
  batches: number;
  /** Cross-entropy of this batch. */
  loss: number;
  /** Fraction of this batch classified right. */
  accuracy: number;
  /** Images per second so far. */
  imagesPerSecond: number;
}

/** What the worker tells the page. */
export type Reply =
  | { type: 'status'; text: string }
  | BatchReport
  | { type: 'trained'; testLoss: number; testAccuracy: number; testImages: number; seconds: number }
  | { type: 'loaded'; url: string; parameters: number; metadata: Record<string, string> }
  | { type: 'prediction'; id: number; probabilities: number[] }
  | { type: 'error'; message: string };
