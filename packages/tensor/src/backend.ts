import type { DType, Floats } from "./dtype.js";
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
  gemm(m: number, a: Floats, aOff: number, lda: number, c: Floats, cOff: number, ldc: number): void;
}

/** Reductions over a set of dims. */
export type ReduceOp = "sum" | "prod" | "max" | "min";

/** The recurrence of a sequence: Elman with tanh or relu, GRU (gates r, z, n) or LSTM (gates i, f, g, o). */
export type RecurrentCell = "rnnTanh" | "rnnRelu" | "gru" | "lstm";

/** Gates per cell: the G of `W_ih` `(G·H, I)`. The one definition every package uses. */
export const GATE_COUNTS: Readonly<Record<RecurrentCell, number>> = { rnnTanh: 1, rnnRelu: 1, gru: 3, lstm: 4 };

/**
 * Names the storage a weight array was read from, so a backend may keep a derived copy (the
 * weight packed for its GEMM, in its own memory) across calls: the same `key` object at the same
 * `version` promises the same values. Callers bump `version` on every write (autograd's
 * `Tensor.version`) or pass a new key (a replaced storage); a backend may ignore the stamp, and
 * may drop its copy once the key is garbage collected.
 * @example const stamp: WeightStamp = { key: w.value, version: w.version };
 */
export interface WeightStamp {
  /** The source storage's identity (held weakly). */
  readonly key: object;
  /** Its write counter: a change means the values may have changed. */
  readonly version: number;
}

/** The rows and weights a recurrent sequence projects itself (`RecurrentSequence.input`). */
export interface SequenceInput {
  /** Input rows x (N, I) in packed row order. */
  readonly x: Floats;
  /** `W_ih` as stored, (G·H, I). */
  readonly weight: Floats;
  /** Identifies `weight` across calls (see `WeightStamp`), or null. */
  readonly weightStamp?: WeightStamp | null;
  /** Input size I. */
  readonly size: number;
  /** Added to every row of `x · W_ihᵀ` (G·H), or null. */
  readonly bias: Floats | null;
}

/** LSTM's projection of h (torch's `proj_size`): `h = o·tanh(c) · W_hrᵀ`, so h has R < H columns. */
export interface SequenceProjection {
  /** `W_hr` as stored, (R, H). */
  readonly weight: Floats;
  /** Identifies `weight` across calls (see `WeightStamp`), or null. */
  readonly weightStamp?: WeightStamp | null;
  /** R, the width of the projected h. */
  readonly size: number;
  /** Out: h before the projection (rows of H from the saved rows), kept for `dW_hr`; or null. */
  readonly raw: Floats | null;
}

/**
 * The forward of one recurrent layer × direction over packed rows (what a fused recurrent layer
 * runs), every cell type: for each walk step k, with `bs = steps[3k]`, packed row
 * `row0 = steps[3k + 1]` and saved row `sRow0 = steps[3k + 2]`: `hPrev[row0..] = h`,
 * `gh = h[0..bs] · W_hhᵀ`, then the cell on `gi` rows from `row0` (`rnnCell`, `gruCell` or
 * `lstmCell`, saving activations from `sRow0`), then LSTM's projection `h = raw · W_hrᵀ`, then
 * `out[row0..] = h[0..bs]`. Rows of `h` (and `c`) past `bs` keep their state: a packed
 * (shrinking) batch; a reversed walk lists the steps from the last. With `input`, the input half
 * of the gates is formed first as one GEMM, `x · W_ihᵀ + bias`. Widths: h has R columns (H
 * without projection), gates G·H. Float32 or float64 storage, all one dtype.
 * @example backend().recurrentSequence({ cell: "gru", H, steps, gi, whh, bhh, h, c: null, out, acts, saved: ghN, tanhC: null, hPrev: null })
 */
