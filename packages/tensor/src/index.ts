export { allocArray, dtypeOf, isFloat, promoteTypes, promoteWithScalar, type DType, type TypedArray } from "./dtype.js";
export { broadcastShapes, checkShape, contiguousStrides, fmt, normDim, normDims, numel, shapesEqual } from "./shape.js";
export { NDArray, type NestedArray } from "./ndarray.js";
export type { Backend, BinaryOp, ReduceOp, UnaryOp } from "./backend.js";
export { backend, jsBackend, setBackend } from "./jsBackend.js";
export { stridedLoop2 } from "./kernels/elementwise.js";
export { Generator, defaultGenerator, manualSeed } from "./rng.js";
export { decodeSafetensors, encodeSafetensors, type SafetensorsContent } from "./safetensors.js";
