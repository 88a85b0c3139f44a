import { readFileSync, writeFileSync } from "node:fs";
import * as rk from "rnnkit";
import { Dictionary } from "./data.js";
import { RNNModel, type RNNType } from "./model.js";

/** The model settings saved with the weights, so generate.ts needs nothing else. */
export interface ModelConfig {
  model: RNNType;
  ntokens: number;
  emsize: number;
  nhid: number;
  nlayers: number;
  dropout: number;
  tied: boolean;
}

/** Builds the model a config describes (weights freshly drawn). */
export function buildModel(c: ModelConfig): RNNModel {
  return new RNNModel(c.model, c.ntokens, c.emsize, c.nhid, c.nlayers, { dropout: c.dropout, tieWeights: c.tied });
}

/**
 * Writes the state dict as safetensors, the config and the vocabulary in its metadata (main.py
 * pickles the whole model with torch.save; a state dict loads into PyTorch's RNNModel too).
 */
export function saveCheckpoint(path: string, model: RNNModel, config: ModelConfig, dict: Dictionary): void {
  const bytes = rk.io.saveSafetensors(model.stateDict(), { config: JSON.stringify(config), vocab: JSON.stringify(dict.idx2word) });
  writeFileSync(path, bytes);
}

/** Reads a checkpoint back: the model (weights loaded) and its dictionary. */
export function loadCheckpoint(path: string): { model: RNNModel; config: ModelConfig; dictionary: Dictionary } {
  const { tensors, metadata } = rk.io.loadSafetensors(new Uint8Array(readFileSync(path)));
  if (metadata.config === undefined || metadata.vocab === undefined) {
    throw new Error(`loadCheckpoint: ${path} has no config/vocab metadata; was it written by main.ts?`);
  }
  const config = JSON.parse(metadata.config) as ModelConfig;
  const model = buildModel(config);
  model.loadStateDict(tensors);
  const dictionary = new Dictionary();
  for (const w of JSON.parse(metadata.vocab) as string[]) dictionary.addWord(w);
  return { model, config, dictionary };
}
