export { allocArray, dtypeOf, isFloat, promoteTypes, promoteWithScalar, type DType, type Floats, type TypedArray } from "./dtype.js";
export { broadcastShapes, checkShape, contiguousStrides, fmt, normDim, normDims, numel, shapesEqual } from "./shape.js";
export { NDArray, type NestedArray } from "./ndarray.js";
export { GATE_COUNTS } from "./backend.js";
export type {
  Backend, BinaryOp, PreparedGemmB, RecurrentCell, RecurrentSequence, RecurrentSequenceBackward, ReduceOp, SequenceInput,
  SequenceProjection, UnaryOp, WeightStamp,
} from "./backend.js";
export { jsBackend } from "./jsBackend.js";
export { backend, initWasmBackend, setBackend, wasmBackend, type BackendName } from "./backendSelection.js";
export { wasmRelaxedSimdSupported, wasmSimdSupported } from "./wasm/loader.js";
export { getNumThreads, setNumThreads } from "./wasm/numThreads.js";
export { stridedLoop2 } from "./kernels/elementwise.js";
export { columnSums } from "./kernels/columnSums.js";
export { Generator, defaultGenerator, manualSeed } from "./rng.js";
export {
  decodeSafetensors, decodeSafetensorsHeader, encodeSafetensors,
  type SafetensorsContent, type SafetensorsHeader, type SafetensorsTensorInfo,
} from "./safetensors.js";
