/**
 * A binary classifier on a generated problem: points inside a disc (class 1)
 * against points on a ring around it (class 0), 2 features, with noise.
 * Dense 2→10 ReLU → Dense 10 ReLU → Dense 1 sigmoid, binary cross-entropy,
 * Adam.
 *
 *   npm run example -- binary-classifier [--epochs 30] [--samples 1000] [--seed 0]
 */
import { losses, manualSeed, nn, optim, randn, rand, tensor, train, type Tensor } from '../src/index.js';
import { numberFlag } from './flags.js';

/**
 * `n` points: half in a disc of radius 1 (label 1), half on a ring of
 * radius 1.5–2.5 (label 0), plus Gaussian noise.
 * @param n - number of points
 * @returns inputs `[n, 2]` and targets `[n, 1]`
 */
export function discAndRing(n: number): { x: Tensor; y: Tensor } {
  const radius = rand([n]).data;
  const angle = rand([n]).data;
  const noise = randn([n, 2]).mul(0.25).data;
  const points: number[][] = [];
  const labels: number[][] = [];
  for (let i = 0; i < n; i++) {
    const inside = i % 2 === 0;
    const r = inside ? radius[i]! : 1.5 + radius[i]!;
    const a = 2 * Math.PI * angle[i]!;
    points.push([r * Math.cos(a) + noise[2 * i]!, r * Math.sin(a) + noise[2 * i + 1]!]);
    labels.push([inside ? 1 : 0]);
  }
  return { x: tensor(points), y: tensor(labels) };
}

/** Trains the classifier and returns its history and test accuracy. */
export async function main(argv: string[] = process.argv.slice(2)) {
  const epochs = numberFlag(argv, 'epochs', 30);
  const samples = numberFlag(argv, 'samples', 1000);
  manualSeed(numberFlag(argv, 'seed', 0));

  const trainSet = discAndRing(samples);
  const testSet = discAndRing(Math.max(100, Math.floor(samples / 4)));
  const model = new nn.Sequential(
    new nn.Dense(2, 10), new nn.ReLU(),
    new nn.Dense(10, 10), new nn.ReLU(),
    new nn.Dense(10, 1), new nn.Sigmoid(),
  );
  const history = await train.fit(model, trainSet, {
    loss: losses.binaryCrossEntropy,
    optimizer: new optim.Adam(model.parameters(), { lr: 0.01 }),
    epochs, batchSize: 32, metrics: ['binaryAccuracy'], seed: 0, verbose: 0,
  });
  const test = train.evaluate(model, testSet, { loss: losses.binaryCrossEntropy, metrics: ['binaryAccuracy'] });
  console.log(
    `train loss ${history.loss[0]!.toFixed(4)} → ${history.loss.at(-1)!.toFixed(4)} over ${epochs} epochs; ` +
      `test loss ${test.loss!.toFixed(4)}, test accuracy ${(100 * test.metrics['binaryAccuracy']!).toFixed(1)}%`,
  );
  return { history, test };
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
