/**
 * LeNet-5 on real MNIST — the README's main job (`npm run demo`):
 * Conv2d 1→6 5×5, ReLU, MaxPool 2, Conv2d 6→16 5×5, ReLU, MaxPool 2,
 * Flatten, Dense 256→120→84→10; SGD lr 0.01 with momentum 0.9, batch 64.
 * Saves the trained weights as safetensors.
 *
 *   npm run example -- mnist-cnn [--epochs 5] [--limit 60000] [--seed 0] [--threads 1] [--out examples/out/mnist-cnn.safetensors]
 *
 * `--threads N` runs the WebAssembly kernels on N threads (`setThreads` from
 * tensorgrad/node; `--threads auto` for every core).
 */
import { losses, manualSeed, optim, train } from '../src/index.js';
import { progressBar, saveModel, setThreads } from '../src/node/index.js';
import { numberFlag, stringFlag } from './flags.js';
import { leNet } from './lenet.js';
import { mnist } from './mnist-data.js';

export { leNet };

/** Trains LeNet, saves it, and returns its history and test figures. */
export async function main(argv: string[] = process.argv.slice(2)) {
  const epochs = numberFlag(argv, 'epochs', 5);
  const out = stringFlag(argv, 'out', 'examples/out/mnist-cnn.safetensors');
  manualSeed(numberFlag(argv, 'seed', 0));
  const threads = stringFlag(argv, 'threads', '1');
  setThreads(threads === 'auto' ? 'auto' : Number(threads));

  const started = Date.now();
  const data = await mnist({ limit: numberFlag(argv, 'limit', 60000), testLimit: numberFlag(argv, 'test-limit', 10000) });
  const model = leNet();
  console.log(model.toString());

  const history = await train.fit(model, data.train, {
    loss: losses.crossEntropy,
    optimizer: new optim.SGD(model.parameters(), { lr: 0.01, momentum: 0.9 }),
    epochs, batchSize: 64, metrics: ['accuracy'], seed: 0,
    reporter: progressBar(),
  });
  const test = train.evaluate(model, data.test, { loss: losses.crossEntropy, metrics: ['accuracy'], batchSize: 256 });
  if (out !== '') {
    await saveModel(model, out, { model: 'LeNet-5', testAccuracy: String(test.metrics['accuracy']) });
    console.log(`saved the weights to ${out}`);
  }
  const seconds = (Date.now() - started) / 1000;
  console.log(`test loss ${test.loss!.toFixed(4)}, test accuracy ${(100 * test.metrics['accuracy']!).toFixed(2)}%, ${seconds.toFixed(0)}s in all`);
  return { history, test };
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
