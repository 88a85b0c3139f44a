/**
 * `rk.nn`: every export of @rnnkit/nn (modules, recurrent layers, `init`, `utils`), plus the
 * loss classes of @rnnkit/optim, so `new rk.nn.CrossEntropyLoss()` works as in torch.
 */
export * from "@rnnkit/nn";
export {
  BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, HuberLoss, L1Loss, Loss, MSELoss, NLLLoss, SmoothL1Loss,
} from "@rnnkit/optim";
export * as functional from "./functional.js";
export * as F from "./functional.js";
