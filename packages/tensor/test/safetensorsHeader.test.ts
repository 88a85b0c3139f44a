import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeSafetensors, decodeSafetensorsHeader, encodeSafetensors, NDArray } from "../src/index.js";

const FIX = join(__dirname, "fixtures");
const files = readdirSync(FIX).filter((f) => f.endsWith(".safetensors")).map((f) => new Uint8Array(readFileSync(join(FIX, f))));

/** The error message of `fn`, or null when it returns. */
function failure(fn: () => unknown): string | null {
  try {
    fn();
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

describe("decodeSafetensorsHeader", () => {
  it("describes exactly what decodeSafetensors loads: names, dtypes, shapes, read-as dtype, metadata", () => {
    expect(files.length).toBeGreaterThan(0);
    for (const bytes of files) {
      if (failure(() => decodeSafetensors(bytes)) !== null) continue;
      const full = decodeSafetensors(bytes);
      const head = decodeSafetensorsHeader(bytes);
      expect(head.metadata).toEqual(full.metadata);
      expect(head.tensors.map((t) => t.name).sort()).toEqual(Object.keys(full.tensors).sort());
      for (const t of head.tensors) {
        expect(t.shape).toEqual(full.tensors[t.name]!.shape);
        expect(t.readAs).toBe(full.tensors[t.name]!.dtype);
      }
      expect(8 + head.headerLength + head.dataLength).toBe(bytes.length);
    }
  });

  it("needs only the header bytes and the file length", () => {
    const bytes = encodeSafetensors({ w: NDArray.from([[1, 2, 3]]), b: NDArray.from(new Int32Array([7])) }, { k: "v" });
    const n = new DataView(bytes.buffer).getUint32(0, true);
    const head = decodeSafetensorsHeader(bytes.subarray(0, 8 + n), bytes.length);
    expect(head.tensors.map((t) => [t.name, t.dtype, t.shape, t.dataOffsets])).toEqual([["w", "F32", [1, 3], [0, 12]], ["b", "I32", [1], [12, 16]]]);
    expect(head.metadata).toEqual({ k: "v" });
    expect(() => decodeSafetensorsHeader(bytes.subarray(0, 8 + n), bytes.length - 1)).toThrow(/exceed the 15-byte data section/);
    expect(() => decodeSafetensorsHeader(bytes.subarray(0, 8 + n - 1), bytes.length)).toThrow(/need the first \d+ bytes \(the header\)/);
    expect(() => decodeSafetensorsHeader(bytes.subarray(0, 4), bytes.length)).toThrow(/need the file's first 8 bytes/);
  });

  it("fails with decodeSafetensors' message on any corrupted file whose header it refuses (property)", () => {
    const base = encodeSafetensors({ a: NDArray.from([[1, 2], [3, 4]]), b: NDArray.from(new Int32Array([5, 6, 7])) }, { format: "pt" });
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(base.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }), fc.nat(base.length), (edits, cut) => {
        const bytes = base.slice(0, Math.max(cut, 1));
        for (const [at, v] of edits) if (at < bytes.length) bytes[at] = v;
        const head = failure(() => decodeSafetensorsHeader(bytes));
        const full = failure(() => decodeSafetensors(bytes));
        // The header reader never accepts what the full reader refuses for a header reason, and
        // refuses with the same message; only value checks (int range, BOOL bytes) are the full reader's alone.
        if (head !== null) expect(full).toBe(head);
        if (full !== null && head === null) expect(full).toMatch(/outside the int32 range|booleans must be 0 or 1/);
      }),
      { numRuns: 300, seed: 16 },
    );
  });
});
