/** Hyper-parameters of one Adam step for one parameter (bias corrections already folded in). */
export interface AdamStepParams {
  beta1: number;
  beta2: number;
  eps: number;
  /** L2 weight decay added to the gradient (Adam); 0 when none or decoupled. */
  l2: number;
  /** Factor the parameter is multiplied by first (AdamW's `1 - lr·λ`; 1 for Adam). */
  decay: number;
  /** -1 with `maximize`, else 1. */
  sign: number;
  /** `lr / (1 - β1^t)`. */
  stepSize: number;
  /** `√(1 - β2^t)`. */
  bc2Sqrt: number;
}

const f = Math.fround;

/**
 * One fused in-place Adam pass over a parameter `x` with gradient `grad`, first moment `m`,
 * second moment `v` and (amsgrad) running max `vmax`, in torch 1.13's single-tensor order of
 * float32 roundings: `g = ±∇ + λ·x`; `m = β1·m + (1-β1)·g`; `v = β2·v + (1-β2)·g²`;
 * `x -= stepSize · m / (√v̂ / bc2Sqrt + ε)`. One loop, no temporaries.
 * @example adamUpdate(x, g, m, v, null, { beta1: 0.9, beta2: 0.999, eps: 1e-8, l2: 0, decay: 1, sign: 1, stepSize: 1e-3 / 0.1, bc2Sqrt: Math.sqrt(0.001) })
 */
export function adamUpdate(
  x: Float32Array, grad: ArrayLike<number>, m: Float32Array, v: Float32Array, vmax: Float32Array | null, s: AdamStepParams,
): void {
  const { beta1, beta2, eps, l2, decay, sign, stepSize, bc2Sqrt } = s;
  const c1 = 1 - beta1;
  const c2 = 1 - beta2;
  const n = x.length;
  if (vmax === null && l2 === 0 && decay === 1) {
    // The common case (plain Adam): no weight decay, no amsgrad.
    for (let i = 0; i < n; i++) {
      const gi = sign * grad[i]!;
      const mi = f(f(m[i]! * beta1) + c1 * gi);
      const vi = f(f(v[i]! * beta2) + c2 * gi * gi);
      m[i] = mi;
      v[i] = vi;
      const denom = f(f(Math.sqrt(vi)) / bc2Sqrt) + eps;
      x[i] = x[i]! - stepSize * (mi / f(denom));
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    let gi = sign * grad[i]!;
    let xi = x[i]!;
    if (decay !== 1) xi = f(xi * decay);
    if (l2 !== 0) gi = f(gi + l2 * xi);
    const mi = f(f(m[i]! * beta1) + c1 * gi);
    const vi = f(f(v[i]! * beta2) + c2 * gi * gi);
    m[i] = mi;
    v[i] = vi;
    let second = vi;
    if (vmax !== null) {
      second = Math.max(vmax[i]!, vi);
      vmax[i] = second;
    }
    const denom = f(f(Math.sqrt(second)) / bc2Sqrt) + eps;
    x[i] = xi - stepSize * (mi / f(denom));
  }
}
