import { tensor } from "@rnnkit/autograd";
import { describe, expect, it } from "vitest";
import { CharVocab } from "../src/index.js";

describe("CharVocab", () => {
  it("fits sorted unique characters and round-trips", () => {
    const v = CharVocab.fromText("hello world");
    expect(v.tokens).toEqual([" ", "d", "e", "h", "l", "o", "r", "w"]);
    expect(v.size).toBe(8);
    const ids = v.encode("hello");
    expect(ids.dtype).toBe("int32");
    expect(ids.shape).toEqual([5]);
    expect(ids.toArray()).toEqual([3, 2, 4, 4, 5]);
    expect(v.decode(ids)).toBe("hello");
    expect(v.decode([7, 5, 6, 4, 1])).toBe("world");
    expect(v.encode("").shape).toEqual([0]);
    expect(CharVocab.fit("hello world").tokens).toEqual(v.tokens);
  });

  it("orders by code point, counting astral characters as one", () => {
    const v = CharVocab.fromText("b😀aé");
    expect(v.tokens).toEqual(["a", "b", "é", "😀"]);
    expect(v.encodeIds("😀a")).toEqual([3, 0]);
  });

  it("specials come first and decode as themselves unless skipped", () => {
    const v = CharVocab.fromText("ab", { specials: ["<pad>", "<eos>"] });
    expect(v.tokens).toEqual(["<pad>", "<eos>", "a", "b"]);
    expect(v.idOf("<pad>")).toBe(0);
    expect(v.idOf("z")).toBe(-1);
    expect(v.decode([2, 3, 1, 0])).toBe("ab<eos><pad>");
    expect(v.decode(tensor([2, 3, 1, 0], { dtype: "int32" }), { skipSpecials: true })).toBe("ab");
  });

  it("unknown-character policies", () => {
    const strict = CharVocab.fromText("abc");
    expect(() => strict.encode("abxc")).toThrow('CharVocab.encode: unknown character "x" (U+0078) at position 2');
    const unk = CharVocab.fromText("abc", { unknown: "unk" });
    expect(unk.tokens[0]).toBe("<unk>");
    expect(unk.encodeIds("axc")).toEqual([1, 0, 3]);
    expect(unk.decode(unk.encode("axc"))).toBe("a<unk>c");
    const skip = CharVocab.fromText("abc", { unknown: "skip" });
    expect(skip.encodeIds("axbyc")).toEqual([0, 1, 2]);
    expect(() => new CharVocab(["a"], { unknown: "drop" as "skip" })).toThrow(/unknown must be "error", "unk" or "skip", got "drop"/);
  });

  it("decode errors", () => {
    const v = CharVocab.fromText("ab");
    expect(() => v.decode([0, 5])).toThrow("CharVocab.decode: id 5 at position 1 is out of range for vocabulary of size 2");
    expect(() => v.decode(tensor([0]))).toThrow(/ids must be an int32 tensor, got float32 of shape \[1\]/);
  });

  it("toJSON / fromJSON round trip, through a string too", () => {
    const v = CharVocab.fromText("the cat\n", { specials: ["<pad>"], unknown: "unk" });
    const json = JSON.stringify(v);
    const w = CharVocab.fromJSON(json);
    expect(w.tokens).toEqual(v.tokens);
    expect(w.unknown).toBe("unk");
    expect(w.encodeIds("the dog")).toEqual(v.encodeIds("the dog"));
    const x = CharVocab.fromJSON(v.toJSON());
    expect(x.specials).toEqual(["<pad>", "<unk>"]);
    expect(() => CharVocab.fromJSON("{\"type\":\"Other\"}")).toThrow(/expected an object with type "CharVocab"/);
    expect(() => CharVocab.fromJSON({ type: "CharVocab", tokens: ["b", "a"], specials: [], unknown: "error", unkToken: null })).toThrow(/code-point order/);
  });
});
