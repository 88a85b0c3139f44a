/** `rk.data`: `Dataset`, `TensorDataset`, `DataLoader`, samplers, `CharVocab`, bundled datasets. */
export * from "@rnnkit/data";
