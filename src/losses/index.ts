/**
 * Loss functions with PyTorch's semantics (`torch.nn.functional`'s losses):
 * pure functions of tensors that return a differentiable loss. Every one
 * takes `reduction: 'mean' | 'sum' | 'none'`. The module forms
 * (`nn.MSELoss`, `nn.CrossEntropyLoss`, …) hold the options and call these.
 * @example
 * import { losses, tensor } from 'tensorgrad';
 * const logits = tensor([[2, 0, 0], [0, 0, 5]], { requiresGrad: true });
 * const loss = losses.crossEntropy(logits, [0, 2], { labelSmoothing: 0.1 });
 * loss.backward();
 * @module
 */
export { type Reduction, type ReductionOptions } from './reduction.js';
export { mseLoss, l1Loss, smoothL1Loss, huberLoss, type SmoothL1LossOptions, type HuberLossOptions } from './regression.js';
export { nllLoss, type NllLossOptions, type Labels, type ClassWeights } from './nll.js';
export { crossEntropy, type CrossEntropyOptions } from './cross-entropy.js';
export {
  binaryCrossEntropy, binaryCrossEntropyWithLogits,
  type BinaryCrossEntropyOptions, type BinaryCrossEntropyWithLogitsOptions,
} from './binary-cross-entropy.js';
