/**
 * The optimizer base class: parameter groups with their own options,
 * `zeroGrad()`, per-parameter state buffers and state dicts for resuming.
 * @module
 */
import { Tensor } from '../tensor/tensor.js';

/**
 * A group of parameters with the options they are updated with (like one
 * entry of PyTorch's `optimizer.param_groups`). Schedulers change `lr` here.
 */
export interface ParamGroup {
  /** The tensors this group updates, in order. */
  params: Tensor[];
  /** The learning rate; schedulers write it. */
  lr: number;
  /** The learning rate the first scheduler attached to the optimizer started from. */
  initialLr?: number;
}

/** The options of a group of type `G`: everything but `params` and `initialLr`. */
export type GroupOptions<G extends ParamGroup> = Omit<G, 'params' | 'initialLr'>;

/**
 * One parameter group as passed to an optimizer's constructor: the tensors
 * plus any options that differ from the optimizer's defaults.
 * @example
 * new Adam([{ params: backbone, lr: 1e-4 }, { params: head }], { lr: 1e-3 });
 */
export type ParamGroupSpec<G extends ParamGroup> = Partial<GroupOptions<G>> & {
  /** The tensors of this group (one tensor or a list). */
  params: Tensor | readonly Tensor[];
};

/** What optimizers accept: a list of tensors, or a list of parameter groups. */
export type ParamsArg<G extends ParamGroup> = readonly Tensor[] | readonly ParamGroupSpec<G>[];

/** One state value of a parameter: a counter, or a buffer of the parameter's size. */
export type StateValue = number | Float32Array;

/** The state an optimizer keeps for one parameter, by name (`step`, `expAvg`, …). */
export type ParamState = Record<string, StateValue | undefined>;

/**
 * An optimizer's state as returned by {@link Optimizer.stateDict}: the
 * per-parameter state keyed by the parameter's position across all groups
 * (as PyTorch does), and each group's options with `params` as positions.
 */
export interface OptimizerStateDict {
  /** Position of the parameter → its state (buffers are copies). */
  state: Record<number, Record<string, number | Float32Array | number[]>>;
  /** Each group's options, with `params` replaced by parameter positions. */
  paramGroups: SavedParamGroup[];
}

/** One parameter group in an {@link OptimizerStateDict}. */
export interface SavedParamGroup {
  /** Positions of the group's parameters across all groups. */
  params: number[];
  /** The group's options (`lr`, `momentum`, …, and `initialLr` if a scheduler set it). */
  [option: string]: unknown;
}

/** The per-parameter state names an optimizer keeps (`step` is a counter, the rest buffers). */
export interface StateKeys {
  /** Names every parameter state has once created (e.g. `step`, `expAvg`). */
  required: readonly string[];
  /** Names present only with some options (e.g. `maxExpAvgSq` with amsgrad). */
  optional: readonly string[];
}

/** Options of {@link Optimizer.stateDict}. */
export interface StateDictOptions {
  /**
   * Return buffers as plain `number[]` instead of `Float32Array` copies, so
   * that `JSON.stringify` of the dict round-trips exactly (default false).
   */
  arrays?: boolean;
}

/** Throws unless `value` is a finite number ≥ 0 (NaN fails too). */
export function checkNonNegative(where: string, name: string, value: unknown): void {
  if (typeof value !== 'number' || !(value >= 0) || !Number.isFinite(value)) {
    throw new Error(`${where}: invalid ${name} ${String(value)} (must be a finite number >= 0)`);
  }
}

/** Throws unless `value` is a boolean. */
export function checkBoolean(where: string, name: string, value: unknown): void {
  if (typeof value !== 'boolean') throw new Error(`${where}: ${name} must be true or false, got ${String(value)}`);
}

/**
 * Base class of the optimizers, like `torch.optim.Optimizer`.
 *
 * {@link Optimizer.step} walks the groups and hands each parameter that has
 * a gradient to {@link Optimizer.updateParam}, which subclasses implement as
 * plain loops over the parameter's `data` and `grad.data`, updating in place
 * and keeping their buffers in `state` (allocated on a parameter's first
 * step, reused after). Parameters whose `grad` is `null` are skipped, as in
 * PyTorch.
 * @typeParam G - the parameter-group type, carrying the optimizer's options
 * @example
 * const opt = new SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
 * for (const [x, y] of batches) {
 *   opt.zeroGrad();
 *   model.forward(x).sub(y).pow(2).mean().backward();
 *   opt.step();
 * }
 */
