/**
 * Neural-network building blocks: the {@link Module} base class, layers,
 * activations, initialisers (`nn.init`) and functional forms
 * (`nn.functional`), with PyTorch's parameter layouts and state-dict names.
 * @module
 */
export { Module, type LoadStateDictOptions, type LoadStateDictResult } from './module.js';
export { Parameter } from './parameter.js';
export { Sequential } from './sequential.js';
export { Dense, type DenseOptions } from './dense.js';
export { Conv2d, type Conv2dOptions } from './conv2d.js';
export { MaxPool2d, type MaxPool2dOptions } from './max-pool2d.js';
export { LSTM, type LSTMOptions, type LSTMState, type LSTMResult, type LSTMLayerParameters } from './lstm.js';
export { ReLU, LeakyReLU, Sigmoid, Tanh, Softmax, LogSoftmax } from './activations.js';
export { Flatten, Dropout } from './flatten.js';
export {
  MSELoss, L1Loss, SmoothL1Loss, HuberLoss, CrossEntropyLoss, NLLLoss, BCELoss, BCEWithLogitsLoss,
} from './losses.js';
export * as init from './init.js';
export * as functional from './functional.js';
