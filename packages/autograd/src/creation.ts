import { checkShape, defaultGenerator, fmt, Generator, NDArray, type DType, type NestedArray, type TypedArray } from "@rnnkit/tensor";
import { Tensor } from "./tensor.js";
import { requireTensor } from "./ops/checks.js";

/** Options shared by the creation functions. */
export interface CreateOptions {
  dtype?: DType;
  requiresGrad?: boolean;
}
/** Options of the random creation functions. */
export interface RandomOptions extends CreateOptions {
  generator?: Generator;
}

/** What an argument was, for error messages: `null`, `an array`, `a Tensor of shape [2]`, `string "x"`. */
export function describeArg(v: unknown): string {
  if (v === null) return "null";
  if (v === undefined) return "undefined";
  if (v instanceof Tensor) return `a Tensor of shape ${fmt(v.shape)}`;
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (typeof v === "string") return `string ${JSON.stringify(v)}`;
  if (typeof v === "object") return `an object (${(v as object).constructor?.name ?? "Object"})`;
  return `${typeof v} ${String(v)}`;
}

const DTYPE_HINT: Record<string, DType> = {
  int64: "int32", long: "int32", int: "int32", int16: "int32", int8: "int32", uint8: "int32", bool: "int32", short: "int32",
  float: "float32", float16: "float32", half: "float32", bfloat16: "float32", double: "float64",
};

/** A dtype name checked against rnnkit's (float32, int32, float64), with torch's other names pointed at ours. */
export function checkDtype(dtype: unknown, op: string): DType {
  if (dtype === "float32" || dtype === "int32" || dtype === "float64") return dtype;
  const hint = typeof dtype === "string" ? DTYPE_HINT[dtype.replace(/^torch\./, "")] : undefined;
  if (hint) {
    const why = hint === "int32" ? "rnnkit's integer dtype is int32 (class indices, token ids)" : `use "${hint}"`;
    throw new Error(`${op}: dtype "${String(dtype)}" is not supported; ${why}: pass { dtype: "${hint}" }`);
  }
  throw new Error(`${op}: unknown dtype ${describeArg(dtype)}; rnnkit's dtypes are "float32", "int32" and "float64"`);
}
function createDtype(opts: CreateOptions, op: string, fallback: DType = "float32"): DType {
  if (typeof opts !== "object" || opts === null) throw new Error(`${op}: options must be an object, got ${describeArg(opts)}`);
  return opts.dtype === undefined ? fallback : checkDtype(opts.dtype, op);
}

function make(value: NDArray, opts: CreateOptions): Tensor {
  return new Tensor(value, { requiresGrad: opts.requiresGrad ?? false });
}

/**
 * A tensor from nested numbers, or from flat data plus `shape`. float32 unless `dtype` says.
 * @example tensor([[1, 2], [3, 4]], { requiresGrad: true }); tensor([2, 0, 1], { dtype: "int32" })
 */
export function tensor(data: NestedArray | TypedArray | readonly number[], opts: CreateOptions & { shape?: readonly number[] } = {}): Tensor {
  if (typeof opts !== "object" || opts === null || Array.isArray(opts)) {
    throw new Error(`tensor: the second argument is an options object { dtype, requiresGrad, shape }, got ${describeArg(opts)}`);
  }
  if (data instanceof Tensor) throw new Error("tensor: got a Tensor; use t.clone() (or t.detach().clone()) to copy a tensor");
  const dtype = opts.dtype === undefined ? (data instanceof Int32Array ? "int32" : data instanceof Float64Array ? "float64" : "float32") : createDtype(opts, "tensor");
  const fromOpts = opts.shape === undefined ? { dtype } : { dtype, shape: opts.shape };
  return make(NDArray.from(data as NestedArray | TypedArray, fromOpts), opts);
}

/**
 * The arguments of a sized creation function, torch style: a size array or the sizes as
 * varargs, then optional options: `zeros([2, 3])`, `zeros(2, 3)`, `zeros(2, 3, { dtype })`.
 */
export type SizeArgs<O> = [size: readonly number[], opts?: O] | [...sizes: number[]] | [...sizes: number[], opts: O];

/** Splits `SizeArgs` into a checked size and the options, naming `op` in errors. */
export function parseSizeArgs<O extends object>(args: readonly unknown[], op: string): [number[], O] {
  const [first] = args;
  if (Array.isArray(first)) {
    const opts = args[1];
    if (args.length > 2 || (opts !== undefined && (typeof opts !== "object" || opts === null || Array.isArray(opts)))) {
      throw new Error(`${op}: expected (size, options?) with size an array, got ${args.length} arguments; e.g. ${op}([2, 3]) or ${op}(2, 3)`);
    }
    return [checkSizes(first, op), (opts ?? {}) as O];
  }
  const last = args[args.length - 1];
  const hasOpts = typeof last === "object" && last !== null && !Array.isArray(last) && !(last instanceof Tensor);
  const sizes = hasOpts ? args.slice(0, -1) : args.slice();
  return [checkSizes(sizes, op), (hasOpts ? last : {}) as O];
}

