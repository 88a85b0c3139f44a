import { noGrad, Tensor } from "@rnnkit/autograd";
import type { NDArray } from "@rnnkit/tensor";

function gradsOf(params: Tensor | Iterable<Tensor>): Tensor[] {
  const list = params instanceof Tensor ? [params] : [...params];
  return list.filter((p) => p.grad !== null).map((p) => p.grad!);
}

/**
 * Rescales gradients in place so their joint `normType`-norm is at most `maxNorm`:
 * `total = ‖(‖g₁‖ₚ, ‖g₂‖ₚ, …)‖ₚ` (max |g| for `Infinity`), then every g is multiplied by
 * `min(1, maxNorm / (total + 1e-6))`. Returns `total`, the norm before clipping (0 when no
 * parameter has a gradient). With `errorIfNonfinite`, a NaN or infinite total is an error.
 * @example
 * loss.backward();
 * const norm = clipGradNorm(model.parameters(), 1.0);
 */
export function clipGradNorm(params: Tensor | Iterable<Tensor>, maxNorm: number, normType = 2, opts: { errorIfNonfinite?: boolean } = {}): number {
  const grads = gradsOf(params);
  if (grads.length === 0) return 0;
  if (!(normType > 0)) throw new Error(`clipGradNorm: normType must be a positive number or Infinity, got ${normType}`);
  // One read of every gradient, summed in float64 across all of them (no per-tensor norms).
  let acc = 0;
  for (const g of grads) acc = accumulateNorm(g.value, normType, acc);
  const total = Math.fround(normType === Infinity ? acc : normType === 2 ? Math.sqrt(acc) : acc ** (1 / normType));
  if (opts.errorIfNonfinite && !Number.isFinite(total)) {
    throw new Error(`clipGradNorm: the total norm of order ${normType} for gradients from parameters is non-finite (${total}), so it cannot be clipped`);
  }
  const coef = Math.min(Math.fround(Math.fround(maxNorm) / Math.fround(total + 1e-6)), 1);
  // Multiplying by exactly 1 changes nothing, so only a real clip writes (torch multiplies always).
  if (!(coef === 1)) noGrad(() => {
    for (const g of grads) g.mul_(coef);
  });
  return total;
}

/** `acc` plus Σ|x|^p over `x` (p = 2: squares; p = ∞: the running max |x|), reading its storage in place. */
function accumulateNorm(x: NDArray, p: number, acc: number): number {
  const d = x.isContiguous() ? x.data : x.flat();
  const lo = x.isContiguous() ? x.offset : 0;
  const hi = lo + x.size;
  if (p === 2) for (let i = lo; i < hi; i++) acc += d[i]! * d[i]!;
  else if (p === Infinity) for (let i = lo; i < hi; i++) acc = Math.max(acc, Math.abs(d[i]!));
  else if (p === 1) for (let i = lo; i < hi; i++) acc += Math.abs(d[i]!);
  else for (let i = lo; i < hi; i++) acc += Math.abs(d[i]!) ** p;
  return acc;
}

/**
 * Clamps every gradient in place into `[−clipValue, clipValue]`.
 * @example clipGradValue(model.parameters(), 0.5)
 */
export function clipGradValue(params: Tensor | Iterable<Tensor>, clipValue: number): void {
  if (!(clipValue >= 0)) throw new Error(`clipGradValue: clipValue must be a non-negative number, got ${clipValue}`);
  noGrad(() => {
    for (const g of gradsOf(params)) g.clamp_(-clipValue, clipValue);
  });
}
