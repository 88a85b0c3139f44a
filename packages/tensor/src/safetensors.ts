import { allocArray, type DType } from "./dtype.js";
import { NDArray } from "./ndarray.js";
import { fmt, numel } from "./shape.js";

/** The safetensors dtypes, in the reference writer's rank order (it sorts by descending rank). */
const DTYPE_RANK = ["BOOL", "U8", "I8", "F8_E5M2", "F8_E4M3", "I16", "U16", "F16", "BF16", "I32", "U32", "F32", "F64", "I64", "U64"] as const;
type StDtype = (typeof DTYPE_RANK)[number];

const ITEM_SIZE: Record<StDtype, number> = {
  BOOL: 1, U8: 1, I8: 1, F8_E5M2: 1, F8_E4M3: 1, I16: 2, U16: 2, F16: 2, BF16: 2,
  I32: 4, U32: 4, F32: 4, F64: 8, I64: 8, U64: 8,
};

/** How each readable file dtype lands in an NDArray. */
const READ_AS: Partial<Record<StDtype, DType>> = {
  BOOL: "int32", U8: "int32", I8: "int32", I16: "int32", U16: "int32", I32: "int32", U32: "int32", I64: "int32", U64: "int32",
  F16: "float32", BF16: "float32", F32: "float32", F64: "float64",
};

const WRITE_AS: Record<DType, StDtype> = { float32: "F32", int32: "I32", float64: "F64" };

/** True on little-endian hosts (all common ones), where raw typed-array bytes are the file bytes. */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The reference reader refuses headers larger than this. */
const MAX_HEADER = 100_000_000;

/** What `decodeSafetensors` returns. */
export interface SafetensorsContent {
  tensors: Record<string, NDArray>;
  metadata: Record<string, string>;
}

function isStDtype(s: unknown): s is StDtype {
  return typeof s === "string" && (DTYPE_RANK as readonly string[]).includes(s);
}

/** Byte-wise (UTF-8 code unit) order, as Rust's `String::cmp`. */
function compareUtf8(a: string, b: string): number {
  const ea = new TextEncoder().encode(a);
  const eb = new TextEncoder().encode(b);
  const n = Math.min(ea.length, eb.length);
  for (let i = 0; i < n; i++) if (ea[i] !== eb[i]) return ea[i]! - eb[i]!;
  return ea.length - eb.length;
}

/**
 * Serializes arrays to the safetensors format, byte-identical to Python's
 * `safetensors.torch.save_file` for the same record: 8-byte little-endian header length, a
 * compact JSON header (`__metadata__` first, then tensors by descending dtype rank and name)
 * padded with spaces to a multiple of 8, then each tensor's raw little-endian bytes.
 * float32 → F32, int32 → I32, float64 → F64.
 * @example const bytes = encodeSafetensors({ w: NDArray.from([[1, 2]]) }, { format: "pt" });
 */
export function encodeSafetensors(record: Record<string, NDArray>, metadata?: Record<string, string>): Uint8Array {
  const entries = Object.entries(record).map(([name, a]) => {
    if (!(a instanceof NDArray)) throw new Error(`encodeSafetensors: record["${name}"] is not an NDArray`);
    if (name === "__metadata__") throw new Error(`encodeSafetensors: "__metadata__" is reserved and cannot name a tensor`);
    return { name, array: a, dtype: WRITE_AS[a.dtype] };
  });
  entries.sort((x, y) => DTYPE_RANK.indexOf(y.dtype) - DTYPE_RANK.indexOf(x.dtype) || compareUtf8(x.name, y.name));

  // Built from ordered pairs: a JS object would move integer-like keys to the front.
  const parts: string[] = [];
  if (metadata !== undefined) {
    const meta = Object.keys(metadata).sort(compareUtf8).map((key) => {
      const v = metadata[key];
      if (typeof v !== "string") throw new Error(`encodeSafetensors: metadata["${key}"] must be a string, got ${typeof v}`);
      return `${JSON.stringify(key)}:${JSON.stringify(v)}`;
    });
    parts.push(`"__metadata__":{${meta.join(",")}}`);
  }
  let offset = 0;
  for (const e of entries) {
    const n = e.array.size * ITEM_SIZE[e.dtype];
    parts.push(`${JSON.stringify(e.name)}:{"dtype":"${e.dtype}","shape":[${e.array.shape.join(",")}],"data_offsets":[${offset},${offset + n}]}`);
    offset += n;
  }
  const json = new TextEncoder().encode(`{${parts.join(",")}}`);
  const pad = (8 - (json.length % 8)) % 8;
  const headerLen = json.length + pad;
  const out = new Uint8Array(8 + headerLen + offset);
  const view = new DataView(out.buffer);
  view.setUint32(0, headerLen, true);
  view.setUint32(4, Math.floor(headerLen / 2 ** 32), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerLen);
  let at = 8 + headerLen;
  for (const e of entries) {
    const flat = e.array.flat();
    if (LITTLE_ENDIAN) {
      // The typed array's own bytes: fast, and NaN payloads survive unchanged.
      out.set(new Uint8Array(flat.buffer, flat.byteOffset, flat.byteLength), at);
      at += flat.byteLength;
      continue;
    }
    for (let i = 0; i < flat.length; i++, at += ITEM_SIZE[e.dtype]) {
      const v = flat[i]!;
      if (e.dtype === "F32") view.setFloat32(at, v, true);
      else if (e.dtype === "F64") view.setFloat64(at, v, true);
      else view.setInt32(at, v, true);
    }
  }
  return out;
}

