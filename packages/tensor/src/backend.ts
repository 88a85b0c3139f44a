import type { DType } from "./dtype.js";
import type { NDArray } from "./ndarray.js";

/** Elementwise ops of one argument. Float ops on int32 input give float32, as torch. */
export type UnaryOp =
  | "neg" | "abs" | "sign" | "exp" | "log" | "log1p" | "expm1" | "sqrt" | "rsqrt" | "reciprocal"
  | "square" | "tanh" | "sigmoid" | "relu" | "sin" | "cos" | "floor" | "ceil" | "round" | "erf"
  | "softplus" | "logSigmoid";

/** Elementwise ops of two broadcast arguments. Comparisons give int32 0/1 masks. */
export type BinaryOp =
  | "add" | "sub" | "mul" | "div" | "pow" | "maximum" | "minimum" | "atan2"
  | "eq" | "ne" | "lt" | "le" | "gt" | "ge";

/**
 * A right-hand GEMM operand `op(B)` (k × n) copied (and, on a SIMD backend, packed) once for many
 * products `C = A · op(B)`: the per-time-step `h · W_hhᵀ` of a recurrent layer. Later changes to
 * the source array do not reach it.
 * @example const w = backend().prepareGemmB(true, 4 * H, H, whh, 0, H); w.gemm(B, h, 0, H, gh, 0, 4 * H)
 */
export interface PreparedGemmB {
  /** Columns of op(B). */
  readonly n: number;
  /** Rows of op(B) (the inner dimension). */
  readonly k: number;
  /** `C = A · op(B)` for `m` rows of A (leading dim `lda`) into C (leading dim `ldc`), overwriting C. */
  gemm(m: number, a: Float32Array | Float64Array, aOff: number, lda: number, c: Float32Array | Float64Array, cOff: number, ldc: number): void;
}

/** Reductions over a set of dims. */
export type ReduceOp = "sum" | "prod" | "max" | "min";

/** The rows and weights a gated sequence projects itself (`GatedSequence.input`). */
export interface GatedInput {
  /** Input rows x (N, I) in packed row order. */
  readonly x: Float32Array | Float64Array;
  /** `W_ih` as stored, (G·H, I). */
  readonly weight: Float32Array | Float64Array;
  /** Input size I. */
  readonly size: number;
  /** Added to every row of `x · W_ihᵀ` (G·H), or null. */
  readonly bias: Float32Array | Float64Array | null;
}

/**
 * The forward of one GRU or LSTM layer × direction without projection, over packed rows (what a
 * fused recurrent sequence runs): for each walk step k, with `bs = steps[3k]`, packed row
 * `row0 = steps[3k + 1]` and saved row `sRow0 = steps[3k + 2]`:
 * `hPrev[row0..] = h`, `gh = h[0..bs] · W_hhᵀ`, then the backend's `gruCell` / `lstmCell` on
 * `gi` rows from `row0` (saving activations from `sRow0`), then `out[row0..] = h[0..bs]`.
 * Rows of `h` (and `c`) past `bs` keep their state. With `input`, the input half of the gates is
 * formed first as one GEMM, `x · W_ihᵀ + bias`. Float32 or float64 storage, all one dtype.
 * @example backend().gatedSequence({ cell: "gru", H, steps, gi, whh, bhh, h, c: null, out, acts, saved: ghN, tanhC: null, hPrev: null })
 */
