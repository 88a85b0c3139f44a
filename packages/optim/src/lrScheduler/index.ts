export { LRScheduler, type SchedulerStateDict, type SchedulerValue } from "./lrScheduler.js";
export { StepLR } from "./stepLR.js";
export { MultiStepLR } from "./multiStepLR.js";
export { ExponentialLR } from "./exponentialLR.js";
export { CosineAnnealingLR } from "./cosineAnnealingLR.js";
export { LambdaLR, type LrLambda } from "./lambdaLR.js";
export { OneCycleLR, type OneCycleLROptions } from "./oneCycleLR.js";
export { ReduceLROnPlateau, type ReduceLROnPlateauOptions } from "./reduceLROnPlateau.js";
