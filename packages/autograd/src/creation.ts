import { checkShape, defaultGenerator, fmt, Generator, NDArray, type DType, type NestedArray, type TypedArray } from "@rnnkit/tensor";
import { Tensor } from "./tensor.js";

/** Options shared by the creation functions. */
export interface CreateOptions {
  dtype?: DType;
  requiresGrad?: boolean;
}
/** Options of the random creation functions. */
export interface RandomOptions extends CreateOptions {
  generator?: Generator;
}

function make(value: NDArray, opts: CreateOptions): Tensor {
  return new Tensor(value, { requiresGrad: opts.requiresGrad ?? false });
}

/**
 * A tensor from nested numbers, or from flat data plus `shape`. float32 unless `dtype` says.
 * @example tensor([[1, 2], [3, 4]], { requiresGrad: true }); tensor([2, 0, 1], { dtype: "int32" })
 */
export function tensor(data: NestedArray | TypedArray | readonly number[], opts: CreateOptions & { shape?: readonly number[] } = {}): Tensor {
  const dtype = opts.dtype ?? (data instanceof Int32Array ? "int32" : data instanceof Float64Array ? "float64" : "float32");
  const fromOpts = opts.shape === undefined ? { dtype } : { dtype, shape: opts.shape };
  return make(NDArray.from(data as NestedArray | TypedArray, fromOpts), opts);
}

/** A tensor of zeros (float32 unless `dtype`). @example zeros([2, 3]) */
export function zeros(shape: readonly number[], opts: CreateOptions = {}): Tensor {
  return make(NDArray.zeros(checkShape(shape, "zeros"), opts.dtype ?? "float32"), opts);
}
/** A tensor of ones (float32 unless `dtype`). @example ones([2, 3], { requiresGrad: true }) */
export function ones(shape: readonly number[], opts: CreateOptions = {}): Tensor {
  return full(shape, 1, opts);
}
/** A tensor filled with `value`. @example full([2], 7) // [7, 7] */
export function full(shape: readonly number[], value: number, opts: CreateOptions = {}): Tensor {
  return make(NDArray.full(checkShape(shape, "full"), value, opts.dtype ?? "float32"), opts);
}
/** Zeros of `t`'s shape and dtype. @example zerosLike(x) */
export function zerosLike(t: Tensor, opts: CreateOptions = {}): Tensor {
  return zeros(t.shape, { dtype: t.dtype, ...opts });
}
/** Ones of `t`'s shape and dtype. @example onesLike(x) */
export function onesLike(t: Tensor, opts: CreateOptions = {}): Tensor {
  return ones(t.shape, { dtype: t.dtype, ...opts });
}
/** `value` everywhere, in `t`'s shape and dtype. @example fullLike(x, -1) */
export function fullLike(t: Tensor, value: number, opts: CreateOptions = {}): Tensor {
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
  return make(out, opts);
}

/** The n × m identity matrix. */
export function eye(n: number, m = n, opts: CreateOptions = {}): Tensor {
  const out = NDArray.zeros(checkShape([n, m], "eye"), opts.dtype ?? "float32");
  for (let i = 0; i < Math.min(n, m); i++) out.data[i * m + i] = 1;
  return make(out, opts);
}

function floatDtype(opts: CreateOptions, fn: string): DType {
  const dtype = opts.dtype ?? "float32";
  if (dtype === "int32") throw new Error(`${fn}: dtype must be floating point, got int32`);
  return dtype;
}

/** Uniform samples in [0, 1) (torch.rand: same stream as torch for the same seed). */
export function rand(shape: readonly number[], opts: RandomOptions = {}): Tensor {
  const out = NDArray.zeros(checkShape(shape, "rand"), floatDtype(opts, "rand"));
  (opts.generator ?? defaultGenerator).fillUniform(out.data as Float32Array);
  return make(out, opts);
}

/** Standard normal samples (torch.randn). */
export function randn(shape: readonly number[], opts: RandomOptions = {}): Tensor {
  const out = NDArray.zeros(checkShape(shape, "randn"), floatDtype(opts, "randn"));
  (opts.generator ?? defaultGenerator).fillNormal(out.data as Float32Array);
  return make(out, opts);
}

/** Integers uniform in [low, high), int32 (torch.randint). */
export function randint(low: number, high: number, shape: readonly number[], opts: RandomOptions = {}): Tensor {
  if (!(high > low)) throw new Error(`randint: high (${high}) must be greater than low (${low})`);
  const out = NDArray.zeros(checkShape(shape, "randint"), opts.dtype ?? "int32");
  const g = opts.generator ?? defaultGenerator;
  for (let i = 0; i < out.data.length; i++) out.data[i] = g.randint(low, high);
  return make(out, opts);
}

/** A random permutation of 0..n-1, int32; the same stream as torch 1.13's CPU randperm. */
export function randperm(n: number, opts: RandomOptions = {}): Tensor {
  const g = opts.generator ?? defaultGenerator;
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
  const g = opts.generator ?? defaultGenerator;
  const probs = p.value.flat();
  const out = NDArray.zeros(p.shape, p.dtype === "int32" ? "float32" : p.dtype);
  for (let i = 0; i < probs.length; i++) {
    const q = probs[i]!;
    if (!(q >= 0 && q <= 1)) throw new Error(`bernoulli: probabilities must be in [0, 1], got ${q} (shape ${fmt(p.shape)})`);
    out.data[i] = g.bernoulli(q, p.dtype === "float64" ? 53 : 24);
  }
  return make(out, {});
}
