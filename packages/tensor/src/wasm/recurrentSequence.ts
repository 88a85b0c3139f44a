import { GATE_COUNTS, type RecurrentSequence, type WeightStamp } from "../backend.js";
import type { Floats } from "../dtype.js";
import { walkExtents } from "../kernels/recurrentSequence.js";
import { UNARY_CODE } from "./elementwise.js";
import type { WasmKernels } from "./loader.js";
import { packedFloats, packWeight, type PackLayout, type ResidentRequest, type ResidentStore } from "./residentStore.js";

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
  /** `c = A · B` with A packed at `pA` (`packRowsA`) and B at `bp` (`packGemmB`), C compact (m × n), split by columns. */
  product(m: number, n: number, k: number, pA: number, bp: number, c: number): void;
  /** `c = a · B` for one row a (k floats at `a`) and B packed by `packRowB` at `bp` (`rowProduct`), split by columns. */
  rowProduct(n: number, k: number, a: number, bp: number, c: number): void;
}

/** A weight the walk packs: its values, shape (n, k) as stored, its stamp (or none) and how it is packed. */
interface Weight {
  src: Floats;
  n: number;
  k: number;
  stamp: WeightStamp | null | undefined;
  layout: PackLayout;
}

/**
 * The wasm backend's `recurrentSequence`, every cell (Elman, GRU, LSTM with or without a
 * projection): every operand is copied into the kernels' memory once and stays there for the
 * whole walk, and the weights are packed for the GEMM once per call, or not at all when their
 * stamps (`whhStamp`, `input.weightStamp`, `projection.weightStamp`) match what `store` keeps
 * from an earlier call (the weights stay resident across calls). GRU and unprojected LSTM steps
 * are one `gruStep` / `lstmStep` call each (product and cell, split by hidden units over threads
 * where it pays); Elman and projected LSTM steps are a product (split by columns) then the cell
 * (and the projection's product). A walk of one row per step (batch 1) runs its products with
 * `rowProduct` (split by columns over threads where it pays), on weights packed for it
 * (`packRowB`; the input's too when there is one input row), bit-identical to the GEMM. h is read from one buffer and written to the other; saved rows
 * move by `copyWithin`. Results equal the per-step kernels' for GRU and LSTM. With `input`,
 * `x · W_ihᵀ + bias` is formed in that memory too (split by rows). `fallback` (the reference walk
 * on the backend's kernels) runs what it does not take: not float32, H or R not a multiple of 4,
 * products below `minMacs`, neither gi nor input, buffers missing, memory short.
 * @example const run = residentRecurrentSequence(kernels, runners, 1024, (s) => runRecurrentSequence(be, s), store)
 */
