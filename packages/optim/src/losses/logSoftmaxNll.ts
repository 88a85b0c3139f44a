import { defineOp, isGradEnabled, needsGrad, oneHot, Tensor } from "@rnnkit/autograd";
import { allocArray, backend, fmt, NDArray } from "@rnnkit/tensor";
import type { ClassTargets } from "./classIndex.js";

type Floats = Float32Array | Float64Array;

interface NllArgs {
  /** `(M)` target class per row (0 where ignored). */
  index: Int32Array;
  /** `(M)` weight per row (0 where ignored). */
  weight: Float32Array;
  /** Keep softmax(x) for the backward. */
  keep: boolean;
  /** `(M, C)` softmax(x), set by the forward when `keep`. */
  probs: Floats | null;
}

/** `shifted[r][j] = x[r][j] − max_j x[r][j]` (the max taken as 0 for a row of −∞), maxes into `m`. */
function shiftRows(x: Floats, M: number, C: number, shifted: Floats, maxes: Float64Array): void {
  for (let r = 0; r < M; r++) {
    const o = r * C;
    let m = -Infinity;
    for (let j = 0; j < C; j++) m = Math.max(m, x[o + j]!);
    if (m === -Infinity) m = 0;
    maxes[r] = m;
    for (let j = 0; j < C; j++) shifted[o + j] = x[o + j]! - m;
  }
}

/**
 * `out[r] = -w[r] · log softmax(x[r])[y[r]]` from `e = exp(x − max)`, rounded as the composite
 * (log-softmax stored in the dtype, times the weight, negated); turns `e` into softmax(x) in
 * place when `normalize`.
 */
function nllFromExp(x: Floats, e: Floats, maxes: Float64Array, M: number, C: number, args: NllArgs, normalize: boolean, out: Floats): void {
  const { index, weight } = args;
  for (let r = 0; r < M; r++) {
    const o = r * C;
    let s = 0;
    for (let j = 0; j < C; j++) s += e[o + j]!;
    if (normalize) for (let j = 0; j < C; j++) e[o + j] = e[o + j]! / s;
    // Each store rounds to the dtype: log p first, then the weighted, negated value.
    out[r] = x[o + index[r]!]! - maxes[r]! - Math.log(s);
    out[r] = -(out[r]! * weight[r]!);
  }
}

/** `dx[r][c] = gw[r]·[c = y[r]] − p[r][c]·gw[r]` with `gw[r] = −g[r]·w[r]`, rounded as the composite's backward. */
function nllBackward(g: ArrayLike<number>, M: number, C: number, args: NllArgs, dx: Floats): void {
  const { index, weight } = args;
  const probs = args.probs!;
  // Storing into dx rounds to its dtype, as the composite's separate ops did.
  for (let r = 0; r < M; r++) {
    const o = r * C;
    dx[o] = g[r]! * weight[r]!;
    const gw = -dx[o]!;
    for (let j = 0; j < C; j++) dx[o + j] = probs[o + j]! * -gw;
    const y = o + index[r]!;
    dx[y] = gw + dx[y]!;
  }
}

// A primitive for speed: log-softmax, the target pick and the weight in one pass over the
// logits and one in backward, with no (M, C) intermediates but the saved softmax.
const logSoftmaxNllOp = defineOp<NllArgs>({
  name: "logSoftmaxNll",
  saves: () => [],
  forward: ([x], args) => {
    const [M, C] = x!.shape as [number, number];
    const xv = x!.flat() as Floats;
    const shifted = allocArray(x!.dtype, M * C) as Floats;
    const maxes = new Float64Array(M);
    shiftRows(xv, M, C, shifted, maxes);
    // One bulk exp (SIMD on the wasm backend), the only transcendental per logit.
    const e = backend().unary("exp", new NDArray(shifted, [M * C])).flat() as Floats;
    const out = allocArray(x!.dtype, M) as Floats;
    nllFromExp(xv, e, maxes, M, C, args, args.keep, out);
    args.probs = args.keep ? e : null;
    return new NDArray(out, [M]);
  },
  backward: ({ inputs: [x], args }, g) => {
    const [M, C] = x!.shape as [number, number];
    if (isGradEnabled()) {
      // Building a higher-order graph: the same gradient in differentiable ops.
      const target = oneHot(new Tensor(new NDArray(args.index, [M])), C).to(x!.dtype);
      const gw = g.mul(new Tensor(new NDArray(args.weight, [M]))).neg().unsqueeze(1);
      return [x!.softmax(1).sub(target).mul(gw).neg()];
    }
    const dx = allocArray(x!.dtype, M * C) as Floats;
    nllBackward(g.value.flat(), M, C, args, dx);
    return [new Tensor(new NDArray(dx, [M, C]))];
  },
});

/**
 * Per-row negative log-likelihood of logits `(M, C)` against class targets:
 * `ℓ_r = -w_r · log softmax(x_r)[y_r]` `(M)`, the same values as
 * `x.logSoftmax(1).gather(1, y).mul(w).neg()` computed in one pass.
 * @example logSoftmaxNll(logits, classTargets("crossEntropy", logits, y, null, -100))
 */
export function logSoftmaxNll(x: Tensor, t: ClassTargets): Tensor {
  if (x.ndim !== 2) throw new Error(`logSoftmaxNll: logits must be 2-D (M, C), got shape ${fmt(x.shape)}`);
  const index = t.index.value.flat() as Int32Array;
  const weight = t.weight.value.flat() as Float32Array;
  return logSoftmaxNllOp([x], { index, weight, keep: needsGrad([x]), probs: null });
}
