import { GATE_COUNTS, type Backend, type RecurrentSequenceBackward } from "../backend.js";
import { checkSequence, floatsLike, walkExtents } from "./recurrentSequence.js";

/** The kernels the backward of a recurrent sequence is made of. */
export type BackwardKernels = Pick<Backend, "prepareGemmB" | "rnnCellBackward" | "lstmCellBackward" | "gruCellBackward">;

/**
 * `recurrentSequenceBackward` as a loop over a backend's own kernels, every cell: `W_hh` (and
 * `W_hr`) are prepared once, then every step is one fused cell backward and one product
 * `dG · W_hh` (LSTM's projection adds `dRaw = dh · W_hr` before the cell), on buffers allocated
 * once. The reference walk, as `runRecurrentSequence` is for the forward.
 * @example runRecurrentSequenceBackward(jsBackend, { cell: "gru", H, steps, whh, acts, saved, tanhC: null, hPrev, dOut, dh, dc: null, dGi, dGh })
 */
export function runRecurrentSequenceBackward(be: BackwardKernels, s: RecurrentSequenceBackward): void {
  const { cell, H, steps, acts, saved, tanhC, hPrev, dOut, dh, dc, dGi, dGh } = s;
  const proj = s.projection ?? null;
  checkSequence(s, "recurrentSequenceBackward", cell === "gru" ? { hPrev, dGh } : cell === "lstm" ? { dc } : {});
  const GH = GATE_COUNTS[cell] * H;
  const R = proj ? proj.size : H;
  const { B } = walkExtents(steps);
  const product = be.prepareGemmB(false, R, GH, s.whh, 0, R);
  const unproject = proj ? be.prepareGemmB(false, H, R, proj.weight, 0, H) : null;
  const dRaw = proj ? floatsLike(dh, B * H) : dh;
  const dhPrev = cell === "gru" ? floatsLike(dh, B * H) : null;
  const relu = cell === "rnnRelu";
  for (let q = steps.length - 3; q >= 0; q -= 3) {
    const bs = steps[q]!;
    const row0 = steps[q + 1]!;
    const n = bs * R;
    if (dOut) for (let i = 0, o = row0 * R; i < n; i++) dh[i]! += dOut[o + i]!;
    if (cell === "lstm") {
      if (unproject) {
        proj!.dhSteps.set(dh.subarray(0, n), row0 * R);
        unproject.gemm(bs, dh, 0, R, dRaw, 0, H);
      }
      be.lstmCellBackward(bs, H, acts, row0 * GH, saved!, tanhC!, row0 * H, dRaw, H, dc!, dGi);
      product.gemm(bs, dGi, row0 * GH, GH, dh, 0, R);
    } else if (cell === "gru") {
      be.gruCellBackward(bs, H, acts, row0 * GH, saved!, hPrev!, row0 * H, dh, dGi, dGh!);
      product.gemm(bs, dGh!, row0 * GH, GH, dhPrev!, 0, H);
      for (let i = 0; i < n; i++) dh[i]! += dhPrev![i]!;
    } else {
      be.rnnCellBackward(relu, bs, H, acts, row0 * H, dh, dGi);
      product.gemm(bs, dGi, row0 * H, H, dh, 0, H);
    }
  }
}
