import type { Tensor } from "@rnnkit/autograd";
import { fmt } from "@rnnkit/tensor";

/** Options of `normalize`. */
export interface NormalizeOptions {
  /** The p of the p-norm (default 2). */
  p?: number;
  /** The dim to normalize over (default 1). */
  dim?: number;
  /** Lower bound on the norm, to avoid dividing by zero (default 1e-12). */
  eps?: number;
}

/**
 * `x / max(‖x‖_p, eps)` along `dim` (any shape → same shape).
 * @example normalize(randn([4, 3])) // every row has unit 2-norm
 */
export function normalize(x: Tensor, opts: NormalizeOptions = {}): Tensor {
  const dim = opts.dim ?? 1;
  const n = Math.max(x.ndim, 1);
  if (!Number.isInteger(dim) || dim < -n || dim >= n) {
    throw new Error(`normalize: dim ${dim} is out of range for a tensor of shape ${fmt(x.shape)}`);
  }
  const denom = x.norm(opts.p ?? 2, dim, true).clamp(opts.eps ?? 1e-12);
  return x.div(denom);
}
