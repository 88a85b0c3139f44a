import { GATE_COUNTS, type RecurrentSequenceBackward } from "../backend.js";
import { walkExtents } from "../kernels/recurrentSequence.js";
import type { WasmKernels } from "./loader.js";

/**
 * `c = A · B` for an m × k A packed by `packRowsA` at `ap` and B by `packGemmB` at `bp` (k × n), C
 * compact at `c`: byte addresses in the kernels' memory. The backend splits it by columns.
 */
export type PrepackedProduct = (m: number, n: number, k: number, ap: number, bp: number, c: number) => void;

/**
 * The wasm backend's `recurrentSequenceBackward` for GRU and unprojected LSTM layers: the saved
 * activations and the output gradients are
 * copied into the kernels' memory once, `W_hh` is packed once, and each step is one fused cell
 * backward (`lstmBackCell` / `gruBackCell`, which also adds the step's output gradient), the
 * step's gate gradients packed once and one product `dG · W_hh` split by columns over the
 * threads, reading dh from one buffer and writing the other. `fallback` (the reference walk)
 * runs what it does not take (Elman cells, a projection, not float32, H not a multiple of 4,
 * products below `minMacs`, buffers missing, memory short).
 * @example const run = residentRecurrentSequenceBackward(kernels, product, 1024, (s) => runRecurrentSequenceBackward(be, s))
 */
export function residentRecurrentSequenceBackward(
  kernels: WasmKernels, product: PrepackedProduct, minMacs: number, fallback: (s: RecurrentSequenceBackward) => void,
): (s: RecurrentSequenceBackward) => void {
  const k = kernels.exports;
  return (s) => {
    const { H, steps, acts, saved, tanhC, hPrev, dOut, dh, dc, dGi, dGh } = s;
    const lstm = s.cell === "lstm";
    const GH = GATE_COUNTS[s.cell] * H;
    const { N, B } = walkExtents(steps);
    const arrays = [s.whh, acts, saved, tanhC, hPrev, dOut, dh, dc, dGi, dGh];
    const ready = lstm ? !s.projection && saved && tanhC && dc : s.cell === "gru" && saved && hPrev && dGh;
    if (!ready || H % 4 !== 0 || B * GH * H < minMacs || !arrays.every((x) => x === null || x instanceof Float32Array)) {
      fallback(s);
      return;
    }
    // Byte addresses, in this order: packed W_hh, W_hh, acts, saved, tanh(c) or h_prev, dOut,
    // dh (two buffers), dc, dGi, dGh, GRU's direct path dh·z, the step's packed gate gradients.
    const l = kernels.layout([
      k.packedBFloats(H, GH), GH * H, N * GH, N * H, N * H, dOut ? N * H : 0,
      B * H, B * H, lstm ? B * H : 0, N * GH, lstm ? 0 : N * GH, lstm ? 0 : B * H, k.packedAFloats(B, GH),
    ]);
    if (!l) {
      fallback(s);
      return;
    }
    const { mem, at } = l;
    const [pPacked, pW, pActs, pSaved, pStates, pDOut, pDh0, pDh1, pDc, pDGi, pDGh, pDz, pA] = at as [
      number, number, number, number, number, number, number, number, number, number, number, number, number,
    ];
    const f = (p: number): number => p >> 2; // float index of a byte address
    mem.set(s.whh.subarray(0, GH * H), f(pW));
    k.packGemmB(0, H, GH, pW, H, pPacked);
    mem.set(acts.subarray(0, N * GH), f(pActs));
    mem.set(saved!.subarray(0, N * H), f(pSaved));
    mem.set((lstm ? tanhC! : hPrev!).subarray(0, N * H), f(pStates));
    if (dOut) mem.set(dOut.subarray(0, N * H), f(pDOut));
    mem.set(dh.subarray(0, B * H), f(pDh0));
    if (dc) mem.set(dc.subarray(0, B * H), f(pDc));
    let dhIn = pDh0;
    let dhOut = pDh1;
    for (let q = steps.length - 3; q >= 0; q -= 3) {
      const bs = steps[q]!;
      const row0 = steps[q + 1]!;
      const n = bs * H;
      const rows = row0 * H * 4; // byte offset of the step's rows of width H
      const gates = row0 * GH * 4;
      const out = dOut ? pDOut + rows : 0;
      if (lstm) k.lstmBackCell(bs, H, pActs + gates, pSaved + rows, pStates + rows, dhIn, out, pDc, pDGi + gates);
      else k.gruBackCell(bs, H, pActs + gates, pSaved + rows, pStates + rows, dhIn, out, pDGi + gates, pDGh + gates, pDz);
      // dh_prev = dG · W_hh, plus GRU's direct path dh·z (added after, as the per-step loop does).
      k.packRowsA((lstm ? pDGi : pDGh) + gates, GH, bs, GH, pA);
      product(bs, H, GH, pA, pPacked, dhOut);
      if (!lstm) k.binary(0, pDz, H, 1, dhOut, H, 1, dhOut, bs, H);
      // Rows past this step's batch keep their gradient in the buffer the next step reads.
      if (bs < B) mem.copyWithin(f(dhOut) + n, f(dhIn) + n, f(dhIn) + B * H);
      [dhIn, dhOut] = [dhOut, dhIn];
    }
    dh.set(mem.subarray(f(dhIn), f(dhIn) + B * H));
    if (dc) dc.set(mem.subarray(f(pDc), f(pDc) + B * H));
    dGi.set(mem.subarray(f(pDGi), f(pDGi) + N * GH));
    if (dGh) dGh.set(mem.subarray(f(pDGh), f(pDGh) + N * GH));
  };
}
