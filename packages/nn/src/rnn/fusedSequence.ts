import { needsGrad, record, Tensor } from "@rnnkit/autograd";
import { allocArray, backend, NDArray, type DType } from "@rnnkit/tensor";
import type { CellWeights } from "./cells.js";
import type { RNNMode } from "./rnnBase.js";
import {
  addInto, columnSums, gruBackwardRows, stepProduct, gruForwardRows, lstmBackwardRows, lstmForwardRows, rnnBackwardRows, rnnForwardRows,
  type Floats,
} from "./gateKernels.js";


/** One layer and direction of a recurrent network over packed rows, as `runSequence` returns it. */
export interface SequenceResult {
  /** h at every step, rows in packed order: `(N, R)`. */
  output: Tensor;
  /** Final state per sequence `[h (B, R)]`, or `[h, c (B, H)]` for LSTM. */
  final: Tensor[];
}

function floats(t: Tensor | null): Floats | null {
  return t ? (t.value.flat() as Floats) : null;
}

/**
 * A whole layer × direction of an RNN, LSTM or GRU as ONE autograd node (what cuDNN does):
 * the forward walks time with one `h · W_hhᵀ` GEMM and one fused pass over the gates per step,
 * saving the gate activations; the backward walks time in reverse for the gate gradients and
 * then forms `dW_hh` (and LSTM's `dW_hr`) as one large GEMM over all steps. The input half of
 * the gates, `gi = X · W_ihᵀ + b_ih` `(N, G·H)`, comes in precomputed (one GEMM for all steps),
 * so `dW_ih` and `dX` are large GEMMs too. Rows are packed: step t holds `batchSizes[t]` rows,
 * sequences sorted longest first; `reverse` walks time from the end. Computes the same values
 * as the per-op cell steps in `cells.ts` (checked in tests).
 */
