/**
 * LeNet-5, shared by `mnist-cnn` (which trains and saves it in Node) and the
 * browser demo (which trains it in a Web Worker or loads the saved weights).
 * Imports only the main entry, so it bundles for browsers.
 */
import { nn } from '../src/index.js';

/**
 * LeNet-5 as PyTorch users write it (state-dict keys `0.weight`, `3.weight`, `7.weight`, …):
 * Conv2d 1→6 5×5, ReLU, MaxPool 2, Conv2d 6→16 5×5, ReLU, MaxPool 2,
 * Flatten, Dense 256→120→84→10 (44 426 parameters).
 * @returns the untrained network, taking `[N, 1, 28, 28]` and giving `[N, 10]` logits
 * @example leNet().forward(zeros([1, 1, 28, 28])).shape; // [1, 10]
 */
export function leNet(): nn.Sequential {
  return new nn.Sequential(
    new nn.Conv2d(1, 6, 5), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Conv2d(6, 16, 5), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Flatten(),
    new nn.Dense(16 * 4 * 4, 120), new nn.ReLU(),
    new nn.Dense(120, 84), new nn.ReLU(),
    new nn.Dense(84, 10),
  );
}