export interface GatedSequence {
  /** `"gru"`: 3 gates r, z, n; `"lstm"`: 4 gates i, f, g, o. */
  readonly cell: "gru" | "lstm";
  /** Hidden size H (the state rows' width). */
  readonly H: number;
  /** Per walk step: row count, first packed row, first saved row (3 int32 each). */
  readonly steps: Int32Array;
  /**
   * `x · W_ihᵀ` plus biases, (N, G·H) in packed row order; read only. With `input`, a workspace
   * (or null) whose contents afterwards are unspecified: the backend forms these values itself.
   */
  readonly gi: Float32Array | Float64Array | null;
  /** When set, the input half of the gates is `x · W_ihᵀ + bias` (one GEMM) instead of `gi`. */
  readonly input?: GatedInput | null;
  /** `W_hh` as stored, (G·H, H): the step product is `h · W_hhᵀ`. */
  readonly whh: Float32Array | Float64Array;
  /** `b_hh` (G·H), or zeros. */
  readonly bhh: Float32Array | Float64Array;
  /** The state h (B, H), updated in place. */
  readonly h: Float32Array | Float64Array;
  /** LSTM's cell state c (B, H), updated in place; null for GRU. */
  readonly c: Float32Array | Float64Array | null;
  /** h after every step, (N, H) in packed row order. */
  readonly out: Float32Array | Float64Array;
  /** Gate activations, rows of G·H from the saved rows. */
  readonly acts: Float32Array | Float64Array;
  /** Rows of H from the saved rows: GRU's `gh_n + b_hn`, LSTM's c before the step. */
  readonly saved: Float32Array | Float64Array;
  /** LSTM's `tanh(c)` (rows of H from the saved rows); null for GRU. */
  readonly tanhC: Float32Array | Float64Array | null;
  /** h before every step (N, H) in packed row order, or null when not kept. */
  readonly hPrev: Float32Array | Float64Array | null;
}

/**
 * The backward (BPTT) of a `GatedSequence` forward that kept every step (saved rows = packed
 * rows), walking its steps from the last to the first: for each, with `bs` rows from packed row
 * `row0`: `dh[0..bs] += dOut[row0..]`, then the backend's `lstmCellBackward` / `gruCellBackward`
 * on the saved rows (gate gradients into `dGi`, and GRU's hidden half into `dGh`), then
 * `dh[0..bs] = dG · W_hh` (LSTM; dG = dGi) or `dh·z + dGh · W_hh` (GRU). Rows of `dh` (and `dc`)
 * past `bs` keep their value. On return `dh` (and `dc`) hold the gradients of the initial state.
 * @example backend().gatedSequenceBackward({ cell: "lstm", H, steps, whh, acts, saved: cPrev, tanhC, hPrev: null, dOut, dh, dc, dGi, dGh: null })
 */
export interface GatedSequenceBackward {
  /** `"gru"` or `"lstm"`, as in the forward. */
  readonly cell: "gru" | "lstm";
  /** Hidden size H. */
  readonly H: number;
  /** The forward's walk (3 int32 per step: rows, first packed row, first saved row = the packed one). */
  readonly steps: Int32Array;
  /** `W_hh` as stored, (G·H, H). */
  readonly whh: Float32Array | Float64Array;
  /** The forward's gate activations (N, G·H). */
  readonly acts: Float32Array | Float64Array;
  /** The forward's saved rows (N, H): GRU's `gh_n + b_hn`, LSTM's c before each step. */
  readonly saved: Float32Array | Float64Array;
  /** LSTM's `tanh(c)` (N, H); null for GRU. */
  readonly tanhC: Float32Array | Float64Array | null;
  /** GRU's h before each step (N, H); null for LSTM. */
  readonly hPrev: Float32Array | Float64Array | null;
  /** The gradient of every step's output h (N, H), or null. */
  readonly dOut: Float32Array | Float64Array | null;
  /** In: the gradient of the final h (B, H); out: that of the initial h. */
  readonly dh: Float32Array | Float64Array;
  /** LSTM: in the gradient of the final c, out that of the initial c (B, H); null for GRU. */
  readonly dc: Float32Array | Float64Array | null;
  /** Out: the gate pre-activation gradients of the input half (N, G·H). */
  readonly dGi: Float32Array | Float64Array;
  /** Out, GRU: those of the hidden half (N, 3H; they differ in the n gate); null for LSTM. */
  readonly dGh: Float32Array | Float64Array | null;
}

