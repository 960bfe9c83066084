/**
 * The LSTM layer: stacked LSTM layers over batch-first sequences, with
 * PyTorch's parameters, names, gate order and initialisation.
 * @module
 */
import { lstm } from '../ops/lstm.js';
import { narrow, stack } from '../ops/slice.js';
import { reshape } from '../ops/view.js';
import { zeros } from '../tensor/creation.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { uniform } from './init.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';

/** Options of {@link LSTM}. */
export interface LSTMOptions {
  /** Stacked layers; layer k > 0 reads layer k − 1's output sequence (default 1). */
  numLayers?: number;
  /** Learn the biases `bias_ih_l{k}` and `bias_hh_l{k}` (default true). */
  bias?: boolean;
  /**
   * `forward` returns the whole output sequence `[B, T, H]` (default true), or
   * only its last step `[B, H]` (false), e.g. to feed a `Dense` in a `Sequential`.
   */
  returnSequences?: boolean;
}

/** Hidden and cell states of every layer, each `[numLayers, batch, hiddenSize]`. */
export interface LSTMState {
  /** Hidden states h, `[numLayers, B, H]`. */
  h: Tensor;
  /** Cell states c, `[numLayers, B, H]`. */
  c: Tensor;
}

/** What {@link LSTM.forwardWithState} returns. */
export interface LSTMResult {
  /** The last layer's hidden state at every step, `[B, T, H]`. */
  output: Tensor;
  /** Every layer's hidden state after the last step, `[numLayers, B, H]`. */
  h: Tensor;
  /** Every layer's cell state after the last step, `[numLayers, B, H]`. */
  c: Tensor;
}

/** One layer's parameters, as returned by {@link LSTM.layerParameters}. */
export interface LSTMLayerParameters {
  /** `weight_ih_l{k}`: `[4H, inputSize]` for layer 0, `[4H, H]` above; gate rows i, f, g, o. */
  weightIh: Parameter;
  /** `weight_hh_l{k}`: `[4H, H]`. */
  weightHh: Parameter;
  /** `bias_ih_l{k}`: `[4H]`, or null without bias. */
  biasIh: Parameter | null;
  /** `bias_hh_l{k}`: `[4H]`, or null without bias. */
  biasHh: Parameter | null;
}

/**
 * Long short-term memory, batch-first (PyTorch's `nn.LSTM(…, batch_first=True)`).
 *
 * Parameters are PyTorch's, in PyTorch's order: `weight_ih_l0 [4H, inputSize]`,
 * `weight_hh_l0 [4H, H]`, `bias_ih_l0 [4H]`, `bias_hh_l0 [4H]`, then `…_l1`
 * (whose `weight_ih` is `[4H, H]`), with gate blocks i, f, g, o, all
 * initialised U(−1/√H, 1/√H); a PyTorch state dict loads unchanged.
 *
 * Each layer runs as one autograd node on fused kernels (`ops/lstm.ts`).
 * @example
 * const lstm = new LSTM(1, 50, { numLayers: 2 });
 * lstm.forward(x).shape;                        // x [32, 20, 1] → [32, 20, 50]
 * const { output, h, c } = lstm.forwardWithState(x);
 * h.shape;                                      // [2, 32, 50]
 * lstm.forwardWithState(next, { h, c });        // continue the sequence
 * new Sequential(new LSTM(1, 50, { returnSequences: false }), new Dense(50, 1));
 */
export class LSTM extends Module {
  /** Features per step of the input, F. */
  readonly inputSize: number;
  /** Size of the hidden and cell states, H. */
  readonly hiddenSize: number;
  /** Number of stacked layers. */
  readonly numLayers: number;
  /** Whether the layers have biases. */
  readonly bias: boolean;
  /** Whether `forward` returns every step (true) or only the last (false). */
  readonly returnSequences: boolean;
  /** Layer 0's input-to-hidden weights `[4H, inputSize]` (further layers: `weight_ih_l1`, …). */
  declare readonly weight_ih_l0: Parameter;
  /** Layer 0's hidden-to-hidden weights `[4H, H]`. */
  declare readonly weight_hh_l0: Parameter;
  /** Layer 0's input-to-hidden bias `[4H]` (undefined with `bias: false`). */
  declare readonly bias_ih_l0: Parameter | undefined;
  /** Layer 0's hidden-to-hidden bias `[4H]` (undefined with `bias: false`). */
  declare readonly bias_hh_l0: Parameter | undefined;
  /** Per layer, the same parameters as the named properties (not enumerable by Module: not a Parameter). */
  readonly #layers: LSTMLayerParameters[] = [];

