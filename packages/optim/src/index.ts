export * as functional from "./losses/functional.js";
export * from "./losses/functional.js";
export {
  BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, HuberLoss, L1Loss, Loss, MSELoss, NLLLoss, SmoothL1Loss,
} from "./losses/lossModules.js";
export * from "./optimizers/index.js";
export * as lrScheduler from "./lrScheduler/index.js";
export { clipGradNorm, clipGradValue } from "./clipGrad.js";