/**
 * Every kernel rnnkit runs. Kernels take NDArrays of any strides and return new contiguous
 * NDArrays (except the `*Into`/in-place ones, which say so); they know nothing of gradients.
 * A backend that lacks a kernel does not compile.
 */
export interface Backend {
  readonly name: string;

  /** `out = op(x)`, same shape. */
  unary(op: UnaryOp, x: NDArray): NDArray;
  /** `out = op(a, b)` with torch broadcasting; dtype promoted (comparisons: int32). */
  binary(op: BinaryOp, a: NDArray, b: NDArray, opName?: string): NDArray;
  /** `x ** p` for a scalar exponent. */
  powScalar(x: NDArray, p: number): NDArray;
  /** Clamps into `[min, max]`; either bound may be omitted. */
  clamp(x: NDArray, min: number | undefined, max: number | undefined): NDArray;
  /** `cond ? a : b` elementwise, all three broadcast together. */
  where(cond: NDArray, a: NDArray, b: NDArray): NDArray;
  /** `a + alpha * b`, the hot path of optimizers and gradient accumulation. */
  axpy(a: NDArray, b: NDArray, alpha: number): NDArray;
  /** A contiguous copy converted to `dtype`. */
  cast(x: NDArray, dtype: DType): NDArray;

  /** Reduces `dims` (sorted, non-empty or all) of `x`. */
  reduce(op: ReduceOp, x: NDArray, dims: readonly number[], keepdim: boolean): NDArray;
  /** Index (int32) of the max / min along one dim; ties take the first. */
  argReduce(op: "argmax" | "argmin", x: NDArray, dim: number, keepdim: boolean): NDArray;
  /** `log Σ exp(x)` over `dims`, computed stably. */
  logsumexp(x: NDArray, dims: readonly number[], keepdim: boolean): NDArray;
  /** Softmax (or log-softmax when `log`) along one dim, computed stably. */
  softmax(x: NDArray, dim: number, log: boolean): NDArray;

  /** torch.matmul for ≥2-D operands: batched, batch dims broadcast. */
  matmul(a: NDArray, b: NDArray): NDArray;
  /**
   * `C = alpha * op(A) · op(B) + beta * C` on raw row-major float storage, the GEMM every
   * linear algebra path reduces to. `op(X)` is `Xᵀ` when the trans flag is set.
   */
  gemm(
    transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number,
    a: Float32Array | Float64Array, aOff: number, lda: number,
    b: Float32Array | Float64Array, bOff: number, ldb: number,
    beta: number, c: Float32Array | Float64Array, cOff: number, ldc: number,
  ): void;

  /**
   * Copies `op(B)` (k × n, `Bᵀ` when `transB`, leading dim `ldb`) for repeated products with
   * `gemm` semantics (alpha 1, beta 0); float32 or float64 storage.
   */
  prepareGemmB(transB: boolean, n: number, k: number, b: Float32Array | Float64Array, bOff: number, ldb: number): PreparedGemmB;

  /**
   * Fused LSTM pointwise step over `bs` rows of `p = gi + gh + b_hh` (rows of 4H, gates i, f, g, o):
   * `c = σ(p_f)·c + σ(p_i)·tanh(p_g)` in place, `tanhC = tanh(c)`, `h = σ(p_o)·tanhC`, activations
   * into `acts`. `gi` rows start at `giOff`, `acts` at `actsOff`, `tanhC` at `tanhCOff`; `gh`, `c`, `h` at 0.
   */
  lstmCell(
    bs: number, H: number, gi: Float32Array | Float64Array, giOff: number, gh: Float32Array | Float64Array,
    bhh: Float32Array | Float64Array, c: Float32Array | Float64Array, acts: Float32Array | Float64Array, actsOff: number,
    tanhC: Float32Array | Float64Array, tanhCOff: number, h: Float32Array | Float64Array,
  ): void;
  /**
   * Fused GRU pointwise step over `bs` rows (rows of 3H, gates r, z, n): `r, z = σ(gi + gh + b_hh)`,
   * `ghN = gh_n + b_hn`, `n = tanh(gi_n + r·ghN)`, `h = n + z·(h − n)` in place, activations into
   * `acts`. `gi` rows start at `giOff`, `acts` at `actsOff`, `ghN` at `ghNOff`; `gh`, `h` at 0.
   */
  gruCell(
    bs: number, H: number, gi: Float32Array | Float64Array, giOff: number, gh: Float32Array | Float64Array,
    bhh: Float32Array | Float64Array, h: Float32Array | Float64Array, acts: Float32Array | Float64Array, actsOff: number,
    ghN: Float32Array | Float64Array, ghNOff: number,
  ): void;

