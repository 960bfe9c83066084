// The built CommonJS entry loads with require() and computes a gradient.
const assert = require('node:assert/strict');
const { tensor, grad } = require('../dist/index.cjs');
const { readBytes } = require('../dist/node/index.cjs');

// d/dx Σ tanh(x) = 1 − tanh²(x); at 0 that is 1
const [dx] = grad((x) => x.tanh().sum())(tensor([0, 0]));
assert.deepEqual(Array.from(dx.data), [1, 1]);
assert.equal(typeof readBytes, 'function');
console.log('CJS smoke ok:', dx.toString());
