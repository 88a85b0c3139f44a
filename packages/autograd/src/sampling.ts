import { defaultGenerator, fmt, Generator, NDArray, type DType, type TypedArray } from "@rnnkit/tensor";
import { Tensor } from "./tensor.js";
import { rowsAlong } from "./ops/alongDim.js";

/** Options of `multinomial`. */
export interface MultinomialOptions {
  /** Draw with replacement (default false: each category at most once per row). */
  replacement?: boolean;
  /** The generator to draw from (default: the global one `manualSeed` seeds). */
  generator?: Generator;
}

/** `-log(1 - u) / λ` from a 53-bit uniform, rounded to `dtype` (torch's CPU exponential_). */
export function fillExponential(out: TypedArray, lambd: number, g: Generator): void {
  for (let i = 0; i < out.length; i++) out[i] = (-1 / lambd) * Math.log(1 - g.uniform64());
}

/**
 * torch's `random_` draws: with no range, one 32-bit draw modulo 2^24 + 1 for float32 (2^53 + 1
 * from a 64-bit draw for float64) or 2^31 for int32; with `[from, to)`, a 32-bit draw modulo
 * the range (a 64-bit one past 2^32), plus `from`.
 */
export function fillRandom(out: TypedArray, dtype: DType, g: Generator, range?: { from: number; to: number }): void {
  if (range) {
    for (let i = 0; i < out.length; i++) out[i] = g.randint(range.from, range.to);
    return;
  }
  for (let i = 0; i < out.length; i++) {
    if (dtype === "float32") out[i] = g.nextUint32() % 16777217;
    else if (dtype === "int32") out[i] = g.nextUint32() % 2147483648;
    else out[i] = Number((BigInt(g.nextUint32()) << 32n | BigInt(g.nextUint32())) % 9007199254740993n);
  }
}

function multinomialOptions(opts: boolean | MultinomialOptions | undefined): MultinomialOptions {
  if (opts === undefined) return {};
  if (typeof opts === "boolean") return { replacement: opts };
  if (typeof opts !== "object" || opts === null) {
    throw new Error(`multinomial: the third argument is replacement (a boolean) or { replacement, generator }, got ${String(opts)}`);
  }
  return opts;
}

/**
 * Draws `numSamples` category indices from each row of non-negative weights `input` (1-D or
 * 2-D; rows need not sum to 1), int32 of shape `[numSamples]` or `[rows, numSamples]`.
 * With a seeded generator the draws are torch 1.13's CPU ones (torch built without MKL, as
 * Debian's): without replacement or for one sample, `argmax`/`topk` of `p / q` with
 * `q ~ Exp(1)` drawn for every weight; with replacement, a binary search of one 53-bit uniform
 * per sample in the float32 running sum.
 * @example multinomial(tensor([0.1, 0.9]), 1) // [1] most of the time
 */
export function multinomial(input: Tensor, numSamples: number, opts?: boolean | MultinomialOptions): Tensor {
  if (!(input instanceof Tensor)) throw new Error(`multinomial: expected a Tensor of weights as input, got ${input === null ? "null" : typeof input}`);
  const { replacement = false, generator } = multinomialOptions(opts);
  const g = generator ?? defaultGenerator;
  if (input.dtype === "int32") throw new Error(`multinomial: only supports floating-point dtypes for input, got int32 (use input.float())`);
  if (input.ndim !== 1 && input.ndim !== 2) throw new Error(`multinomial: prob_dist must be 1 or 2 dim, got shape ${fmt(input.shape)}`);
  if (typeof numSamples !== "number" || !Number.isInteger(numSamples) || numSamples <= 0) {
    throw new Error(`multinomial: numSamples must be a positive integer, got ${String(numSamples)} (cannot sample n_sample <= 0 samples)`);
  }
  const rows = rowsAlong(input.value, input.ndim - 1);
  const { data, n, count } = rows;
  if (!replacement && numSamples > n) {
    throw new Error(`multinomial: cannot sample n_sample > prob_dist.size(-1) samples without replacement (numSamples ${numSamples}, ${n} categories; pass { replacement: true })`);
  }
  const out = rows.alloc("int32", numSamples);
  if (!replacement) {
    for (let i = 0; i < data.length; i++) {
      const v = data[i]!;
      if (!(v >= 0 && v < Infinity)) throw new Error(`multinomial: probability tensor contains either inf, nan or element < 0 (got ${v} at flat index ${i}, shape ${fmt(input.shape)})`);
    }
    for (let r = 0; r < count; r++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += data[r * n + j]!;
      if (s === 0) throw new Error(`multinomial: invalid multinomial distribution (sum of probabilities <= 0) in row ${r} of shape ${fmt(input.shape)}`);
    }
    // torch's fast path: q ~ Exp(1) for every weight (row-major), then the top of p / q.
    const q = new (input.dtype === "float64" ? Float64Array : Float32Array)(data.length);
    fillExponential(q, 1, g);
    for (let i = 0; i < q.length; i++) q[i] = data[i]! / q[i]!;
    const order = new Array<number>(n);
    for (let r = 0; r < count; r++) {
      const b = r * n;
      for (let j = 0; j < n; j++) order[j] = j;
      // A stable descending order: the first maximum wins, as argmax's.
      order.sort((i, j) => (q[b + j]! > q[b + i]! ? 1 : q[b + j]! < q[b + i]! ? -1 : 0));
      for (let j = 0; j < numSamples; j++) out[r * numSamples + j] = order[j]!;
    }
    return new Tensor(rows.restore(out, numSamples));
  }
  const f32 = input.dtype === "float32";
  const round = f32 ? Math.fround : (v: number) => v;
  const cum = new Float64Array(n);
  for (let r = 0; r < count; r++) {
    let s = 0;
    for (let j = 0; j < n; j++) {
      const v = data[r * n + j]!;
      if (!(v >= 0)) throw new Error(`multinomial: invalid multinomial distribution (encountering probability entry < 0 or NaN): ${v} in row ${r}`);
      if (v === Infinity) throw new Error(`multinomial: invalid multinomial distribution (encountering probability entry = infinity) in row ${r}`);
      s = round(s + v);
      cum[j] = s;
    }
    if (!(s > 0)) throw new Error(`multinomial: invalid multinomial distribution (sum of probabilities <= 0) in row ${r} of shape ${fmt(input.shape)}`);
    for (let j = 0; j < n; j++) cum[j] = round(cum[j]! / s);
    cum[n - 1] = 1;
    for (let k = 0; k < numSamples; k++) {
      const u = g.uniform64();
      let lo = 0;
      let hi = n;
      while (hi > lo) {
        const mid = lo + ((hi - lo) >> 1);
        if (cum[mid]! < u) lo = mid + 1;
        else hi = mid;
      }
      out[r * numSamples + k] = lo;
    }
  }
  return new Tensor(rows.restore(out, numSamples));
}

/** A contiguous array of `shape` filled by `fill` (the values a random in-place op writes). */
export function randomArray(shape: readonly number[], dtype: DType, fill: (out: TypedArray) => void): NDArray {
  const a = NDArray.zeros(shape, dtype);
  fill(a.data);
  return a;
}
