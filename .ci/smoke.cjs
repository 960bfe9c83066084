// The built CommonJS entry loads with require() and computes a gradient;
// tensorgrad/node shares the main entry's Tensor class.
const assert = require('node:assert/strict');
const { Tensor, tensor, grad } = require('../dist/index.cjs');
const { loadMnist } = require('../dist/node/index.cjs');

// d/dx Σ tanh(x) = 1 − tanh²(x); at 0 that is 1
const [dx] = grad((x) => x.tanh().sum())(tensor([0, 0]));
assert.deepEqual(Array.from(dx.data), [1, 1]);
loadMnist().then((mnist) => {
  assert.ok(mnist.train.images instanceof Tensor, 'tensorgrad/node must return the main entry\'s Tensor');
  console.log('CJS smoke ok:', dx.toString());
});
