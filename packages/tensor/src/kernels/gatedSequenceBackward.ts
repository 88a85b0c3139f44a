import type { Backend, GatedSequenceBackward } from "../backend.js";
import { gateCount, walkExtents } from "./gatedSequence.js";

/** The kernels the backward of a gated sequence is made of. */
export type BackwardKernels = Pick<Backend, "prepareGemmB" | "lstmCellBackward" | "gruCellBackward">;

/**
 * `gatedSequenceBackward` as a loop over a backend's own kernels: `W_hh` is prepared once, then
 * every step is one fused cell backward and one product `dG · W_hh`, on buffers allocated once.
 * @example runGatedSequenceBackward(jsBackend, { cell: "gru", H, steps, whh, acts, saved, tanhC: null, hPrev, dOut, dh, dc: null, dGi, dGh })
 */
export function runGatedSequenceBackward(be: BackwardKernels, s: GatedSequenceBackward): void {
  const { H, steps, acts, saved, tanhC, hPrev, dOut, dh, dc, dGi, dGh } = s;
  const GH = gateCount(s.cell) * H;
  const { B } = walkExtents(steps);
  const product = be.prepareGemmB(false, H, GH, s.whh, 0, H);
  const dhPrev = dGh ? (dh instanceof Float64Array ? new Float64Array(B * H) : new Float32Array(B * H)) : null;
  for (let q = steps.length - 3; q >= 0; q -= 3) {
    const bs = steps[q]!;
    const row0 = steps[q + 1]!;
    const n = bs * H;
    if (dOut) for (let i = 0, o = row0 * H; i < n; i++) dh[i]! += dOut[o + i]!;
    if (dc) {
      be.lstmCellBackward(bs, H, acts, row0 * GH, saved, tanhC!, row0 * H, dh, H, dc, dGi);
      product.gemm(bs, dGi, row0 * GH, GH, dh, 0, H);
    } else {
      be.gruCellBackward(bs, H, acts, row0 * GH, saved, hPrev!, row0 * H, dh, dGi, dGh!);
      product.gemm(bs, dGh!, row0 * GH, GH, dhPrev!, 0, H);
      for (let i = 0; i < n; i++) dh[i]! += dhPrev![i]!;
    }
  }
}
