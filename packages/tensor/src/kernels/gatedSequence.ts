import type { Backend, GatedSequence } from "../backend.js";

/** The kernels a gated sequence is made of. */
export type SequenceKernels = Pick<Backend, "gemm" | "prepareGemmB" | "lstmCell" | "gruCell">;

/** Rows a walk reaches: packed rows N (one past the last), saved rows S, and the batch B (most rows in a step). */
export function walkExtents(steps: Int32Array): { N: number; S: number; B: number } {
  let N = 0;
  let S = 0;
  let B = 0;
  for (let k = 0; k < steps.length; k += 3) {
    const bs = steps[k]!;
    N = Math.max(N, steps[k + 1]! + bs);
    S = Math.max(S, steps[k + 2]! + bs);
    B = Math.max(B, bs);
  }
  return { N, S, B };
}

/**
 * The input half of the gates, `gi`, formed from `s.input` when given (`x · W_ihᵀ` as one GEMM,
 * plus the bias per row) into `s.gi` or a new buffer; else `s.gi` itself.
 */
export function inputGates(be: SequenceKernels, s: GatedSequence, N: number, GH: number): Float32Array | Float64Array {
  const inp = s.input;
  if (!inp) {
    if (!s.gi) throw new Error("gatedSequence: gi is null and no input is given");
    return s.gi;
  }
  const gi = s.gi ?? (inp.x instanceof Float64Array ? new Float64Array(N * GH) : new Float32Array(N * GH));
  const I = inp.size;
  be.gemm(false, true, N, GH, I, 1, inp.x, 0, I, inp.weight, 0, I, 0, gi, 0, GH);
  const b = inp.bias;
  if (b) for (let r = 0; r < N * GH; r += GH) for (let j = 0; j < GH; j++) gi[r + j]! += b[j]!;
  return gi;
}

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
  const { H, steps, bhh, h, c, out, acts, saved, tanhC, hPrev } = s;
  const GH = gateCount(s.cell) * H;
  const { N, B } = walkExtents(steps);
  const gi = inputGates(be, s, N, GH);
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
