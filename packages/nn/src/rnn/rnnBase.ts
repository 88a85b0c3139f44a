import { cat, stack, Tensor, zeros } from "@rnnkit/autograd";
import { fmt, GATE_COUNTS, NDArray } from "@rnnkit/tensor";
import { uniform_ } from "../init.js";
import { Module, pyFloat } from "../module.js";
import { Parameter } from "../parameter.js";
import { PackedSequence } from "../utils/rnn.js";
import { gruStep, inputGates, lstmStep, rnnReluStep, rnnTanhStep, type CellStep, type CellWeights } from "./cells.js";
import { EmbeddedSequence } from "./embeddedSequence.js";
import { runSequence, type TableLookup } from "./fusedSequence.js";
import { splitAlong } from "./splitAlong.js";
import { dropoutRows, runForward, runReverse } from "./timeLoop.js";

/** The recurrence an `RNNBase` runs (torch's mode strings). */
export type RNNMode = "RNN_TANH" | "RNN_RELU" | "LSTM" | "GRU";

/** Gates per mode: the `G` in `weight_ih_l{k}` `(G·hiddenSize, in)` (the Backend's `GATE_COUNTS`, by torch's mode names). */
export const GATE_COUNT: Readonly<Record<RNNMode, number>> = {
  RNN_TANH: GATE_COUNTS.rnnTanh, RNN_RELU: GATE_COUNTS.rnnRelu, LSTM: GATE_COUNTS.lstm, GRU: GATE_COUNTS.gru,
};

/** The step function of each mode. */
export const CELL_STEP: Readonly<Record<RNNMode, CellStep>> = {
  RNN_TANH: rnnTanhStep,
  RNN_RELU: rnnReluStep,
  LSTM: lstmStep,
  GRU: gruStep,
};

/** Options every multi-layer recurrent module takes. */
export interface RNNBaseOptions {
  /** Stacked layers; layer k > 0 reads layer k−1's output. Default 1. */
  numLayers?: number;
  /** Learn `bias_ih` and `bias_hh`. Default true. */
  bias?: boolean;
  /** Input and output are `(B, T, ·)` instead of `(T, B, ·)` (states stay `(L·D, B, ·)`). Default false. */
  batchFirst?: boolean;
  /** Dropout probability on every layer's output but the last, in training mode. Default 0. */
  dropout?: number;
  /** Run a second pass backwards over time and concatenate both outputs. Default false. */
  bidirectional?: boolean;
  /** LSTM only: project h to this size with `weight_hr_l{k}` (0: no projection). Default 0. */
  projSize?: number;
}

/** Result of `RNNBase.run`: the top layer's output and each final state stacked `(L·D, B, ·)`. */
export interface RunResult {
  output: Tensor | PackedSequence;
  state: Tensor[];
}

