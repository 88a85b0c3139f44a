export {
  Optimizer, type HyperParams, type HyperValue, type OptimizerStateDict, type ParamGroup, type ParamGroupSpec, type ParamState,
} from "./optimizer.js";
export { SGD, type SGDOptions } from "./sgd.js";
export { Adam, AdamW, type AdamOptions } from "./adam.js";
export { RMSprop, type RMSpropOptions } from "./rmsprop.js";
export { Adagrad, type AdagradOptions } from "./adagrad.js";