export interface RecurrentSequence {
  /** The recurrence (see `RecurrentCell`). */
  readonly cell: RecurrentCell;
  /** Hidden size H (the cell's width). */
  readonly H: number;
  /** Per walk step: row count, first packed row, first saved row (3 int32 each). */
  readonly steps: Int32Array;
  /**
   * `x · W_ihᵀ` plus biases, (N, G·H) in packed row order; read only. With `input`, a workspace
   * (or null) whose contents afterwards are unspecified: the backend forms these values itself.
   */
  readonly gi: Floats | null;
  /** When set, the input half of the gates is `x · W_ihᵀ + bias` (one GEMM) instead of `gi`. */
  readonly input?: SequenceInput | null;
  /** `W_hh` as stored, (G·H, R): the step product is `h · W_hhᵀ`. */
  readonly whh: Floats;
  /** Identifies `whh` across calls (see `WeightStamp`): a backend may keep it packed until the stamp changes. */
  readonly whhStamp?: WeightStamp | null;
  /** `b_hh` (G·H) with what of `b_ih` the cell adds, or zeros. */
  readonly bhh: Floats;
  /** The state h (B, R), updated in place. */
  readonly h: Floats;
  /** LSTM's cell state c (B, H), updated in place; null otherwise. */
  readonly c: Floats | null;
  /** h after every step, (N, R) in packed row order. */
  readonly out: Floats;
  /** Gate activations, rows of G·H from the saved rows; null for Elman cells (their activation is `out`). */
  readonly acts: Floats | null;
  /** Rows of H from the saved rows: GRU's `gh_n + b_hn`, LSTM's c before the step; null for Elman cells. */
  readonly saved: Floats | null;
  /** LSTM's `tanh(c)` (rows of H from the saved rows); null otherwise. */
  readonly tanhC: Floats | null;
  /** h before every step (N, R) in packed row order, or null when not kept. */
  readonly hPrev: Floats | null;
  /** LSTM only: project h (see `SequenceProjection`). */
  readonly projection?: SequenceProjection | null;
}

/**
 * The backward (BPTT) of a `RecurrentSequence` forward that kept every step (saved rows = packed
 * rows), walking its steps from the last to the first: for each, with `bs` rows from packed row
 * `row0`: `dh[0..bs] += dOut[row0..]`; LSTM with projection: `dhSteps[row0..] = dh`,
 * `dRaw = dh · W_hr`; then the cell's backward on the saved rows (`rnnCellBackward`,
 * `lstmCellBackward`, `gruCellBackward`: gate gradients into `dGi`, and GRU's hidden half into
 * `dGh`), then `dh[0..bs] = dG · W_hh` (plus GRU's direct path `dh·z`). Rows of `dh` (and `dc`)
 * past `bs` keep their value. On return `dh` (and `dc`) hold the gradients of the initial state.
 * @example backend().recurrentSequenceBackward({ cell: "lstm", H, steps, whh, acts, saved: cPrev, tanhC, hPrev: null, dOut, dh, dc, dGi, dGh: null })
 */
export interface RecurrentSequenceBackward {
  /** The forward's cell. */
  readonly cell: RecurrentCell;
  /** Hidden size H. */
  readonly H: number;
  /** The forward's walk (3 int32 per step: rows, first packed row, first saved row = the packed one). */
  readonly steps: Int32Array;
  /** `W_hh` as stored, (G·H, R). */
  readonly whh: Floats;
  /** The forward's gate activations (N, G·H); Elman cells: the forward's `out`. */
  readonly acts: Floats;
  /** The forward's saved rows (N, H): GRU's `gh_n + b_hn`, LSTM's c before each step; null for Elman cells. */
  readonly saved: Floats | null;
  /** LSTM's `tanh(c)` (N, H); null otherwise. */
  readonly tanhC: Floats | null;
  /** GRU's h before each step (N, H); null otherwise. */
  readonly hPrev: Floats | null;
  /** The gradient of every step's output h (N, R), or null. */
  readonly dOut: Floats | null;
  /** In: the gradient of the final h (B, R); out: that of the initial h. */
  readonly dh: Floats;
  /** LSTM: in the gradient of the final c, out that of the initial c (B, H); null otherwise. */
  readonly dc: Floats | null;
  /** Out: the gate pre-activation gradients of the input half (N, G·H). */
  readonly dGi: Floats;
  /** Out, GRU: those of the hidden half (N, 3H; they differ in the n gate); null otherwise. */
  readonly dGh: Floats | null;
  /** LSTM with projection: `W_hr` (R, H) and, out, the gradient of h at every step (N, R) for `dW_hr`. */
  readonly projection?: { readonly weight: Floats; readonly size: number; readonly dhSteps: Floats } | null;
}

