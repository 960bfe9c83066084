// The built ESM entry imports in Node and computes a gradient; tensorgrad/node
// shares the main entry's Tensor class (one chunk, not a bundled copy).
import assert from 'node:assert/strict';
import { Tensor, tensor } from '../dist/index.js';
import { getThreads, loadMnist, setThreads } from '../dist/node/index.js';

const x = tensor([[1, 2], [3, 4]], { requiresGrad: true });
x.matmul(x.transpose(0, 1)).relu().sum().backward();
// d Σ(x xᵀ)/dx = 2 · (column sums broadcast) = [[8, 12], [8, 12]]
assert.deepEqual(Array.from(x.grad.data), [8, 12, 8, 12]);
const mnist = await loadMnist();
assert.ok(mnist.test.images instanceof Tensor, 'tensorgrad/node must return the main entry\'s Tensor');
assert.deepEqual(mnist.test.images.shape, [10000, 1, 28, 28]);
// Threads from the built package: the workers run the shared-memory module,
// and a split product equals the single-threaded one.
const big = tensor(Float32Array.from({ length: 256 * 256 }, (_, i) => (i % 17) / 17 - 0.5), { shape: [256, 256] });
const single = big.matmul(big).data.slice();
setThreads(2);
assert.equal(getThreads(), 2);
assert.deepEqual(big.matmul(big).data, single, 'two threads must give the single-threaded product');
setThreads(1);
console.log('ESM smoke ok:', x.grad.toString().replace(/\s+/g, ' '));