  /**
   * @param inputSize - features per step of the input
   * @param hiddenSize - size of the hidden state
   * @param options - `numLayers` (1), `bias` (true), `returnSequences` (true)
   * @throws Error when a size or `numLayers` is not a positive integer
   * @example new LSTM(1, 50, { numLayers: 2 });
   */
  constructor(inputSize: number, hiddenSize: number, options: LSTMOptions = {}) {
    super();
    const { numLayers = 1, bias = true, returnSequences = true } = options;
    for (const [name, value] of [['inputSize', inputSize], ['hiddenSize', hiddenSize], ['numLayers', numLayers]] as const) {
      if (!Number.isInteger(value) || value < 1) throw new Error(`LSTM: ${name} must be a positive integer, got ${value}`);
    }
    this.inputSize = inputSize;
    this.hiddenSize = hiddenSize;
    this.numLayers = numLayers;
    this.bias = bias;
    this.returnSequences = returnSequences;

    // Assigned in PyTorch's order, which is the order Module discovers them
    // in (and so the order of stateDict() and parameters()).
    const H = hiddenSize;
    const bound = 1 / Math.sqrt(H);
    const make = (shape: number[]): Parameter => {
      const p = new Parameter(new Float32Array(shape.reduce((n, d) => n * d, 1)), shape);
      uniform(p, -bound, bound);
      return p;
    };
    const self = this as unknown as Record<string, Parameter>;
    for (let k = 0; k < numLayers; k++) {
      const layer: LSTMLayerParameters = {
        weightIh: (self[`weight_ih_l${k}`] = make([4 * H, k === 0 ? inputSize : H])),
        weightHh: (self[`weight_hh_l${k}`] = make([4 * H, H])),
        biasIh: bias ? (self[`bias_ih_l${k}`] = make([4 * H])) : null,
        biasHh: bias ? (self[`bias_hh_l${k}`] = make([4 * H])) : null,
      };
      this.#layers.push(layer);
    }
  }

  /**
   * The parameters of layer `k` (also reachable as `weight_ih_l{k}` etc.).
   * @param k - layer index, 0 … numLayers − 1
   * @returns the layer's weights and biases
   * @throws Error when `k` is out of range
   * @example new LSTM(1, 50, { numLayers: 2 }).layerParameters(1).weightIh.shape; // [200, 50]
   */
  layerParameters(k: number): LSTMLayerParameters {
    const layer = this.#layers[k];
    if (!Number.isInteger(k) || layer === undefined) {
      throw new Error(`${this.describeLayer()}: layer ${k} does not exist (numLayers = ${this.numLayers})`);
    }
    return layer;
  }

  /**
   * Runs the sequence from zero states.
   * @param input - `[batch, time, inputSize]`
   * @returns the last layer's output `[batch, time, hiddenSize]`, or its last
   *   step `[batch, hiddenSize]` with `returnSequences: false`
   * @throws Error naming the layer and the shapes when the input is not
   *   `[batch, time ≥ 1, inputSize]`
   * @example new LSTM(1, 50, { returnSequences: false }).forward(randn([32, 20, 1])).shape; // [32, 50]
   */
  forward(input: Tensor): Tensor {
    const run = this.run(input, undefined, this.returnSequences, false);
    return this.returnSequences ? run.output! : run.lastH!;
  }

