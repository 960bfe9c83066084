/**
 * Parameters: the tensors a module learns.
 * @module
 */
import { Tensor } from '../tensor/tensor.js';
import type { Shape } from '../tensor/shape.js';

/**
 * A tensor that a {@link Module} owns and an optimizer updates (like
 * `torch.nn.Parameter`). It always requires grad. Modules find their
 * parameters by looking for properties holding a `Parameter`.
 * @example
 * class Scale extends Module {
 *   factor = new Parameter(new Float32Array([1]), [1]);
 *   forward(x: Tensor) { return x.mul(this.factor); }
 * }
 */
export class Parameter extends Tensor {
  /**
   * @param data - initial values (owned, not copied)
   * @param shape - dimensions
   */
  constructor(data: Float32Array, shape: Shape) {
    super(data, shape, true);
  }

  /**
   * A parameter holding a copy of `t`'s values.
   * @param t - the initial values
   * @returns the parameter
   * @example Parameter.from(zeros([3]));
   */
  static from(t: Tensor): Parameter {
    return new Parameter(t.data.slice(), t.shape);
  }
}
