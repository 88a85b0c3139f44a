import * as rk from "rnnkit";
import { writeFileAtomic } from "./atomicWrite.js";
import { CliError } from "./errors.js";
import { META } from "./checkpointFormat.js";
import { parseHeader, readBytes } from "./safetensorsHeader.js";

/** A checkpoint in memory: tensors by name and the string metadata of the header. */
export interface Checkpoint {
  tensors: Record<string, rk.Tensor>;
  metadata: Record<string, string>;
}

/** Writes a checkpoint atomically (temp file in the same directory, fsync, rename). */
export function saveCheckpoint(path: string, ckpt: Checkpoint): void {
  writeFileAtomic(path, rk.io.saveSafetensors(ckpt.tensors, ckpt.metadata));
}

/**
 * Reads a checkpoint for command `op`. A missing, empty, truncated or non-safetensors file is a
 * CliError naming the file; `format`, when given, must match the file's `format` metadata.
 */
export function loadCheckpoint(path: string, op: string, format?: string): Checkpoint {
  const bytes = readBytes(path, op, "model");
  parseHeader(bytes, path, op);
  let ckpt: Checkpoint;
  try {
    ckpt = rk.io.loadSafetensors(bytes);
  } catch (e) {
    throw new CliError(`${op}: cannot read ${path}: ${(e as Error).message}`);
  }
  if (format !== undefined) {
    const got = ckpt.metadata[META.format];
    if (got === undefined) {
      throw new CliError(`${op}: ${path} has no "${META.format}" metadata; expected an rnnkit checkpoint of format "${format}" (see apps/cli/README.md for the keys)`);
    }
    if (got !== format) throw new CliError(`${op}: ${path} is a "${got}" checkpoint, expected "${format}"`);
  }
  return ckpt;
}

/** Parses the JSON metadata value `key` of a checkpoint, with a clear error when absent or bad. */
export function metaJson<T>(ckpt: Checkpoint, key: string, path: string, op: string): T {
  const raw = ckpt.metadata[key];
  if (raw === undefined) throw new CliError(`${op}: ${path} has no "${key}" metadata`);
  try {
    return JSON.parse(raw) as T;
  } catch {
    throw new CliError(`${op}: ${path}: metadata "${key}" is not valid JSON`);
  }
}
