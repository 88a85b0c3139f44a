import { decodeSafetensors, decodeSafetensorsHeader, encodeSafetensors, type NDArray, type SafetensorsHeader } from "@rnnkit/tensor";
import { Tensor } from "./tensor.js";

export type { SafetensorsHeader, SafetensorsTensorInfo } from "@rnnkit/tensor";

/**
 * Saves tensors (e.g. a module's `stateDict()`) in the safetensors format, byte-identical to
 * Python's `safetensors.torch.save_file` for the same record; `metadata` goes in the header's
 * `__metadata__` map. Gradients and graph links are not saved.
 * @example const bytes = saveSafetensors(model.stateDict(), { format: "pt" });
 */
export function saveSafetensors(record: Record<string, Tensor>, metadata?: Record<string, string>): Uint8Array {
  if (typeof record !== "object" || record === null || Array.isArray(record) || record instanceof Tensor) {
    throw new Error(`saveSafetensors: expected a record of name → Tensor (e.g. module.stateDict()), got ${record === null ? "null" : Array.isArray(record) ? "an array" : record instanceof Tensor ? "a Tensor; wrap it: { weight: t }" : typeof record}`);
  }
  const arrays: Record<string, NDArray> = {};
  for (const [name, t] of Object.entries(record)) {
    if (!(t instanceof Tensor)) throw new Error(`saveSafetensors: record["${name}"] is not a Tensor`);
    Object.defineProperty(arrays, name, { value: t.value, enumerable: true, writable: true, configurable: true });
  }
  return encodeSafetensors(arrays, metadata);
}

/**
 * Loads safetensors bytes into leaf tensors (requiresGrad false): F32 → float32, F64 → float64,
 * F16/BF16 → float32, I32/I64 and small integer types → int32 (an Error past int32's range).
 * Truncated or inconsistent files throw an Error saying what is wrong.
 * @example const { tensors, metadata } = loadSafetensors(bytes); model.loadStateDict(tensors);
 */
export function loadSafetensors(bytes: Uint8Array): { tensors: Record<string, Tensor>; metadata: Record<string, string> } {
  const { tensors: arrays, metadata } = decodeSafetensors(bytes);
  const tensors: Record<string, Tensor> = {};
  for (const [name, a] of Object.entries(arrays)) {
    Object.defineProperty(tensors, name, { value: new Tensor(a), enumerable: true, writable: true, configurable: true });
  }
  return { tensors, metadata };
}

/**
 * Reads a safetensors header without the tensor data: what `loadSafetensors` would load (names,
 * dtypes, shapes, the dtype each is read as, metadata), for files too large to read whole.
 * `prefix` holds at least the first `8 + headerLength` bytes, `fileLength` is the file's size;
 * the header is checked exactly as `loadSafetensors` checks it (offsets against `fileLength`).
 * @example
 * const fd = openSync(path); const head = Buffer.alloc(8); readSync(fd, head, 0, 8, 0);
 * const n = Number(head.readBigUInt64LE(0)); const prefix = Buffer.alloc(8 + n); readSync(fd, prefix, 0, 8 + n, 0);
 * readSafetensorsHeader(prefix, fstatSync(fd).size).tensors.map((t) => t.shape);
 */
export function readSafetensorsHeader(prefix: Uint8Array, fileLength?: number): SafetensorsHeader {
  if (!(prefix instanceof Uint8Array)) {
    throw new Error(`readSafetensorsHeader: expected the file's first bytes as a Uint8Array, got ${prefix === null ? "null" : typeof prefix}`);
  }
  return decodeSafetensorsHeader(prefix, fileLength);
}
