export * as rnn from "./rnn.js";
export { clipGradNorm, clipGradValue } from "./clipGrad.js";