/** Scratch for bfloat16 → float32: the 16 bits become the high half of a float32. */
const BF16_BITS = new Uint32Array(1);
const BF16_FLOAT = new Float32Array(BF16_BITS.buffer);

/** IEEE half → number. */
function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 0x1f) return frac === 0 ? sign * Infinity : NaN;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

interface Entry {
  name: string;
  dtype: StDtype;
  shape: number[];
  start: number;
  end: number;
}

function parseEntry(name: string, info: unknown): Entry {
  const where = `decodeSafetensors: tensor "${name}"`;
  if (typeof info !== "object" || info === null || Array.isArray(info)) throw new Error(`${where}: header entry must be an object`);
  const { dtype, shape, data_offsets: offsets } = info as Record<string, unknown>;
  if (!isStDtype(dtype)) throw new Error(`${where}: unknown dtype ${JSON.stringify(dtype)}`);
  if (READ_AS[dtype] === undefined) throw new Error(`${where}: dtype ${dtype} cannot be read by rnnkit`);
  if (!Array.isArray(shape) || !shape.every((s) => Number.isSafeInteger(s) && s >= 0)) {
    throw new Error(`${where}: shape must be a list of non-negative integers, got ${JSON.stringify(shape)}`);
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0)) {
    throw new Error(`${where}: data_offsets must be two non-negative integers, got ${JSON.stringify(offsets)}`);
  }
  const [start, end] = offsets as [number, number];
  if (end < start) throw new Error(`${where}: data_offsets [${start}, ${end}] end before they start`);
  const want = numel(shape as number[]) * ITEM_SIZE[dtype];
  if (end - start !== want) {
    throw new Error(`${where}: shape ${fmt(shape as number[])} of ${dtype} needs ${want} bytes, but data_offsets [${start}, ${end}] hold ${end - start}`);
  }
  return { name, dtype, shape: shape as number[], start, end };
}

