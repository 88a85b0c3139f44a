import { GATE_COUNTS, type Backend, type RecurrentSequence } from "../backend.js";
import type { Floats } from "../dtype.js";

/** The kernels a recurrent sequence is made of. */
export type SequenceKernels = Pick<Backend, "gemm" | "prepareGemmB" | "rnnCell" | "lstmCell" | "gruCell">;

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

/** A zero-filled buffer of `n` elements of `like`'s type. */
export function floatsLike(like: Floats, n: number): Floats {
  return like instanceof Float64Array ? new Float64Array(n) : new Float32Array(n);
}

/**
 * The input half of the gates for all rows, formed from `s.input` when given (`x · W_ihᵀ` as
 * one GEMM, plus the bias per row) into `s.gi` or a new buffer; else `s.gi` itself.
 */
export function projectInputRows(be: SequenceKernels, s: RecurrentSequence, N: number, GH: number): Floats {
  const inp = s.input;
  if (!inp) {
    if (!s.gi) throw new Error("recurrentSequence: gi is null and no input is given");
    return s.gi;
  }
  const gi = s.gi ?? floatsLike(inp.x, N * GH);
  const I = inp.size;
  be.gemm(false, true, N, GH, I, 1, inp.x, 0, I, inp.weight, 0, I, 0, gi, 0, GH);
  const b = inp.bias;
  if (b) for (let r = 0; r < N * GH; r += GH) for (let j = 0; j < GH; j++) gi[r + j]! += b[j]!;
  return gi;
}

/** Throws unless the buffers `s.cell` needs are there (a caller's mistake, named before any work). */
export function checkSequence(s: { cell: RecurrentSequence["cell"]; saved: Floats | null; tanhC: Floats | null; projection?: unknown }, op: string, more: Record<string, Floats | null>): void {
  const need: Record<string, Floats | null> = s.cell === "lstm" ? { saved: s.saved, tanhC: s.tanhC, ...more } : s.cell === "gru" ? { saved: s.saved, ...more } : {};
  for (const [name, v] of Object.entries(need)) if (!v) throw new Error(`${op}: a ${s.cell} sequence needs ${name}`);
  if (s.projection && s.cell !== "lstm") throw new Error(`${op}: only an lstm sequence takes a projection, got ${s.cell}`);
}

/**
 * `recurrentSequence` as a loop over a backend's own kernels, every cell: `W_hh` (and `W_hr`) are
 * prepared once (`prepareGemmB`), then every step is one product, one fused cell call (and LSTM's
 * projection), on buffers allocated once per call. The reference walk: the JS backend runs it,
 * and a faster backend runs it for the sequences it does not keep in its own memory.
 * @example runRecurrentSequence(jsBackend, { cell: "gru", H, steps, gi, whh, bhh, h, c: null, out, acts, saved, tanhC: null, hPrev: null })
 */
export function runRecurrentSequence(be: SequenceKernels, s: RecurrentSequence): void {
  const { cell, H, steps, bhh, h, c, out, acts, saved, tanhC, hPrev } = s;
  const proj = s.projection ?? null;
  checkSequence(s, "recurrentSequence", cell === "lstm" ? { acts, c } : { acts });
  const GH = GATE_COUNTS[cell] * H;
  const R = proj ? proj.size : H;
  const { N, B } = walkExtents(steps);
  const gi = projectInputRows(be, s, N, GH);
  const product = be.prepareGemmB(true, GH, R, s.whh, 0, R);
  const projectH = proj ? be.prepareGemmB(true, R, H, proj.weight, 0, H) : null;
  const gh = floatsLike(h, B * GH);
  // LSTM's h before the projection; without one the cell writes h itself.
  const raw = proj ? floatsLike(h, B * H) : h;
  const relu = cell === "rnnRelu";
  for (let k = 0; k < steps.length; k += 3) {
    const bs = steps[k]!;
    const row0 = steps[k + 1]!;
    const sRow0 = steps[k + 2]!;
    if (hPrev) hPrev.set(h.subarray(0, bs * R), row0 * R);
    product.gemm(bs, h, 0, R, gh, 0, GH);
    if (cell === "lstm") {
      saved!.set(c!.subarray(0, bs * H), sRow0 * H);
      be.lstmCell(bs, H, gi, row0 * GH, gh, bhh, c!, acts!, sRow0 * GH, tanhC!, sRow0 * H, raw);
      if (projectH) {
        if (proj!.raw) proj!.raw.set(raw.subarray(0, bs * H), sRow0 * H);
        projectH.gemm(bs, raw, 0, H, h, 0, R);
      }
    } else if (cell === "gru") {
      be.gruCell(bs, H, gi, row0 * GH, gh, bhh, h, acts!, sRow0 * GH, saved!, sRow0 * H);
    } else {
      be.rnnCell(relu, bs, H, gi, row0 * GH, gh, bhh, h);
    }
    out.set(h.subarray(0, bs * R), row0 * R);
  }
}
