/**
 * @rnnkit/export: the PyTorch side of rnnkit's scale path. `torchProject(spec)` writes a small
 * DistributedDataParallel project for an rnnkit model configuration whose checkpoints rnnkit
 * reads back; `zipStore` packs it for a download.
 * @example
 * import { torchProject, zipStore } from "@rnnkit/export";
 * const zip = zipStore(torchProject({ kind: "charlm", config, vocab, options }));
 */
export { torchProject } from "./torchProject.js";
export { zipStore, readZipStore } from "./zip.js";
export { crc32 } from "./crc32.js";
export { pyLiteral, type PyValue } from "./pyLiteral.js";
export {
  stateDictShapes,
  type CellKind, type CharLMConfig, type ClassifierConfig, type CharLMTrainOptions, type CharLMProjectSpec,
  type ClassifierTrainOptions, type ClassifierProjectSpec, type LabelledText, type TorchProjectSpec, type ProjectFiles,
} from "./spec.js";