function readTensor(e: Entry, view: DataView, base: number): NDArray {
  const n = numel(e.shape);
  const dtype = READ_AS[e.dtype]!;
  const out = allocArray(dtype, n);
  const size = ITEM_SIZE[e.dtype];
  let at = base + e.start;
  const native = e.dtype === "F32" || e.dtype === "F64" || e.dtype === "I32";
  if (LITTLE_ENDIAN && native) {
    // Copy the bytes (the slice also fixes any misalignment) and view them as the typed array.
    const bytes = new Uint8Array(view.buffer, view.byteOffset + at, n * size).slice();
    const arr = e.dtype === "F32" ? new Float32Array(bytes.buffer) : e.dtype === "F64" ? new Float64Array(bytes.buffer) : new Int32Array(bytes.buffer);
    return new NDArray(arr, e.shape);
  }
  const outOfRange = (i: number, value: string): never => {
    throw new Error(`decodeSafetensors: tensor "${e.name}" (${e.dtype}, shape ${fmt(e.shape)}) holds ${value} at element ${i}, outside the int32 range rnnkit reads ${e.dtype} into`);
  };
  for (let i = 0; i < n; i++, at += size) {
    switch (e.dtype) {
      case "F32": out[i] = view.getFloat32(at, true); break;
      case "F64": out[i] = view.getFloat64(at, true); break;
      case "F16": out[i] = halfToFloat(view.getUint16(at, true)); break;
      case "BF16":
        BF16_BITS[0] = view.getUint16(at, true) << 16;
        out[i] = BF16_FLOAT[0]!;
        break;
      case "I32": out[i] = view.getInt32(at, true); break;
      case "U32": {
        const v = view.getUint32(at, true);
        if (v > 0x7fffffff) outOfRange(i, String(v));
        out[i] = v;
        break;
      }
      case "I64":
      case "U64": {
        const lo = view.getUint32(at, true);
        const hi = e.dtype === "I64" ? view.getInt32(at + 4, true) : view.getUint32(at + 4, true);
        const ok = (hi === 0 && lo <= 0x7fffffff) || (hi === -1 && lo >= 0x80000000);
        if (!ok) outOfRange(i, String(e.dtype === "I64" ? view.getBigInt64(at, true) : view.getBigUint64(at, true)));
        out[i] = lo | 0;
        break;
      }
      case "I16": out[i] = view.getInt16(at, true); break;
      case "U16": out[i] = view.getUint16(at, true); break;
      case "I8": out[i] = view.getInt8(at); break;
      case "U8": out[i] = view.getUint8(at); break;
      case "BOOL": {
        const v = view.getUint8(at);
        if (v > 1) throw new Error(`decodeSafetensors: tensor "${e.name}" (BOOL) holds byte ${v} at element ${i}; booleans must be 0 or 1`);
        out[i] = v;
        break;
      }
      default:
        throw new Error(`decodeSafetensors: tensor "${e.name}": dtype ${e.dtype} cannot be read by rnnkit`);
    }
  }
  return new NDArray(out, e.shape);
}

/** One tensor as a safetensors header describes it (see {@link decodeSafetensorsHeader}). */
export interface SafetensorsTensorInfo {
  name: string;
  /** The file's dtype name: `F32`, `I64`, `BF16`, … */
  dtype: string;
  /** What rnnkit reads it as. */
  readAs: DType;
  shape: number[];
  /** Byte range inside the data section, `[start, end)`. */
  dataOffsets: [number, number];
}

/** What {@link decodeSafetensorsHeader} returns. */
export interface SafetensorsHeader {
  /** Tensors in the header's order. */
  tensors: SafetensorsTensorInfo[];
  metadata: Record<string, string>;
  /** Bytes of the JSON header (after the 8-byte length). */
  headerLength: number;
  /** Bytes of the data section: the file length minus `8 + headerLength`. */
  dataLength: number;
}

/**
 * Reads and checks a safetensors header without touching the tensor data, for files too large
 * to load: `prefix` holds at least the first `8 + headerLength` bytes and `fileLength` is the
 * whole file's length. Every check `decodeSafetensors` makes on the header is made here (dtypes,
 * shapes, offsets inside the data section, no overlaps or gaps, string metadata), with the same
 * messages; only checks of the values themselves (an I64 past int32, a BOOL byte above 1) need
 * the data.
 * @example const h = decodeSafetensorsHeader(first64k, size); h.tensors[0]!.shape
 */
export function decodeSafetensorsHeader(prefix: Uint8Array, fileLength?: number): SafetensorsHeader {
  if (!(prefix instanceof Uint8Array)) throw new Error(`decodeSafetensorsHeader: prefix must be a Uint8Array, got ${prefix === null ? "null" : typeof prefix}`);
  fileLength ??= prefix.length;
  const { entries, metadata, n } = parseHeader(prefix, fileLength);
  return {
    tensors: entries.map((e) => ({ name: e.name, dtype: e.dtype, readAs: READ_AS[e.dtype]!, shape: e.shape, dataOffsets: [e.start, e.end] })),
    metadata,
    headerLength: n,
    dataLength: fileLength - 8 - n,
  };
}

/** The 8-byte length of a safetensors header, checked against the file length. */
function headerLength(view: DataView, fileLength: number): number {
  const lo = view.getUint32(0, true);
  const hi = view.getUint32(4, true);
  const n = hi * 2 ** 32 + lo;
  if (n > MAX_HEADER) throw new Error(`decodeSafetensors: header length ${n} exceeds the ${MAX_HEADER}-byte limit`);
  if (8 + n > fileLength) {
    throw new Error(`decodeSafetensors: header length ${n} runs past the end of the file (${fileLength} bytes; file truncated?)`);
  }
  return n;
}