export function runSequence(
  mode: RNNMode,
  gi: Tensor,
  batchSizes: readonly number[],
  h0: readonly Tensor[],
  w: CellWeights,
  reverse: boolean,
): SequenceResult {
  const dtype: DType = gi.dtype;
  const G = mode === "LSTM" ? 4 : mode === "GRU" ? 3 : 1;
  const GH = gi.shape[1]!;
  const H = GH / G;
  const R = w.weightHh.shape[1]!;
  const B = batchSizes[0] ?? 0;
  const T = batchSizes.length;
  const N = gi.shape[0]!;
  const isLstm = mode === "LSTM";
  const proj = w.weightHr !== null;
  // Row offset of each step in the packed layout.
  const offsets = new Array<number>(T);
  for (let t = 0, o = 0; t < T; t++) {
    offsets[t] = o;
    o += batchSizes[t]!;
  }

  const giv = floats(gi)!;
  const whh = floats(w.weightHh)!;
  const bhh = floats(w.biasHh) ?? (allocArray(dtype, GH) as Floats);
  const whr = floats(w.weightHr);
  const gemm = backend().gemm;

  // State buffers, one row per sequence; rows past a step's batch size keep their state.
  const h = allocArray(dtype, B * R) as Floats;
  h.set(h0[0]!.value.flat());
  const c = isLstm ? (allocArray(dtype, B * H) as Floats) : null;
  if (c) c.set(h0[1]!.value.flat());

  const inputs = [gi, w.weightHh, ...(w.biasHh ? [w.biasHh] : []), ...(w.weightHr ? [w.weightHr] : []), ...h0];
  // Without a gradient to compute (inference), the per-step values are kept for one step only.
  const keep = needsGrad(inputs);
  const S = keep ? N : B;

  // Saved for backward (all rows in packed order).
  const out = allocArray(dtype, N * R) as Floats;
  const hPrev = keep ? (allocArray(dtype, N * R) as Floats) : null;
  // Gate activations; an Elman layer's activation is h itself, already saved in `out`.
  const acts = G === 1 ? out : (allocArray(dtype, S * GH) as Floats);
  const cPrev = isLstm ? (allocArray(dtype, S * H) as Floats) : null;
  const tanhC = isLstm ? (allocArray(dtype, S * H) as Floats) : null;
  const hRaw = proj && keep ? (allocArray(dtype, N * H) as Floats) : null; // LSTM h before projection
  const ghN = mode === "GRU" ? (allocArray(dtype, S * H) as Floats) : null; // W_hn h + b_hn
  const gh = allocArray(dtype, B * GH) as Floats;
  const raw = proj ? (allocArray(dtype, B * H) as Floats) : null;

  const relu = mode === "RNN_RELU";
  // W_hh (and W_hr) copied and packed once for all steps.
  const hhForward = stepProduct(true, GH, R, whh, 0, R, B);
  const hrForward = proj ? stepProduct(true, R, H, whr!, 0, H, B) : null;
  for (let k = 0; k < T; k++) {
    const t = reverse ? T - 1 - k : k;
    const bs = batchSizes[t]!;
    const row0 = offsets[t]!;
    const sRow0 = keep ? row0 : 0;
    if (hPrev) hPrev.set(h.subarray(0, bs * R), row0 * R);
    // gh = h · W_hhᵀ (b_hh is added inside the gate loop)
    hhForward.run(bs, h, 0, R, gh, 0, GH);
    if (isLstm) {
      lstmForwardRows(bs, H, giv, row0, gh, bhh, acts, c!, cPrev!, tanhC!, proj ? raw! : h, sRow0);
    } else if (mode === "GRU") {
      gruForwardRows(bs, H, giv, row0, gh, bhh, acts, ghN!, h, sRow0);
    } else {
      rnnForwardRows(relu, bs, H, giv, row0, gh, bhh, acts, h);
    }
    if (proj) {
      if (hRaw) hRaw.set(raw!.subarray(0, bs * H), row0 * H);
      // h = raw · W_hrᵀ
      hrForward!.run(bs, raw!, 0, H, h, 0, R);
    }
    out.set(h.subarray(0, bs * R), row0 * R);
  }

  const output = new Tensor(new NDArray(out, [N, R]));
  const final = [new Tensor(new NDArray(h, [B, R]))];
  if (c) final.push(new Tensor(new NDArray(c, [B, H])));

  if (!keep) return { output, final };
  const hPrevAll = hPrev!;

  record(`${mode}Sequence`, inputs, [output, ...final], (grads) => {
    const dOut = grads[0] ? (grads[0].value.flat() as Floats) : null;
    const dh = allocArray(dtype, B * R) as Floats;
    if (grads[1]) dh.set(grads[1].value.flat());
    const dc = isLstm ? (allocArray(dtype, B * H) as Floats) : null;
    if (dc && grads[2]) dc.set(grads[2].value.flat());
    const dGi = allocArray(dtype, N * GH) as Floats;
    // The hidden half of the gate gradients equals the input half except for GRU's n gate.
    const dGh = mode === "GRU" ? (allocArray(dtype, N * GH) as Floats) : dGi;
    const dRaw = proj ? (allocArray(dtype, B * H) as Floats) : null;
    const dHAll = proj ? (allocArray(dtype, N * R) as Floats) : null; // dh per step, for dW_hr
    const dhPrev = mode === "GRU" ? (allocArray(dtype, B * R) as Floats) : null;
    const hhBackward = stepProduct(false, R, GH, whh, 0, R, B);
    const hrBackward = proj ? stepProduct(false, H, R, whr!, 0, H, B) : null;

    for (let k = T - 1; k >= 0; k--) {
      const t = reverse ? T - 1 - k : k;
      const bs = batchSizes[t]!;
      const row0 = offsets[t]!;
      if (dOut) addInto(dh, dOut, row0 * R, bs * R);
      let dhr: Floats = dh; // gradient w.r.t. the pre-projection h
      if (proj) {
        dHAll!.set(dh.subarray(0, bs * R), row0 * R);
        // d raw = dh · W_hr
        hrBackward!.run(bs, dh, 0, R, dRaw!, 0, H);
        dhr = dRaw!;
      }
      if (isLstm) lstmBackwardRows(bs, H, row0, acts, cPrev!, tanhC!, dhr, proj ? H : R, dc!, dGi);
      else if (mode === "GRU") gruBackwardRows(bs, H, row0, acts, ghN!, hPrevAll, dh, dGi, dGh);
      else rnnBackwardRows(relu, bs, H, row0, acts, dh, R, dGi);
      // dh_prev = dGh · W_hh (+ GRU's direct path, already in dh)
      if (mode === "GRU") {
        hhBackward.run(bs, dGh, row0 * GH, GH, dhPrev!, 0, R);
        addInto(dh, dhPrev!, 0, bs * R);
      } else {
        hhBackward.run(bs, dGh, row0 * GH, GH, dh, 0, R);
      }
    }

    // Weight gradients as large GEMMs over all steps.
    const dWhh = allocArray(dtype, GH * R) as Floats;
    gemm(true, false, GH, R, N, 1, dGh, 0, GH, hPrevAll, 0, R, 0, dWhh, 0, R);
    const result: (Tensor | null)[] = [new Tensor(new NDArray(dGi, [N, GH])), new Tensor(new NDArray(dWhh, [GH, R]))];
    if (w.biasHh) {
      const db = allocArray(dtype, GH) as Floats;
      columnSums(dGh, N, GH, db);
      result.push(new Tensor(new NDArray(db, [GH])));
    }
    if (w.weightHr) {
      const dWhr = allocArray(dtype, R * H) as Floats;
      gemm(true, false, R, H, N, 1, dHAll!, 0, R, hRaw!, 0, H, 0, dWhr, 0, H);
      result.push(new Tensor(new NDArray(dWhr, [R, H])));
    }
    result.push(new Tensor(new NDArray(dh, [B, R])));
    if (dc) result.push(new Tensor(new NDArray(dc, [B, H])));
    return result;
  });
  return { output, final };
}
