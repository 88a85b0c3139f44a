import { Generator } from "@rnnkit/autograd";
import { describe, expect, it } from "vitest";
import { ArrayDataset, CharVocab, DataLoader, padCollate, textCorpus } from "../src/index.js";

// The example of packages/data/README.md, kept runnable here.
describe("README example", () => {
  it("runs as written", () => {
    const seen: number[][] = [];
    // ---- README example start ----
    // Words labelled with their length class, padded per batch (ready for packPaddedSequence).
    const words = ["hello", "ohlol", "rnn", "lstm", "gru", "dataset", "loader", "kit"];
    const vocab = CharVocab.fromText(words.join(""));
    const samples = new ArrayDataset(words.map((w) => [vocab.encode(w), w.length > 4 ? 1 : 0] as const));
    const loader = new DataLoader(samples, {
      batchSize: 4, shuffle: true, generator: new Generator(0),
      collate: padCollate({ batchFirst: true, sort: true }),
    });
    for (const { padded, lengths, target } of loader) {
      // padded: int32 [4, T], lengths: int32 [4] (longest first), target: int32 [4]
      seen.push(padded.shape, lengths.shape, target!.shape);
    }

    // Character-level language modelling on any text: (input, target) chunks, target shifted by one.
    const corpus = textCorpus("To be, or not to be, that is the question. ".repeat(50), { seqLen: 32, valFraction: 0.1 });
    const [[x, y]] = new DataLoader(corpus.train, { batchSize: 16, shuffle: true });
    // x, y: int32 [16, 32]
    const saved = CharVocab.fromJSON(JSON.stringify(corpus.vocab)); // store it in checkpoint metadata
    saved.decode(saved.encode("to be")); // "to be"
    // ---- README example end ----
    expect(loader.length).toBe(2);
    expect(seen[0]![0]).toBe(4);
    expect(seen[1]).toEqual([4]);
    expect(x!.shape).toEqual([16, 32]);
    expect(corpus.vocab.decode(x!.select(0, 0)).slice(1)).toBe(corpus.vocab.decode(y!.select(0, 0)).slice(0, 31));
    expect(saved.decode(saved.encode("to be"))).toBe("to be");
  });
});
