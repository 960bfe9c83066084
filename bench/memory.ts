/**
 * Flat-RSS check (`npm run bench:memory`): trains a small model for 10,000
 * steps and prints the resident set size (and the V8 heap) every 1,000
 * steps. "Flat" means RSS grows by less than `--max-growth` MB (default 8)
 * between the first sample (step 1,000, after warm-up: JIT, the wasm arena
 * and the pack buffers have reached their size) and the last; the script
 * exits with status 1 otherwise. Not part of `vitest run`: it takes ~10–60 s.
 *
 * ```
 * npm run bench:memory                           # MLP 784-128-10, Adam, batch 32
 * npm run bench:memory -- --model cnn            # a small conv net (conv, pool, dense)
 * npm run bench:memory -- --steps 20000 --every 2000 --backend js
 * ```
 *
 * @module
 */

import { losses, manualSeed, nn, optim, rand, setBackend, tensor, type Tensor } from '../src/index.js';

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1]! : fallback;
}

const steps = Number(flag('steps', '10000'));
const every = Number(flag('every', '1000'));
const maxGrowth = Number(flag('max-growth', '8'));
const modelName = flag('model', 'mlp');
const backend = flag('backend', '');
if (backend === 'js' || backend === 'wasm') setBackend(backend);

manualSeed(0);
const batch = 32;
let model: nn.Sequential;
let x: Tensor;
if (modelName === 'cnn') {
  model = new nn.Sequential(
    new nn.Conv2d(1, 4, 3), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Flatten(), new nn.Dense(4 * 7 * 7, 10),
  );
  x = rand([batch, 1, 16, 16]);
} else {
  model = new nn.Sequential(new nn.Dense(784, 128), new nn.ReLU(), new nn.Dense(128, 10));
  x = rand([batch, 784]);
}
const y = tensor(Float32Array.from({ length: batch }, (_, i) => i % 10), { shape: [batch] });
const opt = new optim.Adam(model.parameters(), { lr: 1e-3 });

const mb = (bytes: number): string => (bytes / 2 ** 20).toFixed(1);
console.log(`${modelName}, batch ${batch}, Adam, ${steps} steps, node ${process.version}`);
console.log('step     rss MB  heapUsed MB  external MB  ms/step');
const samples: number[] = [];
let last = performance.now();
for (let step = 1; step <= steps; step++) {
  opt.zeroGrad();
  const loss = losses.crossEntropy(model.forward(x), y);
  loss.backward();
  opt.step();
  loss.item();
  if (step % every === 0) {
    const now = performance.now();
    const m = process.memoryUsage();
    samples.push(m.rss);
    console.log(
      `${String(step).padStart(6)}  ${mb(m.rss).padStart(8)}  ${mb(m.heapUsed).padStart(11)}  ${mb(m.external + m.arrayBuffers).padStart(11)}  ${((now - last) / every).toFixed(3).padStart(7)}`,
    );
    last = now;
  }
}
const growth = (samples[samples.length - 1]! - samples[0]!) / 2 ** 20;
const peak = (Math.max(...samples) - samples[0]!) / 2 ** 20;
console.log(`RSS growth after the first sample: ${growth.toFixed(1)} MB (peak +${peak.toFixed(1)} MB); limit ${maxGrowth} MB`);
if (growth > maxGrowth) {
  console.log('FAIL: RSS is not flat');
  process.exitCode = 1;
}
