import { defaultGenerator, Generator, randperm, type Tensor } from "@rnnkit/autograd";
import { fmt } from "@rnnkit/tensor";

/**
 * Weight initialization (torch.nn.init). Every function fills its tensor in place, outside the
 * gradient graph, drawing from `generator` (default: the global one) in torch's order with
 * torch's float32 transforms, so `manualSeed(s)` then an init gives torch's numbers.
 */

/** Options of the random init functions. */
export interface GeneratorOptions {
  /** Where the random numbers come from (default: the global generator `manualSeed` seeds). */
  generator?: Generator;
}

/** Nonlinearities `calculateGain` knows (torch's names; camelCase spellings also accepted). */
export type Nonlinearity =
  | "linear" | "conv1d" | "conv2d" | "conv3d" | "conv_transpose1d" | "conv_transpose2d" | "conv_transpose3d"
  | "convTranspose1d" | "convTranspose2d" | "convTranspose3d"
  | "sigmoid" | "tanh" | "relu" | "leaky_relu" | "leakyRelu" | "selu";

/** Which fan the Kaiming functions scale by: inputs (preserves forward variance) or outputs. */
export type FanMode = "fan_in" | "fan_out" | "fanIn" | "fanOut";

const LINEAR_LIKE = new Set<string>([
  "linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d",
  "convTranspose1d", "convTranspose2d", "convTranspose3d", "sigmoid",
]);

/**
 * The recommended gain for a nonlinearity: 1 for linear/conv/sigmoid, 5/3 for tanh, √2 for relu,
 * √(2 / (1 + slope²)) for leaky_relu (slope `param`, default 0.01), 3/4 for selu.
 * @example calculateGain("leaky_relu", Math.sqrt(5)) // 0.5773…
 */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  if (LINEAR_LIKE.has(nonlinearity)) return 1;
  switch (nonlinearity) {
    case "tanh":
      return 5 / 3;
    case "relu":
      return Math.sqrt(2);
    case "leaky_relu":
    case "leakyRelu": {
      const slope = param ?? 0.01;
      if (typeof slope !== "number" || !Number.isFinite(slope)) {
        throw new Error(`calculateGain: negative_slope ${String(slope)} is not a valid number`);
      }
      return Math.sqrt(2 / (1 + slope * slope));
    }
    case "selu":
      return 3 / 4;
    default:
      throw new Error(`calculateGain: unsupported nonlinearity ${String(nonlinearity)}`);
  }
}

/**
 * `[fanIn, fanOut]` of a weight: `[size(1) · r, size(0) · r]` with r the product of dims ≥ 2.
 * @example calculateFanInAndFanOut(zeros([20, 10])) // [10, 20]
 */
export function calculateFanInAndFanOut(t: Tensor, op = "calculateFanInAndFanOut"): [number, number] {
  if (t.ndim < 2) {
    throw new Error(`${op}: fan in and fan out can not be computed for a tensor with fewer than 2 dimensions, got shape ${fmt(t.shape)}`);
  }
  let receptive = 1;
  for (let i = 2; i < t.ndim; i++) receptive *= t.shape[i]!;
  return [t.shape[1]! * receptive, t.shape[0]! * receptive];
}

function correctFan(t: Tensor, mode: FanMode, op: string): number {
  const [fanIn, fanOut] = calculateFanInAndFanOut(t, op);
  if (mode === "fan_in" || mode === "fanIn") return fanIn;
  if (mode === "fan_out" || mode === "fanOut") return fanOut;
  throw new Error(`${op}: mode ${String(mode)} not supported, please use one of fan_in, fan_out`);
}

/**
 * Writes `values` (row-major, length numel) into `t`'s storage without recording, so a view
 * (`w.narrow(0, 0, h)`) initializes that part of its base tensor, as in torch.
 */
function write(t: Tensor, values: ArrayLike<number>, op: string): Tensor {
  const data = t.value.data;
  let k = 0;
  t.value.forEachOffset((o) => {
    data[o] = values[k++]!;
  });
  return t.incrementVersion(op);
}

function checkFloat(t: Tensor, op: string): void {
  if (t.dtype === "int32") throw new Error(`${op}: expected a floating point tensor, got int32 of shape ${fmt(t.shape)}`);
}

