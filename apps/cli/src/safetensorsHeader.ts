import { readFileSync, statSync } from "node:fs";
import { CliError } from "./errors.js";

/** One tensor entry of a safetensors header. */
export interface TensorEntry {
  dtype: string;
  shape: number[];
  dataOffsets: [number, number];
}

/** The parsed header of a safetensors file: tensors in file order, and `__metadata__`. */
export interface SafetensorsHeader {
  tensors: [string, TensorEntry][];
  metadata: Record<string, string>;
  headerBytes: number;
  dataBytes: number;
}

const DTYPE_BYTES: Record<string, number> = {
  BOOL: 1, U8: 1, I8: 1, F8_E4M3: 1, F8_E5M2: 1, I16: 2, U16: 2, F16: 2, BF16: 2,
  I32: 4, U32: 4, F32: 4, I64: 8, U64: 8, F64: 8,
};

/** Bytes per element of a safetensors dtype name (`F32` → 4), or undefined if unknown. */
export function dtypeBytes(dtype: string): number | undefined {
  return DTYPE_BYTES[dtype];
}

/**
 * Reads a file's bytes for the command `op`, with clear errors for a missing, unreadable or
 * empty file.
 */
export function readBytes(path: string, op: string, what = "file"): Uint8Array {
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new CliError(`${op}: ${what} ${path} is not a regular file`);
    size = st.size;
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(`${op}: cannot read ${what} ${path}: no such file`);
  }
  if (size === 0) throw new CliError(`${op}: ${what} ${path} is empty`);
  return new Uint8Array(readFileSync(path));
}

/**
 * Parses and checks the header of safetensors `bytes` (8-byte little-endian header length,
 * JSON header, raw data). Throws a CliError naming `path` when the file is not safetensors or
 * is truncated, so nothing downstream ever reads a short buffer as a smaller tensor.
 */
export function parseHeader(bytes: Uint8Array, path: string, op: string): SafetensorsHeader {
  if (bytes.length < 8) {
    throw new CliError(`${op}: ${path} is not a safetensors file (${bytes.length} bytes, too short for the 8-byte header length)`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(view.getBigUint64(0, true));
  if (n < 2 || n > 100_000_000) {
    throw new CliError(`${op}: ${path} is not a safetensors file (header length ${n} is not plausible)`);
  }
  if (8 + n > bytes.length) {
    throw new CliError(`${op}: ${path} is truncated: the header needs ${n} bytes but the file has ${bytes.length - 8} after the length`);
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(8, 8 + n)));
  } catch {
    throw new CliError(`${op}: ${path} is not a safetensors file (the header is not valid JSON)`);
  }
  if (json === null || typeof json !== "object" || Array.isArray(json)) {
    throw new CliError(`${op}: ${path} is not a safetensors file (the header is not a JSON object)`);
  }
  const metadata: Record<string, string> = {};
  const tensors: [string, TensorEntry][] = [];
  let dataEnd = 0;
  for (const [name, raw] of Object.entries(json as Record<string, unknown>)) {
    if (name === "__metadata__") {
      if (raw !== null && typeof raw === "object") {
        for (const [k, v] of Object.entries(raw as Record<string, unknown>)) if (typeof v === "string") metadata[k] = v;
      }
      continue;
    }
    const e = raw as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    const okShape = Array.isArray(e.shape) && e.shape.every((d) => Number.isInteger(d) && d >= 0);
    const okOff = Array.isArray(e.data_offsets) && e.data_offsets.length === 2 && e.data_offsets.every((d) => Number.isInteger(d) && d >= 0);
    if (typeof e.dtype !== "string" || !okShape || !okOff) {
      throw new CliError(`${op}: ${path} is not a safetensors file (bad header entry for tensor "${name}")`);
    }
    const shape = e.shape as number[];
    const [start, end] = e.data_offsets as [number, number];
    const width = dtypeBytes(e.dtype);
    const count = shape.reduce((a, b) => a * b, 1);
    if (width !== undefined && end - start !== count * width) {
      throw new CliError(`${op}: ${path} is corrupt: tensor "${name}" (${e.dtype} [${shape.join(", ")}]) needs ${count * width} bytes, its offsets span ${end - start}`);
    }
    dataEnd = Math.max(dataEnd, end);
    tensors.push([name, { dtype: e.dtype, shape, dataOffsets: [start, end] }]);
  }
  const dataBytes = bytes.length - 8 - n;
  if (dataEnd > dataBytes) {
    throw new CliError(`${op}: ${path} is truncated: the header describes ${dataEnd} bytes of tensor data but the file holds ${dataBytes}`);
  }
  tensors.sort((a, b) => a[1].dataOffsets[0] - b[1].dataOffsets[0]);
  return { tensors, metadata, headerBytes: n, dataBytes };
}
