/**
 * The base class of every layer and model: parameter discovery, train/eval
 * mode, state dicts with PyTorch's key names, and a PyTorch-style print.
 * @module
 */
import { formatShape, shapesEqual } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { Parameter } from './parameter.js';

/** Options of {@link Module.loadStateDict}. */
export interface LoadStateDictOptions {
  /** Missing and unexpected keys are errors (default true). Shape mismatches always are. */
  strict?: boolean;
}

/** What {@link Module.loadStateDict} did not match. */
export interface LoadStateDictResult {
  /** Parameters of the module that the dict did not provide. */
  missingKeys: string[];
  /** Keys of the dict that name no parameter of the module. */
  unexpectedKeys: string[];
}

/**
 * Base class for layers and models, like `torch.nn.Module`.
 *
 * Subclasses assign their parameters ({@link Parameter}) and sub-modules to
 * properties; the module finds them there, in assignment order, so
 * `stateDict()` keys follow PyTorch's (`fc1.weight`, `layers.0.bias`). An
 * array of modules in a property counts as a list of children.
 * @example
 * class Net extends Module {
 *   fc1 = new Dense(784, 128);
 *   fc2 = new Dense(128, 10);
 *   forward(x: Tensor) { return this.fc2.forward(this.fc1.forward(x).relu()); }
 * }
 * new Net().stateDict(); // { 'fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias' }
 */
export abstract class Module {
  /** True in training mode (dropout active), false after `eval()`. */
  training = true;

  /**
   * Computes the module's output.
   * @param input - the input tensor
   * @param args - further inputs some modules take (e.g. targets for losses)
   * @returns the output tensor
   */
  abstract forward(input: Tensor, ...args: any[]): Tensor;

  /**
   * The module's own parameters (not its children's), with their names.
   * @returns `[name, parameter]` pairs in assignment order
   */
  namedOwnParameters(): [string, Parameter][] {
    return Object.entries(this).filter((entry): entry is [string, Parameter] => entry[1] instanceof Parameter);
  }

  /**
   * Direct sub-modules with their names; an array of modules in property
   * `layers` yields `layers.0`, `layers.1`, ….
   * @returns `[name, module]` pairs in assignment order
   */
  namedChildren(): [string, Module][] {
    const children: [string, Module][] = [];
    for (const [key, value] of Object.entries(this)) {
      if (value instanceof Module) children.push([key, value]);
      else if (Array.isArray(value) && value.length > 0 && value.every((v) => v instanceof Module)) {
        value.forEach((child: Module, i) => children.push([`${key}.${i}`, child]));
      }
    }
    return children;
  }

  /**
   * Direct sub-modules.
   * @returns the children in order
   */
  children(): Module[] {
    return this.namedChildren().map(([, child]) => child);
  }

  /**
   * This module and all its descendants, depth first.
   * @returns every module in the tree
   */
  modules(): Module[] {
    return [this, ...this.children().flatMap((child) => child.modules())];
  }

  /**
   * Every parameter with its dotted name (`fc1.weight`), own parameters
   * first, then each child's; a parameter shared by two modules appears once.
   * @returns `[name, parameter]` pairs
   */
  namedParameters(): [string, Parameter][] {
    const seen = new Set<Parameter>();
    const out: [string, Parameter][] = [];
    const visit = (module: Module, prefix: string): void => {
      for (const [name, p] of module.namedOwnParameters()) {
        if (seen.has(p)) continue;
        seen.add(p);
        out.push([prefix + name, p]);
      }
      for (const [name, child] of module.namedChildren()) visit(child, `${prefix}${name}.`);
    };
    visit(this, '');
    return out;
  }

  /**
   * Every parameter (what an optimizer needs).
   * @returns the parameters, in `namedParameters()` order
   */
  parameters(): Parameter[] {
    return this.namedParameters().map(([, p]) => p);
  }

  /**
   * Total number of learnable values.
   * @returns the sum of the parameters' sizes
   */
  numParameters(): number {
    return this.parameters().reduce((n, p) => n + p.size, 0);
  }

  /**
   * Sets training mode on this module and every descendant.
   * @param mode - true for training, false for evaluation
   * @returns this module
   */
  train(mode = true): this {
    for (const module of this.modules()) module.training = mode;
    return this;
  }

