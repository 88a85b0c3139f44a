import { freshGrad, isGradEnabled, logSoftmaxOrigin, needsGrad, record, Tensor } from "@rnnkit/autograd";
import { allocArray, backend, NDArray } from "@rnnkit/tensor";
import type { ClassTargets } from "./classIndex.js";

type Floats = Float32Array | Float64Array;

/** `out[r] = −(logp[r][y_r] · w_r)`, each store rounded to the dtype as the composite's gather, mul and neg. */
function pickRows(logp: Floats, M: number, C: number, index: Int32Array, weight: Float32Array, out: Floats): void {
  for (let r = 0; r < M; r++) {
    out[r] = logp[r * C + index[r]!]! * weight[r]!;
    out[r] = -out[r]!;
  }
}

/**
 * The non-zero of each row of the one-hot `(M, C)` gradient the composite's gather hands
 * log-softmax: `0 + (−g_r · w_r)`, each store rounded to the dtype (an ignored row gives +0 as the
 * scatter does, never −0).
 */
function oneHotCoefs(g: ArrayLike<number>, M: number, weight: Float32Array, out: Floats): void {
  for (let r = 0; r < M; r++) {
    out[r] = -g[r]! * weight[r]!;
    out[r] = 0 + out[r]!;
  }
}

/**
 * Per-row negative log-likelihood of log-probabilities `logp` `(M, C)` against class targets:
 * `ℓ_r = −w_r · logp[r, y_r]` `(M)`, the values of `logp.gather(1, y).reshape([-1]).mul(w).neg()`.
 * When `logp` is the recorded `logSoftmax(x, 1)` of logits `x`, the gradient skips the `(M, C)`
 * one-hot tensor of the gather and log-softmax's own node: one pass gives
 * `∂ℓ/∂x = onehot·v − softmax(x)·v` with `v_r = −g_r·w_r`, exactly log-softmax's backward of the
 * composite's gradient. Otherwise it is the composite.
 * @example logProbNll(logits.logSoftmax(1), classTargets("nllLoss", logits, y, null, -100))
 */
export function logProbNll(logp: Tensor, t: ClassTargets): Tensor {
  const plain = logp.ndim === 2 && logp.dtype !== "int32" && logp.value.isContiguous();
  const recording = needsGrad([logp]);
  const origin = plain && recording ? logSoftmaxOrigin(logp) : null;
  if (!plain || (recording && (origin === null || origin.dim !== 1))) {
    return logp.gather(1, t.index).reshape([-1]).mul(t.weight).neg();
  }
  const [M, C] = logp.shape as [number, number];
  const index = t.index.value.flat() as Int32Array;
  const weight = t.weight.value.flat() as Float32Array;
  const out = allocArray(logp.dtype, M) as Floats;
  pickRows(logp.value.flat() as Floats, M, C, index, weight, out);
  const result = new Tensor(new NDArray(out, [M]));
  if (origin === null) return result;
  const logSoftmaxNode = logp.gradFn!;
  record("nllLoss", [origin.input], [result], ([g]) => {
    if (isGradEnabled()) {
      // Building a higher-order graph: the composite's gradient in differentiable ops.
      const mask = new Float32Array(M * C);
      for (let r = 0; r < M; r++) mask[r * C + index[r]!] = 1;
      const v = g!.neg().mul(t.weight).unsqueeze(1);
      const dense = new Tensor(new NDArray(mask, [M, C])).to(logp.dtype).mul(v);
      retain(logSoftmaxNode, dense);
      return [dense.sub(logp.exp().mul(dense.sum(1, true)))];
    }
    const coef = allocArray(logp.dtype, M) as Floats;
    oneHotCoefs(g!.value.flat(), M, weight, coef);
    if (logSoftmaxNode.retained?.has(0)) {
      const dense = allocArray(logp.dtype, M * C) as Floats;
      for (let r = 0; r < M; r++) dense[r * C + index[r]!] = coef[r]!;
      retain(logSoftmaxNode, new Tensor(new NDArray(dense, [M, C])));
    }
    return [freshGrad(new Tensor(backend().nllLogSoftmaxBackward(logp.value, index, coef)))];
  }, [logp]);
  return result;
}

/** `logp.retainGrad()` still sees the gradient the composite would have handed log-softmax's node. */
function retain(node: NonNullable<Tensor["gradFn"]>, g: Tensor): void {
  const t = node.retained?.get(0);
  if (t === undefined) return;
  t.grad = t.grad ? t.grad.add(g.detach()) : g.detach().clone();
}
