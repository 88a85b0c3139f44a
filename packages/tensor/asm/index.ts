// Entry point of the WASM-SIMD kernels (built by scripts/buildWasm.mjs).
export { gemm, gemmPacked, gemmPrepacked, gemmWorkBytes, packGemmB, packRowsA, packedAFloats, packedBFloats } from "./gemm";
export { unary, binary, axpy } from "./elementwise";
export { lstmCell, gruCell } from "./gates";
export { gruStep, lstmStep } from "./steps";
export { gruBackCell, lstmBackCell } from "./backward";
export { softmaxRows, softmaxBackRows, nllLogSoftmaxBackRows } from "./softmax";
export { packRowB, rowPackedFloats, rowProduct } from "./rowProduct";
export { columnSums } from "./columnSums";