function parseHeader(bytes: Uint8Array, fileLength: number): { entries: Entry[]; metadata: Record<string, string>; n: number } {
  if (!(bytes instanceof Uint8Array)) throw new Error("decodeSafetensors: expected a Uint8Array");
  if (!Number.isSafeInteger(fileLength) || fileLength < bytes.length) {
    throw new Error(`decodeSafetensorsHeader: fileLength must be an integer of at least the ${bytes.length} bytes given, got ${fileLength}`);
  }
  if (fileLength < 8) throw new Error(`decodeSafetensors: file is truncated: ${fileLength} bytes, fewer than the 8-byte header length`);
  if (bytes.length < 8) throw new Error(`decodeSafetensorsHeader: need the file's first 8 bytes, got ${bytes.length}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = headerLength(view, fileLength);
  if (8 + n > bytes.length) throw new Error(`decodeSafetensorsHeader: need the first ${8 + n} bytes (the header), got ${bytes.length}`);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(8, 8 + n));
  } catch {
    throw new Error("decodeSafetensors: header is not valid UTF-8");
  }
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (err) {
    throw new Error(`decodeSafetensors: header is not valid JSON (${(err as Error).message})`);
  }
  if (typeof header !== "object" || header === null || Array.isArray(header)) {
    throw new Error("decodeSafetensors: header must be a JSON object");
  }
  const metadata: Record<string, string> = {};
  const entries: Entry[] = [];
  for (const [key, value] of Object.entries(header as Record<string, unknown>)) {
    if (key === "__metadata__") {
      if (typeof value !== "object" || value === null || Array.isArray(value)) {
        throw new Error("decodeSafetensors: __metadata__ must be an object of strings");
      }
      for (const [mk, mv] of Object.entries(value as Record<string, unknown>)) {
        if (typeof mv !== "string") throw new Error(`decodeSafetensors: __metadata__["${mk}"] must be a string, got ${JSON.stringify(mv)}`);
        Object.defineProperty(metadata, mk, { value: mv, enumerable: true, writable: true, configurable: true });
      }
      continue;
    }
    entries.push(parseEntry(key, value));
  }
  const dataLen = fileLength - 8 - n;
  const ordered = entries.slice().sort((a, b) => a.start - b.start || a.end - b.end);
  let covered = 0;
  for (const e of ordered) {
    if (e.end > dataLen) {
      throw new Error(`decodeSafetensors: tensor "${e.name}" data_offsets [${e.start}, ${e.end}] exceed the ${dataLen}-byte data section (file truncated?)`);
    }
    if (e.start < covered) throw new Error(`decodeSafetensors: tensor "${e.name}" data_offsets [${e.start}, ${e.end}] overlap the previous tensor (which ends at ${covered})`);
    if (e.start > covered) throw new Error(`decodeSafetensors: bytes [${covered}, ${e.start}) before tensor "${e.name}" belong to no tensor`);
    covered = e.end;
  }
  if (covered !== dataLen) {
    throw new Error(`decodeSafetensors: the tensors cover ${covered} bytes but the data section has ${dataLen}; offsets must cover the buffer exactly`);
  }
  return { entries, metadata, n };
}

/**
 * Parses safetensors bytes (as Python's `safetensors.torch.save_file` writes them), checking
 * every header field: F32 → float32, F64 → float64, F16/BF16 → float32, I32/I64 and the small
 * integer types → int32 (an Error past int32's range). A truncated or inconsistent file throws
 * an Error that says what is wrong; nothing is read as a smaller tensor.
 * @example const { tensors, metadata } = decodeSafetensors(bytes); tensors["weight"]!.shape
 */
export function decodeSafetensors(bytes: Uint8Array): SafetensorsContent {
  if (!(bytes instanceof Uint8Array)) throw new Error("decodeSafetensors: expected a Uint8Array");
  const { entries, metadata, n } = parseHeader(bytes, bytes.length);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tensors: Record<string, NDArray> = {};
  const base = 8 + n;
  for (const e of entries) {
    Object.defineProperty(tensors, e.name, { value: readTensor(e, view, base), enumerable: true, writable: true, configurable: true });
  }
  return { tensors, metadata };
}
