import * as rk from "rnnkit";
import { readFileSync, statSync } from "node:fs";
import { writeFileAtomic } from "./atomicWrite.js";
import { CliError, describeSystemError, oneLine } from "./errors.js";
import { META } from "./checkpointFormat.js";
import { SchemaError, type Check } from "./schema.js";

/** A checkpoint in memory: tensors by name and the string metadata of the header. */
export interface Checkpoint {
  tensors: Record<string, rk.Tensor>;
  metadata: Record<string, string>;
}

/**
 * Writes a checkpoint atomically (temp file in the same directory, fsync, rename); a failure
 * is a CliError naming `flag` and the path, and leaves the previous file and no temp file.
 */
export function saveCheckpoint(path: string, ckpt: Checkpoint, op: string, flag = "--out"): void {
  const bytes = rk.io.saveSafetensors(ckpt.tensors, ckpt.metadata);
  try {
    writeFileAtomic(path, bytes);
  } catch (e) {
    throw new CliError(`${op}: cannot write ${flag} ${path}: ${describeSystemError(e) ?? oneLine((e as Error).message)}`);
  }
}

/**
 * Reads a file's bytes for the command `op`, with clear errors for a missing, unreadable,
 * empty or non-regular file (`what` names it: "model", "data file").
 */
export function readBytes(path: string, op: string, what = "file"): Uint8Array {
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new CliError(`${op}: ${what} ${path} is not a regular file`);
    size = st.size;
  } catch (e) {
    if (e instanceof CliError) throw e;
    const code = (e as { code?: unknown }).code;
    throw new CliError(`${op}: cannot read ${what} ${path}: ${code === "ENOENT" ? "no such file" : (describeSystemError(e) ?? oneLine((e as Error).message))}`);
  }
  if (size === 0) throw new CliError(`${op}: ${what} ${path} is empty`);
  try {
    return new Uint8Array(readFileSync(path));
  } catch (e) {
    throw new CliError(`${op}: cannot read ${what} ${path}: ${describeSystemError(e) ?? oneLine((e as Error).message)}`);
  }
}

/** The library's complaint about a safetensors file, as the CLI says it (without the function name). */
export function safetensorsProblem(e: unknown): string {
  return oneLine((e as Error).message).replace(/^decodeSafetensors(Header)?: /, "");
}

/**
 * Reads a checkpoint for command `op` with the library's `loadSafetensors`. A missing, empty,
 * truncated or non-safetensors file is a CliError naming the file; `format`, when given, must
 * match the file's `format` metadata.
 */
export function loadCheckpoint(path: string, op: string, format?: string): Checkpoint {
  const bytes = readBytes(path, op, "model");
  let ckpt: Checkpoint;
  try {
    ckpt = rk.io.loadSafetensors(bytes);
  } catch (e) {
    throw new CliError(`${op}: ${path} is not a readable safetensors file: ${safetensorsProblem(e)}`);
  }
  if (format !== undefined) {
    const got = ckpt.metadata[META.format];
    if (got === undefined) {
      throw new CliError(`${op}: ${path} has no "${META.format}" metadata; expected an rnnkit checkpoint of format "${format}"`, 1, "see apps/cli/README.md (Checkpoint format) for the keys");
    }
    if (got !== format) throw new CliError(`${op}: ${path} is a ${JSON.stringify(got)} checkpoint, expected "${format}"`);
  }
  return ckpt;
}

/** Parses the JSON metadata value `key` of a checkpoint and checks it, naming the field on error. */
export function metaValue<T>(metadata: Record<string, string>, key: string, check: Check<T>, path: string, op: string): T {
  const raw = metadata[key];
  if (raw === undefined) throw new CliError(`${op}: ${path} has no "${key}" metadata`);
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new CliError(`${op}: ${path}: metadata "${key}" is not valid JSON`);
  }
  try {
    return check(value, key);
  } catch (e) {
    if (e instanceof SchemaError) throw new CliError(`${op}: ${path}: metadata ${e.message}`);
    throw e;
  }
}
