import { backend, NDArray } from "@rnnkit/tensor";

/** Float storage the fused recurrent kernels run on (float32 for training, float64 for gradcheck). */
export type Floats = Float32Array | Float64Array;

/**
 * The per-step gate loops of `runSequence`, one plain function per cell type so each stays
 * small and monomorphic. All take flat row-major buffers with explicit row offsets and write
 * into preallocated workspaces (no allocation). Conventions: `bs` rows of this step, hidden
 * size `H`, gate row width `G·H`; `gi` holds `x · W_ihᵀ + b_ih` for the step's rows starting
 * at row `row0`; `gh` holds `h · W_hhᵀ` (no bias) for rows 0..bs; `bhh` is `b_hh` (zeros
 * for a layer without bias, so the loops carry no branch).
 */

/** `σ(x) = 1 / (1 + e^{-x})`, one `exp` of a non-positive argument (no overflow). */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** Below this many elements an activation runs as an inline loop rather than a backend kernel call. */
const BULK_MIN = 256;

/**
 * `buf[0..n] = f(buf[0..n])` in place for `f` = tanh or sigmoid: a SIMD backend kernel for large
 * float32 blocks (the same kernel the per-op path uses), an inline loop otherwise.
 * @example activateInPlace("tanh", buf, 512)
 */
export function activateInPlace(op: "tanh" | "sigmoid", buf: Floats, n: number): void {
  const be = backend();
  if (n >= BULK_MIN && buf instanceof Float32Array && be.name !== "js") {
    buf.set(be.unary(op, new NDArray(buf.subarray(0, n), [n])).flat());
    return;
  }
  if (op === "tanh") for (let q = 0; q < n; q++) buf[q] = Math.tanh(buf[q]!);
  else for (let q = 0; q < n; q++) buf[q] = sigmoid(buf[q]!);
}

/**
 * Elman step: `h = act(gi + gh + b_hh)` with tanh or relu; writes `acts` (packed, the new h)
 * and the state rows `h` (leading dim `H`).
 * @example rnnForwardRows(false, 2, 8, gi, 0, gh, bhh, acts, h)
 */
export function rnnForwardRows(
  relu: boolean, bs: number, H: number, gi: Floats, row0: number, gh: Floats, bhh: Floats,
  acts: Floats, h: Floats,
): void {
  const n = bs * H;
  const g0 = row0 * H;
  for (let b = 0; b < bs; b++) {
    const o = b * H;
    for (let j = 0; j < H; j++) {
      const a = gi[g0 + o + j]! + gh[o + j]! + bhh[j]!;
      h[o + j] = relu ? (a > 0 ? a : 0) : a;
    }
  }
  if (!relu) activateInPlace("tanh", h, n);
  if (acts !== h) acts.set(h.subarray(0, n), g0);
}

/**
 * LSTM step: gates `i, f, g, o` from `gi + gh + b_hh`, `c = f·c + i·g`, `h = o·tanh(c)`, as
 * the backend's fused `lstmCell`. Saves the activations in `acts`, the previous c in `cPrev` and
 * `tanh(c)` in `tanhC` (packed rows, width H), updates `c` (B, H) in place and writes h into
 * `hOut` rows of width H. The saved rows start at row `sRow0` (default `row0`; 0 when nothing is
 * kept for backward).
 */
export function lstmForwardRows(
  bs: number, H: number, gi: Floats, row0: number, gh: Floats, bhh: Floats,
  acts: Floats, c: Floats, cPrev: Floats, tanhC: Floats, hOut: Floats, sRow0 = row0,
): void {
  cPrev.set(c.subarray(0, bs * H), sRow0 * H);
  backend().lstmCell(bs, H, gi, row0 * 4 * H, gh, bhh, c, acts, sRow0 * 4 * H, tanhC, sRow0 * H, hOut);
}

/**
 * Elman backward step: `da = dh · act'(a)` from the saved output; writes the pre-activation
 * gradient rows into `dGates` (packed, width H).
 */
export function rnnBackwardRows(
  relu: boolean, bs: number, H: number, row0: number, acts: Floats, dh: Floats, ldh: number, dGates: Floats,
): void {
  for (let b = 0; b < bs; b++) {
    const g0 = (row0 + b) * H;
    const hb = b * ldh;
    for (let j = 0; j < H; j++) {
      const v = acts[g0 + j]!;
      dGates[g0 + j] = dh[hb + j]! * (relu ? (v > 0 ? 1 : 0) : 1 - v * v);
    }
  }
}

