import type { Backend } from "../backend.js";
import type { Floats } from "../dtype.js";
import { rnnPreActivation } from "../kernels/recurrentCells.js";
import { runRecurrentSequence } from "../kernels/recurrentSequence.js";
import { runRecurrentSequenceBackward } from "../kernels/recurrentSequenceBackward.js";
import { WASM_ACTIVATION_MIN_ELEMENTS, WASM_CELL_MIN_UNITS, WASM_GEMM_MIN_MACS } from "../thresholds.js";
import { UNARY_CODE } from "./elementwise.js";
import type { WasmKernels } from "./loader.js";
import { NR, type Products } from "./products.js";
import { residentRecurrentSequence, type StepRunner } from "./recurrentSequence.js";
import { residentRecurrentSequenceBackward } from "./recurrentSequenceBackward.js";
import type { ResidentStore } from "./residentStore.js";
import type { Chunker } from "./threads.js";

/** The recurrent kernels of the wasm backend. */
export type RecurrentKernels = Pick<Backend, "rnnCell" | "lstmCell" | "gruCell" | "recurrentSequence" | "recurrentSequenceBackward">;

/**
 * The wasm backend's recurrent kernels: fused LSTM/GRU cells in f32x4 code, an Elman cell with a
 * SIMD tanh, and the sequence walks (every float32 cell in the kernels' memory, stamped weights
 * kept packed there across calls by `store`, steps split over the threads; the rest on the
 * reference walk over these kernels and `products`). float64 and small blocks run on `fallback`.
 * @example const { recurrentSequence } = createRecurrent(kernels, jsBackend, chunker, products)
 */