export abstract class Optimizer<G extends ParamGroup = ParamGroup> {
  /** The parameter groups; schedulers (and you) may change their options between steps. */
  readonly paramGroups: G[] = [];
  /** The options a group gets for anything it does not set. */
  readonly defaults: GroupOptions<G>;
  /** The optimizer's name in error messages (`SGD`, `Adam`, …). */
  readonly name: string;
  /** Per-parameter state (buffers and counters), created on the parameter's first step. */
  protected state = new Map<Tensor, ParamState>();

  /**
   * @param name - the optimizer's name for error messages
   * @param params - a list of tensors, or of parameter groups
   * @param defaults - every option's value for groups that do not set it
   * @throws Error when the list is empty, holds something that is not a
   *   leaf Tensor, or a tensor appears twice, or an option is invalid
   */
  protected constructor(name: string, params: ParamsArg<G>, defaults: GroupOptions<G>) {
    this.name = name;
    this.defaults = defaults;
    if (params instanceof Tensor) {
      throw new Error(`${name}: params must be a list of tensors or of parameter groups, got a single Tensor (wrap it in [ ])`);
    }
    if (params === null || typeof params !== 'object' || typeof (params as Iterable<unknown>)[Symbol.iterator] !== 'function') {
      throw new Error(`${name}: params must be a list of tensors or of parameter groups, got ${describe(params)}`);
    }
    const list = [...(params as Iterable<Tensor | ParamGroupSpec<G>>)];
    if (list.length === 0) throw new Error(`${name}: got an empty parameter list`);
    this.checkOptions(defaults, name, true);
    const isGroup = (x: unknown): boolean => x !== null && typeof x === 'object' && !(x instanceof Tensor) && 'params' in x;
    if (isGroup(list[0])) {
      list.forEach((spec, k) => this.addGroup(spec as ParamGroupSpec<G>, `${name}: param group ${k}`));
    } else {
      this.addGroup({ params: list as Tensor[] } as unknown as ParamGroupSpec<G>, name);
    }
  }

  /**
   * Checks one group's options; subclasses throw on invalid values.
   * @param options - the defaults, or a group with the defaults filled in
   * @param where - prefix for error messages (`Adam`, `Adam: param group 1`)
   * @param isDefaults - true when checking the constructor's defaults (SGD's
   *   `lr` may be missing there if every group sets its own)
   * @throws Error naming the option and its value when one is invalid
   */
  protected abstract checkOptions(options: GroupOptions<G>, where: string, isDefaults: boolean): void;

  /**
   * Performs one update of every parameter that has a gradient, in place,
   * group by group with each group's current options.
   * @throws Error when a gradient's size differs from its parameter's
   */
  step(): void {
    for (let k = 0; k < this.paramGroups.length; k++) {
      const group = this.paramGroups[k]!;
      const params = group.params;
      for (let j = 0; j < params.length; j++) {
        const p = params[j]!;
        const grad = p.grad;
        if (grad === null) continue;
        if (grad.size !== p.size) {
          throw new Error(
            `${this.name}.step: a parameter of shape [${p.shape.join(',')}] has a gradient of shape [${grad.shape.join(',')}]`,
          );
        }
        this.updateParam(p, p.data, grad.data, group);
      }
    }
  }

  /**
   * Updates one parameter in place from its gradient: called by
   * {@link Optimizer.step} for every parameter whose `grad` is not null.
   * @param p - the parameter (the key of its `state`)
   * @param theta - `p.data`, updated in place
   * @param grad - `p.grad.data`, of the same length (checked)
   * @param group - the parameter's group, with every option set
   */
  protected abstract updateParam(p: Tensor, theta: Float32Array, grad: Float32Array, group: G): void;

  /**
   * Adds a group of parameters (e.g. layers unfrozen during fine-tuning),
   * like PyTorch's `add_param_group`.
   * @param spec - the tensors and any options that differ from the defaults
   * @throws Error when the group is empty, holds something that is not a
   *   leaf Tensor, shares a tensor with another group, or has invalid options
   * @example opt.addParamGroup({ params: head.parameters(), lr: 1e-2 });
   */
  addParamGroup(spec: ParamGroupSpec<G>): void {
    this.addGroup(spec, `${this.name}: param group ${this.paramGroups.length}`);
  }

