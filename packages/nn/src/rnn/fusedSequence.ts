import { needsGrad, record, Tensor } from "@rnnkit/autograd";
import { allocArray, backend, NDArray, type DType } from "@rnnkit/tensor";
import type { CellWeights } from "./cells.js";
import type { RNNMode } from "./rnnBase.js";

type Floats = Float32Array | Float64Array;

/** One layer and direction of a recurrent network over packed rows, as `runSequence` returns it. */
export interface SequenceResult {
  /** h at every step, rows in packed order: `(N, R)`. */
  output: Tensor;
  /** Final state per sequence `[h (B, R)]`, or `[h, c (B, H)]` for LSTM. */
  final: Tensor[];
}

const sigmoid = (x: number): number => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));

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
  const order = Array.from({ length: T }, (_, k) => (reverse ? T - 1 - k : k));

  const giv = floats(gi)!;
  const whh = floats(w.weightHh)!;
  const bhh = floats(w.biasHh);
  const whr = floats(w.weightHr);
  const gemm = backend().gemm;

  // State buffers, one row per sequence; rows past a step's batch size keep their state.
  const h = allocArray(dtype, B * R) as Floats;
  h.set(h0[0]!.value.flat());
  const c = isLstm ? (allocArray(dtype, B * H) as Floats) : null;
  if (c) c.set(h0[1]!.value.flat());

  // Saved for backward (all rows in packed order).
  const out = allocArray(dtype, N * R) as Floats;
  const hPrev = allocArray(dtype, N * R) as Floats;
  const acts = allocArray(dtype, N * GH) as Floats; // gate activations (RNN: h itself)
  const cPrev = isLstm ? (allocArray(dtype, N * H) as Floats) : null;
  const tanhC = isLstm ? (allocArray(dtype, N * H) as Floats) : null;
  const hRaw = proj ? (allocArray(dtype, N * H) as Floats) : null; // LSTM h before projection
  const ghN = mode === "GRU" ? (allocArray(dtype, N * H) as Floats) : null; // W_hn h + b_hn
  const gh = allocArray(dtype, B * GH) as Floats;
  const raw = proj ? (allocArray(dtype, B * H) as Floats) : null;

  for (const t of order) {
    const bs = batchSizes[t]!;
    const row0 = offsets[t]!;
    hPrev.set(h.subarray(0, bs * R), row0 * R);
    // gh = h · W_hhᵀ (+ b_hh)
    gemm(false, true, bs, GH, R, 1, h, 0, R, whh, 0, R, 0, gh, 0, GH);
    if (bhh) for (let b = 0; b < bs; b++) for (let j = 0; j < GH; j++) gh[b * GH + j]! += bhh[j]!;
    for (let b = 0; b < bs; b++) {
      const gRow = (row0 + b) * GH;
      const hRow = b * GH;
      if (mode === "RNN_TANH" || mode === "RNN_RELU") {
        for (let j = 0; j < H; j++) {
          const a = giv[gRow + j]! + gh[hRow + j]!;
          const v = mode === "RNN_TANH" ? Math.tanh(a) : a > 0 ? a : 0;
          acts[gRow + j] = v;
          h[b * R + j] = v;
        }
      } else if (isLstm) {
        const cRow = (row0 + b) * H;
        for (let j = 0; j < H; j++) {
          const i = sigmoid(giv[gRow + j]! + gh[hRow + j]!);
          const f = sigmoid(giv[gRow + H + j]! + gh[hRow + H + j]!);
          const g = Math.tanh(giv[gRow + 2 * H + j]! + gh[hRow + 2 * H + j]!);
          const o = sigmoid(giv[gRow + 3 * H + j]! + gh[hRow + 3 * H + j]!);
          acts[gRow + j] = i;
          acts[gRow + H + j] = f;
          acts[gRow + 2 * H + j] = g;
          acts[gRow + 3 * H + j] = o;
          const cp = c![b * H + j]!;
          cPrev![cRow + j] = cp;
          // tanh of c as stored, as the per-op path computes it.
          c![b * H + j] = f * cp + i * g;
          const tc = Math.tanh(c![b * H + j]!);
          tanhC![cRow + j] = tc;
          if (proj) raw![b * H + j] = o * tc;
          else h[b * R + j] = o * tc;
        }
      } else {
        const nRow = (row0 + b) * H;
        for (let j = 0; j < H; j++) {
          const r = sigmoid(giv[gRow + j]! + gh[hRow + j]!);
          const z = sigmoid(giv[gRow + H + j]! + gh[hRow + H + j]!);
          const hn = gh[hRow + 2 * H + j]!;
          const n = Math.tanh(giv[gRow + 2 * H + j]! + r * hn);
          acts[gRow + j] = r;
          acts[gRow + H + j] = z;
          acts[gRow + 2 * H + j] = n;
          ghN![nRow + j] = hn;
          const hp = h[b * R + j]!;
          h[b * R + j] = n + z * (hp - n);
        }
      }
    }
    if (proj) {
      hRaw!.set(raw!.subarray(0, bs * H), row0 * H);
      // h = raw · W_hrᵀ
      gemm(false, true, bs, R, H, 1, raw!, 0, H, whr!, 0, H, 0, h, 0, R);
    }
    out.set(h.subarray(0, bs * R), row0 * R);
  }

  const output = new Tensor(new NDArray(out, [N, R]));
  const final = [new Tensor(new NDArray(h, [B, R]))];
  if (c) final.push(new Tensor(new NDArray(c, [B, H])));

  const inputs = [gi, w.weightHh, ...(w.biasHh ? [w.biasHh] : []), ...(w.weightHr ? [w.weightHr] : []), ...h0];
  if (!needsGrad(inputs)) return { output, final };

  record(`${mode}Sequence`, inputs, [output, ...final], (grads) => {
    const dOut = grads[0] ? (grads[0].value.flat() as Floats) : null;
    const dh = allocArray(dtype, B * R) as Floats;
    if (grads[1]) dh.set(grads[1].value.flat());
    const dc = isLstm ? (allocArray(dtype, B * H) as Floats) : null;
    if (dc && grads[2]) dc.set(grads[2].value.flat());
    const dGi = allocArray(dtype, N * GH) as Floats;
    const dGh = allocArray(dtype, N * GH) as Floats; // gradient of gh rows, for dW_hh
    const dRaw = proj ? (allocArray(dtype, B * H) as Floats) : null;
    const dHAll = proj ? (allocArray(dtype, N * R) as Floats) : null; // dh per step, for dW_hr
    const dhPrev = allocArray(dtype, B * R) as Floats;

    for (let k = T - 1; k >= 0; k--) {
      const t = order[k]!;
      const bs = batchSizes[t]!;
      const row0 = offsets[t]!;
      if (dOut) for (let q = 0; q < bs * R; q++) dh[q]! += dOut[row0 * R + q]!;
      let dhr: Floats = dh; // gradient w.r.t. the pre-projection h
      if (proj) {
        dHAll!.set(dh.subarray(0, bs * R), row0 * R);
        // d raw = dh · W_hr
        gemm(false, false, bs, H, R, 1, dh, 0, R, whr!, 0, H, 0, dRaw!, 0, H);
        dhr = dRaw!;
      }
      const ldh = proj ? H : R;
      for (let b = 0; b < bs; b++) {
        const gRow = (row0 + b) * GH;
        if (mode === "RNN_TANH" || mode === "RNN_RELU") {
          for (let j = 0; j < H; j++) {
            const v = acts[gRow + j]!;
            const d = dhr[b * ldh + j]! * (mode === "RNN_TANH" ? 1 - v * v : v > 0 ? 1 : 0);
            dGi[gRow + j] = d;
            dGh[gRow + j] = d;
          }
        } else if (isLstm) {
          const cRow = (row0 + b) * H;
          for (let j = 0; j < H; j++) {
            const i = acts[gRow + j]!;
            const f = acts[gRow + H + j]!;
            const g = acts[gRow + 2 * H + j]!;
            const o = acts[gRow + 3 * H + j]!;
            const tc = tanhC![cRow + j]!;
            const dhv = dhr[b * ldh + j]!;
            const dct = dc![b * H + j]! + dhv * o * (1 - tc * tc);
            const dai = dct * g * i * (1 - i);
            const daf = dct * cPrev![cRow + j]! * f * (1 - f);
            const dag = dct * i * (1 - g * g);
            const dao = dhv * tc * o * (1 - o);
            dc![b * H + j] = dct * f;
            dGi[gRow + j] = dai;
            dGi[gRow + H + j] = daf;
            dGi[gRow + 2 * H + j] = dag;
            dGi[gRow + 3 * H + j] = dao;
          }
          dGh.set(dGi.subarray(gRow, gRow + GH), gRow);
        } else {
          const nRow = (row0 + b) * H;
          for (let j = 0; j < H; j++) {
            const r = acts[gRow + j]!;
            const z = acts[gRow + H + j]!;
            const n = acts[gRow + 2 * H + j]!;
            const hp = hPrev[(row0 + b) * R + j]!;
            const dhv = dh[b * R + j]!;
            const dan = dhv * (1 - z) * (1 - n * n);
            const daz = dhv * (hp - n) * z * (1 - z);
            const dar = dan * ghN![nRow + j]! * r * (1 - r);
            dGi[gRow + j] = dar;
            dGi[gRow + H + j] = daz;
            dGi[gRow + 2 * H + j] = dan;
            dGh[gRow + j] = dar;
            dGh[gRow + H + j] = daz;
            dGh[gRow + 2 * H + j] = dan * r;
            // The direct path h' = … + z·h.
            dh[b * R + j] = dhv * z;
          }
        }
      }
      // dh_prev = dGh · W_hh (+ GRU's direct path, already in dh)
      gemm(false, false, bs, R, GH, 1, dGh, row0 * GH, GH, whh, 0, R, 0, dhPrev, 0, R);
      if (mode === "GRU") for (let q = 0; q < bs * R; q++) dh[q]! += dhPrev[q]!;
      else dh.set(dhPrev.subarray(0, bs * R));
    }

    // Weight gradients as large GEMMs over all steps.
    const dWhh = allocArray(dtype, GH * R) as Floats;
    gemm(true, false, GH, R, N, 1, dGh, 0, GH, hPrev, 0, R, 0, dWhh, 0, R);
    const result: (Tensor | null)[] = [new Tensor(new NDArray(dGi, [N, GH])), new Tensor(new NDArray(dWhh, [GH, R]))];
    if (w.biasHh) {
      const db = allocArray(dtype, GH) as Floats;
      for (let q = 0; q < N; q++) for (let j = 0; j < GH; j++) db[j]! += dGh[q * GH + j]!;
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
