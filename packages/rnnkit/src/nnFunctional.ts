import { functional } from "@rnnkit/nn";

// @rnnkit/nn exposes its functional API as a namespace object; re-bind each name so the
// umbrella's `functional` module can list them beside the losses. Each binding is typed
// `typeof functional.x` so the emitted declarations name the function's own signature.
export const celu: typeof functional.celu = functional.celu;
export const elu: typeof functional.elu = functional.elu;
export const gelu: typeof functional.gelu = functional.gelu;
export const hardshrink: typeof functional.hardshrink = functional.hardshrink;
export const hardsigmoid: typeof functional.hardsigmoid = functional.hardsigmoid;
export const hardswish: typeof functional.hardswish = functional.hardswish;
export const hardtanh: typeof functional.hardtanh = functional.hardtanh;
export const leakyRelu: typeof functional.leakyRelu = functional.leakyRelu;
export const logSoftmax: typeof functional.logSoftmax = functional.logSoftmax;
export const logsigmoid: typeof functional.logsigmoid = functional.logsigmoid;
export const mish: typeof functional.mish = functional.mish;
export const relu: typeof functional.relu = functional.relu;
export const relu6: typeof functional.relu6 = functional.relu6;
export const selu: typeof functional.selu = functional.selu;
export const sigmoid: typeof functional.sigmoid = functional.sigmoid;
export const silu: typeof functional.silu = functional.silu;
export const softmax: typeof functional.softmax = functional.softmax;
export const softmin: typeof functional.softmin = functional.softmin;
export const softplus: typeof functional.softplus = functional.softplus;
export const softshrink: typeof functional.softshrink = functional.softshrink;
export const softsign: typeof functional.softsign = functional.softsign;
export const tanh: typeof functional.tanh = functional.tanh;
export const tanhshrink: typeof functional.tanhshrink = functional.tanhshrink;
export const threshold: typeof functional.threshold = functional.threshold;
export const dropout: typeof functional.dropout = functional.dropout;
export const embedding: typeof functional.embedding = functional.embedding;
export const embeddingRenorm_: typeof functional.embeddingRenorm_ = functional.embeddingRenorm_;
export const bilinear: typeof functional.bilinear = functional.bilinear;
export const linear: typeof functional.linear = functional.linear;
export const normalize: typeof functional.normalize = functional.normalize;
export const oneHot: typeof functional.oneHot = functional.oneHot;
export const pad: typeof functional.pad = functional.pad;
export type GeluApproximate = functional.GeluApproximate;
export type DropoutOptions = functional.DropoutOptions;
export type EmbeddingOptions = functional.EmbeddingOptions;
export type NormalizeOptions = functional.NormalizeOptions;
