/**
 * `rk.data`: `Dataset`, `TensorDataset`, `DataLoader`, samplers, `CharVocab`, collates, synthetic
 * tasks and `textCorpus`. The bundled corpora are separate packages (`@rnnkit/dataset-kjv`,
 * `@rnnkit/dataset-word-origin`), each under the licence of its text.
 */
export * from "@rnnkit/data";
