/**
 * tensorgrad: Float32Array tensors with reverse-mode autograd, in TypeScript
 * with no runtime dependencies. This entry point runs unchanged in Node and
 * in browsers; Node-only helpers live in `tensorgrad/node`.
 * @example
 * import { tensor } from 'tensorgrad';
 * const x = tensor([[1, 2], [3, 4]], { requiresGrad: true });
 * x.matmul(x.transpose(0, 1)).relu().sum().backward();
 * x.grad; // Tensor [2, 2]
 * @packageDocumentation
 */

export { Tensor, type TensorLike, type NestedArray } from './tensor/tensor.js';
export {
  tensor, zeros, ones, full, rand, randn, arange, linspace, eye, zerosLike, onesLike,
  type TensorOptions, type TensorFromDataOptions, type NestedNumbers, type NumericArray,
} from './tensor/creation.js';
export { manualSeed } from './tensor/random.js';
export { setBackend, getBackend, type Backend } from './kernels/backend.js';
export { broadcastShapes, type Shape } from './tensor/shape.js';

export { noGrad, isGradEnabled } from './autograd/grad-mode.js';
export { type BackwardOptions } from './autograd/backward.js';
export { grad, valueAndGrad, type GradsOf, type ValueAndGrads } from './autograd/functional.js';
export { gradcheck, type GradcheckOptions, type GradcheckResult, type GradcheckInputReport } from './autograd/gradcheck.js';
export { OP_NAMES, type OpName } from './autograd/op-names.js';
export type { GradNode, BackwardFn } from './autograd/node.js';

export { neg, exp, log, sqrt, abs, sigmoid, tanh, relu, leakyRelu, clamp } from './ops/unary.js';
export { add, sub, mul, div, pow, maximum, minimum } from './ops/binary.js';
export { eq, ne, gt, ge, lt, le, where } from './ops/compare.js';
export { sum, mean, max, min, argmax, argmin, logsumexp } from './ops/reduce.js';
export { softmax, logSoftmax } from './ops/softmax.js';
export { reshape, flatten, squeeze, unsqueeze, clone } from './ops/view.js';
export { transpose, permute, expand } from './ops/layout.js';
export { slice, narrow, split, concat, stack, pad } from './ops/slice.js';
export { gather, indexSelect } from './ops/gather.js';
export { matmul } from './ops/matmul.js';
export { linear } from './ops/linear.js';

export * as nn from './nn/index.js';
export * as losses from './losses/index.js';
export * as data from './data/index.js';
export * as io from './io/index.js';
export * as optim from './optim/index.js';
export * as train from './train/index.js';
