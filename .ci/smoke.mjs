// The built ESM entry imports in Node and computes a gradient; so does tensorgrad/node.
import assert from 'node:assert/strict';
import { tensor } from '../dist/index.js';
import { isGzip } from '../dist/node/index.js';

const x = tensor([[1, 2], [3, 4]], { requiresGrad: true });
x.matmul(x.transpose(0, 1)).relu().sum().backward();
// d Σ(x xᵀ)/dx = 2 · (column sums broadcast) = [[8, 12], [8, 12]]
assert.deepEqual(Array.from(x.grad.data), [8, 12, 8, 12]);
assert.equal(isGzip(new Uint8Array([0x1f, 0x8b])), true);
console.log('ESM smoke ok:', x.grad.toString().replace(/\s+/g, ' '));
