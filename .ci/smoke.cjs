// The built CommonJS entry loads with require() and computes a gradient;
// tensorgrad/node shares the main entry's Tensor class.
const assert = require('node:assert/strict');
const { Tensor, tensor, grad } = require('../dist/index.cjs');
const { getThreads, loadMnist, setThreads } = require('../dist/node/index.cjs');

// d/dx Σ tanh(x) = 1 − tanh²(x); at 0 that is 1
const [dx] = grad((x) => x.tanh().sum())(tensor([0, 0]));
assert.deepEqual(Array.from(dx.data), [1, 1]);
// Threads through the CJS bundles: tensorgrad/node must switch the kernels
// of the main entry (one shared chunk), and the split product is unchanged.
const big = tensor(Float32Array.from({ length: 256 * 256 }, (_, i) => (i % 13) / 13 - 0.5), { shape: [256, 256] });
const single = big.matmul(big).data.slice();
setThreads(2);
assert.equal(getThreads(), 2);
assert.deepEqual(big.matmul(big).data, single, 'two threads must give the single-threaded product');
setThreads(1);
loadMnist().then((mnist) => {
  assert.ok(mnist.train.images instanceof Tensor, 'tensorgrad/node must return the main entry\'s Tensor');
  console.log('CJS smoke ok:', dx.toString());
});
