import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { decodeSafetensors, encodeSafetensors, NDArray, type DType } from "../src/index.js";

const FIX = join(__dirname, "fixtures");
interface Fx { shape: number[]; dtype: DType; data: (number | string)[] }
interface FileCase { tensors: Record<string, Fx>; metadata: Record<string, string>; encoderMatches: boolean }
const expected = JSON.parse(readFileSync(join(FIX, "safetensors.json"), "utf8")) as Record<string, FileCase>;
const load = (name: string) => new Uint8Array(readFileSync(join(FIX, `${name}.safetensors`)));
/** Fixture numbers, with JSON's missing infinities and NaN spelled as strings. */
const nums = (d: (number | string)[]) => d.map((v) => (v === "inf" ? Infinity : v === "-inf" ? -Infinity : v === "nan" ? NaN : (v as number)));
const toArray = (f: Fx) => NDArray.from(f.dtype === "int32" ? Int32Array.from(nums(f.data)) : f.dtype === "float64" ? Float64Array.from(nums(f.data)) : Float32Array.from(nums(f.data)), { shape: f.shape });

/** Builds a file by hand: header JSON text (padded) and a data section. */
function craft(header: string, data: Uint8Array = new Uint8Array(0), lenOverride?: number): Uint8Array {
  const h = new TextEncoder().encode(header);
  const out = new Uint8Array(8 + h.length + data.length);
  new DataView(out.buffer).setUint32(0, lenOverride ?? h.length, true);
  out.set(h, 8);
  out.set(data, 8 + h.length);
  return out;
}

describe("decodeSafetensors reads files written like safetensors.torch.save_file", () => {
  for (const [name, fc] of Object.entries(expected)) {
    if (name === "st_i64_overflow") continue;
    it(`${name}: values, shapes, dtypes and metadata`, () => {
      const { tensors, metadata } = decodeSafetensors(load(name));
      expect(metadata).toEqual(fc.metadata);
      expect(Object.keys(tensors).sort()).toEqual(Object.keys(fc.tensors).sort());
      for (const [k, want] of Object.entries(fc.tensors)) {
        const got = tensors[k]!;
        expect(got.shape, k).toEqual(want.shape);
        expect(got.dtype, k).toBe(want.dtype);
        expect(Array.from(got.flat()), k).toEqual(nums(want.data));
      }
    });
  }

  it("F16 specials: -0, subnormals, ±inf decode exactly", () => {
    const h = decodeSafetensors(load("st_half")).tensors.h!.flat();
    expect(Object.is(h[1], -0)).toBe(true);
    expect(h[4]).toBe(65504);
    expect(h[7]).toBe(Infinity);
    expect(h[8]).toBe(-Infinity);
  });

  it("I64 past int32's range is a clear error, not a wrapped value", () => {
    expect(() => decodeSafetensors(load("st_i64_overflow"))).toThrow(/tensor "big" \(I64, shape \[2\]\) holds 2147483648 at element 1, outside the int32 range/);
  });
});

describe("encodeSafetensors", () => {
  for (const [name, fc] of Object.entries(expected)) {
    if (!fc.encoderMatches) continue;
    it(`${name}: output is byte-identical to the Python writer's`, () => {
      const record: Record<string, NDArray> = {};
      for (const [k, v] of Object.entries(fc.tensors)) record[k] = toArray(v);
      const meta = Object.keys(fc.metadata).length > 0 || name === "st_empty_meta" ? fc.metadata : undefined;
      const bytes = encodeSafetensors(record, meta);
      expect(Buffer.from(bytes).equals(Buffer.from(load(name)))).toBe(true);
    });
  }

  it("round-trips float32, int32, float64, 0-d and empty arrays, strided views and integer-like names", () => {
    const base = NDArray.from([[1.5, -2, 3], [4, 5e-30, -0]]);
    const rec = {
      t: base.transpose(0, 1),
      i: NDArray.from([[7, -8]], { dtype: "int32" }),
      d: NDArray.from([Math.PI, 1e300], { dtype: "float64" }),
      s: NDArray.scalar(3),
      e: NDArray.zeros([0, 4]),
      "10": NDArray.scalar(1),
      "2": NDArray.scalar(2),
    };
    const { tensors, metadata } = decodeSafetensors(encodeSafetensors(rec, { "1": "a", b: "é\n" }));
    expect(metadata).toEqual({ "1": "a", b: "é\n" });
    for (const [k, v] of Object.entries(rec)) {
      expect(tensors[k]!.dtype, k).toBe(v.dtype);
      expect(tensors[k]!.shape, k).toEqual(v.shape);
      expect(Array.from(tensors[k]!.flat()), k).toEqual(Array.from(v.flat()));
    }
  });

  it("pads the header with spaces to a multiple of 8 and puts data right after", () => {
    const bytes = encodeSafetensors({ attn0: NDArray.from([0, 1, 2, 3, 4, 5], { shape: [1, 1, 2, 3] }) });
    const n = new DataView(bytes.buffer).getUint32(0, true);
    expect(n % 8).toBe(0);
    expect(n).toBe(72);
    expect(bytes[8 + n - 1]).toBe(0x20);
    expect(bytes.length).toBe(8 + n + 24);
  });

  it("rejects bad metadata values and the reserved name", () => {
    expect(() => encodeSafetensors({ __metadata__: NDArray.scalar(1) })).toThrow(/reserved/);
    expect(() => encodeSafetensors({}, { a: 1 as unknown as string })).toThrow(/metadata\["a"\] must be a string/);
  });
});