/** A list of sizes checked to be non-negative integers, with a message that says what was given. */
function checkSizes(sizes: readonly unknown[], op: string): number[] {
  for (const s of sizes) {
    if (typeof s !== "number") {
      const shown = s instanceof Tensor ? `a Tensor of shape ${fmt(s.shape)}` : s === null ? "null" : typeof s;
      throw new Error(`${op}: sizes must be integers, got ${shown}; pass sizes as ${op}([2, 3]) or ${op}(2, 3)`);
    }
  }
  return checkShape(sizes as number[], op);
}

/** A tensor of zeros (float32 unless `dtype`); sizes as an array or as varargs. @example zeros([2, 3]); zeros(2, 3) */
export function zeros(...args: SizeArgs<CreateOptions>): Tensor {
  const [shape, opts] = parseSizeArgs<CreateOptions>(args, "zeros");
  return make(NDArray.zeros(shape, createDtype(opts, "zeros")), opts);
}
/** A tensor of ones (float32 unless `dtype`). @example ones([2, 3], { requiresGrad: true }); ones(2, 3) */
export function ones(...args: SizeArgs<CreateOptions>): Tensor {
  const [shape, opts] = parseSizeArgs<CreateOptions>(args, "ones");
  return full(shape, 1, opts);
}
/** torch.empty: rnnkit zero-fills, so this is `zeros` (torch leaves the values unset). @example empty(2, 3) */
export function empty(...args: SizeArgs<CreateOptions>): Tensor {
  const [shape, opts] = parseSizeArgs<CreateOptions>(args, "empty");
  return make(NDArray.zeros(shape, createDtype(opts, "empty")), opts);
}
/** A tensor filled with `value`; the size is one array, as torch's. @example full([2], 7) // [7, 7] */
export function full(shape: readonly number[], value: number, opts: CreateOptions = {}): Tensor {
  if (!Array.isArray(shape)) throw new Error(`full: size must be an array, got ${describeArg(shape)}; e.g. full([2, 3], ${String(value)})`);
  if (typeof value !== "number") throw new Error(`full: fill value must be a number, got ${describeArg(value)}`);
  return make(NDArray.full(checkSizes(shape, "full"), value, createDtype(opts, "full")), opts);
}
/** Zeros of `t`'s shape and dtype. @example zerosLike(x) */
export function zerosLike(t: Tensor, opts: CreateOptions = {}): Tensor {
  requireTensor(t, "zerosLike", "input");
  return zeros(t.shape, { dtype: t.dtype, ...opts });
}
/** Ones of `t`'s shape and dtype. @example onesLike(x) */
export function onesLike(t: Tensor, opts: CreateOptions = {}): Tensor {
  requireTensor(t, "onesLike", "input");
  return ones(t.shape, { dtype: t.dtype, ...opts });
}
/** `value` everywhere, in `t`'s shape and dtype. @example fullLike(x, -1) */
export function fullLike(t: Tensor, value: number, opts: CreateOptions = {}): Tensor {
  requireTensor(t, "fullLike", "input");
  return full(t.shape, value, { dtype: t.dtype, ...opts });
}

/**
 * `[start, start + step, …)` below `end` (torch.arange). int32 when every argument is an
 * integer, else float32.
 * @example arange(5) // [0, 1, 2, 3, 4]
 */
export function arange(start: number, end?: number, step = 1, opts: CreateOptions = {}): Tensor {
  const [s, e] = end === undefined ? [0, start] : [start, end];
  if (step === 0) throw new Error("arange: step must be nonzero");
  if ((e - s) / step < 0) throw new Error(`arange: upper bound ${e} and lower bound ${s} are inconsistent with step sign ${step}`);
  const n = Math.ceil((e - s) / step);
  const dtype = opts.dtype ?? ([s, e, step].every(Number.isInteger) ? "int32" : "float32");
  const out = NDArray.zeros([n], dtype);
  for (let i = 0; i < n; i++) out.data[i] = s + i * step;
  return make(out, opts);
}

/** `steps` evenly spaced values from `start` to `end` inclusive. */
export function linspace(start: number, end: number, steps: number, opts: CreateOptions = {}): Tensor {
  const out = NDArray.zeros(checkShape([steps], "linspace"), opts.dtype ?? "float32");
  const step = steps > 1 ? (end - start) / (steps - 1) : 0;
  // torch fills the two halves from each end so the last value is exactly `end`.
  const half = Math.floor(steps / 2);
  for (let i = 0; i < steps; i++) out.data[i] = i < half ? start + step * i : end - step * (steps - 1 - i);
  // One step is `start`, as torch's.
  if (steps === 1) out.data[0] = start;
  return make(out, opts);
}

