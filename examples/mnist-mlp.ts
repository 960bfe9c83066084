/**
 * The Keras classic: Dense 784→128, ReLU, Dense 128→10 on real MNIST, Adam
 * 1e-3, batch 32, sparse cross-entropy, the last 10% held out for validation.
 *
 *   npm run example -- mnist-mlp [--epochs 5] [--limit 60000] [--seed 0]
 */
import { losses, manualSeed, nn, optim, train } from '../src/index.js';
import { progressBar } from '../src/node/index.js';
import { numberFlag } from './flags.js';
import { mnist } from './mnist-data.js';

/** Trains the MLP and returns its history and test figures. */
export async function main(argv: string[] = process.argv.slice(2)) {
  const epochs = numberFlag(argv, 'epochs', 5);
  const limit = numberFlag(argv, 'limit', 60000);
  manualSeed(numberFlag(argv, 'seed', 0));

  const data = await mnist({ flatten: true, limit, testLimit: numberFlag(argv, 'test-limit', 10000) });
  const model = new nn.Sequential(new nn.Dense(784, 128), new nn.ReLU(), new nn.Dense(128, 10));
  console.log(model.toString());

  const history = await train.fit(model, data.train, {
    loss: losses.crossEntropy,
    optimizer: new optim.Adam(model.parameters(), { lr: 1e-3 }),
    epochs, batchSize: 32, validationSplit: 0.1, metrics: ['accuracy'], seed: 0,
    reporter: progressBar(),
  });
  const test = train.evaluate(model, data.test, { loss: losses.crossEntropy, metrics: ['accuracy'], batchSize: 256 });
  console.log(`test loss ${test.loss!.toFixed(4)}, test accuracy ${(100 * test.metrics['accuracy']!).toFixed(2)}%`);
  return { history, test };
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
