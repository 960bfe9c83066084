/**
 * Dense 784→512, ReLU, Dense 512→10 on real MNIST with RMSprop and
 * categorical cross-entropy on one-hot targets (the Keras `mnist_mlp`
 * recipe), batch 128, 5 epochs.
 *
 *   npm run example -- mnist-rmsprop [--epochs 5] [--limit 60000] [--lr 0.001] [--seed 0]
 */
import { data, losses, manualSeed, nn, optim, train } from '../src/index.js';
import { progressBar } from '../src/node/index.js';
import { numberFlag } from './flags.js';
import { mnist } from './mnist-data.js';

/** Trains the network and returns its history and test figures. */
export async function main(argv: string[] = process.argv.slice(2)) {
  const epochs = numberFlag(argv, 'epochs', 5);
  manualSeed(numberFlag(argv, 'seed', 0));

  const { train: trainSet, test: testSet } = await mnist({
    flatten: true, limit: numberFlag(argv, 'limit', 60000), testLimit: numberFlag(argv, 'test-limit', 10000),
  });
  // Categorical cross-entropy takes class probabilities: one-hot rows.
  const targets = data.oneHot(trainSet.y, 10);
  const model = new nn.Sequential(new nn.Dense(784, 512), new nn.ReLU(), new nn.Dense(512, 10));
  console.log(model.toString());

  const history = await train.fit(model, { x: trainSet.x, y: targets }, {
    loss: losses.crossEntropy,
    // Keras's RMSprop default; PyTorch's (1e-2) is too large for this net.
    optimizer: new optim.RMSprop(model.parameters(), { lr: numberFlag(argv, 'lr', 1e-3) }),
    epochs, batchSize: 128, metrics: ['accuracy'], seed: 0,
    reporter: progressBar(),
  });
  const test = train.evaluate(model, { x: testSet.x, y: data.oneHot(testSet.y, 10) }, {
    loss: losses.crossEntropy, metrics: ['accuracy'], batchSize: 256,
  });
  console.log(`test loss ${test.loss!.toFixed(4)}, test accuracy ${(100 * test.metrics['accuracy']!).toFixed(2)}%`);
  return { history, test };
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
