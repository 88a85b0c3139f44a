import { Tensor } from "@rnnkit/autograd";
import { fmt } from "@rnnkit/tensor";
import type { Embedding } from "../embedding.js";
import { embedding } from "../functional/embedding.js";

/**
 * Token ids handed to a recurrent layer together with the embedding that turns them into rows:
 * `layer.forward(new EmbeddedSequence(emb, ids))` gives the values of
 * `layer.forward(emb.forward(ids))`, but a fused layer projects the embedding table once
 * (`V · G·H · E` multiply-adds) instead of every looked-up row (`N · G·H · E`) when the table has
 * at most half as many rows as there are ids, and sends the table its gradient directly (the
 * profile shows the node as `…EmbeddedSequence`). A speed choice the caller makes: only a plain
 * embedding qualifies (no `paddingIdx`, `maxNorm` or `scaleGradByFreq`), and the ids are shaped
 * like the layer's input without its last dim: `(T, B)`, `(B, T)` with batchFirst, or `(T)`.
 * @example
 * const emb = new Embedding(65, 64); const lstm = new LSTM(64, 128);
 * const [out, [hn, cn]] = lstm.forward(new EmbeddedSequence(emb, ids)); // ids int32 (T, B)
 */
export class EmbeddedSequence {
  /** The table `(V, E)`. */
  readonly weight: Tensor;
  /** int32 ids, shaped like the layer's input without its feature dim. */
  readonly ids: Tensor;

  constructor(embeddingLayer: Embedding, ids: Tensor) {
    const op = "EmbeddedSequence";
    if (!(ids instanceof Tensor) || ids.dtype !== "int32") {
      throw new Error(`${op}: ids must be an int32 Tensor, got ${ids instanceof Tensor ? `${ids.dtype} of shape ${fmt(ids.shape)}` : typeof ids}`);
    }
    if (ids.ndim !== 1 && ids.ndim !== 2) throw new Error(`${op}: ids must be 1-D (T) or 2-D (T, B) / (B, T), got shape ${fmt(ids.shape)}`);
    if (embeddingLayer.paddingIdx !== null || embeddingLayer.maxNorm !== null || embeddingLayer.scaleGradByFreq) {
      throw new Error(`${op}: only a plain embedding (no paddingIdx, maxNorm or scaleGradByFreq) can be projected as a table; call layer.forward(embedding.forward(ids)) instead`);
    }
    this.weight = embeddingLayer.weight;
    this.ids = ids;
  }

  /** The looked-up rows `weight[ids]`, shape `[...ids.shape, E]`: what the layer reads on the per-op path. */
  rows(): Tensor {
    return embedding(this.ids, this.weight);
  }
}
