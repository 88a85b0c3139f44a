import { type Tensor, zeros } from "@rnnkit/autograd";
import { fmt, NDArray } from "@rnnkit/tensor";
import { uniform_ } from "../init.js";
import { Module } from "../module.js";
import { Parameter } from "../parameter.js";
import { gruStep, inputGates, lstmStep, rnnReluStep, rnnTanhStep, type CellStep, type CellWeights } from "./cells.js";
import { runSequence } from "./fusedSequence.js";
import { RNNBase, type RNNMode } from "./rnnBase.js";

/** The recurrence each step function is, for the fused one-step sequence. */
const MODE_OF = new Map<CellStep, RNNMode>([[rnnTanhStep, "RNN_TANH"], [rnnReluStep, "RNN_RELU"], [lstmStep, "LSTM"], [gruStep, "GRU"]]);

/** Options every single-step cell takes. */
export interface RNNCellBaseOptions {
  /** Learn `bias_ih` and `bias_hh`. Default true. */
  bias?: boolean;
}

/**
 * What RNNCell, LSTMCell and GRUCell share: `weight_ih` `(G·H, inputSize)`, `weight_hh`
 * `(G·H, H)`, `bias_ih`, `bias_hh` `(G·H)` registered in that order and initialized
 * U(−1/√H, 1/√H) in that order as torch does, and one step over a batch `(B, inputSize)` or one
 * unbatched `(inputSize)` input: with `RNNBase.fused` (the default) a one-step fused sequence
 * (`runSequence`: one autograd node, weights kept packed by the backend across calls), else the
 * same pure step function the multi-layer modules' per-op path runs.
 */
export abstract class RNNCellBase extends Module {
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly bias: boolean;
  weight_ih: Parameter;
  weight_hh: Parameter;
  bias_ih: Parameter | null;
  bias_hh: Parameter | null;

  constructor(name: string, gates: number, inputSize: number, hiddenSize: number, opts: RNNCellBaseOptions = {}) {
    super();
    if (!Number.isInteger(inputSize) || inputSize < 0) throw new Error(`${name}: inputSize must be an integer >= 0, got ${inputSize}`);
    if (!Number.isInteger(hiddenSize) || hiddenSize < 1) throw new Error(`${name}: hiddenSize must be an integer >= 1, got ${hiddenSize}`);
    this.inputSize = inputSize;
    this.hiddenSize = hiddenSize;
    this.bias = opts.bias ?? true;
    this.weight_ih = new Parameter(NDArray.zeros([gates * hiddenSize, inputSize]));
    this.weight_hh = new Parameter(NDArray.zeros([gates * hiddenSize, hiddenSize]));
    this.bias_ih = this.bias ? new Parameter(NDArray.zeros([gates * hiddenSize])) : null;
    this.bias_hh = this.bias ? new Parameter(NDArray.zeros([gates * hiddenSize])) : null;
    this.resetParameters();
  }

  /** Every parameter U(−1/√hiddenSize, 1/√hiddenSize), drawn in registration order (torch's). */
  resetParameters(): void {
    const stdv = 1 / Math.sqrt(this.hiddenSize);
    for (const p of this.parameters()) uniform_(p, -stdv, stdv);
  }

  /** torch's extra_repr: `RNNCell(3, 4, bias=False, nonlinearity=relu)`. */
  override extraRepr(): string {
    let s = `${this.inputSize}, ${this.hiddenSize}`;
    if (!this.bias) s += ", bias=False";
    const nl = (this as { nonlinearity?: string }).nonlinearity;
    if (nl !== undefined && nl !== "tanh") s += `, nonlinearity=${nl}`;
    return s;
  }

  /** The weights in the form the step functions take. */
  cellWeights(): CellWeights {
    return { weightIh: this.weight_ih, weightHh: this.weight_hh, biasIh: this.bias_ih, biasHh: this.bias_hh, weightHr: null };
  }

  /** The class name for error messages. */
  protected abstract get opName(): string;

  /**
   * Checks `input` and the state (`names[i]` for error messages; null entries become zeros),
   * runs `step` once and returns the new state in the input's batchedness.
   */
  protected runStep(step: CellStep, input: Tensor, state: readonly (Tensor | null)[], names: readonly string[]): Tensor[] {
    const op = `${this.opName}.forward`;
    if (input.ndim !== 1 && input.ndim !== 2) {
      throw new Error(`${op}: expected input to be 1-D or 2-D, got shape ${fmt(input.shape)}`);
    }
    const dtype = this.weight_ih.dtype;
    if (input.dtype !== dtype) throw new Error(`${op}: input must be ${dtype} like the parameters, got ${input.dtype}`);
    const batched = input.ndim === 2;
    const x = batched ? input : input.unsqueeze(0);
    if (x.shape[1] !== this.inputSize) {
      throw new Error(`${op}: input has inconsistent inputSize: got ${x.shape[1]}, expected ${this.inputSize} (input shape ${fmt(input.shape)})`);
    }
    const batch = x.shape[0]!;
    const hs = state.map((h, i) => {
      if (h === null) return zeros([batch, this.hiddenSize], { dtype: x.dtype });
      const name = names[i]!;
      if (h.dtype !== dtype) throw new Error(`${op}: ${name} must be ${dtype} like the input, got ${h.dtype}`);
      if (h.ndim !== input.ndim) {
        throw new Error(`${op}: ${name} must be ${input.ndim}-D like the ${batched ? "batched" : "unbatched"} input of shape ${fmt(input.shape)}, got shape ${fmt(h.shape)}`);
      }
      const hb = batched ? h : h.unsqueeze(0);
      if (hb.shape[0] !== batch) {
        throw new Error(`${op}: input batch size ${batch} doesn't match ${name} batch size ${hb.shape[0]} (shapes ${fmt(input.shape)} and ${fmt(h.shape)})`);
      }
      if (hb.shape[1] !== this.hiddenSize) {
        throw new Error(`${op}: ${name} has inconsistent hiddenSize: got ${hb.shape[1]}, expected ${this.hiddenSize} (shape ${fmt(h.shape)})`);
      }
      return hb;
    });
    const w = this.cellWeights();
    const mode = MODE_OF.get(step);
    const next = RNNBase.fused && mode && batch > 0 && this.inputSize > 0
      ? runSequence(mode, x, [batch], hs, w, false).final
      : step(inputGates(x, w), hs, w);
    return batched ? next : next.map((h) => h.squeeze(0));
  }
}
