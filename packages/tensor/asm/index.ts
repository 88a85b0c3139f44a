// Entry point of the WASM-SIMD kernels (built by scripts/buildWasm.mjs).
export { gemm, gemmWorkBytes } from "./gemm";
export { unary, binary, axpy } from "./elementwise";
