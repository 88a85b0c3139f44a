import type { Backend, GatedSequence } from "../backend.js";

/** The kernels a step of a gated sequence is made of. */
export type SequenceKernels = Pick<Backend, "prepareGemmB" | "lstmCell" | "gruCell">;

/** Gates per cell type. */
export function gateCount(cell: GatedSequence["cell"]): number {
  return cell === "lstm" ? 4 : 3;
}

/**
 * `gatedSequence` as a loop over a backend's own kernels: `W_hh` is prepared once (`prepareGemmB`),
 * then every step is one product and one fused cell call, on buffers allocated once per call.
 * @example runGatedSequence(jsBackend, { cell: "gru", H, steps, gi, whh, bhh, h, c: null, out, acts, saved, tanhC: null, hPrev: null })
 */
export function runGatedSequence(be: SequenceKernels, s: GatedSequence): void {
  const { H, steps, gi, bhh, h, c, out, acts, saved, tanhC, hPrev } = s;
  const GH = gateCount(s.cell) * H;
  const B = h.length / H;
  const product = be.prepareGemmB(true, GH, H, s.whh, 0, H);
  const gh = h instanceof Float64Array ? new Float64Array(B * GH) : new Float32Array(B * GH);
  for (let k = 0; k < steps.length; k += 3) {
    const bs = steps[k]!;
    const row0 = steps[k + 1]!;
    const sRow0 = steps[k + 2]!;
    const n = bs * H;
    if (hPrev) hPrev.set(h.subarray(0, n), row0 * H);
    product.gemm(bs, h, 0, H, gh, 0, GH);
    if (c) {
      saved.set(c.subarray(0, n), sRow0 * H);
      be.lstmCell(bs, H, gi, row0 * GH, gh, bhh, c, acts, sRow0 * GH, tanhC!, sRow0 * H, h);
    } else {
      be.gruCell(bs, H, gi, row0 * GH, gh, bhh, h, acts, sRow0 * GH, saved, sRow0 * H);
    }
    out.set(h.subarray(0, n), row0 * H);
  }
}
