/**
 * The tape's backward pass: one walk of the graph in reverse topological
 * order, summing each gradient back to its input's shape in one place
 * ({@link sumToShape}) and freeing each node's rule after use.
 * @module
 */
import { binary } from '../kernels/elementwise.js';
import { sum } from '../kernels/reduce.js';
import { formatShape, shapesEqual, type Shape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { withGradMode } from './grad-mode.js';

/** Options of {@link Tensor.backward}. */
export interface BackwardOptions {
  /** Keep the graph so that `backward` can run through it again (default false). */
  retainGraph?: boolean;
}

/**
 * Sums a gradient of broadcast shape back to the shape of the input that was
 * broadcast (the reverse of broadcasting).
 * @param grad - gradient with the broadcast shape
 * @param shape - the input's shape, broadcastable to `grad.shape`
 * @returns a tensor of `shape`
 */
export function sumToShape(grad: Tensor, shape: Shape): Tensor {
  if (shapesEqual(grad.shape, shape)) return grad;
  // The broadcast axes: those `shape` lacks (leading ones) or holds as 1. The
  // sum over them, in the order of the kept axes, is already laid out as `shape`
  // (and a bias gradient, which keeps the last axis, runs in wasm).
  const lacking = grad.shape.length - shape.length;
  const axes: number[] = [];
  grad.shape.forEach((extent, axis) => {
    if (axis < lacking || (shape[axis - lacking] === 1 && extent !== 1)) axes.push(axis);
  });
  return new Tensor(sum(grad.data, grad.shape, axes), shape);
}

/** True when `from` broadcasts to exactly `to`. */
function broadcastsTo(from: Shape, to: Shape): boolean {
  if (from.length > to.length) return false;
  const offset = to.length - from.length;
  return from.every((d, i) => d === 1 || d === to[i + offset]);
}

/** Tensors reachable from `root` through nodes, inputs before outputs. */
function topologicalOrder(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const visited = new Set<Tensor>([root]);
  // Iterative post-order DFS: deep graphs (long RNN unrolls) must not
  // overflow the call stack.
  const stack: [Tensor, number][] = [[root, 0]];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const [tensor, next] = top;
    const inputs = tensor.gradFn?.inputs ?? [];
    if (next < inputs.length) {
      top[1] = next + 1;
      const input = inputs[next]!;
      if (input.requiresGrad && !visited.has(input)) {
        visited.add(input);
        stack.push([input, 0]);
      }
    } else {
      stack.pop();
      order.push(tensor);
    }
  }
  return order;
}

/**
 * Runs the backward pass from `root` seeded with `seed` and returns the
 * gradient of every leaf that requires grad. Does not touch `.grad`.
 * @param root - the tensor to differentiate
 * @param seed - gradient with respect to `root` (same shape)
 * @param retainGraph - keep the nodes' rules for another pass
 * @returns leaf → gradient
 * @throws Error when the graph was freed by an earlier pass, or when a rule
 *   returns a gradient whose shape does not match its input
 */
export function gradientsOf(root: Tensor, seed: Tensor, retainGraph: boolean): Map<Tensor, Tensor> {
  const grads = new Map<Tensor, Tensor>([[root, seed]]);
  const leafGrads = new Map<Tensor, Tensor>();
  const order = topologicalOrder(root);
  withGradMode(false, () => {
    for (let i = order.length - 1; i >= 0; i--) {
      const tensor = order[i]!;
      const grad = grads.get(tensor);
      grads.delete(tensor); // release intermediate gradients as soon as they are used
      if (grad === undefined) continue;
      const node = tensor.gradFn;
      if (node === null) {
        leafGrads.set(tensor, grad);
        continue;
      }
      if (node.backward === null) {
        throw new Error(
          `backward: the graph through '${node.op}' (output shape ${formatShape(tensor.shape)}) was freed by an ` +
            `earlier backward(); pass { retainGraph: true } to the first backward() to run through it twice`,
        );
      }
      const inputGrads = node.backward(grad);
      if (!retainGraph) node.backward = null;
      node.inputs.forEach((input, k) => {
        const g = inputGrads[k];
        if (!input.requiresGrad || g === null || g === undefined) return;
        const reduced = shapesEqual(g.shape, input.shape)
          ? g
          : broadcastsTo(input.shape, g.shape)
            ? sumToShape(g, input.shape)
            : null;
        if (reduced === null) {
          throw new Error(
            `backward: the gradient of input ${k} of '${node.op}' has shape ${formatShape(g.shape)}, ` +
              `which does not match the input's shape ${formatShape(input.shape)}`,
          );
        }
        const previous = grads.get(input);
        grads.set(input, previous === undefined ? reduced : addGrads(previous, reduced));
      });
    }
  });
  return leafGrads;
}

function addGrads(a: Tensor, b: Tensor): Tensor {
  return new Tensor(addInto(a.data, b.data, new Float32Array(a.size)), a.shape);
}

/**
 * `out = a + b` elementwise over equal lengths (`out` may be `a`), through
 * the elementwise kernel: on the wasm backend a large gradient (a Dense
 * weight's 100 000 floats) adds 2–3× faster than a scalar loop.
 */
function addInto(a: Float32Array, b: Float32Array, out: Float32Array): Float32Array {
  return binary('add', a, [1], b, [1], [a.length], out);
}

/**
 * `tensor.backward(grad?)`: back-propagates and accumulates into the `.grad`
 * of every leaf that requires grad, as PyTorch does.
 * @param root - the tensor to differentiate
 * @param grad - gradient with respect to `root`; defaults to 1 for a one-element tensor
 * @param options - see {@link BackwardOptions}
 * @throws Error when `root` does not require grad, when `grad` is missing
 *   for a tensor with more than one element, or when its shape is wrong
 */
export function backward(root: Tensor, grad?: Tensor, options: BackwardOptions = {}): void {
  if (!root.requiresGrad) {
    throw new Error(
      `backward: the tensor (shape ${formatShape(root.shape)}) does not require grad; create its inputs with ` +
        `{ requiresGrad: true } and compute it outside noGrad()`,
    );
  }
  let seed: Tensor;
  if (grad === undefined) {
    if (root.size !== 1) {
      throw new Error(
        `backward: grad can be omitted only for a one-element tensor, got shape ${formatShape(root.shape)}; ` +
          `pass a gradient of that shape, or reduce first (e.g. .sum())`,
      );
    }
    seed = new Tensor(new Float32Array([1]), root.shape);
  } else {
    if (!(grad instanceof Tensor)) {
      throw new Error(`backward: grad must be a Tensor of shape ${formatShape(root.shape)}, got ${typeof grad}`);
    }
    if (!shapesEqual(grad.shape, root.shape)) {
      throw new Error(
        `backward: grad has shape ${formatShape(grad.shape)} but the tensor has shape ${formatShape(root.shape)}`,
      );
    }
    seed = grad;
  }
  const leafGrads = gradientsOf(root, seed, options.retainGraph ?? false);
  for (const [leaf, g] of leafGrads) {
    if (leaf.grad === null) {
      // Own a copy: `g` may alias the caller's seed or another tensor.
      leaf.grad = new Tensor(g.data.slice(), leaf.shape);
    } else {
      addInto(leaf.grad.data, g.data, leaf.grad.data);
    }
  }
}