export function residentRecurrentSequence(
  kernels: WasmKernels, runners: SequenceRunners, minMacs: number, fallback: (s: RecurrentSequence) => void,
  store: ResidentStore | null = null,
): (s: RecurrentSequence) => void {
  const k = kernels.exports;
  const { runStep, product, rowProduct } = runners;
  const f = (p: number): number => p >> 2; // float index of a byte address
  return (s) => {
    const { H, steps, c, tanhC, hPrev, input } = s;
    const proj = s.projection ?? null;
    const lstm = s.cell === "lstm";
    const elman = s.cell === "rnnTanh" || s.cell === "rnnRelu";
    // GRU and unprojected LSTM steps run the fused step kernels.
    const fused = !elman && !proj;
    const GH = GATE_COUNTS[s.cell] * H;
    const R = proj ? proj.size : H;
    const I = input ? input.size : 0;
    const { N, S, B } = walkExtents(steps);
    const cellBuffers = elman || (s.acts && s.saved && (!lstm || (c && tanhC)));
    // (Without gi, input or a buffer the cell needs, the fallback names the mistake.)
    if (
      !cellBuffers || (proj && !lstm) || H % 4 !== 0 || R % 4 !== 0 || B * GH * R < minMacs || (!input && !s.gi) ||
      !allFloat32(s.gi, s.whh, s.bhh, s.h, s.out, s.acts, s.saved, c, tanhC, hPrev, input?.x, input?.weight, input?.bias, proj?.weight, proj?.raw)
    ) {
      fallback(s);
      return;
    }
    // One row per step (a batch-1 stream): products of one row on weights packed for it (`rowProduct`).
    const row = B === 1;
    const layout: PackLayout = row ? "row" : "gemm";
    const weights: Weight[] = [{ src: s.whh, n: GH, k: R, stamp: s.whhStamp, layout }];
    if (input) weights.push({ src: input.weight, n: GH, k: I, stamp: input.weightStamp, layout: N === 1 ? "row" : "gemm" });
    if (proj) weights.push({ src: proj.weight, n: R, k: H, stamp: proj.weightStamp, layout });
    // Resident weights first: reserving room for them moves scratch.
    const resident = store && weights.every((w) => w.stamp) ? store.acquire(weights.map(request)) : null;
    // Byte addresses, in this order: h (two buffers), c, out, acts, saved, tanh(c), h_prev, gh,
    // packed h, b_hh, gi, x, the bias of x · W_ihᵀ, raw h and its saved rows (projection), then
    // for each weight not resident: its copy and its packed form.
    const lengths = [
      B * R, B * R, lstm ? B * H : 0, N * R, s.acts ? S * GH : 0, s.saved ? S * H : 0, lstm ? S * H : 0, hPrev ? N * R : 0,
      B * GH, row ? 0 : k.packedAFloats(B, Math.max(R, H)), GH, N * GH, N * I, input?.bias ? GH : 0, proj ? B * H : 0,
      proj?.raw ? S * H : 0,
    ];
    if (!resident) for (const w of weights) lengths.push(w.n * w.k, packedFloats(k, w.layout, w.n, w.k));
    const l = kernels.layout(lengths);
    if (!l) {
      fallback(s);
      return;
    }
    const { mem, at } = l;
    const [pH0, pH1, pC, pOut, pActs, pSaved, pTanh, pPrev, pGh, pA, pB, pGi, pX, pBias, pRaw, pRawSaved] = at as Sixteen;
    let packed: number[];
    if (resident) {
      packed = resident;
    } else {
      packed = [];
      weights.forEach((w, i) => {
        const pW = at[16 + 2 * i]!;
        const pP = at[17 + 2 * i]!;
        mem.set(w.src.subarray(0, w.n * w.k), f(pW));
        packWeight(k, w.layout, w.n, w.k, pW, pP);
        packed.push(pP);
      });
    }
    const pWhh = packed[0]!;
    const pWih = input ? packed[1]! : 0;
    const pWhr = proj ? packed[input ? 2 : 1]! : 0;
    if (input) {
      // gi = x · W_ihᵀ (+ bias), formed where the steps read it.
      mem.set(input.x.subarray(0, N * I), f(pX));
      if (N === 1) rowProduct(GH, I, pX, pWih, pGi);
      else runners.project(N, GH, I, pX, pWih, pGi);
      if (input.bias) {
        mem.set(input.bias.subarray(0, GH), f(pBias));
        k.binary(0, pGi, GH, 1, pBias, 0, 1, pGi, N, GH); // add, the bias broadcast over rows
      }
    } else {
      mem.set(s.gi!.subarray(0, N * GH), f(pGi));
    }
    mem.set(s.bhh.subarray(0, GH), f(pB));
    mem.set(s.h.subarray(0, B * R), f(pH0));
    if (c) mem.set(c.subarray(0, B * H), f(pC));
    const act = s.cell === "rnnRelu" ? UNARY_CODE.relu! : UNARY_CODE.tanh!;
    let hIn = pH0;
    let hOut = pH1;
    for (let q = 0; q < steps.length; q += 3) {
      const bs = steps[q]!;
      const row0 = steps[q + 1]!;
      const sRow0 = steps[q + 2]!;
      const n = bs * R;
      if (hPrev) mem.copyWithin(f(pPrev) + row0 * R, f(hIn), f(hIn) + n);
      // Rows past this step's batch keep their state in the buffer the next step reads.
      if (bs < B) mem.copyWithin(f(hOut) + n, f(hIn) + n, f(hIn) + B * R);
      const gi = pGi + row0 * GH * 4;
      const acts = pActs + sRow0 * GH * 4;
      if (row && fused) {
        // One row: the product, then the cell (GRU updates h in place, so on its copy in hOut).
        rowProduct(GH, H, hIn, pWhh, pGh);
        if (lstm) {
          mem.copyWithin(f(pSaved) + sRow0 * H, f(pC), f(pC) + H);
          k.lstmCell(1, H, gi, pGh, pB, pC, acts, pTanh + sRow0 * H * 4, hOut);
        } else {
          mem.copyWithin(f(hOut), f(hIn), f(hIn) + H);
          k.gruCell(1, H, gi, pGh, pB, hOut, acts, pSaved + sRow0 * H * 4);
        }
        mem.copyWithin(f(pOut) + row0 * R, f(hOut), f(hOut) + n);
        [hIn, hOut] = [hOut, hIn];
        continue;
      }
      // h is packed once here for every thread's share of the product.
      if (!row) k.packRowsA(hIn, R, bs, R, pA);
      if (fused) {
        if (lstm) {
          mem.copyWithin(f(pSaved) + sRow0 * H, f(pC), f(pC) + n);
          runStep("lstmStep", [bs, H, 0, H, pA, pWhh, gi, pGh, pB, pC, hOut, acts, pTanh + sRow0 * H * 4, 0], H, n * GH);
        } else {
          runStep("gruStep", [bs, H, 0, H, hIn, pA, pWhh, gi, pGh, pB, hOut, acts, pSaved + sRow0 * H * 4, 0], H, n * GH);
        }
      } else {
        if (row) rowProduct(GH, R, hIn, pWhh, pGh);
        else product(bs, GH, R, pA, pWhh, pGh);
        if (lstm) {
          // The cell writes h before the projection to `pRaw`; then h = raw · W_hrᵀ.
          mem.copyWithin(f(pSaved) + sRow0 * H, f(pC), f(pC) + bs * H);
          k.lstmCell(bs, H, gi, pGh, pB, pC, acts, pTanh + sRow0 * H * 4, pRaw);
          if (proj!.raw) mem.copyWithin(f(pRawSaved) + sRow0 * H, f(pRaw), f(pRaw) + bs * H);
          if (row) {
            rowProduct(R, H, pRaw, pWhr, hOut);
          } else {
            k.packRowsA(pRaw, H, bs, H, pA);
            product(bs, R, H, pA, pWhr, hOut);
          }
        } else {
          k.binary(0, gi, GH, 1, pGh, GH, 1, hOut, bs, H);
          k.binary(0, hOut, H, 1, pB, 0, 1, hOut, bs, H);
          k.unary(act, hOut, hOut, bs * H);
        }
      }
      mem.copyWithin(f(pOut) + row0 * R, f(hOut), f(hOut) + n);
      [hIn, hOut] = [hOut, hIn];
    }
    const out = (dst: Floats | null | undefined, p: number, len: number): void => {
      if (dst) dst.set(mem.subarray(f(p), f(p) + len));
    };
    out(s.h, hIn, B * R);
    out(c, pC, B * H);
    out(s.out, pOut, N * R);
    out(s.acts, pActs, S * GH);
    out(s.saved, pSaved, S * H);
    out(tanhC, pTanh, S * H);
    out(hPrev, pPrev, N * R);
    out(proj?.raw, pRawSaved, S * H);
  };
}

type Sixteen = [number, number, number, number, number, number, number, number, number, number, number, number, number, number, number, number];

/** The store's request for a stamped weight. */
function request(w: Weight): ResidentRequest {
  return { stamp: w.stamp!, n: w.n, k: w.k, src: w.src as Float32Array, layout: w.layout };
}

/** True when every array given is float32 (nulls and undefineds pass). */
function allFloat32(...arrays: (Floats | null | undefined)[]): boolean {
  for (const x of arrays) if (x && !(x instanceof Float32Array)) return false;
  return true;
}
