export { ArrayDataset, ConcatDataset, Dataset, Subset, TensorDataset } from "./dataset.js";
export { randomSplit } from "./randomSplit.js";
export { permutation } from "./permutation.js";
export {
  BatchSampler, RandomSampler, SequentialSampler, SubsetRandomSampler,
  type RandomSamplerOptions, type Sampler, type Sized,
} from "./sampler.js";
export { defaultCollate, type Collated } from "./collate.js";
export { padCollate, type PadCollateOptions, type PadSample, type PaddedBatch, type Sequence } from "./padCollate.js";
export { DataLoader, type DataLoaderOptions } from "./dataLoader.js";
export { CharVocab, type CharVocabJSON, type CharVocabOptions, type UnknownPolicy } from "./charVocab.js";
export { helloOhlol, type HelloOhlol } from "./datasets/helloOhlol.js";
export {
  addingProblem, copyTask, sineWave,
  type AddingProblemOptions, type CopyTaskOptions, type SequenceTask, type SineWaveOptions,
} from "./datasets/synthetic.js";
export { textCorpus, TextChunkDataset, type TextCorpus, type TextCorpusOptions } from "./datasets/textCorpus.js";
