/**
 * The names of every differentiable op. Recording a graph node requires a
 * name from this list, and the gradient test table is a `Record<OpName, …>`,
 * so an op without a gradient test fails `tsc`.
 * @module
 */

/** Every op that records an autograd node. */
export const OP_NAMES = [
  // elementwise, unary
  'neg', 'exp', 'log', 'sqrt', 'abs', 'sigmoid', 'tanh', 'relu', 'leakyRelu', 'clamp',
  // elementwise, binary (broadcasting)
  'add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum', 'where',
  // reductions
  'sum', 'mean', 'max', 'min', 'logsumexp', 'logSoftmax',
  // shape and layout
  'clone', 'reshape', 'permute', 'expand', 'slice', 'concat', 'pad', 'gather', 'indexSelect',
  // linear algebra
  'matmul', 'linear',
  'conv2d', 'maxPool2d', // convolution and pooling (NCHW)
  'lstm', // recurrent: one LSTM layer over a whole sequence
  'nllLoss', 'binaryCrossEntropy', 'binaryCrossEntropyWithLogits', // fused losses (src/losses): label pick, clamped BCE, stable BCE-with-logits
] as const;

/** Name of a differentiable op. */
export type OpName = (typeof OP_NAMES)[number];