/**
 * LSTM backward step from `dh` (rows of width `ldh`) and the running `dc` (B, H), updated in
 * place to the previous step's `dc`; writes the gate pre-activation gradients into `dGates`
 * (the same for the input and hidden halves), as the backend's fused `lstmCellBackward`.
 */
export function lstmBackwardRows(
  bs: number, H: number, row0: number, acts: Floats, cPrev: Floats, tanhC: Floats,
  dh: Floats, ldh: number, dc: Floats, dGates: Floats,
): void {
  backend().lstmCellBackward(bs, H, acts, row0 * 4 * H, cPrev, tanhC, row0 * H, dh, ldh, dc, dGates);
}

/** `dst[q] += src[off + q]` for q < n: a loop of its own so it is optimized apart from its caller. */
export function addInto(dst: Floats, src: Floats, off: number, n: number): void {
  for (let q = 0; q < n; q++) dst[q]! += src[off + q]!;
}

/** `db[j] = Σ_q d[q·W + j]` over `rows` rows of width `W` (a bias gradient), in float64. */
export function columnSums(d: Floats, rows: number, W: number, db: Floats): void {
  const acc = new Float64Array(W);
  let q = 0;
  // Eight rows per pass: an eighth of the accumulator traffic.
  for (; q + 8 <= rows; q += 8) {
    const o = q * W;
    for (let j = 0; j < W; j++) {
      const p = o + j;
      acc[j]! += d[p]! + d[p + W]! + d[p + 2 * W]! + d[p + 3 * W]! + d[p + 4 * W]! + d[p + 5 * W]! + d[p + 6 * W]! + d[p + 7 * W]!;
    }
  }
  for (; q < rows; q++) {
    const o = q * W;
    for (let j = 0; j < W; j++) acc[j]! += d[o + j]!;
  }
  db.set(acc);
}

/** Below this many multiply-adds a per-step product runs inline instead of through the backend GEMM. */
const SMALL_GEMM = 4096;

/** `C = A · op(B)` for tiny products: an inline float64-accumulated loop, no call overhead or allocation. */
function inlineGemm(
  transB: boolean, m: number, n: number, k: number,
  a: Floats, aOff: number, lda: number, b: Floats, bOff: number, ldb: number,
  c: Floats, cOff: number, ldc: number,
): void {
  for (let i = 0; i < m; i++) {
    const ai = aOff + i * lda;
    const ci = cOff + i * ldc;
    for (let j = 0; j < n; j++) {
      let s = 0;
      if (transB) {
        const bj = bOff + j * ldb;
        for (let p = 0; p < k; p++) s += a[ai + p]! * b[bj + p]!;
      } else {
        for (let p = 0; p < k; p++) s += a[ai + p]! * b[bOff + p * ldb + j]!;
      }
      c[ci + j] = s;
    }
  }
}

/** One right-hand operand `op(B)` (k × n) multiplied at every time step of a sequence. */
export interface StepProduct {
  /** `C = A · op(B)` for `m` rows of A (leading dim `lda`) into C (leading dim `ldc`). */
  run(m: number, a: Floats, aOff: number, lda: number, c: Floats, cOff: number, ldc: number): void;
}

/**
 * Prepares `op(B)` (`Bᵀ` when `transB`; at most `maxM` rows of A per step) for a sequence's
 * per-step products: the backend copies and packs it once (`prepareGemmB`), tiny products (a
 * batch-1 toy network) run inline. B must not change while the sequence runs.
 * @example const p = stepProduct(true, 4 * H, R, whh, 0, R, B); p.run(bs, h, 0, R, gh, 0, 4 * H) // gh = h · W_hhᵀ
 */
export function stepProduct(transB: boolean, n: number, k: number, b: Floats, bOff: number, ldb: number, maxM: number): StepProduct {
  const prepared = maxM * n * k >= SMALL_GEMM ? backend().prepareGemmB(transB, n, k, b, bOff, ldb) : null;
  return {
    run(m, a, aOff, lda, c, cOff, ldc) {
      if (prepared && m * n * k >= SMALL_GEMM) prepared.gemm(m, a, aOff, lda, c, cOff, ldc);
      else inlineGemm(transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
    },
  };
}
