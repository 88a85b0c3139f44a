export { allocArray, dtypeOf, isFloat, promoteTypes, promoteWithScalar, type DType, type TypedArray } from "./dtype.js";
export { broadcastShapes, checkShape, contiguousStrides, fmt, normDim, normDims, numel, shapesEqual } from "./shape.js";
export { NDArray, type NestedArray } from "./ndarray.js";
export type { Backend, BinaryOp, PreparedGemmB, ReduceOp, UnaryOp } from "./backend.js";
export { backend, initWasmBackend, jsBackend, setBackend, wasmBackend, type BackendName } from "./jsBackend.js";
export { wasmSimdSupported } from "./wasm/loader.js";
export { stridedLoop2 } from "./kernels/elementwise.js";
export { Generator, defaultGenerator, manualSeed } from "./rng.js";
export { decodeSafetensors, encodeSafetensors, type SafetensorsContent } from "./safetensors.js";
