/** Test helpers that take a safetensors file apart and put an edited one back together. */

/** A safetensors file as its parsed header object and raw data section. */
export interface SplitFile {
  header: Record<string, unknown>;
  data: Uint8Array;
}

/** Parses a well-formed file. */
export function splitFile(bytes: Uint8Array): SplitFile {
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) as Record<string, unknown>;
  return { header, data: bytes.slice(8 + n) };
}

/** Writes a header object (whatever it holds) and a data section as file bytes. */
export function joinFile(f: SplitFile): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(f.header));
  const out = new Uint8Array(8 + json.length + f.data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(f.data, 8 + json.length);
  return out;
}

/** The `__metadata__` map of a split file (created when absent). */
export function metadataOf(f: SplitFile): Record<string, string> {
  const m = f.header["__metadata__"];
  if (m !== null && typeof m === "object" && !Array.isArray(m)) return m as Record<string, string>;
  const fresh: Record<string, string> = {};
  f.header["__metadata__"] = fresh;
  return fresh;
}

/** Names of the tensor entries of a split file. */
export function tensorNames(f: SplitFile): string[] {
  return Object.keys(f.header).filter((k) => k !== "__metadata__");
}

/** Writes `value` as float32 at element `index` of a float32 tensor `name`. */
export function pokeFloat(f: SplitFile, name: string, index: number, value: number): void {
  const e = f.header[name] as { data_offsets: [number, number] };
  const view = new DataView(f.data.buffer, f.data.byteOffset);
  view.setFloat32(e.data_offsets[0] + 4 * index, value, true);
}