/**
 * torch's float32 uniform_: 24 random bits scaled into [from, to). The bounds are rounded to
 * float32 first and the affine map is one float32 multiply-add, as torch's AVX2 kernel does.
 */
export function uniformValues(n: number, from: number, to: number, gen: Generator): Float32Array {
  const out = new Float32Array(n);
  const f = Math.fround(from);
  const range = Math.fround(Math.fround(to) - f);
  for (let i = 0; i < n; i++) out[i] = gen.uniform() * range + f;
  return out;
}

/** torch's float32 normal_ (block Box–Muller for 16 or more values). */
export function normalValues(n: number, mean: number, std: number, gen: Generator): Float32Array {
  const out = new Float32Array(n);
  gen.fillNormal(out, Math.fround(mean), Math.fround(std));
  return out;
}

/** Options of `uniform_`. */
export interface UniformOptions extends GeneratorOptions {
  /** Lower bound (default 0). */
  a?: number;
  /** Upper bound, exclusive (default 1). */
  b?: number;
}

/**
 * Fills `t` with U(a, b) samples (default a = 0, b = 1).
 * @example uniform_(w, -0.1, 0.1); uniform_(w, { a: -0.1, b: 0.1, generator: g })
 */
export function uniform_(t: Tensor, a?: number | UniformOptions, b?: number, opts: GeneratorOptions = {}): Tensor {
  const o: UniformOptions = typeof a === "object" ? a : { a, b, ...opts };
  const lo = o.a ?? 0;
  const hi = o.b ?? 1;
  checkFloat(t, "uniform_");
  if (!(lo <= hi)) throw new Error(`uniform_: expects a <= b, got a=${lo} and b=${hi}`);
  return write(t, uniformValues(t.numel(), lo, hi, o.generator ?? defaultGenerator), "uniform_");
}

/** Options of `normal_`. */
export interface NormalOptions extends GeneratorOptions {
  /** Mean (default 0). */
  mean?: number;
  /** Standard deviation (default 1). */
  std?: number;
}

/**
 * Fills `t` with N(mean, std²) samples (default mean 0, std 1).
 * @example normal_(w, 0, 0.02); normal_(w, { std: 0.02 })
 */
export function normal_(t: Tensor, mean?: number | NormalOptions, std?: number, opts: GeneratorOptions = {}): Tensor {
  const o: NormalOptions = typeof mean === "object" ? mean : { mean, std, ...opts };
  const m = o.mean ?? 0;
  const s = o.std ?? 1;
  checkFloat(t, "normal_");
  if (!(s >= 0)) throw new Error(`normal_: expects std >= 0.0, but found std ${s}`);
  return write(t, normalValues(t.numel(), m, s, o.generator ?? defaultGenerator), "normal_");
}

/**
 * Fills `t` with `val`.
 * @example constant_(bias, 0.1)
 */
export function constant_(t: Tensor, val: number): Tensor {
  return write(t, new Array<number>(t.numel()).fill(t.dtype === "int32" ? Math.trunc(val) : val), "constant_");
}

/** Fills `t` with zeros. @example zeros_(bias) */
export function zeros_(t: Tensor): Tensor {
  return constant_(t, 0);
}

/** Fills `t` with ones. @example ones_(scale) */
export function ones_(t: Tensor): Tensor {
  return constant_(t, 1);
}

/**
 * Fills a 2-D tensor with the identity (ones on the main diagonal, zeros elsewhere).
 * @example eye_(zeros([3, 5]))
 */
export function eye_(t: Tensor): Tensor {
  if (t.ndim !== 2) throw new Error(`eye_: only tensors with 2 dims are supported, got shape ${fmt(t.shape)}`);
  const [r, c] = [t.shape[0]!, t.shape[1]!];
  const v = new Float32Array(r * c);
  for (let i = 0; i < Math.min(r, c); i++) v[i * c + i] = 1;
  return write(t, v, "eye_");
}

/** Options of the Xavier (Glorot) functions. */
export interface XavierOptions extends GeneratorOptions {
  /** Scaling factor (default 1). */
  gain?: number;
}

/**
 * Xavier/Glorot uniform: U(−a, a) with a = gain · √(6 / (fanIn + fanOut)).
 * @example xavierUniform_(w, { gain: calculateGain("tanh") })
 */