export function createRecurrent(
  kernels: WasmKernels, fallback: Backend, chunker: Chunker, products: Products, store: ResidentStore | null = null,
): RecurrentKernels {
  const k = kernels.exports;
  const work = kernels.workBase;
  const { threadsFor, threadsForStep, chunked } = chunker;
  const { gemm, prepareGemmB, rowChunks, prepackedProduct } = products;

  /** True when every array is float32, the block is large enough and H fills whole f32x4 lanes. */
  function cellFits(bs: number, H: number, arrays: readonly Floats[]): boolean {
    return H % 4 === 0 && bs * H >= WASM_CELL_MIN_UNITS && arrays.every((x) => x instanceof Float32Array);
  }

  const lstmCell: Backend["lstmCell"] = (bs, H, gi, giOff, gh, bhh, c, acts, actsOff, tanhC, tanhCOff, h) => {
    const GH = 4 * H;
    const n = bs * GH;
    const s = bs * H;
    const l = cellFits(bs, H, [gi, gh, bhh, c, acts, tanhC, h]) ? kernels.layout([n, n, GH, s, n, s, s]) : null;
    if (!l) {
      fallback.lstmCell(bs, H, gi, giOff, gh, bhh, c, acts, actsOff, tanhC, tanhCOff, h);
      return;
    }
    const { mem, at } = l;
    const [pgi, pgh, pb, pc, pa, pt, ph] = at as [number, number, number, number, number, number, number];
    mem.set(gi.subarray(giOff, giOff + n), pgi >> 2);
    mem.set(gh.subarray(0, n), pgh >> 2);
    mem.set(bhh.subarray(0, GH), pb >> 2);
    mem.set(c.subarray(0, s), pc >> 2);
    k.lstmCell(bs, H, pgi, pgh, pb, pc, pa, pt, ph);
    acts.set(mem.subarray(pa >> 2, (pa >> 2) + n), actsOff);
    c.set(mem.subarray(pc >> 2, (pc >> 2) + s));
    tanhC.set(mem.subarray(pt >> 2, (pt >> 2) + s), tanhCOff);
    h.set(mem.subarray(ph >> 2, (ph >> 2) + s));
  };

  const gruCell: Backend["gruCell"] = (bs, H, gi, giOff, gh, bhh, h, acts, actsOff, ghN, ghNOff) => {
    const GH = 3 * H;
    const n = bs * GH;
    const s = bs * H;
    const l = cellFits(bs, H, [gi, gh, bhh, h, acts, ghN]) ? kernels.layout([n, n, GH, s, n, s]) : null;
    if (!l) {
      fallback.gruCell(bs, H, gi, giOff, gh, bhh, h, acts, actsOff, ghN, ghNOff);
      return;
    }
    const { mem, at } = l;
    const [pgi, pgh, pb, ph, pa, pn] = at as [number, number, number, number, number, number];
    mem.set(gi.subarray(giOff, giOff + n), pgi >> 2);
    mem.set(gh.subarray(0, n), pgh >> 2);
    mem.set(bhh.subarray(0, GH), pb >> 2);
    mem.set(h.subarray(0, s), ph >> 2);
    k.gruCell(bs, H, pgi, pgh, pb, ph, pa, pn);
    acts.set(mem.subarray(pa >> 2, (pa >> 2) + n), actsOff);
    h.set(mem.subarray(ph >> 2, (ph >> 2) + s));
    ghN.set(mem.subarray(pn >> 2, (pn >> 2) + s), ghNOff);
  };

  /** A `gruStep` / `lstmStep` call split by hidden units (multiples of NR) over the threads; its last argument is the GEMM workspace. */
  const runStep: StepRunner = (op, args, H, macs) => {
    const workArg = args.length - 1;
    args[workArg] = work;
    chunked(op, args, workArg, H % NR === 0 ? threadsForStep(macs) : 1, H, NR, [[2, 0, 1, 0], [3, 0, 0, 1]]);
  };
  /** An Elman step: the sum in JS, a large float32 tanh in SIMD code (relu and small blocks stay in JS). */
  const rnnCell: Backend["rnnCell"] = (relu, bs, H, gi, giOff, gh, bhh, h) => {
    const n = bs * H;
    const mem = !relu && n >= WASM_ACTIVATION_MIN_ELEMENTS && h instanceof Float32Array ? kernels.ensure(n * 4) : null;
    if (!mem) {
      fallback.rnnCell(relu, bs, H, gi, giOff, gh, bhh, h);
      return;
    }
    rnnPreActivation(bs, H, gi, giOff, gh, bhh, h);
    const base = kernels.scratchBase;
    mem.set(h.subarray(0, n), base >> 2);
    k.unary(UNARY_CODE.tanh!, base, base, n);
    h.set(mem.subarray(base >> 2, (base >> 2) + n));
  };

  const recurrentSequence = residentRecurrentSequence(
    kernels,
    {
      runStep,
      project: (m, n, kk, pa, pp, pc) => rowChunks(false, m, n, kk, 1, pa, kk, pp, 0, pc, threadsFor(m * n * kk)),
      product: (m, n, kk, pA, bp, pc) => prepackedProduct(m, n, kk, pA, bp, pc, threadsForStep(m * n * kk)),
      // Columns in whole 32-column panels; the tail of partial sums is each thread's GEMM workspace.
      rowProduct: (n, kk, a, bp, c) => chunked("rowProduct", [n, kk, a, bp, c, work, 0, n], 5, threadsForStep(n * kk), n, 32, [[6, 0, 1, 0], [7, 0, 0, 1]]),
    },
    WASM_GEMM_MIN_MACS,
    (s) => runRecurrentSequence({ gemm, prepareGemmB, rnnCell, lstmCell, gruCell }, s),
    store,
  );

  const recurrentSequenceBackward = residentRecurrentSequenceBackward(
    kernels,
    (m, n, kk, pA, bp, pc) => prepackedProduct(m, n, kk, pA, bp, pc, threadsFor(m * n * kk)),
    WASM_GEMM_MIN_MACS,
    (s) => runRecurrentSequenceBackward({ ...fallback, prepareGemmB }, s),
  );

  return { rnnCell, lstmCell, gruCell, recurrentSequence, recurrentSequenceBackward };
}
