import { fmt, type DType } from "@rnnkit/tensor";
import { stack, Tensor, tensor } from "@rnnkit/autograd";

/**
 * The type {@link defaultCollate} makes of a batch of `T`s: tensors and numbers become one
 * tensor with a leading batch dimension, strings a list, tuples and objects are collated field by field.
 */
export type Collated<T> = T extends Tensor
  ? Tensor
  : T extends number | boolean | Float32Array | Int32Array | Float64Array
    ? Tensor
    : T extends string
      ? string[]
      : T extends readonly unknown[]
        ? { -readonly [K in keyof T]: Collated<T[K]> }
        : T extends object
          ? { [K in keyof T]: Collated<T[K]> }
          : never;

function describe(x: unknown): string {
  if (x instanceof Tensor) return `Tensor of shape ${fmt(x.shape)}`;
  if (Array.isArray(x)) return `array of length ${x.length}`;
  if (x === null) return "null";
  return typeof x;
}

function isTypedArray(x: unknown): x is Float32Array | Int32Array | Float64Array {
  return x instanceof Float32Array || x instanceof Int32Array || x instanceof Float64Array;
}

function kindOf(x: unknown): string {
  if (x instanceof Tensor) return "tensor";
  if (isTypedArray(x)) return "typed array";
  if (Array.isArray(x)) return "array";
  if (typeof x === "number" || typeof x === "boolean" || typeof x === "string") return typeof x;
  if (typeof x === "object" && x !== null && Object.getPrototypeOf(x) === Object.prototype) return "object";
  return "other";
}

function collateNumbers(values: readonly number[]): Tensor {
  const dtype: DType = values.every((v) => Number.isInteger(v)) ? "int32" : "float32";
  return tensor(values as number[], { dtype });
}

/**
 * Puts a list of samples into one batch, as torch's default_collate: tensors are stacked along a
 * new first dimension (all the same shape and dtype), numbers become a tensor (int32 when all are
 * integers, else float32), booleans an int32 tensor of 0/1, typed arrays are stacked rows, strings
 * stay a list, arrays (tuples) and plain objects are collated position by position / key by key.
 * @example defaultCollate([[x0, 1], [x1, 0]]) // [stack([x0, x1]), tensor([1, 0], int32)]
 */
export function defaultCollate<T>(batch: readonly T[]): Collated<T> {
  return collateAny(batch as readonly unknown[], "batch") as Collated<T>;
}

function collateAny(batch: readonly unknown[], path: string): unknown {
  if (batch.length === 0) throw new Error("defaultCollate: batch must not be empty");
  const first = batch[0];
  const kind = kindOf(first);
  if (kind === "other") throw new Error(`defaultCollate: ${path}: cannot collate ${describe(first)}`);
  for (const [k, x] of batch.entries()) {
    if (kindOf(x) !== kind) throw new Error(`defaultCollate: ${path}: sample 0 is ${describe(first)} but sample ${k} is ${describe(x)}`);
  }
  if (first instanceof Tensor) {
    const tensors = batch as readonly Tensor[];
    for (const [k, t] of tensors.entries()) {
      if (t.shape.length !== first.shape.length || t.shape.some((d, j) => d !== first.shape[j])) {
        throw new Error(`defaultCollate: ${path}: stack expects each tensor to be equal size, but got ${fmt(first.shape)} at entry 0 and ${fmt(t.shape)} at entry ${k}`);
      }
      if (t.dtype !== first.dtype) {
        throw new Error(`defaultCollate: ${path}: tensors must share a dtype, got ${first.dtype} at entry 0 and ${t.dtype} at entry ${k}`);
      }
    }
    return stack(tensors, 0);
  }
  if (isTypedArray(first)) {
    const rows = batch as readonly (Float32Array | Int32Array | Float64Array)[];
    const len = first.length;
    const dtype: DType = first instanceof Int32Array ? "int32" : "float32";
    const out = dtype === "int32" ? new Int32Array(rows.length * len) : new Float32Array(rows.length * len);
    for (const [k, r] of rows.entries()) {
      if (r.length !== len) throw new Error(`defaultCollate: ${path}: typed arrays must have equal length, got ${len} at entry 0 and ${r.length} at entry ${k}`);
      out.set(r, k * len);
    }
    return tensor(out, { shape: [rows.length, len], dtype });
  }
  if (typeof first === "number") return collateNumbers(batch as readonly number[]);
  if (typeof first === "boolean") return tensor((batch as readonly boolean[]).map((b) => (b ? 1 : 0)), { dtype: "int32" });
  if (typeof first === "string") return [...(batch as readonly string[])];
  if (Array.isArray(first)) {
    const arrays = batch as readonly unknown[][];
    for (const [k, a] of arrays.entries()) {
      if (a.length !== first.length) throw new Error(`defaultCollate: ${path}: each element in list of batch should be of equal size, got ${first.length} at entry 0 and ${a.length} at entry ${k}`);
    }
    return first.map((_, j) => collateAny(arrays.map((a) => a[j]), `${path}[${j}]`));
  }
  const records = batch as readonly Record<string, unknown>[];
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(first as object)) {
    for (const [k, r] of records.entries()) {
      if (!(key in r)) throw new Error(`defaultCollate: ${path}: sample ${k} has no key "${key}"`);
    }
    out[key] = collateAny(records.map((r) => r[key]), `${path}.${key}`);
  }
  return out;
}
