import { noGrad, stack, Tensor } from "@rnnkit/autograd";

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
  return noGrad(() => {
    let total: number;
    if (normType === Infinity) {
      total = Math.max(...grads.map((g) => g.abs().max().item()));
    } else {
      total = stack(grads.map((g) => g.norm(normType))).norm(normType).item();
    }
    if (opts.errorIfNonfinite && !Number.isFinite(total)) {
      throw new Error(`clipGradNorm: the total norm of order ${normType} for gradients from parameters is non-finite (${total}), so it cannot be clipped`);
    }
    const coef = Math.min(Math.fround(Math.fround(maxNorm) / Math.fround(total + 1e-6)), 1);
    for (const g of grads) g.mul_(coef);
    return total;
  });
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