describe("decodeSafetensors validation: nothing truncated is read as a smaller tensor", () => {
  const good = load("st_lstm_f32");

  it("every truncation of a valid file throws", () => {
    for (const cut of [0, 4, 7, 8, 20, 100, good.length - 1]) {
      expect(() => decodeSafetensors(good.subarray(0, cut)), `cut at ${cut}`).toThrow(/decodeSafetensors/);
    }
  });

  it("names the problem", () => {
    expect(() => decodeSafetensors(new Uint8Array(3))).toThrow(/truncated: 3 bytes/);
    expect(() => decodeSafetensors(good.subarray(0, good.length - 4))).toThrow(/cover 768 bytes but the data section has 764|exceed/);
    expect(() => decodeSafetensors(craft("{}", new Uint8Array(0), 50))).toThrow(/header length 50 runs past the end of the file/);
    const huge = new Uint8Array(16);
    new DataView(huge.buffer).setUint32(4, 1, true);
    expect(() => decodeSafetensors(huge)).toThrow(/exceeds the 100000000-byte limit/);
    expect(() => decodeSafetensors(craft("{not json"))).toThrow(/header is not valid JSON/);
    expect(() => decodeSafetensors(craft("[1,2]"))).toThrow(/header must be a JSON object/);
    expect(() => decodeSafetensors(craft('{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}', new Uint8Array(4)))).toThrow(/tensor "a" data_offsets \[0, 8\] exceed the 4-byte data section/);
    expect(() => decodeSafetensors(craft('{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}', new Uint8Array(8)))).toThrow(/tensor "b".*\[4, 8\].*(needs 4 bytes|overlap)/);
    expect(() => decodeSafetensors(craft('{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[2,6]}}', new Uint8Array(6)))).toThrow(/tensor "b" data_offsets \[2, 6\] overlap/);
    expect(() => decodeSafetensors(craft('{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}', new Uint8Array(8)))).toThrow(/bytes \[0, 4\) before tensor "a" belong to no tensor/);
    expect(() => decodeSafetensors(craft('{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}', new Uint8Array(12)))).toThrow(/cover 4 bytes but the data section has 12/);
    expect(() => decodeSafetensors(craft('{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}', new Uint8Array(8)))).toThrow(/shape \[3\] of F32 needs 12 bytes, but data_offsets \[0, 8\] hold 8/);
    expect(() => decodeSafetensors(craft('{"a":{"dtype":"Q4","shape":[1],"data_offsets":[0,1]}}', new Uint8Array(1)))).toThrow(/tensor "a": unknown dtype "Q4"/);
    expect(() => decodeSafetensors(craft('{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}', new Uint8Array(4)))).toThrow(/shape must be a list of non-negative integers/);
    expect(() => decodeSafetensors(craft('{"a":{"dtype":"F32","shape":[1],"data_offsets":[4]}}', new Uint8Array(4)))).toThrow(/data_offsets must be two non-negative integers/);
    expect(() => decodeSafetensors(craft('{"a":{"dtype":"F32","shape":[1],"data_offsets":[8,4]}}', new Uint8Array(8)))).toThrow(/end before they start/);
    expect(() => decodeSafetensors(craft('{"__metadata__":{"k":1}}'))).toThrow(/__metadata__\["k"\] must be a string/);
    expect(() => decodeSafetensors(craft('{"a":{"dtype":"BOOL","shape":[1],"data_offsets":[0,1]}}', new Uint8Array([2])))).toThrow(/BOOL\) holds byte 2/);
  });
});

describe("safetensors bytes", () => {
  it("NaN payloads and -0 survive an encode/decode round trip bit for bit", () => {
    const bits = new Uint32Array([0x7fc00001, 0xffc12345, 0x80000000, 0x3f800000]);
    const a = new NDArray(new Float32Array(bits.buffer), [4]);
    const back = decodeSafetensors(encodeSafetensors({ a })).tensors.a!;
    expect(Array.from(new Uint32Array(back.flat().buffer))).toEqual(Array.from(bits));
  });

  it("decodes from a Uint8Array that is a view at an odd offset of a larger buffer", () => {
    const bytes = encodeSafetensors({ w: NDArray.from([[1.5, -2], [3, 4]]), i: NDArray.from([7], { dtype: "int32" }) });
    const big = new Uint8Array(bytes.length + 3);
    big.set(bytes, 3);
    const { tensors } = decodeSafetensors(big.subarray(3));
    expect(tensors.w!.toArray()).toEqual([[1.5, -2], [3, 4]]);
    expect(tensors.i!.toArray()).toEqual([7]);
  });
});
