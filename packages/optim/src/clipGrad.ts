import { utils } from "@rnnkit/nn";

/**
 * Scales the gradients of `params` in place so their joint `normType`-norm is at most `maxNorm`:
 * `g ← g · min(1, maxNorm / (‖g‖ + 1e-6))`; returns the norm before clipping (`Infinity`
 * selects the max norm). The same function as `nn.utils.clipGradNorm`.
 * @example loss.backward(); clipGradNorm(model.parameters(), 1.0); opt.step();
 */
export const clipGradNorm = utils.clipGradNorm;

/**
 * Clamps every gradient entry of `params` into `[-clipValue, clipValue]` in place.
 * The same function as `nn.utils.clipGradValue`.
 * @example clipGradValue(model.parameters(), 0.5);
 */
export const clipGradValue = utils.clipGradValue;
