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
export { ReLU, LeakyReLU, Sigmoid, Tanh, Softmax, LogSoftmax } from './activations.js';
export { Flatten, Dropout } from './flatten.js';
export * as init from './init.js';
export * as functional from './functional.js';
