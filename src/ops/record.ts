/**
 * How ops join the autograd graph, and the small conversions every op needs.
 * @module
 */
import { isGradEnabled } from '../autograd/grad-mode.js';
import type { BackwardFn } from '../autograd/node.js';
import type { OpName } from '../autograd/op-names.js';
import { Tensor, type TensorLike } from '../tensor/tensor.js';
import type { Shape } from '../tensor/shape.js';

/**
 * Attaches a graph node to `output` when grad mode is on and any input
 * requires grad; otherwise returns `output` untouched.
 * @param op - the op's name
 * @param output - the freshly computed result
 * @param inputs - the op's tensor inputs, in order
 * @param backward - maps the output's gradient to one gradient per input
 * @returns `output`
 */
export function record(op: OpName, output: Tensor, inputs: readonly Tensor[], backward: BackwardFn): Tensor {
  if (isGradEnabled() && inputs.some((t) => t.requiresGrad)) {
    output.requiresGrad = true;
    output.gradFn = { op, inputs, backward };
  }
  return output;
}

/**
 * A tensor for an op operand: tensors pass through, numbers become scalars.
 * @param x - the operand
 * @param op - the op's name, for the error message
 * @returns a tensor
 * @throws Error when `x` is neither a tensor nor a number
 */
export function asTensor(x: TensorLike, op: string): Tensor {
  if (x instanceof Tensor) return x;
  if (typeof x === 'number') return new Tensor(new Float32Array([x]), []);
  throw new Error(`${op}: expected a Tensor or a number, got ${describe(x)}`);
}

/**
 * Checks that `x` is a Tensor.
 * @param x - the argument
 * @param op - the op's name, for the error message
 * @param what - what the argument is, e.g. 'input'
 * @returns `x` typed as a Tensor
 * @throws Error naming the op otherwise
 */
export function assertTensor(x: unknown, op: string, what = 'input'): Tensor {
  if (x instanceof Tensor) return x;
  throw new Error(`${op}: expected ${what} to be a Tensor, got ${describe(x)}`);
}

function describe(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'an array (wrap it with tensor(...))';
  return typeof x === 'object' ? (x.constructor?.name ?? 'an object') : `${typeof x} ${String(x)}`;
}

/**
 * Wraps a computed buffer as a result tensor.
 * @param data - values
 * @param shape - dimensions
 * @returns the tensor (no graph node yet)
 */
export function result(data: Float32Array, shape: Shape): Tensor {
  return new Tensor(data, shape);
}