  /**
   * Sets evaluation mode (dropout off), like `train(false)`.
   * @returns this module
   */
  eval(): this {
    return this.train(false);
  }

  /**
   * Clears the gradient of every parameter: zeroes it in place, so that the
   * next backward accumulates into the same buffer (no allocation per step),
   * like `optimizer.zeroGrad()` and PyTorch 1.x's `zero_grad()`.
   * @param setToNone - set `.grad` to null instead (frees the buffers)
   */
  zeroGrad(setToNone = false): void {
    for (const p of this.parameters()) {
      if (p.grad === null) continue;
      if (setToNone) p.grad = null;
      else p.grad.data.fill(0);
    }
  }

  /**
   * The parameters by name, as tensors sharing the parameters' data (like
   * PyTorch's `state_dict()`); save it with `io.saveSafetensors`.
   * @returns name → tensor
   */
  stateDict(): Record<string, Tensor> {
    const dict: Record<string, Tensor> = {};
    for (const [name, p] of this.namedParameters()) dict[name] = p.detach();
    return dict;
  }

  /**
   * Copies values from a state dict into the parameters, in place (so
   * optimizers holding the parameters keep working). Nothing is copied unless
   * every check passes.
   * @param dict - name → tensor, e.g. from `stateDict()` or `io.loadSafetensors`
   * @param options - `strict` (default true): missing or unexpected keys are errors
   * @returns the missing and unexpected keys (empty when strict)
   * @throws Error listing every missing, unexpected or wrongly shaped key
   */
  loadStateDict(dict: Record<string, Tensor>, options: LoadStateDictOptions = {}): LoadStateDictResult {
    const { strict = true } = options;
    const params = this.namedParameters();
    const names = new Set(params.map(([name]) => name));
    const missingKeys = params.filter(([name]) => !(name in dict)).map(([name]) => name);
    const unexpectedKeys = Object.keys(dict).filter((key) => !names.has(key));
    const problems: string[] = [];
    for (const [name, p] of params) {
      const source = dict[name];
      if (source === undefined) continue;
      if (!(source instanceof Tensor)) problems.push(`${name}: expected a Tensor, got ${typeof source}`);
      else if (!shapesEqual(source.shape, p.shape)) {
        problems.push(`size mismatch for ${name}: expected ${formatShape(p.shape)}, got ${formatShape(source.shape)}`);
      }
    }
    if (strict && missingKeys.length > 0) problems.push(`missing keys: ${missingKeys.join(', ')}`);
    if (strict && unexpectedKeys.length > 0) problems.push(`unexpected keys: ${unexpectedKeys.join(', ')}`);
    if (problems.length > 0) {
      throw new Error(`loadStateDict: cannot load into ${this.constructor.name}:\n  ${problems.join('\n  ')}`);
    }
    for (const [name, p] of params) {
      const source = dict[name];
      if (source !== undefined) p.data.set(source.data);
    }
    return { missingKeys, unexpectedKeys };
  }

  /**
   * The layer's settings for printing, e.g. `inFeatures=784, outFeatures=128`.
   * Override in subclasses (like PyTorch's `extra_repr`).
   * @returns the settings text ('' by default)
   */
  extraRepr(): string {
    return '';
  }

  /**
   * A summary like PyTorch's module print, with each layer's parameter
   * shapes and counts and the total:
   * ```
   * Sequential(
   *   (0): Dense(inFeatures=784, outFeatures=128, bias=true)  # weight [128,784], bias [128]: 100,480
   *   (1): ReLU()
   * )
   * Total parameters: 100,480
   * ```
   * @returns the summary
   */
  toString(): string {
    return `${this.describe('')}\nTotal parameters: ${this.numParameters().toLocaleString('en-US')}`;
  }

  private describe(indent: string): string {
    const own = this.namedOwnParameters();
    const counts = own.length > 0
      ? `  # ${own.map(([name, p]) => `${name} ${formatShape(p.shape)}`).join(', ')}: ${own.reduce((n, [, p]) => n + p.size, 0).toLocaleString('en-US')}`
      : '';
    const head = `${this.constructor.name}(${this.extraRepr()}`;
    const children = this.namedChildren();
    if (children.length === 0) return `${head})${counts}`;
    const lines = children.map(([name, child]) => `${indent}  (${name}): ${child.describe(`${indent}  `)}`);
    return `${head}${counts}\n${lines.join('\n')}\n${indent})`;
  }
}
