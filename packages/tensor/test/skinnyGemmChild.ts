// Run by skinnyGemm.test.ts in a child Node started with --experimental-wasm-relaxed-simd: the
// skinny-product check on the relaxed-SIMD (FMA) build, printed as one JSON line.
import { loadWasmKernels } from "../src/wasm/loader.js";
import { skinnyGemmCheck } from "./skinnyGemmCheck.js";

const kernels = loadWasmKernels(false, true)!;
const report = skinnyGemmCheck(kernels.exports, kernels.workBase, kernels.scratchBase);
console.log(`SKINNY ${JSON.stringify({ relaxed: kernels.relaxed, ...report })}`);
