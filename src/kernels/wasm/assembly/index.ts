// AssemblyScript entry point compiled by `npm run build:wasm`: the module
// exports exactly these functions (and its memory).
export { heapBase, scratchBytes, gemm, gemmTile } from './gemm';
export { conv2dForward, conv2dBackwardWeight, conv2dBackwardInput, maxPool2dForward, maxPool2dBackward } from './conv';
export { lstmForwardSteps, lstmBackwardSteps, swapLeadingAxes, columnSums } from './lstm';
export { unary, reluBackward, binary } from './elementwise';
export { sumKeepLast } from './reduce';
export { logSoftmaxRows, logSoftmaxBackwardRows } from './softmax';
export { adamUpdate, sgdUpdate, rmspropUpdate, adagradUpdate } from './optim';