/** `(rows, cols)` row-major indices → their `(cols, rows)` transpose (batch-first to time-first rows). */
function swapLeadingDims(index: Int32Array, rows: number, cols: number): Int32Array {
  const out = new Int32Array(index.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = index[r * cols + c]!;
  return out;
}

function checkSize(v: number, what: string, op: string, min: number): number {
  if (!Number.isInteger(v) || v < min) throw new Error(`${op}: ${what} must be an integer >= ${min}, got ${v}`);
  return v;
}

/**
 * The multi-layer recurrent network torch's RNN, LSTM and GRU share. It registers
 * `weight_ih_l{k}{_reverse}`, `weight_hh_…`, `bias_ih_…`, `bias_hh_…` (and LSTM's
 * `weight_hr_…`) in torch's order (layer, then direction, then those names), initializes all
 * of them U(−1/√H, 1/√H) in that order, and runs the layer × direction × time loop over a
 * padded batch or a PackedSequence. Subclasses pick the mode and shape the state.
 */
export abstract class RNNBase extends Module {
  readonly mode: RNNMode;
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly bias: boolean;
  readonly batchFirst: boolean;
  readonly dropout: number;
  readonly bidirectional: boolean;
  readonly projSize: number;

  constructor(mode: RNNMode, inputSize: number, hiddenSize: number, opts: RNNBaseOptions = {}) {
    super();
    const name = mode.startsWith("RNN") ? "RNN" : mode;
    this.mode = mode;
    this.inputSize = checkSize(inputSize, "inputSize", name, 0);
    this.hiddenSize = checkSize(hiddenSize, "hiddenSize", name, 1);
    this.numLayers = checkSize(opts.numLayers ?? 1, "numLayers", name, 1);
    this.bias = opts.bias ?? true;
    this.batchFirst = opts.batchFirst ?? false;
    this.bidirectional = opts.bidirectional ?? false;
    const dropout = opts.dropout ?? 0;
    if (typeof dropout !== "number" || !(dropout >= 0 && dropout <= 1)) {
      throw new Error(`${name}: dropout should be a number in range [0, 1] representing the probability of an element being zeroed, got ${dropout}`);
    }
    this.dropout = dropout;
    const projSize = opts.projSize ?? 0;
    if (!Number.isInteger(projSize) || projSize < 0) {
      throw new Error(`${name}: projSize should be a positive integer or zero to disable projections, got ${projSize}`);
    }
    if (projSize > 0 && mode !== "LSTM") throw new Error(`${name}: projSize is only supported for LSTM, not RNN or GRU`);
    if (projSize >= hiddenSize) throw new Error(`${name}: projSize (${projSize}) has to be smaller than hiddenSize (${hiddenSize})`);
    this.projSize = projSize;

    const gateSize = GATE_COUNT[mode] * hiddenSize;
    const realHidden = projSize > 0 ? projSize : hiddenSize;
    const dirs = this.numDirections;
    const own = this as unknown as Record<string, Parameter>;
    for (let layer = 0; layer < this.numLayers; layer++) {
      const layerIn = layer === 0 ? inputSize : realHidden * dirs;
      for (let dir = 0; dir < dirs; dir++) {
        const sfx = RNNBase.suffix(layer, dir);
        own[`weight_ih${sfx}`] = new Parameter(NDArray.zeros([gateSize, layerIn]));
        own[`weight_hh${sfx}`] = new Parameter(NDArray.zeros([gateSize, realHidden]));
        if (this.bias) {
          own[`bias_ih${sfx}`] = new Parameter(NDArray.zeros([gateSize]));
          own[`bias_hh${sfx}`] = new Parameter(NDArray.zeros([gateSize]));
        }
        if (projSize > 0) own[`weight_hr${sfx}`] = new Parameter(NDArray.zeros([projSize, hiddenSize]));
      }
    }
    this.resetParameters();
  }

  /** torch's extra_repr: `LSTM(10, 20, num_layers=2, batch_first=True)`, non-defaults only, in torch's order. */
  override extraRepr(): string {
    let s = `${this.inputSize}, ${this.hiddenSize}`;
    if (this.projSize !== 0) s += `, proj_size=${this.projSize}`;
    if (this.numLayers !== 1) s += `, num_layers=${this.numLayers}`;
    if (!this.bias) s += ", bias=False";
    if (this.batchFirst) s += ", batch_first=True";
    if (this.dropout !== 0) s += `, dropout=${pyFloat(this.dropout)}`;
    if (this.bidirectional) s += ", bidirectional=True";
    return s;
  }

  /**
   * Run each layer × direction (and each step of RNNCell, LSTMCell, GRUCell) as one fused sequence
   * op (`runSequence`, the default) or as per-step cell ops (the reference path the fused one is
   * tested against).
   */
  static fused = true;

  /** `_l{layer}`, plus `_reverse` for the backward direction. */
  static suffix(layer: number, dir: number): string {
    return `_l${layer}${dir === 1 ? "_reverse" : ""}`;
  }

  /** 2 when bidirectional, else 1. */
  get numDirections(): number {
    return this.bidirectional ? 2 : 1;
  }

  /** The size of h: `projSize` when projecting, else `hiddenSize`. */
  get outputHiddenSize(): number {
    return this.projSize > 0 ? this.projSize : this.hiddenSize;
  }

  /** Every parameter U(−1/√hiddenSize, 1/√hiddenSize), drawn in registration order (torch's). */
  resetParameters(): void {
    const stdv = 1 / Math.sqrt(this.hiddenSize);
    for (const p of this.parameters()) uniform_(p, -stdv, stdv);
  }

  /** The weights of one layer and direction. */
  cellWeights(layer: number, dir: number): CellWeights {
    const own = this as unknown as Record<string, Parameter | undefined>;
    const sfx = RNNBase.suffix(layer, dir);
    const get = (n: string): Parameter | null => own[`${n}${sfx}`] ?? null;
    const weightIh = get("weight_ih");
    const weightHh = get("weight_hh");
    if (!weightIh || !weightHh) throw new Error(`${this.opName}: no weights for layer ${layer} direction ${dir}`);
    return { weightIh, weightHh, biasIh: get("bias_ih"), biasHh: get("bias_hh"), weightHr: get("weight_hr") };
  }

  /** torch's `all_weights`: the parameters of each layer and direction, in registration order. */
  get allWeights(): Parameter[][] {
    const out: Parameter[][] = [];
    for (let layer = 0; layer < this.numLayers; layer++) {
      for (let dir = 0; dir < this.numDirections; dir++) {
        const w = this.cellWeights(layer, dir);
        out.push([w.weightIh, w.weightHh, w.biasIh, w.biasHh, w.weightHr].filter((p): p is Parameter => p !== null));
      }
    }
    return out;
  }

  /** The class name used in error messages. */
  protected get opName(): string {
    return `${this.mode.startsWith("RNN") ? "RNN" : this.mode}.forward`;
  }

  /** Names and last-dim sizes of the state tensors (`hx`, plus `cx` for LSTM). */
  protected stateSpec(): { name: string; size: number }[] {
    const h = { name: "hx", size: this.outputHiddenSize };
    return this.mode === "LSTM" ? [h, { name: "cx", size: this.hiddenSize }] : [h];
  }

  /**
   * Runs every layer and direction over `input` — `(T, B, in)` (`(B, T, in)` with batchFirst),
   * unbatched `(T, in)`, a PackedSequence, or an EmbeddedSequence (token ids and the embedding
   * that turns them into those rows) — from the initial state `hx` (each `(L·D, B, ·)`, or
   * `(L·D, ·)` unbatched; zeros when omitted).
   */
  protected run(given: Tensor | PackedSequence | EmbeddedSequence, hx: readonly Tensor[] | undefined): RunResult {
    const op = this.opName;
    const embedded = given instanceof EmbeddedSequence ? given : null;
    const input = embedded ? embedded.rows() : given;
    const spec = this.stateSpec();
    const layersDirs = this.numLayers * this.numDirections;
    if (hx !== undefined && hx.length !== spec.length) {
      throw new Error(`${op}: expected the initial state as ${spec.length} tensor(s) (${spec.map((s) => s.name).join(", ")}), got ${hx.length}`);
    }
    let data: Tensor;
    let batchSizes: number[];
    let unbatched = false;
    let steps = 0;
    let packed: PackedSequence | null = null;
    if (input instanceof PackedSequence) {
      packed = input;
      data = input.data;
      if (data.ndim !== 2) throw new Error(`${op}: packed input data must be 2-D (N, inputSize), got shape ${fmt(data.shape)}`);
      batchSizes = input.batchSizeList();
      const rows = batchSizes.reduce((a, b) => a + b, 0);
      if (rows !== data.shape[0] || batchSizes.some((b, t) => b <= 0 || b > (batchSizes[t - 1] ?? b))) {
        throw new Error(`${op}: packed batchSizes [${batchSizes.join(", ")}] must be positive, non-increasing and sum to the ${data.shape[0]} rows of data`);
      }
    } else {
      if (!(input instanceof Tensor)) throw new Error(`${op}: input must be a Tensor or a PackedSequence`);
      if (input.ndim !== 2 && input.ndim !== 3) throw new Error(`${op}: input must be 2-D or 3-D, got shape ${fmt(input.shape)}`);
      unbatched = input.ndim === 2;
      let x = unbatched ? input.unsqueeze(1) : this.batchFirst ? input.transpose(0, 1) : input;
      x = x.contiguous();
      steps = x.shape[0]!;
      const batch = x.shape[1]!;
      if (steps === 0) throw new Error(`${op}: expected sequence length to be larger than 0, got input shape ${fmt(input.shape)}`);
      data = x.reshape([steps * batch, x.shape[2]!]);
      batchSizes = new Array<number>(steps).fill(batch);
    }
    const inSize = data.shape[data.ndim - 1];
    if (inSize !== this.inputSize) {
      const shown = input instanceof PackedSequence ? `packed data shape ${fmt(data.shape)}` : `input shape ${fmt(input.shape)}`;
      throw new Error(`${op}: input.size(-1) must be equal to inputSize, expected ${this.inputSize}, got ${inSize} (${shown})`);
    }
    const dtype = this.cellWeights(0, 0).weightIh.dtype;
    if (data.dtype !== dtype) throw new Error(`${op}: input must be ${dtype} like the parameters, got ${data.dtype}`);
    const batch = batchSizes[0] ?? 0;

    let state: Tensor[];
    if (hx === undefined) {
      state = spec.map((s) => zeros([layersDirs, batch, s.size], { dtype }));
    } else {
      state = hx.map((h, i) => {
        const s = spec[i]!;
        if (!(h instanceof Tensor)) throw new Error(`${op}: ${s.name} must be a Tensor, got ${h === null ? "null" : typeof h}`);
        if (h.dtype !== dtype) throw new Error(`${op}: ${s.name} must be ${dtype} like the input, got ${h.dtype}`);
        const want = unbatched ? 2 : 3;
        if (h.ndim !== want) {
          const kind = unbatched ? "unbatched 2-D" : "batched 3-D";
          throw new Error(`${op}: for ${kind} input, ${s.name} should also be ${want}-D, got shape ${fmt(h.shape)}`);
        }
        const hb = unbatched ? h.unsqueeze(1) : h;
        const expected = [layersDirs, batch, s.size];
        if (hb.shape.some((d, k) => d !== expected[k])) {
          const shown = unbatched ? [layersDirs, s.size] : expected;
          throw new Error(`${op}: expected ${s.name} of shape ${fmt(shown)}, got ${fmt(h.shape)}`);
        }
        return packed?.sortedIndices ? hb.indexSelect(1, packed.sortedIndices) : hb;
      });
    }

    // Ids with their embedding (the caller's choice): fused layer 0 projects the table instead of
    // every row, unless the table has more than half as many rows as there are ids.
    let lookup: TableLookup | null = null;
    if (embedded && RNNBase.fused && embedded.weight.shape[0]! * 2 <= data.shape[0]!) {
      const ids = Int32Array.from(embedded.ids.value.flat());
      lookup = { weight: embedded.weight, index: this.batchFirst && !unbatched ? swapLeadingDims(ids, batch, steps) : ids };
    }
    const { output, finals } = this.runLayers(data, batchSizes, state, lookup);

    let hn = finals;
    if (packed?.unsortedIndices) {
      const unsorted = packed.unsortedIndices;
      hn = hn.map((h) => h.indexSelect(1, unsorted));
    }
    if (packed) {
      return { output: new PackedSequence(output, packed.batchSizes, packed.sortedIndices, packed.unsortedIndices), state: hn };
    }
    let out = output.reshape([steps, batch, output.shape[1]!]);
    if (unbatched) {
      out = out.squeeze(1);
      hn = hn.map((h) => h.squeeze(1));
    } else if (this.batchFirst) {
      out = out.transpose(0, 1);
    }
    return { output: out, state: hn };
  }

  /**
   * The layer × direction loop over packed rows `data` `(N, in)` with `batchSizes` per step,
   * from `state` (each `(L·D, B, ·)`). Returns the top layer's rows `(N, D·R)` and each final
   * state `(L·D, B, ·)`.
   */
  private runLayers(
    data: Tensor, batchSizes: readonly number[], state: readonly Tensor[], lookup: TableLookup | null,
  ): { output: Tensor; finals: Tensor[] } {
    const dirs = this.numDirections;
    const step = CELL_STEP[this.mode];
    const initial = state.map((s) => splitAlong(s, 0, new Array<number>(s.shape[0]!).fill(1)).map((t) => t.squeeze(0)));
    const finals: Tensor[][] = state.map(() => []);
    let layerInput = data;
    for (let layer = 0; layer < this.numLayers; layer++) {
      const outs: Tensor[] = [];
      for (let dir = 0; dir < dirs; dir++) {
        const idx = layer * dirs + dir;
        const w = this.cellWeights(layer, dir);
        const h0 = initial.map((s) => s[idx]!);
        const res = RNNBase.fused
          ? runSequence(this.mode, layerInput, batchSizes, h0, w, dir === 1, layer === 0 ? lookup : null)
          : dir === 0
            ? runForward(step, inputGates(layerInput, w), batchSizes, h0, w)
            : runReverse(step, inputGates(layerInput, w), batchSizes, h0, w);
        outs.push(res.output);
        res.final.forEach((f, i) => finals[i]!.push(f));
      }
      const layerOutput = outs.length === 1 ? outs[0]! : cat(outs, 1);
      layerInput = this.dropout > 0 && this.training && layer < this.numLayers - 1 ? dropoutRows(layerOutput, this.dropout) : layerOutput;
    }
    return { output: layerInput, finals: finals.map((f) => stack(f, 0)) };
  }
}
