/**
 * The smallest end-to-end training run: a 2-8-1 network learns XOR with
 * nothing but tensors, autograd and a hand-written SGD step.
 *
 *   npm run example -- xor [--epochs 2000] [--lr 0.5] [--seed 0]
 */
import { manualSeed, noGrad, randn, tensor, zeros, type Tensor } from '../src/index.js';
import { numberFlag } from './flags.js';

/** Trains the network and returns the final loss and accuracy. */
export function main(argv: string[] = process.argv.slice(2)): { loss: number; accuracy: number } {
  const epochs = numberFlag(argv, 'epochs', 2000);
  const lr = numberFlag(argv, 'lr', 0.5);
  manualSeed(numberFlag(argv, 'seed', 0));

  const inputs = tensor([[0, 0], [0, 1], [1, 0], [1, 1]]);
  const targets = tensor([[0], [1], [1], [0]]);

  // Parameters are leaves that require grad; scale the draws before flagging them.
  const w1 = randn([2, 8]).mul(Math.sqrt(1 / 2));
  const b1 = zeros([8]);
  const w2 = randn([8, 1]).mul(Math.sqrt(1 / 8));
  const b2 = zeros([1]);
  const params: Tensor[] = [w1, b1, w2, b2];
  for (const p of params) p.requiresGrad = true;

  const forward = (x: Tensor): Tensor => x.matmul(w1).add(b1).tanh().matmul(w2).add(b2).sigmoid();

  let loss = Infinity;
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const p = forward(inputs).clamp(1e-7, 1 - 1e-7);
    // binary cross-entropy: −[y·log p + (1 − y)·log(1 − p)]
    const bce = targets.mul(p.log()).add(targets.neg().add(1).mul(p.neg().add(1).log())).neg().mean();
    for (const param of params) param.zeroGrad();
    bce.backward();
    noGrad(() => {
      for (const param of params) {
        const g = param.grad!.data;
        for (let i = 0; i < g.length; i++) param.data[i] -= lr * g[i]!;
      }
    });
    loss = bce.item();
    if (epoch % Math.max(1, Math.floor(epochs / 4)) === 0) console.log(`epoch ${epoch}: loss ${loss.toFixed(4)}`);
  }

  const predictions = noGrad(() => forward(inputs));
  const correct = predictions.gt(0.5).eq(targets).sum().item();
  console.log(`predictions: ${Array.from(predictions.data, (v) => v.toFixed(3)).join(' ')}`);
  console.log(`final loss ${loss.toFixed(4)}, accuracy ${((100 * correct) / 4).toFixed(0)}% (${correct}/4)`);
  return { loss, accuracy: correct / 4 };
}

if (import.meta.url === `file://${process.argv[1]}`) main();