  private addGroup(spec: ParamGroupSpec<G>, where: string): void {
    if (spec === null || typeof spec !== 'object' || !('params' in spec)) {
      throw new Error(`${where}: expected { params, ...options }, got ${describe(spec)}`);
    }
    const raw = spec.params instanceof Tensor ? [spec.params] : spec.params;
    if (raw === null || typeof raw !== 'object' || typeof (raw as Iterable<unknown>)[Symbol.iterator] !== 'function') {
      throw new Error(`${where}: params must be a Tensor or a list of tensors, got ${describe(raw)}`);
    }
    const params = [...(raw as Iterable<unknown>)];
    if (params.length === 0) throw new Error(`${where}: got an empty parameter list`);
    const seen = new Set<Tensor>();
    params.forEach((p, i) => {
      if (!(p instanceof Tensor)) {
        throw new Error(`${where}: can only optimize Tensors (Parameters), but params[${i}] is ${describe(p)}`);
      }
      if (!p.isLeaf) throw new Error(`${where}: params[${i}] is not a leaf tensor (it was computed by '${p.gradFn!.op}'); optimize leaves only`);
      if (seen.has(p)) throw new Error(`${where}: params[${i}] appears twice in the group`);
      seen.add(p);
    });
    this.paramGroups.forEach((other, k) => {
      if (params.some((p) => other.params.includes(p as Tensor))) {
        throw new Error(`${where}: some parameters appear in more than one parameter group (also in group ${k})`);
      }
    });
    const known = new Set(Object.keys(this.defaults));
    for (const key of Object.keys(spec)) {
      if (key !== 'params' && key !== 'initialLr' && !known.has(key)) {
        throw new Error(`${where}: unknown option '${key}' (${this.name} options: ${[...known].join(', ')})`);
      }
    }
    const group = { ...cloneOptions(this.defaults), ...cloneOptions(spec), params: params as Tensor[] } as G;
    this.checkOptions(group, where, false);
    this.paramGroups.push(group);
  }

  /**
   * Resets the gradients of every parameter. As in PyTorch 1.13, gradients
   * are zeroed in place by default, so the next `backward()` accumulates
   * into the same buffers (no allocation); with `setToNone` they become
   * `null` and parameters that get no new gradient are then skipped by
   * `step()`. (`Module.zeroGrad()` does the same.)
   * @param setToNone - set `.grad` to `null` instead of filling it with zeros
   * @example opt.zeroGrad(); loss.backward(); opt.step();
   */
  zeroGrad(setToNone = false): void {
    for (const group of this.paramGroups) {
      for (const p of group.params) {
        if (p.grad === null) continue;
        if (setToNone) p.grad = null;
        else p.grad.data.fill(0);
      }
    }
  }

  /**
   * The optimizer's state for resuming training: every parameter's state
   * (buffers copied) keyed by its position across the groups, and each
   * group's options. Pass it to {@link Optimizer.loadStateDict} of an
   * optimizer built the same way.
   * @param options - `arrays: true` returns buffers as `number[]`, so the
   *   dict survives `JSON.stringify`/`JSON.parse` exactly
   * @returns the state dict (sharing nothing with the optimizer)
   * @example
   * const saved = JSON.stringify(opt.stateDict({ arrays: true }));
   * // later, with a freshly built model and optimizer:
   * opt.loadStateDict(JSON.parse(saved));
   */
  stateDict(options: StateDictOptions = {}): OptimizerStateDict {
    const state: OptimizerStateDict['state'] = {};
    const paramGroups: OptimizerStateDict['paramGroups'] = [];
    let index = 0;
    for (const group of this.paramGroups) {
      const { params, ...rest } = group;
      const positions: number[] = [];
      for (const p of params) {
        const s = this.state.get(p);
        if (s !== undefined) {
          const copy: Record<string, number | Float32Array | number[]> = {};
          for (const [key, value] of Object.entries(s)) {
            if (value === undefined) continue;
            copy[key] = typeof value === 'number' ? value : options.arrays ? Array.from(value) : value.slice();
          }
          state[index] = copy;
        }
        positions.push(index++);
      }
      paramGroups.push({ ...cloneOptions(rest), params: positions });
    }
    return { state, paramGroups };
  }

