/**
 * Predicting the next value of a noisy sine wave from the previous 20:
 * LSTM(50) returning sequences → LSTM(50) → Dense(1), MSE, Adam. Prints the
 * test MSE against the naive "next = last" baseline.
 *
 *   npm run example -- lstm-sine [--epochs 20] [--windows 1000] [--seed 0]
 */
import { losses, manualSeed, nn, optim, randn, tensor, train, type Tensor } from '../src/index.js';
import { numberFlag } from './flags.js';

/** Steps per window fed to the LSTM. */
const WINDOW = 20;
/** Period of the wave, in steps. */
const PERIOD = 25;
/** Standard deviation of the noise added to every sample. */
const NOISE = 0.05;

/**
 * Windows of a noisy sine and the value that follows each.
 * @param count - number of windows
 * @param offset - where the series starts (so test data differs from training data)
 * @returns inputs `[count, 20, 1]`, targets `[count, 1]` and the naive baseline's MSE
 */
export function sineWindows(count: number, offset: number): { x: Tensor; y: Tensor; naiveMse: number } {
  const length = count + WINDOW;
  const noise = randn([length]).data;
  const series = Array.from({ length }, (_, t) => Math.sin((2 * Math.PI * (t + offset)) / PERIOD) + NOISE * noise[t]!);
  const inputs: number[][][] = [];
  const targets: number[][] = [];
  let naive = 0;
  for (let i = 0; i < count; i++) {
    inputs.push(series.slice(i, i + WINDOW).map((v) => [v]));
    targets.push([series[i + WINDOW]!]);
    naive += (series[i + WINDOW]! - series[i + WINDOW - 1]!) ** 2;
  }
  return { x: tensor(inputs), y: tensor(targets), naiveMse: naive / count };
}

/** Trains the network and returns its history, test MSE and the baseline. */
export async function main(argv: string[] = process.argv.slice(2)) {
  const epochs = numberFlag(argv, 'epochs', 20);
  const windows = numberFlag(argv, 'windows', 1000);
  manualSeed(numberFlag(argv, 'seed', 0));

  const trainSet = sineWindows(windows, 0);
  const testSet = sineWindows(Math.max(50, Math.floor(windows / 5)), 10_000);
  const model = new nn.Sequential(
    new nn.LSTM(1, 50, { returnSequences: true }),
    new nn.LSTM(50, 50, { returnSequences: false }),
    new nn.Dense(50, 1),
  );
  const history = await train.fit(model, trainSet, {
    loss: losses.mseLoss, optimizer: new optim.Adam(model.parameters(), { lr: 1e-2 }),
    epochs, batchSize: 32, seed: 0, verbose: 0,
  });
  const test = train.evaluate(model, testSet, { loss: losses.mseLoss });
  const ratio = testSet.naiveMse / test.loss!;
  console.log(
    `train loss ${history.loss[0]!.toFixed(4)} → ${history.loss.at(-1)!.toFixed(4)}; test MSE ${test.loss!.toFixed(5)} ` +
      `vs naive last-value baseline ${testSet.naiveMse.toFixed(5)} (${ratio.toFixed(1)}× lower)`,
  );
  return { history, test, naiveMse: testSet.naiveMse };
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
