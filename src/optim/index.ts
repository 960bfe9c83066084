/**
 * Optimizers that match `torch.optim` (1.13) exactly — same defaults, same
 * update formulas, same epsilon placement — so the same gradients give the
 * same trajectory: {@link SGD}, {@link Adam}, {@link AdamW},
 * {@link RMSprop}, {@link Adagrad}; learning-rate schedulers in
 * `lrScheduler`; and gradient clipping ({@link clipGradNorm},
 * {@link clipGradValue}). Updates run in place on `param.data` with
 * preallocated state buffers.
 * @example
 * const opt = new optim.Adam(model.parameters(), { lr: 1e-3 });
 * const scheduler = new optim.lrScheduler.StepLR(opt, { stepSize: 10, gamma: 0.5 });
 * for (let epoch = 0; epoch < 30; epoch++) {
 *   opt.zeroGrad();
 *   model.forward(x).sub(y).pow(2).mean().backward();
 *   optim.clipGradNorm(model.parameters(), 1.0);
 *   opt.step();
 *   scheduler.step();
 * }
 * @module
 */
export {
  Optimizer,
  type ParamGroup,
  type ParamGroupSpec,
  type ParamsArg,
  type GroupOptions,
  type OptimizerStateDict,
  type SavedParamGroup,
  type StateDictOptions,
  type StateKeys,
  type StateValue,
  type ParamState,
} from './optimizer.js';
export { SGD, type SGDOptions, type SGDParamGroup } from './sgd.js';
export { Adam, AdamW, type AdamOptions, type AdamParamGroup } from './adam.js';
export { RMSprop, type RMSpropOptions, type RMSpropParamGroup } from './rmsprop.js';
export { Adagrad, type AdagradOptions, type AdagradParamGroup } from './adagrad.js';
export { clipGradNorm, clipGradValue, type ClipParams } from './clip.js';
export * as lrScheduler from './lr-scheduler.js';