  /**
   * Restores state saved by {@link Optimizer.stateDict}: copies the buffers
   * (into the existing ones where they exist) and the groups' options. The
   * optimizer must have the same number of groups with the same numbers of
   * parameters of the same sizes. Nothing changes unless every check passes.
   * @param dict - a state dict, with buffers as `Float32Array` or `number[]`
   * @throws Error when the groups, parameter sizes, state names or options
   *   do not match this optimizer
   * @example opt.loadStateDict(checkpoint.optimizer);
   */
  loadStateDict(dict: OptimizerStateDict): void {
    const where = `${this.name}.loadStateDict`;
    if (dict === null || typeof dict !== 'object' || !Array.isArray(dict.paramGroups) || dict.state === null || typeof dict.state !== 'object') {
      throw new Error(`${where}: expected { state, paramGroups }, got ${describe(dict)}`);
    }
    if (dict.paramGroups.length !== this.paramGroups.length) {
      throw new Error(`${where}: the dict has ${dict.paramGroups.length} parameter groups, the optimizer ${this.paramGroups.length}`);
    }
    const params: Tensor[] = [];
    const known = new Set(Object.keys(this.defaults));
    const groups = this.paramGroups.map((group, k) => {
      const saved = dict.paramGroups[k]!;
      if (!Array.isArray(saved.params) || saved.params.length !== group.params.length) {
        throw new Error(
          `${where}: parameter group ${k} has ${group.params.length} parameters but the dict's has ${Array.isArray(saved.params) ? saved.params.length : 'none'}`,
        );
      }
      const { params: _positions, ...options } = saved;
      for (const key of Object.keys(options)) {
        if (key !== 'initialLr' && !known.has(key)) {
          throw new Error(`${where}: group ${k} has option '${key}', which ${this.name} does not have (is the dict from another optimizer?)`);
        }
      }
      const merged = { ...group, ...cloneOptions(options), params: group.params } as G;
      this.checkOptions(merged, `${where}: group ${k}`, false);
      params.push(...group.params);
      return merged;
    });
    const { required, optional } = this.stateKeys();
    const stateKeys = new Set([...required, ...optional]);
    const state = new Map<Tensor, ParamState>();
    for (const [key, saved] of Object.entries(dict.state)) {
      const index = Number(key);
      const p = params[index];
      if (!Number.isInteger(index) || p === undefined) {
        throw new Error(`${where}: state for parameter ${key}, but the optimizer has ${params.length} parameters`);
      }
      const old = this.state.get(p);
      const s: ParamState = {};
      for (const [name, value] of Object.entries(saved)) {
        if (!stateKeys.has(name)) {
          throw new Error(`${where}: parameter ${index} has state '${name}', which ${this.name} does not keep (${[...stateKeys].join(', ')})`);
        }
        // `step` is the one counter; everything else is a buffer of the parameter's size.
        if (name === 'step') {
          if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
            throw new Error(`${where}: state 'step' of parameter ${index} must be an integer >= 0, got ${describe(value)}`);
          }
          s[name] = value;
          continue;
        }
        if (!(value instanceof Float32Array) && !Array.isArray(value)) {
          throw new Error(`${where}: state '${name}' of parameter ${index} must be a Float32Array or number[], got ${describe(value)}`);
        }
        if (value.length !== p.size) {
          throw new Error(`${where}: state '${name}' of parameter ${index} has ${value.length} values, the parameter ${p.size}`);
        }
        const previous = old?.[name];
        const buffer = previous instanceof Float32Array && previous.length === p.size ? previous : new Float32Array(p.size);
        s[name] = buffer;
      }
      const missing = required.filter((name) => !(name in s));
      if (missing.length > 0) throw new Error(`${where}: the state of parameter ${index} lacks ${missing.map((m) => `'${m}'`).join(', ')}`);
      state.set(p, s);
    }
    // Every check passed: copy.
    for (const [key, saved] of Object.entries(dict.state)) {
      const s = state.get(params[Number(key)]!)!;
      for (const [name, value] of Object.entries(saved)) {
        if (typeof value !== 'number') (s[name] as Float32Array).set(value);
      }
    }
    this.state = state;
    groups.forEach((group, k) => Object.assign(this.paramGroups[k]!, group));
  }

  /**
   * The names of the state this optimizer keeps per parameter, checked by
   * {@link Optimizer.loadStateDict}: `step` is a counter, the rest buffers.
   * @returns the names every parameter state has, and those it may have
   */
  protected abstract stateKeys(): StateKeys;
}

/**
 * A shallow copy of an options object whose array values (betas) are copied
 * too; `undefined` values are left out (so they do not override defaults).
 */
function cloneOptions<T extends object>(options: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    if (value !== undefined) out[key] = Array.isArray(value) ? [...value] : value;
  }
  return out as T;
}

/** A short description of a value for error messages. */
function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'an object';
  return `${typeof value} ${String(value)}`;
}
