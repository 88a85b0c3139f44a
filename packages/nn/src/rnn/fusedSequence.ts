import { freshGrad, needsGrad, record, Tensor } from "@rnnkit/autograd";
import { allocArray, backend, columnSums, GATE_COUNTS, NDArray, type Floats, type RecurrentCell, type WeightStamp } from "@rnnkit/tensor";
import type { CellWeights } from "./cells.js";
import type { RNNMode } from "./rnnBase.js";
import { inputBias, projectTableRows, stepBias, tableRowSums } from "./inputProjection.js";
import { releaseWorkspace, takeWorkspace } from "./workspacePool.js";

/** The Backend's name for each mode's recurrence. */
const SEQUENCE_CELL: Readonly<Record<RNNMode, RecurrentCell>> = { RNN_TANH: "rnnTanh", RNN_RELU: "rnnRelu", LSTM: "lstm", GRU: "gru" };

/** Rows of x given as rows of an embedding table: row r of x is row `index[r]` of `weight` `(V, in)`. */
export interface TableLookup {
  /** The table `(V, in)`. */
  weight: Tensor;
  /** Table row of each packed row of x. */
  index: Int32Array;
}

/** One layer and direction of a recurrent network over packed rows, as `runSequence` returns it. */
export interface SequenceResult {
  /** h at every step, rows in packed order: `(N, R)`. */
  output: Tensor;
  /** Final state per sequence `[h (B, R)]`, or `[h, c (B, H)]` for LSTM. */
  final: Tensor[];
}

/** The walk order of a packed sequence for `recurrentSequence`: per step its rows, first packed row, first saved row. */
function walkSteps(batchSizes: readonly number[], offsets: readonly number[], reverse: boolean, keep: boolean): Int32Array {
  const T = batchSizes.length;
  const steps = new Int32Array(3 * T);
  for (let k = 0; k < T; k++) {
    const t = reverse ? T - 1 - k : k;
    steps[3 * k] = batchSizes[t]!;
    steps[3 * k + 1] = offsets[t]!;
    steps[3 * k + 2] = keep ? offsets[t]! : 0;
  }
  return steps;
}

function floats(t: Tensor | null): Floats | null {
  return t ? (t.value.flat() as Floats) : null;
}

/**
 * What identifies a weight's values across calls, so the backend may keep it packed: its storage
 * (replaced by an optimizer that assigns `value`) and its version (every in-place write). Only
 * leaves: a weight computed afresh each call would never be met again.
 */
function stampOf(t: Tensor | null): WeightStamp | null {
  return t && t.isLeaf ? { key: t.value, version: t.version } : null;
}

/**
 * A whole layer × direction of an RNN, LSTM or GRU as ONE autograd node (what cuDNN does):
 * the input half of the gates for all steps, `x · W_ihᵀ`, is one GEMM up front; the forward then
 * walks time with one `h · W_hhᵀ` GEMM and one fused pass over the gates per step, saving the
 * gate activations; the backward walks time in reverse for the gate gradients and then forms
 * `dW_hh`, `dW_ih`, `dX` (and LSTM's `dW_hr`) as large GEMMs over all steps. Rows are packed:
 * step t holds `batchSizes[t]` rows of `x` `(N, in)`, sequences sorted longest first;
 * `reverse` walks time from the end. Computes the same values as the per-op cell steps in
 * `cells.ts` (checked in tests). Both walks belong to the backend (`recurrentSequence`,
 * `recurrentSequenceBackward`: on the wasm backend GRU and unprojected LSTM layers stay in its
 * memory and split each step over the worker threads); this function only prepares the buffers,
 * records the node and forms the weight gradients. With `lookup` (the caller passed an
 * `EmbeddedSequence`), the embedding table is projected instead of every row and gets its
 * gradient directly; the node is then named `…EmbeddedSequence`. Private workspaces (input gates, saved activations,
 * gate gradients) come from and go back to a pool, so a training loop reuses them step after step.
 */
