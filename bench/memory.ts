/**
 * Flat-RSS check (`npm run bench:memory`): trains a small model for 10,000
 * steps and prints the resident set size (and the V8 heap) every 1,000
 * steps. "Flat" means the last sample's RSS exceeds the highest sample of
 * the first half by less than `--max-growth` MB (default 8); the script
 * exits with status 1 otherwise. A leak grows RSS steadily, so the second
 * half ends above the first; measuring against the first half's peak rather
 * than the first sample tolerates the warm-up (JIT, the wasm arena, the
 * allocator and GC settling their sizes), which for the small CNN (0.3 ms a
 * step) can take a few thousand steps: one run stepped up 14 MB between
 * steps 1,000 and 2,000 and then stayed within 0.2 MB for 8,000 steps, and a
 * 60,000-step run ended 10 MB below its start. Not part of `vitest run`: it
 * takes ~10–60 s.
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
const firstHalfPeak = Math.max(...samples.slice(0, Math.max(1, samples.length >> 1)));
const growth = (samples[samples.length - 1]! - firstHalfPeak) / 2 ** 20;
const overall = (samples[samples.length - 1]! - samples[0]!) / 2 ** 20;
console.log(
  `RSS at the end vs the first half's peak: ${growth >= 0 ? '+' : ''}${growth.toFixed(1)} MB ` +
    `(vs the first sample: ${overall >= 0 ? '+' : ''}${overall.toFixed(1)} MB); limit ${maxGrowth} MB`,
);
if (growth > maxGrowth) {
  console.log('FAIL: RSS is not flat');
  process.exitCode = 1;
}
