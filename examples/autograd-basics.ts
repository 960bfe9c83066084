/**
 * A tour of tensors and gradients for newcomers: creation, broadcasting,
 * reductions, backward, the functional grad, and gradcheck.
 *
 *   npm run example -- autograd-basics
 */
import { arange, grad, gradcheck, manualSeed, noGrad, randn, tensor, type Tensor } from '../src/index.js';

/** Prints the tour. */
export function main(): void {
  manualSeed(0);

  // Tensors are Float32Array + shape; they print like PyTorch.
  const a = tensor([[1, 2, 3], [4, 5, 6]]);
  console.log('a =', a.toString());
  console.log('a.shape =', a.shape, ' a.sum(1) =', a.sum(1).toString());

  // Broadcasting: [2, 3] + [3] adds the row to every row.
  console.log('a + [10, 20, 30] =', a.add(tensor([10, 20, 30])).toString());

  // Autograd: mark leaves with requiresGrad, compute a scalar, call backward.
  const x = tensor([1, 2, 3], { requiresGrad: true });
  const y = x.pow(2).sum(); // y = Σ x²
  y.backward();
  console.log('d(Σx²)/dx =', x.grad!.toString(), ' (2x)');

  // The functional form returns gradients instead of writing .grad.
  const f = (w: Tensor, b: Tensor) => arange(4).reshape([2, 2]).matmul(w).add(b).tanh().sum();
  const [dw, db] = grad(f)(randn([2, 1]), tensor([0.5]));
  console.log('grad of Σ tanh(Xw + b): dw =', dw.toString(), ' db =', db.toString());

  // noGrad: inference without recording a graph.
  const z = noGrad(() => x.mul(2));
  console.log('under noGrad, requiresGrad =', z.requiresGrad);

  // gradcheck compares backward with finite differences.
  const check = gradcheck((t) => t.softmax(0).mul(tensor([1, 2, 3])).sum(), [tensor([0.1, -0.2, 0.3], { requiresGrad: true })]);
  console.log(`gradcheck of a softmax: ${check.ok ? 'ok' : check.message} (max error ${check.maxAbsError.toExponential(1)})`);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
