import { type Generator, Tensor, zeros } from "@rnnkit/autograd";
import { fmt } from "@rnnkit/tensor";
import { embeddingImpl, resolvePaddingIdx } from "./functional/embedding.js";
import { normal_ } from "./init.js";
import { checkSize } from "./linear.js";
import { Module, pyFloat, ownLayers } from "./module.js";
import { Parameter } from "./parameter.js";

/** Options of `Embedding`. */
export interface EmbeddingLayerOptions {
  /** This row starts at zero and never receives a gradient (negative counts from the end). */
  paddingIdx?: number | null;
  /** Rows looked up with a larger `normType`-norm are rescaled in place to this norm. */
  maxNorm?: number | null;
  /** The p of the p-norm for `maxNorm` (default 2). */
  normType?: number;
  /** Divide each row's gradient by how often its index occurs in the batch. */
  scaleGradByFreq?: boolean;
  /** Use this `(numEmbeddings, embeddingDim)` tensor as the weight instead of drawing one (torch's `_weight`). */
  weight?: Tensor;
  /** Generator for the default N(0, 1) initialization (default: the global one). */
  generator?: Generator;
}

/** Options of `Embedding.fromPretrained`. */
export interface FromPretrainedOptions {
  /** Keep the weight fixed (requiresGrad false; default true). */
  freeze?: boolean;
  paddingIdx?: number | null;
  maxNorm?: number | null;
  normType?: number;
  scaleGradByFreq?: boolean;
}

/**
 * A lookup table: int32 indices of any shape → `(*shape, embeddingDim)` rows of `weight`
 * `(numEmbeddings, embeddingDim)`, initialized N(0, 1) as torch (the `paddingIdx` row zeroed).
 * @example
 * const emb = new Embedding(10, 3, { paddingIdx: 0 });
 * emb.forward(tensor([[1, 2, 0]], { dtype: "int32" })).shape; // [1, 3, 3]
 */
export class Embedding extends Module {
  readonly numEmbeddings: number;
  readonly embeddingDim: number;
  /** The padding row, resolved to a non-negative index (null when there is none). */
  readonly paddingIdx: number | null;
  readonly maxNorm: number | null;
  readonly normType: number;
  readonly scaleGradByFreq: boolean;
  weight: Parameter;

  constructor(numEmbeddings: number, embeddingDim: number, opts: EmbeddingLayerOptions = {}) {
    super();
    checkSize(numEmbeddings, "numEmbeddings", "Embedding");
    checkSize(embeddingDim, "embeddingDim", "Embedding");
    this.numEmbeddings = numEmbeddings;
    this.embeddingDim = embeddingDim;
    const pad = resolvePaddingIdx(opts.paddingIdx, numEmbeddings, "Embedding");
    this.paddingIdx = pad < 0 ? null : pad;
    if (opts.maxNorm !== null && opts.maxNorm !== undefined && !(opts.maxNorm >= 0)) {
      throw new Error(`Embedding: maxNorm must be a non-negative number, got ${opts.maxNorm}`);
    }
    this.maxNorm = opts.maxNorm ?? null;
    this.normType = opts.normType ?? 2;
    this.scaleGradByFreq = opts.scaleGradByFreq ?? false;
    if (opts.weight) {
      const w = opts.weight;
      if (w.ndim !== 2 || w.shape[0] !== numEmbeddings || w.shape[1] !== embeddingDim) {
        throw new Error(`Embedding: weight of shape ${fmt(w.shape)} does not match numEmbeddings ${numEmbeddings} and embeddingDim ${embeddingDim}`);
      }
      this.weight = new Parameter(w);
    } else {
      this.weight = new Parameter(zeros([numEmbeddings, embeddingDim]));
      this.resetParameters(opts.generator);
    }
  }

  /**
   * An Embedding whose weight is `embeddings` (shared, not copied), frozen unless `freeze: false`.
   * The padding row keeps its values but gets no gradient.
   * @example Embedding.fromPretrained(tensor([[1, 2], [3, 4]]), { freeze: false })
   */
  static fromPretrained(embeddings: Tensor, opts: FromPretrainedOptions = {}): Embedding {
    if (!(embeddings instanceof Tensor) || embeddings.ndim !== 2) {
      throw new Error(`Embedding.fromPretrained: embeddings must be a 2-D tensor, got shape ${embeddings instanceof Tensor ? fmt(embeddings.shape) : typeof embeddings}`);
    }
    if (embeddings.dtype === "int32") throw new Error(`Embedding.fromPretrained: embeddings must be float32, got int32 of shape ${fmt(embeddings.shape)}`);
    const emb = new Embedding(embeddings.shape[0]!, embeddings.shape[1]!, {
      paddingIdx: opts.paddingIdx, maxNorm: opts.maxNorm, normType: opts.normType,
      scaleGradByFreq: opts.scaleGradByFreq, weight: embeddings,
    });
    emb.weight.requiresGrad = !(opts.freeze ?? true);
    return emb;
  }

  /** Re-draws the weight from N(0, 1) and zeroes the padding row, as the constructor did. */
  resetParameters(generator?: Generator): void {
    normal_(this.weight, { generator });
    if (this.paddingIdx !== null) {
      const row = this.paddingIdx;
      const w = this.weight.value;
      for (let c = 0; c < this.embeddingDim; c++) w.data[w.offset + row * w.strides[0]! + c * w.strides[1]!] = 0;
    }
  }

  override extraRepr(): string {
    let s = `${this.numEmbeddings}, ${this.embeddingDim}`;
    if (this.paddingIdx !== null) s += `, padding_idx=${this.paddingIdx}`;
    if (this.maxNorm !== null) s += `, max_norm=${this.maxNorm}`;
    if (this.normType !== 2) s += `, norm_type=${pyFloat(this.normType)}`;
    if (this.scaleGradByFreq) s += ", scale_grad_by_freq=True";
    return s;
  }

  /** int32 indices `(*)` → `(*, embeddingDim)`. */
  forward(input: Tensor): Tensor {
    if (!(input instanceof Tensor)) throw new Error("Embedding.forward: input must be an int32 Tensor");
    return embeddingImpl(input, this.weight, {
      paddingIdx: this.paddingIdx, maxNorm: this.maxNorm, normType: this.normType, scaleGradByFreq: this.scaleGradByFreq,
    }, "Embedding.forward");
  }
}

ownLayers(Embedding);