/** The n × m identity matrix. */
export function eye(n: number, m = n, opts: CreateOptions = {}): Tensor {
  const out = NDArray.zeros(checkShape([n, m], "eye"), opts.dtype ?? "float32");
  for (let i = 0; i < Math.min(n, m); i++) out.data[i * m + i] = 1;
  return make(out, opts);
}

function floatDtype(opts: CreateOptions, fn: string): DType {
  const dtype = createDtype(opts, fn);
  if (dtype === "int32") throw new Error(`${fn}: dtype must be floating point, got int32`);
  return dtype;
}

/** Uniform samples in [0, 1) (torch.rand: same stream as torch for the same seed). @example rand(2, 3); rand([2, 3], { generator }) */
export function rand(...args: SizeArgs<RandomOptions>): Tensor {
  const [shape, opts] = parseSizeArgs<RandomOptions>(args, "rand");
  const out = NDArray.zeros(shape, floatDtype(opts, "rand"));
  (opts.generator ?? defaultGenerator).fillUniform(out.data as Float32Array);
  return make(out, opts);
}

/** Standard normal samples (torch.randn, the same stream). @example randn(2, 3); randn([2, 3]) */
export function randn(...args: SizeArgs<RandomOptions>): Tensor {
  const [shape, opts] = parseSizeArgs<RandomOptions>(args, "randn");
  const out = NDArray.zeros(shape, floatDtype(opts, "randn"));
  (opts.generator ?? defaultGenerator).fillNormal(out.data as Float32Array);
  return make(out, opts);
}

/**
 * Integers uniform in [low, high) (low 0 when omitted), int32 (torch.randint, the same stream;
 * torch's default dtype is int64). The size is one array, as torch's.
 * @example randint(10, [2, 3]); randint(5, 9, [4], { generator })
 */
export function randint(high: number, size: readonly number[], opts?: RandomOptions): Tensor;
export function randint(low: number, high: number, size: readonly number[], opts?: RandomOptions): Tensor;
export function randint(a: number, b: number | readonly number[], c?: readonly number[] | RandomOptions, d?: RandomOptions): Tensor {
  const [low, high, shape, opts] = Array.isArray(b) ? [0, a, b, (c ?? {}) as RandomOptions] : [a, b as number, c, d ?? {}];
  if (!Array.isArray(shape)) {
    throw new Error(`randint: size must be an array, got ${describeArg(shape)}; call randint(high, [sizes]) or randint(low, high, [sizes])`);
  }
  for (const [name, v] of [["low", low], ["high", high]] as const) {
    if (typeof v !== "number" || !Number.isInteger(v)) throw new Error(`randint: ${name} must be an integer, got ${describeArg(v)}`);
  }
  if (!(high > low)) throw new Error(`randint: high (${high}) must be greater than low (${low})`);
  const out = NDArray.zeros(checkSizes(shape, "randint"), createDtype(opts, "randint", "int32"));
  const g = opts.generator ?? defaultGenerator;
  for (let i = 0; i < out.data.length; i++) out.data[i] = g.randint(low, high);
  return make(out, opts);
}

/** A random permutation of 0..n-1, int32; the same stream as torch 1.13's CPU randperm. */
export function randperm(n: number, opts: RandomOptions = {}): Tensor {
  if (typeof n !== "number" || !Number.isInteger(n) || n < 0) throw new Error(`randperm: n must be a non-negative integer, got ${describeArg(n)}`);
  const g = opts?.generator ?? defaultGenerator;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  // torch: for i = 0..n-2, swap r[i] with r[i + random() % (n - i)].
  for (let i = 0; i < n - 1; i++) {
    const j = i + (g.nextUint32() % (n - i));
    const t = out[i]!;
    out[i] = out[j]!;
    out[j] = t;
  }
  return make(new NDArray(out, [n]), { ...opts, dtype: "int32" });
}

/** 1 with probability `p[i]`, else 0, elementwise (torch.bernoulli). */
export function bernoulli(p: Tensor, opts: RandomOptions = {}): Tensor {
  requireTensor(p, "bernoulli", "input");
  const g = opts?.generator ?? defaultGenerator;
  const probs = p.value.flat();
  const out = NDArray.zeros(p.shape, p.dtype === "int32" ? "float32" : p.dtype);
  for (let i = 0; i < probs.length; i++) {
    const q = probs[i]!;
    if (!(q >= 0 && q <= 1)) throw new Error(`bernoulli: probabilities must be in [0, 1], got ${q} (shape ${fmt(p.shape)})`);
    out.data[i] = g.bernoulli(q, p.dtype === "float64" ? 53 : 24);
  }
  return make(out, {});
}