/**
 * Every kernel rnnkit runs. Kernels take NDArrays of any strides and return new contiguous
 * NDArrays; the raw-storage kernels (`gemm`, the recurrent cells and sequences) write into the
 * arrays they are given, as their docs say. They know nothing of gradients.
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
  /**
   * The input gradient of `softmax(x, dim, log)` in one pass from its output `y` and the output
   * gradient `g` (same shape): log-softmax `g − e^y · Σ_dim g`, softmax `y · (g − Σ_dim g·y)`.
   */
  softmaxBackward(y: NDArray, g: NDArray, dim: number, log: boolean): NDArray;
  /**
   * `softmaxBackward(y, g, 1, true)` for a one-hot `g` `(M, C)` given by rows: `g[r, targets[r]] = coef[r]`,
   * 0 elsewhere, without the `(M, C)` array (the backward of `nllLoss(logSoftmax(x, 1), t)`):
   * `dx[r, j] = g[r, j] − e^y[r, j] · coef[r]`, bit for bit what `softmaxBackward` gives on that `g`.
   * `y` is contiguous `(M, C)`; `coef` holds the dtype's values (`coef[r]` ≠ −0).
   */
  nllLogSoftmaxBackward(y: NDArray, targets: Int32Array, coef: Float32Array | Float64Array): NDArray;

  /** torch.matmul for ≥2-D operands: batched, batch dims broadcast. */
  matmul(a: NDArray, b: NDArray): NDArray;
  /**
   * `C = alpha * op(A) · op(B) + beta * C` on raw row-major float storage, the GEMM every
   * linear algebra path reduces to. `op(X)` is `Xᵀ` when the trans flag is set.
   */
  gemm(
    transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number,
    a: Floats, aOff: number, lda: number,
    b: Floats, bOff: number, ldb: number,
    beta: number, c: Floats, cOff: number, ldc: number,
  ): void;

  /**
   * A linear layer's forward on raw row-major storage: `out = x · Wᵀ + bias` with `x` (N × I),
   * `w` (O × I), `bias` (O) or null, `out` (N × O, written whole). The values are those of `gemm`
   * onto `out` holding `bias` in every row (beta 1; beta 0 without bias).
   */
  affineRows(N: number, I: number, O: number, x: Floats, w: Floats, bias: Floats | null, out: Floats): void;
  /**
   * A linear layer's gradients from one output gradient `g` (N × O): `dx = g · W` (N × I, `w`
   * O × I), `dw = gᵀ · X` (O × I, `x` N × I) and `db` (O) the column sums of `g`, each skipped
   * when null. The values are `gemm`'s for each product and `columnSums`' for `db`; a backend may
   * share one copy of `g` between them.
   */
  linearGrads(
    N: number, I: number, O: number, g: Floats, w: Floats, x: Floats,
    dx: Floats | null, dw: Floats | null, db: Floats | null,
  ): void;

  /**
   * Copies `op(B)` (k × n, `Bᵀ` when `transB`, leading dim `ldb`) for repeated products with
   * `gemm` semantics (alpha 1, beta 0); float32 or float64 storage.
   */
  prepareGemmB(transB: boolean, n: number, k: number, b: Floats, bOff: number, ldb: number): PreparedGemmB;

  /**
   * Fused LSTM pointwise step over `bs` rows of `p = gi + gh + b_hh` (rows of 4H, gates i, f, g, o):
   * `c = σ(p_f)·c + σ(p_i)·tanh(p_g)` in place, `tanhC = tanh(c)`, `h = σ(p_o)·tanhC`, activations
   * into `acts`. `gi` rows start at `giOff`, `acts` at `actsOff`, `tanhC` at `tanhCOff`; `gh`, `c`, `h` at 0.
   */
  lstmCell(
    bs: number, H: number, gi: Floats, giOff: number, gh: Floats,
    bhh: Floats, c: Floats, acts: Floats, actsOff: number,
    tanhC: Floats, tanhCOff: number, h: Floats,
  ): void;
  /**
   * Fused GRU pointwise step over `bs` rows (rows of 3H, gates r, z, n): `r, z = σ(gi + gh + b_hh)`,
   * `ghN = gh_n + b_hn`, `n = tanh(gi_n + r·ghN)`, `h = n + z·(h − n)` in place, activations into
   * `acts`. `gi` rows start at `giOff`, `acts` at `actsOff`, `ghN` at `ghNOff`; `gh`, `h` at 0.
   */
  gruCell(
    bs: number, H: number, gi: Floats, giOff: number, gh: Floats,
    bhh: Floats, h: Floats, acts: Floats, actsOff: number,
    ghN: Floats, ghNOff: number,
  ): void;

  /**
   * LSTM backward pointwise step over `bs` rows (the BPTT counterpart of `lstmCell`): from the saved
   * activations (`acts` rows of 4H from `actsOff`), `cPrev` and `tanhC` (rows of H from `cOff`), `dh`
   * (rows of width `ldh`) and the running `dc` (rows of H), both at 0: `dc' = dc + dh·o·(1 − tanhC²)`,
   * gate pre-activation gradients into `dGates` (rows of 4H from `actsOff`), then `dc = dc'·f` in place.
   */
  lstmCellBackward(
    bs: number, H: number, acts: Floats, actsOff: number, cPrev: Floats,
    tanhC: Floats, cOff: number, dh: Floats, ldh: number,
    dc: Floats, dGates: Floats,
  ): void;
  /**
   * GRU backward pointwise step over `bs` rows (the BPTT counterpart of `gruCell`): from the saved
   * activations (`acts` rows of 3H from `actsOff`), `ghN` and `hPrev` (rows of H from `sOff`) and `dh`
   * (rows of H at 0), the input-half gate gradients into `dGi` and the hidden half into `dGh` (rows of
   * 3H from `actsOff`; they differ in the n gate, `dGh_n = dGi_n·r`), then `dh = dh·z` in place.
   */
  gruCellBackward(
    bs: number, H: number, acts: Floats, actsOff: number, ghN: Floats,
    hPrev: Floats, sOff: number, dh: Floats,
    dGi: Floats, dGh: Floats,
  ): void;

  /**
   * Elman pointwise step over `bs` rows of H: `h = act(gi + gh + b_hh)` with tanh (or relu when
   * `relu`), in place. `gi` rows start at `giOff`; `gh`, `h` at 0.
   */
  rnnCell(relu: boolean, bs: number, H: number, gi: Floats, giOff: number, gh: Floats, bhh: Floats, h: Floats): void;
  /**
   * Elman backward pointwise step over `bs` rows: `dGates = dh · act'(a)` read off the saved
   * output `out` (`1 − h²` for tanh, `h > 0` for relu); `out` and `dGates` rows start at `off`, `dh` at 0.
   */
  rnnCellBackward(relu: boolean, bs: number, H: number, out: Floats, off: number, dh: Floats, dGates: Floats): void;

  /** Runs a whole recurrent layer × direction forward, any cell (see `RecurrentSequence`); no allocation per step. */
  recurrentSequence(s: RecurrentSequence): void;
  /** Runs its backward through time (see `RecurrentSequenceBackward`); no allocation per step. */
  recurrentSequenceBackward(s: RecurrentSequenceBackward): void;

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