  /**
   * Runs the sequence from the given states (zeros when omitted) and returns
   * the output with the final states, which can be passed back in to
   * continue the sequence. Gradients flow through `output`, `h` and `c`, and
   * into `state` when it requires grad.
   * @param input - `[batch, time, inputSize]`
   * @param state - initial `{ h, c }`, each `[numLayers, batch, hiddenSize]`
   * @returns `{ output: [batch, time, hiddenSize], h, c: [numLayers, batch, hiddenSize] }`
   * @throws Error naming the layer and the shapes when the input or the state has the wrong shape
   * @example
   * const first = lstm.forwardWithState(x.narrow(1, 0, 10));
   * const rest = lstm.forwardWithState(x.narrow(1, 10, 10), first); // same as running all 20 steps
   */
  forwardWithState(input: Tensor, state?: LSTMState): LSTMResult {
    const run = this.run(input, state, true, true);
    return { output: run.output!, h: stack(run.hs, 0), c: stack(run.cs, 0) };
  }

  /**
   * The settings as PyTorch prints them: the sizes, then only the options
   * that differ from their defaults.
   * @returns e.g. `1, 50, numLayers=2`
   * @example new LSTM(1, 50, { bias: false }).extraRepr(); // '1, 50, bias=false'
   */
  override extraRepr(): string {
    const parts = [`${this.inputSize}`, `${this.hiddenSize}`];
    if (this.numLayers !== 1) parts.push(`numLayers=${this.numLayers}`);
    if (!this.bias) parts.push('bias=false');
    if (!this.returnSequences) parts.push('returnSequences=false');
    return parts.join(', ');
  }

  /**
   * The layers, one after the other. Slices of the packed results are taken
   * only as asked: the last layer's `output` sequence (`wantSequence`), every
   * layer's final `hs`/`cs` (`wantStates`), else just the last layer's h_T.
   */
  private run(
    input: Tensor, state: LSTMState | undefined, wantSequence: boolean, wantStates: boolean,
  ): { output: Tensor | null; lastH: Tensor | null; hs: Tensor[]; cs: Tensor[] } {
    if (!(input instanceof Tensor)) throw new Error(`${this.describeLayer()}: expected input to be a Tensor, got ${typeof input}`);
    if (input.ndim !== 3 || input.shape[2] !== this.inputSize || input.shape[1] === 0) {
      throw new Error(
        `${this.describeLayer()}: expected input [batch, time, ${this.inputSize}] with time ≥ 1, ` +
          `got ${formatShape(input.shape)}`,
      );
    }
    const [B, T] = input.shape as [number, number, number];
    const H = this.hiddenSize;
    const L = this.numLayers;
    if (state !== undefined) this.checkState(state, B);
    const zero = state === undefined ? zeros([B, H]) : null;
    // Layer k's slice [B, H] of a [numLayers, B, H] state.
    const initial = (t: Tensor, k: number): Tensor => reshape(L === 1 ? t : narrow(t, 0, k, 1), [B, H]);

    const hs: Tensor[] = [];
    const cs: Tensor[] = [];
    let output: Tensor | null = null;
    let lastH: Tensor | null = null;
    let x = input;
    for (let k = 0; k < L; k++) {
      const { weightIh, weightHh, biasIh, biasHh } = this.#layers[k]!;
      const h0 = zero ?? initial(state!.h, k);
      const c0 = zero ?? initial(state!.c, k);
      const packed = lstm(x, h0, c0, weightIh, weightHh, biasIh, biasHh);
      const last = k === L - 1;
      if (!last || wantSequence) {
        output = narrow(packed, 1, 0, T);
        x = output;
      }
      if (wantStates || (last && !wantSequence)) {
        lastH = reshape(narrow(packed, 1, T - 1, 1), [B, H]);
        hs.push(lastH);
      }
      if (wantStates) cs.push(reshape(narrow(packed, 1, T, 1), [B, H]));
    }
    return { output, lastH, hs, cs };
  }

  private checkState(state: LSTMState, batch: number): void {
    const expected = [this.numLayers, batch, this.hiddenSize];
    for (const key of ['h', 'c'] as const) {
      const t = (state as Partial<LSTMState> | null)?.[key];
      if (!(t instanceof Tensor) || t.ndim !== 3 || t.shape.some((d, i) => d !== expected[i])) {
        throw new Error(
          `${this.describeLayer()}: state.${key} must have shape ${formatShape(expected)} ` +
            `[numLayers, batch, hiddenSize], got ${t instanceof Tensor ? formatShape(t.shape) : String(t)}`,
        );
      }
    }
  }

  private describeLayer(): string {
    return `LSTM(${this.extraRepr()})`;
  }
}
