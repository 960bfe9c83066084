/**
 * The demo's Web Worker. It owns the model, so loading MNIST, training and
 * inference never run on the page's thread and cannot freeze it. It imports
 * tensorgrad's main entry only (no `node:*`).
 *
 * While it trains, `train.fit` yields a macrotask every 100 ms, so
 * `predict` messages are answered between batches: the page's bars follow
 * the model as it learns.
 */
import { data, io, losses, manualSeed, narrow, noGrad, optim, softmax, tensor, train, type nn, type Tensor } from '../../src/index.js';
import { leNet } from '../lenet.js';
import type { Reply, Request } from './protocol.js';

/**
 * The part of `DedicatedWorkerGlobalScope` used here. The project
 * type-checks with the DOM lib, and adding the WebWorker lib to the same
 * program would clash with it, so the worker's scope is typed by hand.
 */
interface WorkerScope {
  onmessage: ((event: MessageEvent<Request>) => void) | null;
  postMessage(message: Reply): void;
}

/** The MNIST images the demo trains and tests on. */
interface Subset {
  x: Tensor;
  y: Int32Array;
  testX: Tensor;
  testY: Int32Array;
}

const scope = globalThis as unknown as WorkerScope;
const post = (message: Reply): void => scope.postMessage(message);

/** The model that answers predictions: random weights until trained or loaded. */
let model: nn.Sequential = leNet();
/** True while training or loading; predictions are still answered. */
let busy = false;
/** MNIST, fetched on the first "train" and kept for the next ones. */
let subsets = new Map<string, Promise<Subset>>();

scope.onmessage = (event) => {
  const request = event.data;
  if (request.type === 'predict') {
    post({ type: 'prediction', id: request.id, probabilities: predict(request.pixels) });
    return;
  }
  if (busy) {
    post({ type: 'error', message: `${request.type}: the worker is still busy with the last request` });
    return;
  }
  busy = true;
  const work = request.type === 'train' ? trainLeNet(request) : loadWeights(request.url);
  work
    .catch((error: unknown) => post({ type: 'error', message: error instanceof Error ? error.message : String(error) }))
    .finally(() => (busy = false));
};

/** Softmax of the model's logits for one 28×28 image. */
function predict(pixels: Float32Array): number[] {
  return noGrad(() => Array.from(softmax(model.forward(tensor(pixels, { shape: [1, 1, 28, 28] })), 1).data));
}

/** Fetches MNIST through the `{ url }` loader and keeps the first `limit` training and `testLimit` test images. */
async function loadSubset(url: string, limit: number, testLimit: number): Promise<Subset> {
  const { train: full, test } = await data.loadMnist({ url });
  const n = Math.min(limit, full.labels.length);
  const m = Math.min(testLimit, test.labels.length);
  // narrow copies, so the 60 000-image tensor can be collected afterwards.
  return { x: narrow(full.images, 0, 0, n), y: full.labels.slice(0, n), testX: narrow(test.images, 0, 0, m), testY: test.labels.slice(0, m) };
}

/** Trains a fresh LeNet with Adam and reports every batch; the new model answers predictions from its first step. */
async function trainLeNet(request: Extract<Request, { type: 'train' }>): Promise<void> {
  const { url, limit, testLimit, epochs, batchSize, lr } = request;
  const key = `${url} ${limit} ${testLimit}`;
  if (!subsets.has(key)) {
    post({ type: 'status', text: `fetching MNIST from ${url} …` });
    subsets = new Map([[key, loadSubset(url, limit, testLimit)]]);
  }
  let subset: Subset;
  try {
    subset = await subsets.get(key)!;
  } catch (error) {
    subsets.delete(key); // let the next click try again
    throw error;
  }

  post({ type: 'status', text: `training LeNet-5 on ${subset.y.length.toLocaleString('en-US')} MNIST images …` });
  manualSeed(0);
  const started = performance.now();
  model = leNet();
  // fit reports the epoch's running mean; the difference of running sums gives each batch's own figures.
  let lossSum = 0;
  let correct = 0;
  let samples = 0;
  await train.fit(model, { x: subset.x, y: subset.y }, {
    loss: losses.crossEntropy,
    optimizer: new optim.Adam(model.parameters(), { lr }),
    epochs, batchSize, metrics: ['accuracy'], seed: 0,
    reporter: {
      onEpochBegin: () => {
        lossSum = correct = samples = 0;
      },
      onBatchEnd: (progress) => {
        const size = progress.samples - samples;
        const newLossSum = progress.loss * progress.samples;
        const newCorrect = progress.metrics['accuracy']! * progress.samples;
        post({
          type: 'batch',
          batch: progress.epoch * progress.batches + progress.batch,
          batches: progress.epochs * progress.batches,
          loss: (newLossSum - lossSum) / size,
          accuracy: (newCorrect - correct) / size,
          imagesPerSecond: (1000 * (progress.epoch * subset.y.length + progress.samples)) / (performance.now() - started),
        });
        [lossSum, correct, samples] = [newLossSum, newCorrect, progress.samples];
      },
    },
  });
  const test = train.evaluate(model, { x: subset.testX, y: subset.testY }, { loss: losses.crossEntropy, metrics: ['accuracy'], batchSize: 250 });
  post({
    type: 'trained', testLoss: test.loss!, testAccuracy: test.metrics['accuracy']!, testImages: subset.testY.length,
    seconds: (performance.now() - started) / 1000,
  });
}

/** Loads safetensors weights into a fresh LeNet (every key and shape checked) and makes it the model. */
async function loadWeights(url: string): Promise<void> {
  post({ type: 'status', text: `fetching ${url} …` });
  const response = await fetch(url);
  if (!response.ok) {
    const hint = response.status === 404 ? ' (run `npm run demo` to train and save them)' : '';
    throw new Error(`cannot load ${url}: HTTP ${response.status}${hint}`);
  }
  const bytes = new Uint8Array(await response.arrayBuffer());
  const loaded = leNet();
  loaded.loadStateDict(io.loadSafetensors(bytes));
  model = loaded;
  post({ type: 'loaded', url, parameters: loaded.numParameters(), metadata: io.readSafetensorsHeader(bytes).metadata });
}