export function xavierUniform_(t: Tensor, opts: number | XavierOptions = {}): Tensor {
  const o = typeof opts === "number" ? { gain: opts } : opts;
  const [fanIn, fanOut] = calculateFanInAndFanOut(t, "xavierUniform_");
  const std = (o.gain ?? 1) * Math.sqrt(2 / (fanIn + fanOut));
  const a = Math.sqrt(3) * std;
  return uniform_(t, { a: -a, b: a, generator: o.generator ?? defaultGenerator });
}

/**
 * Xavier/Glorot normal: N(0, std²) with std = gain · √(2 / (fanIn + fanOut)).
 * @example xavierNormal_(w)
 */
export function xavierNormal_(t: Tensor, opts: number | XavierOptions = {}): Tensor {
  const o = typeof opts === "number" ? { gain: opts } : opts;
  const [fanIn, fanOut] = calculateFanInAndFanOut(t, "xavierNormal_");
  const std = (o.gain ?? 1) * Math.sqrt(2 / (fanIn + fanOut));
  return normal_(t, { mean: 0, std, generator: o.generator ?? defaultGenerator });
}

/** Options of the Kaiming (He) functions. */
export interface KaimingOptions extends GeneratorOptions {
  /** Negative slope of the rectifier after this layer (leaky_relu only; default 0). */
  a?: number;
  /** Scale by the fan-in (default) or the fan-out. */
  mode?: FanMode;
  /** The nonlinearity after this layer (default "leaky_relu"). */
  nonlinearity?: Nonlinearity;
}

function kaimingStd(t: Tensor, o: KaimingOptions, op: string): number {
  const fan = correctFan(t, o.mode ?? "fan_in", op);
  return calculateGain(o.nonlinearity ?? "leaky_relu", o.a ?? 0) / Math.sqrt(fan);
}

/**
 * Kaiming/He uniform: U(−b, b) with b = gain · √(3 / fan). Linear's default weight init is
 * `kaimingUniform_(w, { a: √5 })`. Zero-element tensors are left as they are.
 * @example kaimingUniform_(w, { mode: "fan_in", nonlinearity: "relu" })
 */
export function kaimingUniform_(t: Tensor, opts: KaimingOptions = {}): Tensor {
  if (t.shape.includes(0)) return t;
  const bound = Math.sqrt(3) * kaimingStd(t, opts, "kaimingUniform_");
  return uniform_(t, { a: -bound, b: bound, generator: opts.generator ?? defaultGenerator });
}

/**
 * Kaiming/He normal: N(0, std²) with std = gain / √fan. Zero-element tensors are left as they are.
 * @example kaimingNormal_(w, { mode: "fan_out", nonlinearity: "relu" })
 */
export function kaimingNormal_(t: Tensor, opts: KaimingOptions = {}): Tensor {
  if (t.shape.includes(0)) return t;
  const std = kaimingStd(t, opts, "kaimingNormal_");
  return normal_(t, { mean: 0, std, generator: opts.generator ?? defaultGenerator });
}

/** Reduced QR of the m × n (m ≥ n) row-major matrix `a` by Householder reflections: Q (m × n), diag(R). */
function householderQr(a: Float64Array, m: number, n: number): { q: Float64Array; rDiag: Float64Array } {
  const r = Float64Array.from(a);
  const vs: Float64Array[] = [];
  const rDiag = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    let norm = 0;
    for (let i = k; i < m; i++) norm += r[i * n + k]! * r[i * n + k]!;
    norm = Math.sqrt(norm);
    const x0 = r[k * n + k]!;
    const alpha = x0 >= 0 ? -norm : norm;
    const v = new Float64Array(m);
    for (let i = k; i < m; i++) v[i] = r[i * n + k]!;
    v[k] = x0 - alpha;
    let vn = 0;
    for (let i = k; i < m; i++) vn += v[i]! * v[i]!;
    if (vn > 0) {
      for (let j = k; j < n; j++) {
        let dot = 0;
        for (let i = k; i < m; i++) dot += v[i]! * r[i * n + j]!;
        const s = (2 * dot) / vn;
        for (let i = k; i < m; i++) r[i * n + j] = r[i * n + j]! - s * v[i]!;
      }
    }
    rDiag[k] = r[k * n + k]!;
    vs.push(vn > 0 ? v.map((x) => x / Math.sqrt(vn)) : v.fill(0));
  }
  // Q = H_0 … H_{n-1} applied to the first n columns of the identity.
  const q = new Float64Array(m * n);
  for (let j = 0; j < n; j++) q[j * n + j] = 1;
  for (let k = n - 1; k >= 0; k--) {
    const v = vs[k]!;
    for (let j = 0; j < n; j++) {
      let dot = 0;
      for (let i = k; i < m; i++) dot += v[i]! * q[i * n + j]!;
      for (let i = k; i < m; i++) q[i * n + j] = q[i * n + j]! - 2 * dot * v[i]!;
    }
  }
  return { q, rDiag };
}

