import { crc32 } from "./crc32.js";

const LOCAL = 0x04034b50;
const CENTRAL = 0x02014b50;
const END = 0x06054b50;
const UTF8_NAMES = 0x0800;
// 1980-01-01 00:00, the earliest DOS date: the same files always give the same bytes.
const DOS_DATE = (0 << 9) | (1 << 5) | 1;

function bytesOf(content: string | Uint8Array): Uint8Array {
  return typeof content === "string" ? new TextEncoder().encode(content) : content;
}

/**
 * A zip archive of `files` (path → text or bytes), stored without compression: local headers,
 * data, central directory, end record; names UTF-8 (flag bit 11), each entry with its CRC-32.
 * Limits: under 65535 entries and 4 GiB (no zip64).
 * @example const zip = zipStore({ "project/README.md": "# hi\n" }); // unzip -t accepts it
 */
export function zipStore(files: Record<string, string | Uint8Array>): Uint8Array {
  const enc = new TextEncoder();
  const entries = Object.entries(files).map(([name, content]) => {
    if (name === "" || name.startsWith("/") || name.split("/").includes("..")) throw new Error(`zipStore: entry name ${JSON.stringify(name)} must be a relative path without ".."`);
    const data = bytesOf(content);
    return { name: enc.encode(name), data, crc: crc32(data) };
  });
  if (entries.length >= 0xffff) throw new Error(`zipStore: ${entries.length} entries; at most 65534 without zip64`);
  const size = entries.reduce((s, e) => s + 30 + e.name.length + e.data.length + 46 + e.name.length, 22);
  if (size > 0xffffffff) throw new Error(`zipStore: ${size} bytes; at most 4 GiB without zip64`);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  let p = 0;
  const offsets: number[] = [];
  for (const e of entries) {
    offsets.push(p);
    view.setUint32(p, LOCAL, true);
    view.setUint16(p + 4, 10, true); // version needed: 1.0 (stored)
    view.setUint16(p + 6, UTF8_NAMES, true);
    view.setUint16(p + 8, 0, true); // method: stored
    view.setUint16(p + 10, 0, true);
    view.setUint16(p + 12, DOS_DATE, true);
    view.setUint32(p + 14, e.crc, true);
    view.setUint32(p + 18, e.data.length, true);
    view.setUint32(p + 22, e.data.length, true);
    view.setUint16(p + 26, e.name.length, true);
    view.setUint16(p + 28, 0, true);
    out.set(e.name, p + 30);
    out.set(e.data, p + 30 + e.name.length);
    p += 30 + e.name.length + e.data.length;
  }
  const centralStart = p;
  entries.forEach((e, i) => {
    view.setUint32(p, CENTRAL, true);
    view.setUint16(p + 4, (3 << 8) | 20, true); // made by Unix, zip 2.0
    view.setUint16(p + 6, 10, true);
    view.setUint16(p + 8, UTF8_NAMES, true);
    view.setUint16(p + 10, 0, true);
    view.setUint16(p + 12, 0, true);
    view.setUint16(p + 14, DOS_DATE, true);
    view.setUint32(p + 16, e.crc, true);
    view.setUint32(p + 20, e.data.length, true);
    view.setUint32(p + 24, e.data.length, true);
    view.setUint16(p + 28, e.name.length, true);
    // extra, comment, disk, internal attributes: 0; external: -rw-r--r--
    view.setUint32(p + 38, (0o100644 << 16) >>> 0, true);
    view.setUint32(p + 42, offsets[i]!, true);
    out.set(e.name, p + 46);
    p += 46 + e.name.length;
  });
  view.setUint32(p, END, true);
  view.setUint16(p + 8, entries.length, true);
  view.setUint16(p + 10, entries.length, true);
  view.setUint32(p + 12, p - centralStart, true);
  view.setUint32(p + 16, centralStart, true);
  return out;
}

/**
 * The entries of a store-only zip (as `zipStore` writes), checking every signature, size and
 * CRC-32; anything else is an Error naming the entry.
 * @example readZipStore(zipStore({ "a.txt": "x" }))["a.txt"] // Uint8Array [120]
 */
export function readZipStore(zip: Uint8Array): Record<string, Uint8Array> {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const endAt = zip.length - 22;
  if (endAt < 0 || view.getUint32(endAt, true) !== END) throw new Error("readZipStore: no end-of-central-directory record at the end (archive comments are not supported)");
  const count = view.getUint16(endAt + 10, true);
  let p = view.getUint32(endAt + 16, true);
  const dec = new TextDecoder("utf-8", { fatal: true });
  const out: Record<string, Uint8Array> = {};
  for (let i = 0; i < count; i++) {
    if (view.getUint32(p, true) !== CENTRAL) throw new Error(`readZipStore: central directory entry ${i} has a bad signature`);
    const method = view.getUint16(p + 10, true);
    const crc = view.getUint32(p + 16, true);
    const size = view.getUint32(p + 20, true);
    const nameLen = view.getUint16(p + 28, true);
    const skip = view.getUint16(p + 30, true) + view.getUint16(p + 32, true);
    const local = view.getUint32(p + 42, true);
    const name = dec.decode(zip.subarray(p + 46, p + 46 + nameLen));
    if (method !== 0) throw new Error(`readZipStore: ${name} is compressed (method ${method}); only stored entries are read`);
    if (view.getUint32(local, true) !== LOCAL) throw new Error(`readZipStore: ${name}: bad local header signature`);
    const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    const data = zip.subarray(start, start + size);
    if (data.length !== size) throw new Error(`readZipStore: ${name} is truncated`);
    if (crc32(data) !== crc) throw new Error(`readZipStore: ${name} fails its CRC-32 check`);
    out[name] = data;
    p += 46 + nameLen + skip;
  }
  return out;
}
