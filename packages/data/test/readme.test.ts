import { Generator } from "@rnnkit/autograd";
import { describe, expect, it } from "vitest";
import { CharVocab, DataLoader, kjvText, padCollate, textCorpus, wordOrigin } from "../src/index.js";

describe("README example", () => {
  it("runs as written", () => {
    const train = wordOrigin({ split: "train" });
    const loader = new DataLoader(train, {
      batchSize: 32, shuffle: true, generator: new Generator(0),
      collate: padCollate({ batchFirst: true, sort: true }),
    });
    expect(loader.length).toBe(400);
    const [batch] = loader;
    const { padded, lengths, target } = batch!;
    expect(padded.shape[0]).toBe(32);
    expect(padded.dtype).toBe("int32");
    expect(lengths.shape).toEqual([32]);
    expect(target!.shape).toEqual([32]);

    const corpus = textCorpus(kjvText(), { seqLen: 64, valFraction: 0.1 });
    const [textBatch] = new DataLoader(corpus.train, { batchSize: 16, shuffle: true });
    const [x, y] = textBatch!;
    expect(x!.shape).toEqual([16, 64]);
    expect(corpus.vocab.decode(x!.select(0, 0)).slice(1)).toBe(corpus.vocab.decode(y!.select(0, 0)).slice(0, 63));
    const vocab = CharVocab.fromJSON(JSON.stringify(corpus.vocab));
    expect(vocab.decode(vocab.encode("In the beginning"))).toBe("In the beginning");
  });
});