/**
 * (Semi-)orthogonal init: the Q of the QR decomposition of a standard normal matrix (rows =
 * size(0), the other dims flattened), signed so R's diagonal is positive, times `gain`. Draws the
 * same normals as torch, so the result matches torch's up to rounding.
 * @example orthogonal_(w, { gain: 1 }); // w·wᵀ = I when rows ≤ cols
 */
export function orthogonal_(t: Tensor, opts: number | XavierOptions = {}): Tensor {
  const o = typeof opts === "number" ? { gain: opts } : opts;
  if (t.ndim < 2) throw new Error(`orthogonal_: only tensors with 2 or more dimensions are supported, got shape ${fmt(t.shape)}`);
  checkFloat(t, "orthogonal_");
  if (t.numel() === 0) return t;
  const rows = t.shape[0]!;
  const cols = t.numel() / rows;
  const flat = normalValues(rows * cols, 0, 1, o.generator ?? defaultGenerator);
  const tall = rows >= cols;
  const [m, n] = tall ? [rows, cols] : [cols, rows];
  const a = new Float64Array(m * n);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      if (tall) a[i * n + j] = flat[i * cols + j]!;
      else a[j * n + i] = flat[i * cols + j]!;
    }
  }
  const { q, rDiag } = householderQr(a, m, n);
  const gain = o.gain ?? 1;
  const out = new Float32Array(rows * cols);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      const v = q[i * n + j]! * Math.sign(rDiag[j]!);
      if (tall) out[i * cols + j] = Math.fround(v) * gain;
      else out[j * cols + i] = Math.fround(v) * gain;
    }
  }
  return write(t, out, "orthogonal_");
}