  /**
   * LSTM backward pointwise step over `bs` rows (the BPTT counterpart of `lstmCell`): from the saved
   * activations (`acts` rows of 4H from `actsOff`), `cPrev` and `tanhC` (rows of H from `cOff`), `dh`
   * (rows of width `ldh`) and the running `dc` (rows of H), both at 0: `dc' = dc + dh·o·(1 − tanhC²)`,
   * gate pre-activation gradients into `dGates` (rows of 4H from `actsOff`), then `dc = dc'·f` in place.
   */
  lstmCellBackward(
    bs: number, H: number, acts: Float32Array | Float64Array, actsOff: number, cPrev: Float32Array | Float64Array,
    tanhC: Float32Array | Float64Array, cOff: number, dh: Float32Array | Float64Array, ldh: number,
    dc: Float32Array | Float64Array, dGates: Float32Array | Float64Array,
  ): void;
  /**
   * GRU backward pointwise step over `bs` rows (the BPTT counterpart of `gruCell`): from the saved
   * activations (`acts` rows of 3H from `actsOff`), `ghN` and `hPrev` (rows of H from `sOff`) and `dh`
   * (rows of H at 0), the input-half gate gradients into `dGi` and the hidden half into `dGh` (rows of
   * 3H from `actsOff`; they differ in the n gate, `dGh_n = dGi_n·r`), then `dh = dh·z` in place.
   */
  gruCellBackward(
    bs: number, H: number, acts: Float32Array | Float64Array, actsOff: number, ghN: Float32Array | Float64Array,
    hPrev: Float32Array | Float64Array, sOff: number, dh: Float32Array | Float64Array,
    dGi: Float32Array | Float64Array, dGh: Float32Array | Float64Array,
  ): void;

  /** Runs a whole GRU or LSTM layer × direction forward (see `GatedSequence`); no allocation per step. */
  gatedSequence(s: GatedSequence): void;
  /** Runs its backward through time (see `GatedSequenceBackward`); no allocation per step. */
  gatedSequenceBackward(s: GatedSequenceBackward): void;

  /** Picks entries of `index` (int32, 1-D) along `dim`. */
  indexSelect(x: NDArray, dim: number, index: NDArray): NDArray;
  /** Adds slices of `src` into a copy of `x` at `index` along `dim` (index_add). */
  indexAdd(x: NDArray, dim: number, index: NDArray, src: NDArray): NDArray;
  /** `out[i][j] = x[i][index[i][j]]` along `dim` (torch.gather). */
  gather(x: NDArray, dim: number, index: NDArray): NDArray;
  /** A copy of `x` with `src` added at `index` along `dim` (torch.scatter_add). */
  scatterAdd(x: NDArray, dim: number, index: NDArray, src: NDArray): NDArray;
  /** Joins arrays along an existing dim. */
  cat(xs: readonly NDArray[], dim: number): NDArray;
  /** Reverses the order along `dims`. */
  flip(x: NDArray, dims: readonly number[]): NDArray;
  /** int32 indices → int32 one-hot rows of length `numClasses` (`-1`: max index + 1), as torch. */
  oneHot(index: NDArray, numClasses: number): NDArray;
}
