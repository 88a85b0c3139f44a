import * as rk from "rnnkit";
import { validateConfig, type PlaygroundConfig } from "./config.js";

/** Metadata keys written into a playground checkpoint's safetensors header. */
export interface CheckpointMeta {
  config: PlaygroundConfig;
  symbols: string[];
  labelNames: string[];
  step: number;
}

/** The model's state dict as safetensors bytes, with the config and vocabulary in `__metadata__`. */
export function encodeCheckpoint(state: Record<string, rk.Tensor>, meta: CheckpointMeta): Uint8Array {
  const { text: _text, ...config } = meta.config;
  return rk.io.saveSafetensors(state, {
    format: "rnnkit-playground",
    config: JSON.stringify(config),
    symbols: JSON.stringify(meta.symbols),
    labelNames: JSON.stringify(meta.labelNames),
    step: String(meta.step),
  });
}

/**
 * Reads a checkpoint. A file without playground metadata (for example a state dict saved from
 * PyTorch) is accepted when `fallback` describes its configuration. Bad bytes give a clear Error.
 */
export function decodeCheckpoint(
  bytes: Uint8Array,
  fallback?: Pick<CheckpointMeta, "config" | "symbols" | "labelNames">,
): { tensors: Record<string, rk.Tensor>; meta: CheckpointMeta } {
  let loaded: { tensors: Record<string, rk.Tensor>; metadata: Record<string, string> };
  try {
    loaded = rk.io.loadSafetensors(bytes);
  } catch (e) {
    throw new Error(`This file is not a readable safetensors checkpoint: ${(e as Error).message}`);
  }
  const md = loaded.metadata;
  if (md.config === undefined) {
    if (!fallback) {
      throw new Error("This safetensors file has no rnnkit configuration in its metadata; choose a matching model configuration first, then load it.");
    }
    return { tensors: loaded.tensors, meta: { ...fallback, symbols: [...fallback.symbols], labelNames: [...fallback.labelNames], step: 0 } };
  }
  const parse = <T>(key: string): T => {
    try {
      return JSON.parse(md[key] ?? "") as T;
    } catch {
      throw new Error(`Checkpoint metadata "${key}" is not valid JSON`);
    }
  };
  const config = { text: "", ...parse<Omit<PlaygroundConfig, "text">>("config") } as PlaygroundConfig;
  const errs = validateConfig({ ...config, text: config.task === "text" ? "x".repeat(100) : "" });
  if (errs.length) throw new Error(`Checkpoint configuration is invalid: ${errs.join("; ")}`);
  return {
    tensors: loaded.tensors,
    meta: { config, symbols: parse<string[]>("symbols"), labelNames: parse<string[]>("labelNames"), step: Number(md.step ?? 0) },
  };
}
