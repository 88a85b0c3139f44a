/** Element types an NDArray can hold. `float64` exists for gradcheck; models use float32. */
export type DType = "float32" | "int32" | "float64";

/** The typed array behind each dtype. */
export type TypedArray = Float32Array | Int32Array | Float64Array;

/** Float storage kernels run on: float32 for models, float64 for gradcheck. */
export type Floats = Float32Array | Float64Array;

/** Allocates a zero-filled typed array of `n` elements for `dtype`. */
export function allocArray(dtype: DType, n: number): TypedArray {
  try {
    return allocUnchecked(dtype, n);
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    const bytes = n * (dtype === "float64" ? 8 : 4);
    throw new Error(`cannot allocate a ${dtype} tensor of ${n} elements (${(bytes / 2 ** 30).toFixed(1)} GiB): ${e.message}`);
  }
}
function allocUnchecked(dtype: DType, n: number): TypedArray {
  switch (dtype) {
    case "float32":
      return new Float32Array(n);
    case "int32":
      return new Int32Array(n);
    case "float64":
      return new Float64Array(n);
  }
}

/** The dtype of a typed array. */
export function dtypeOf(data: TypedArray): DType {
  if (data instanceof Float32Array) return "float32";
  if (data instanceof Int32Array) return "int32";
  return "float64";
}

/** True for float32 and float64. */
export function isFloat(dtype: DType): boolean {
  return dtype !== "int32";
}

/** torch's type promotion for two tensors: int32 < float32 < float64. */
export function promoteTypes(a: DType, b: DType): DType {
  if (a === b) return a;
  if (a === "float64" || b === "float64") return "float64";
  return "float32";
}

/** The dtype of `tensor op scalar`: a Python-style scalar never widens a float tensor. */
export function promoteWithScalar(a: DType, s: number): DType {
  if (a === "int32" && !Number.isInteger(s)) return "float32";
  return a;
}