/** erf in double precision: its Taylor series below 2.5, a continued fraction for erfc above. */
function erf(x: number): number {
  const ax = Math.abs(x);
  if (ax < 2.5) {
    let term = x;
    let sum = x;
    const x2 = x * x;
    for (let n = 1; n < 200; n++) {
      term *= -x2 / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    return (2 / Math.sqrt(Math.PI)) * sum;
  }
  // erfc(x) = e^(−x²)/√π · 1/(x + 1/2/(x + 1/(x + 3/2/(x + …)))) by Lentz's method.
  const tiny = 1e-300;
  let f = ax;
  let c = ax;
  let d = 0;
  for (let n = 1; n < 300; n++) {
    const an = n / 2;
    d = ax + an * d;
    d = d === 0 ? tiny : 1 / d;
    c = ax + an / c;
    if (c === 0) c = tiny;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  const erfc = Math.exp(-ax * ax) / Math.sqrt(Math.PI) / f;
  return x > 0 ? 1 - erfc : erfc - 1;
}

/** torch's erfinv: a rational first guess refined by two Newton steps. */
function erfinv(y: number): number {
  const ay = Math.abs(y);
  if (ay > 1) return NaN;
  if (ay === 1) return y * Infinity;
  let x: number;
  if (ay <= 0.7) {
    const z = y * y;
    const num = ((-0.140543331 * z + 0.914624893) * z - 1.645349621) * z + 0.886226899;
    const dem = (((0.012229801 * z - 0.329097515) * z + 1.442710462) * z - 2.118377725) * z + 1;
    x = (y * num) / dem;
  } else {
    const z = Math.sqrt(-Math.log((1 - ay) / 2));
    const num = ((1.641345311 * z + 3.429567803) * z - 1.624906493) * z - 1.970840454;
    const dem = (1.6370678 * z + 3.5438892) * z + 1;
    x = (Math.sign(y) * num) / dem;
  }
  for (let i = 0; i < 2; i++) x -= (erf(x) - y) / ((2 / Math.sqrt(Math.PI)) * Math.exp(-x * x));
  return x;
}

/** Options of `truncNormal_`. */
export interface TruncNormalOptions extends NormalOptions {
  /** Lower cut-off (default −2). */
  a?: number;
  /** Upper cut-off (default 2). */
  b?: number;
}

/**
 * N(mean, std²) truncated to [a, b] (torch's trunc_normal_: inverse-CDF of a uniform draw on
 * [Φ(α), Φ(β)]). Defaults: mean 0, std 1, a −2, b 2.
 * @example truncNormal_(w, { std: 0.02, a: -0.04, b: 0.04 })
 */
export function truncNormal_(t: Tensor, opts: TruncNormalOptions = {}): Tensor {
  const mean = opts.mean ?? 0;
  const std = opts.std ?? 1;
  const a = opts.a ?? -2;
  const b = opts.b ?? 2;
  checkFloat(t, "truncNormal_");
  if (!(std > 0) || !(a < b)) throw new Error(`truncNormal_: expects std > 0 and a < b, got std=${std}, a=${a}, b=${b}`);
  const cdf = (x: number) => (1 + erf(x / Math.SQRT2)) / 2;
  const l = cdf((a - mean) / std);
  const u = cdf((b - mean) / std);
  const v = uniformValues(t.numel(), 2 * l - 1, 2 * u - 1, opts.generator ?? defaultGenerator);
  const scale = Math.fround(std * Math.SQRT2);
  const [m, lo, hi] = [Math.fround(mean), Math.fround(a), Math.fround(b)];
  for (let i = 0; i < v.length; i++) {
    const x = Math.fround(Math.fround(Math.fround(erfinv(v[i]!)) * scale) + m);
    v[i] = Math.min(Math.max(x, lo), hi);
  }
  return write(t, v, "truncNormal_");
}

/**
 * Sparse init for a 2-D weight: N(0, std²) values (default std 0.01), then in each column
 * ⌈sparsity · rows⌉ entries, chosen by a random permutation, set to zero (torch's sparse_).
 * @example sparse_(w, 0.1)
 */
export function sparse_(t: Tensor, sparsity: number, opts: { std?: number; generator?: Generator } = {}): Tensor {
  if (t.ndim !== 2) throw new Error(`sparse_: only tensors with 2 dimensions are supported, got shape ${fmt(t.shape)}`);
  if (!(sparsity >= 0 && sparsity <= 1)) throw new Error(`sparse_: sparsity must be in [0, 1], got ${sparsity}`);
  const gen = opts.generator ?? defaultGenerator;
  const [rows, cols] = [t.shape[0]!, t.shape[1]!];
  const numZeros = Math.ceil(sparsity * rows);
  const v = normalValues(rows * cols, 0, opts.std ?? 0.01, gen);
  for (let c = 0; c < cols; c++) {
    const perm = randperm(rows, { generator: gen }).data();
    for (let k = 0; k < numZeros; k++) v[perm[k]! * cols + c] = 0;
  }
  return write(t, v, "sparse_");
}

/**
 * Dirac delta init for a 3-, 4- or 5-D convolution weight `(out, in, *kernel)`: the centre tap
 * of channel `i` in group `g` is 1, so the layer passes its input through (torch's dirac_).
 * @example dirac_(zeros([4, 4, 3]))
 */
export function dirac_(t: Tensor, groups = 1): Tensor {
  const d = t.ndim;
  if (d < 3 || d > 5) throw new Error(`dirac_: only tensors with 3, 4, or 5 dimensions are supported, got shape ${fmt(t.shape)}`);
  if (!Number.isInteger(groups) || groups < 1 || t.shape[0]! % groups !== 0) {
    throw new Error(`dirac_: dim 0 (${t.shape[0]}) must be divisible by groups (${groups})`);
  }
  const outPerGroup = t.shape[0]! / groups;
  const minDim = Math.min(outPerGroup, t.shape[1]!);
  const strides: number[] = [];
  let acc = 1;
  for (let i = d - 1; i >= 0; i--) {
    strides[i] = acc;
    acc *= t.shape[i]!;
  }
  const v = new Float32Array(t.numel());
  let centre = 0;
  for (let i = 2; i < d; i++) centre += Math.floor(t.shape[i]! / 2) * strides[i]!;
  for (let g = 0; g < groups; g++) {
    for (let k = 0; k < minDim; k++) v[(g * outPerGroup + k) * strides[0]! + k * strides[1]! + centre] = 1;
  }
  return write(t, v, "dirac_");
}