export function runSequence(
  mode: RNNMode,
  x: Tensor,
  batchSizes: readonly number[],
  h0: readonly Tensor[],
  w: CellWeights,
  reverse: boolean,
  lookup: TableLookup | null = null,
): SequenceResult {
  const dtype = x.dtype === "float64" ? "float64" : "float32";
  const cell = SEQUENCE_CELL[mode];
  const G = GATE_COUNTS[cell];
  const GH = w.weightIh.shape[0]!;
  const H = GH / G;
  const R = w.weightHh.shape[1]!;
  const B = batchSizes[0] ?? 0;
  const T = batchSizes.length;
  const N = x.shape[0]!;
  const I = x.shape[1]!;
  const isLstm = mode === "LSTM";
  const proj = w.weightHr !== null;
  // Row offset of each step in the packed layout.
  const offsets = new Array<number>(T);
  for (let t = 0, o = 0; t < T; t++) {
    offsets[t] = o;
    o += batchSizes[t]!;
  }

  // With `lookup`, x's rows are rows of an embedding table: x itself is never read.
  const xv = lookup ? null : floats(x)!;
  const wih = floats(w.weightIh)!;
  const whh = floats(w.weightHh)!;
  const whr = floats(w.weightHr);
  // The table is copied (V·in floats): dW_ih = Sᵀ · E must read the rows the layer was fed even if
  // the table changes in place before the backward, as the saved X would in the row path.
  const table = lookup ? { weight: floats(lookup.weight)!.slice(), index: lookup.index } : null;
  const bhh = stepBias(mode, dtype, GH, floats(w.biasIh), floats(w.biasHh));
  const gemm = backend().gemm;

  // State buffers, one row per sequence; rows past a step's batch size keep their state.
  const h = allocArray(dtype, B * R) as Floats;
  h.set(h0[0]!.value.flat());
  const c = isLstm ? (allocArray(dtype, B * H) as Floats) : null;
  if (c) c.set(h0[1]!.value.flat());

  // With a table, the node reads the embedding table instead of its rows (and sends it its gradient).
  const inputs = [
    lookup ? lookup.weight : x, w.weightIh, ...(w.biasIh ? [w.biasIh] : []), w.weightHh, ...(w.biasHh ? [w.biasHh] : []),
    ...(w.weightHr ? [w.weightHr] : []), ...h0,
  ];
  // Without a gradient to compute (inference), the per-step values are kept for one step only.
  const keep = needsGrad(inputs);
  const S = keep ? N : B;
  const steps = walkSteps(batchSizes, offsets, reverse, keep);
  // The backend projects plain input rows itself; `giv` then only serves the backward, as the
  // gate-gradient buffer. Rows of a table are projected here (the table once, then its rows copied).
  const giv = table ? projectTableRows(mode, dtype, N, I, wih, GH, floats(w.biasIh), table) : keep ? takeWorkspace(dtype, N * GH) : null;

  // Saved for backward (all rows in packed order).
  const out = allocArray(dtype, N * R) as Floats;
  const hPrev = keep ? takeWorkspace(dtype, N * R) : null;
  // Gate activations; an Elman layer's activation is h itself, already saved in `out`.
  const acts = G === 1 ? null : takeWorkspace(dtype, S * GH);
  const cPrev = isLstm ? takeWorkspace(dtype, S * H) : null;
  const tanhC = isLstm ? takeWorkspace(dtype, S * H) : null;
  const hRaw = proj && keep ? takeWorkspace(dtype, N * H) : null; // LSTM h before projection
  const ghN = mode === "GRU" ? takeWorkspace(dtype, S * H) : null; // W_hn h + b_hn

  backend().recurrentSequence({
    cell, H, steps, gi: giv, whh, whhStamp: stampOf(w.weightHh), bhh, h, c, out, acts, saved: cPrev ?? ghN, tanhC, hPrev,
    input: table ? null : { x: xv!, weight: wih, weightStamp: stampOf(w.weightIh), size: I, bias: inputBias(mode, dtype, GH, floats(w.biasIh)) },
    projection: whr ? { weight: whr, weightStamp: stampOf(w.weightHr), size: R, raw: hRaw } : null,
  });

  const output = new Tensor(new NDArray(out, [N, R]));
  const final = [new Tensor(new NDArray(h, [B, R]))];
  if (c) final.push(new Tensor(new NDArray(c, [B, H])));

  if (!keep) {
    releaseWorkspace(giv, acts, cPrev, tanhC, ghN);
    return { output, final };
  }
  const hPrevAll = hPrev!;
  const gateActs = acts ?? out;

  // What the backward reads, as torch's per-step ops save it: x (the table is copied above), the
  // weight matrices and the initial state; biases are not read.
  const saved = [...(lookup ? [] : [x]), w.weightIh, w.weightHh, ...(w.weightHr ? [w.weightHr] : []), ...h0];
  record(lookup ? `${mode}EmbeddedSequence` : `${mode}Sequence`, inputs, [output, ...final], (grads, lastUse) => {
    const dOut = grads[0] ? (grads[0].value.flat() as Floats) : null;
    const dh = allocArray(dtype, B * R) as Floats;
    if (grads[1]) dh.set(grads[1].value.flat());
    const dc = isLstm ? (allocArray(dtype, B * H) as Floats) : null;
    if (dc && grads[2]) dc.set(grads[2].value.flat());
    // The input gates are dead after the forward (or were formed in the backend): the buffer takes the gate gradients.
    const dGi = giv!; // a buffer whenever anything is kept
    // The hidden half of the gate gradients equals the input half except for GRU's n gate.
    const dGh = mode === "GRU" ? takeWorkspace(dtype, N * GH) : dGi;
    const dHAll = proj ? takeWorkspace(dtype, N * R) : null; // dh per step, for dW_hr
    backend().recurrentSequenceBackward({
      cell, H, steps, whh, acts: gateActs, saved: cPrev ?? ghN, tanhC, hPrev: mode === "GRU" ? hPrevAll : null,
      dOut, dh, dc, dGi, dGh: dGh === dGi ? null : dGh, projection: whr ? { weight: whr, size: R, dhSteps: dHAll! } : null,
    });

    // Everything else as large GEMMs (and column sums) over all steps, in the inputs' order:
    // x, W_ih, b_ih, W_hh, b_hh, W_hr, h0, c0.
    const wants = (t: Tensor | null): boolean => t !== null && t.requiresGrad;
    const product = (transA: boolean, m: number, n: number, kk: number, a: Floats, b: Floats, shape: number[]): Tensor => {
      const c = allocArray(dtype, m * n) as Floats;
      gemm(transA, false, m, n, kk, 1, a, 0, transA ? m : kk, b, 0, n, 0, c, 0, n);
      return freshGrad(new Tensor(new NDArray(c, shape)));
    };
    // With a table: S = onehotᵀ · dGi (V, G·H), the gate gradients summed per token; its column
    // totals (float64) are dGi's column sums, the bias gradient.
    const perToken = table ? tableRowSums(dGi, table.index, GH, table.weight.length / I, dtype) : null;
    const sums = (d: Floats): Floats => {
      const db = allocArray(dtype, GH) as Floats;
      if (perToken && d === dGi) db.set(perToken.totals);
      else columnSums(d, N, GH, db);
      return db;
    };
    const dbIh = w.biasIh && wants(w.biasIh) ? sums(dGi) : null;
    // LSTM's and Elman's b_hh get the same gradient as b_ih: add it up once.
    const dbHh = w.biasHh && wants(w.biasHh) ? (dbIh && dGh === dGi ? (dbIh.slice() as Floats) : sums(dGh)) : null;
    const result: (Tensor | null)[] = [];
    if (table && perToken) {
      // X = onehot · E: dE = S · W_ih and dW_ih = Sᵀ · E.
      const V = table.weight.length / I;
      result.push(wants(lookup!.weight) ? product(false, V, I, GH, perToken.sums, wih, [V, I]) : null);
      result.push(wants(w.weightIh) ? product(true, GH, I, V, perToken.sums, table.weight, [GH, I]) : null);
    } else {
      result.push(wants(x) ? product(false, N, I, GH, dGi, wih, [N, I]) : null); // dX = dGi · W_ih
      result.push(wants(w.weightIh) ? product(true, GH, I, N, dGi, xv!, [GH, I]) : null); // dW_ih = dGiᵀ · X
    }
    if (w.biasIh) result.push(dbIh ? freshGrad(new Tensor(new NDArray(dbIh, [GH]))) : null);
    result.push(wants(w.weightHh) ? product(true, GH, R, N, dGh, hPrevAll, [GH, R]) : null); // dW_hh = dGhᵀ · h_prev
    if (w.biasHh) result.push(dbHh ? freshGrad(new Tensor(new NDArray(dbHh, [GH]))) : null);
    if (w.weightHr) result.push(wants(w.weightHr) ? product(true, R, H, N, dHAll!, hRaw!, [R, H]) : null); // dW_hr
    result.push(freshGrad(new Tensor(new NDArray(dh, [B, R]))));
    if (dc) result.push(freshGrad(new Tensor(new NDArray(dc, [B, H]))));
    if (lastUse) releaseWorkspace(giv, dGh === dGi ? null : dGh, acts, cPrev, tanhC, hPrev, hRaw, ghN, dHAll);
    return result;
  }, saved);
  return { output, final };
}
