import { GATE_COUNTS, type RecurrentSequence } from "../backend.js";
import { walkExtents } from "../kernels/recurrentSequence.js";
import type { WasmKernels } from "./loader.js";

/**
 * Runs the kernel export `op` (`gruStep` or `lstmStep`) with `args`, whose j0, j1 (arguments 2
 * and 3) span all H units and whose last argument the runner sets to a GEMM workspace; the
 * backend splits the units over its threads. `macs` is the step's product size, for deciding
 * whether a split pays.
 */
export type StepRunner = (op: "gruStep" | "lstmStep", args: number[], H: number, macs: number) => void;

/** How the backend runs the sequence's pieces over its threads. */
export interface SequenceRunners {
  /** A time step, split by hidden units. */
  runStep: StepRunner;
  /** `c = a · B` (m × k times k × n, B packed by `packGemmB` at `bp`, compact), split by rows. */
  project(m: number, n: number, k: number, a: number, bp: number, c: number): void;
}

/**
 * The wasm backend's `recurrentSequence` for GRU and unprojected LSTM layers: every operand is copied into the kernels' memory once and
 * stays there for the whole walk, `W_hh` is packed once, and each step is one `gruStep` /
 * `lstmStep` call (the step's product and cell, split by hidden units over threads where it pays)
 * reading h from one buffer and writing the other; saved rows move by `copyWithin`. No per-step
 * copies in or out of JavaScript arrays, and results equal the per-step kernels'. With `input`,
 * `x · W_ihᵀ + bias` is formed in that memory too (W_ih packed once, split by rows). `fallback` (the
 * reference walk on the backend's kernels) runs the sequences it does not take: Elman cells, a
 * projection, not float32, H not a multiple of 4, products below `minMacs`, neither gi nor
 * input, buffers missing, memory short.
 * @example const run = residentRecurrentSequence(kernels, { runStep, project }, 1024, (s) => runRecurrentSequence(be, s))
 */
export function residentRecurrentSequence(
  kernels: WasmKernels, runners: SequenceRunners, minMacs: number, fallback: (s: RecurrentSequence) => void,
): (s: RecurrentSequence) => void {
  const k = kernels.exports;
  const { runStep } = runners;
  return (s) => {
    const { H, steps, c, tanhC, hPrev, input } = s;
    const lstm = s.cell === "lstm";
    const GH = GATE_COUNTS[s.cell] * H;
    const I = input ? input.size : 0;
    const { N, S, B } = walkExtents(steps);
    const arrays = [s.gi, s.whh, s.bhh, s.h, s.out, s.acts, s.saved, c, tanhC, hPrev, input?.x ?? null, input?.weight ?? null, input?.bias ?? null];
    // (Without gi, input or a buffer the cell needs, the fallback names the mistake.)
    const gated = s.cell === "gru" || (lstm && !s.projection && c && tanhC);
    if (!gated || !s.acts || !s.saved || H % 4 !== 0 || B * GH * H < minMacs || (!input && !s.gi) || !arrays.every((x) => x === null || x instanceof Float32Array)) {
      fallback(s);
      return;
    }
    // Byte addresses, in this order: packed W_hh, W_hh, gi, b_hh, h (two buffers), c, out, acts,
    // saved, tanh(c), h_prev, gh, packed h; with `input`: x, W_ih, packed W_ih, its bias.
    const lengths = [
      k.packedBFloats(GH, H), GH * H, N * GH, GH, B * H, B * H, lstm ? B * H : 0, N * H, S * GH, S * H,
      lstm ? S * H : 0, hPrev ? N * H : 0, B * GH, k.packedAFloats(B, H),
      N * I, GH * I, input ? k.packedBFloats(GH, I) : 0, input?.bias ? GH : 0,
    ];
    const l = kernels.layout(lengths);
    if (!l) {
      fallback(s);
      return;
    }
    const { mem, at } = l;
    const [pPacked, pW, pGi, pB, pH0, pH1, pC, pOut, pActs, pSaved, pTanh, pPrev, pGh, pA, pX, pWih, pWihPacked, pBias] = at as [
      number, number, number, number, number, number, number, number, number, number, number, number, number, number,
      number, number, number, number,
    ];
    const f = (p: number): number => p >> 2; // float index of a byte address
    mem.set(s.whh.subarray(0, GH * H), f(pW));
    k.packGemmB(1, GH, H, pW, H, pPacked);
    if (input) {
      // gi = x · W_ihᵀ (+ bias), formed where the steps read it.
      mem.set(input.x.subarray(0, N * I), f(pX));
      mem.set(input.weight.subarray(0, GH * I), f(pWih));
      k.packGemmB(1, GH, I, pWih, I, pWihPacked);
      runners.project(N, GH, I, pX, pWihPacked, pGi);
      if (input.bias) {
        mem.set(input.bias.subarray(0, GH), f(pBias));
        k.binary(0, pGi, GH, 1, pBias, 0, 1, pGi, N, GH); // add, the bias broadcast over rows
      }
    } else {
      mem.set(s.gi!.subarray(0, N * GH), f(pGi));
    }
    mem.set(s.bhh.subarray(0, GH), f(pB));
    mem.set(s.h.subarray(0, B * H), f(pH0));
    if (c) mem.set(c.subarray(0, B * H), f(pC));
    let hIn = pH0;
    let hOut = pH1;
    for (let q = 0; q < steps.length; q += 3) {
      const bs = steps[q]!;
      const row0 = steps[q + 1]!;
      const sRow0 = steps[q + 2]!;
      const n = bs * H;
      if (hPrev) mem.copyWithin(f(pPrev) + row0 * H, f(hIn), f(hIn) + n);
      // Rows past this step's batch keep their state in the buffer the next step reads.
      if (bs < B) mem.copyWithin(f(hOut) + n, f(hIn) + n, f(hIn) + B * H);
      const gi = pGi + row0 * GH * 4;
      const acts = pActs + sRow0 * GH * 4;
      // h is packed once here for every thread's share of the product.
      k.packRowsA(hIn, H, bs, H, pA);
      if (lstm) {
        mem.copyWithin(f(pSaved) + sRow0 * H, f(pC), f(pC) + n);
        runStep("lstmStep", [bs, H, 0, H, pA, pPacked, gi, pGh, pB, pC, hOut, acts, pTanh + sRow0 * H * 4, 0], H, n * GH);
      } else {
        runStep("gruStep", [bs, H, 0, H, hIn, pA, pPacked, gi, pGh, pB, hOut, acts, pSaved + sRow0 * H * 4, 0], H, n * GH);
      }
      mem.copyWithin(f(pOut) + row0 * H, f(hOut), f(hOut) + n);
      [hIn, hOut] = [hOut, hIn];
    }
    const out = (dst: Float32Array | Float64Array | null, p: number, n: number): void => {
      if (dst) dst.set(mem.subarray(f(p), f(p) + n));
    };
    out(s.h, hIn, B * H);
    out(c, pC, B * H);
    out(s.out, pOut, N * H);
    out(s.acts, pActs, S * GH);
    out(s.saved, pSaved, S * H);
    out(tanhC, pTanh, S * H);
    out(hPrev, pPrev, N * H);
  };
}
