import { fmt } from "@rnnkit/tensor";
import { Tensor } from "../tensor.js";

/** Throws unless `v` is a Tensor, naming the op, the argument and what was passed instead. */
export function requireTensor(v: unknown, op: string, arg: string): asserts v is Tensor {
  if (v instanceof Tensor) return;
  const got = v === null || v === undefined ? String(v) : Array.isArray(v) ? "an array (wrap it with tensor(...))" : typeof v;
  throw new Error(`${op}: ${arg} must be a Tensor, got ${got}`);
}

/** Throws unless `index` is an int32 Tensor (rnnkit's index dtype; torch's is int64). */
export function requireIndex(index: unknown, op: string, arg = "index"): asserts index is Tensor {
  requireTensor(index, op, arg);
  if (index.dtype !== "int32") throw new Error(`${op}: ${arg} must be an int32 tensor, got ${index.dtype} (shape ${fmt(index.shape)}); use ${arg}.int()`);
}
