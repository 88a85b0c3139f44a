import { describe, expect, it } from "vitest";
import { CharVocab, DataLoader, textCorpus } from "@rnnkit/data";
import { kjvText } from "../src/index.js";

describe("kjvText", () => {
  it("the KJV text is real, sizeable and chunks into batches", () => {
    const text = kjvText();
    expect(text.length).toBeGreaterThan(500_000);
    expect(text.startsWith("Genesis 1\nIn the beginning God created the heaven and the earth.")).toBe(true);
    const c = textCorpus(text, { seqLen: 64 });
    expect(c.vocab.size).toBeLessThan(100);
    const loader = new DataLoader(c.train, { batchSize: 16 });
    const [batch] = loader;
    const [xb, yb] = batch!;
    expect(xb!.shape).toEqual([16, 64]);
    expect(yb!.dtype).toBe("int32");
    const shared = CharVocab.fromJSON(c.vocab.toJSON());
    expect(shared.encodeIds("In the beginning")).toEqual(c.vocab.encodeIds("In the beginning"));
  });
});
