import { defineOp, freshGrad, Tensor, zeros } from "@rnnkit/autograd";
import { backend, fmt, NDArray } from "@rnnkit/tensor";

/** Options of `embedding` (the functional form of `nn.Embedding`). */
export interface EmbeddingOptions {
  /** Row whose gradient is always zero (negative counts from the end). */
  paddingIdx?: number | null;
  /** Rows looked up with a larger `normType`-norm are rescaled in place to this norm. */
  maxNorm?: number | null;
  /** The p of the p-norm for `maxNorm` (default 2; `Infinity` for the max norm). */
  normType?: number;
  /** Divide each row's gradient by how often its index occurs in the batch. */
  scaleGradByFreq?: boolean;
}

/** Checks int32 indices in [0, num) and returns them flattened. */
function checkIndices(indices: Tensor, num: number, op: string): Int32Array {
  if (indices.dtype !== "int32") {
    throw new Error(`${op}: indices must be an int32 tensor, got ${indices.dtype} of shape ${fmt(indices.shape)}`);
  }
  const flat = indices.value.flat() as Int32Array;
  for (let i = 0; i < flat.length; i++) {
    const v = flat[i]!;
    if (v < 0 || v >= num) {
      throw new Error(`${op}: index ${v} is out of range for ${num} embeddings (indices shape ${fmt(indices.shape)})`);
    }
  }
  return Int32Array.from(flat);
}

/** Resolves a possibly negative padding index against `num` rows (-1 when there is none). */
export function resolvePaddingIdx(paddingIdx: number | null | undefined, num: number, op: string): number {
  if (paddingIdx === null || paddingIdx === undefined) return -1;
  if (!Number.isInteger(paddingIdx) || paddingIdx >= num || paddingIdx < -num) {
    throw new Error(`${op}: paddingIdx must be within numEmbeddings (${num}), got ${paddingIdx}`);
  }
  return paddingIdx < 0 ? paddingIdx + num : paddingIdx;
}

/**
 * Rescales, in place and outside the graph, every row of `weight` named in `indices` whose
 * p-norm exceeds `maxNorm` to norm `maxNorm` (torch.embedding_renorm_: scale maxNorm / (norm + 1e-7)).
 * @example embeddingRenorm_(emb.weight, tensor([0, 3], { dtype: "int32" }), 1, 2)
 */
export function embeddingRenorm_(weight: Tensor, indices: Tensor, maxNorm: number, normType = 2): Tensor {
  const op = "embeddingRenorm_";
  if (weight.ndim !== 2) throw new Error(`${op}: weight must be 2-D, got shape ${fmt(weight.shape)}`);
  const rows = [...new Set(checkIndices(indices, weight.shape[0]!, op))].sort((a, b) => a - b);
  const w = weight.value;
  const dim = w.shape[1]!;
  const [s0, s1] = [w.strides[0]!, w.strides[1]!];
  for (const r of rows) {
    const base = w.offset + r * s0;
    let acc = 0;
    for (let c = 0; c < dim; c++) {
      const x = Math.abs(w.data[base + c * s1]!);
      if (normType === Infinity) acc = Math.max(acc, x);
      else if (normType === 1) acc += x;
      else if (normType === 2) acc += x * x;
      else acc += x ** normType;
    }
    const norm = Math.fround(normType === Infinity || normType === 1 ? acc : normType === 2 ? Math.sqrt(acc) : acc ** (1 / normType));
    if (norm > maxNorm) {
      const scale = Math.fround(maxNorm / (norm + 1e-7));
      for (let c = 0; c < dim; c++) w.data[base + c * s1] = w.data[base + c * s1]! * scale;
    }
  }
  return weight.incrementVersion("embeddingRenorm_");
}

const embeddingOp = defineOp<{ index: NDArray; paddingIdx: number; scaleGradByFreq: boolean }>({
  name: "embedding",
  saves: () => [],
  forward: ([w], { index }) => backend().indexSelect(w!, 0, index),
  backward: ({ inputs: [w], args: { index, paddingIdx, scaleGradByFreq } }, g) => {
    const idx = index.data as Int32Array;
    let grad = g;
    if (paddingIdx >= 0 || scaleGradByFreq) {
      const counts = new Map<number, number>();
      if (scaleGradByFreq) for (const i of idx) counts.set(i, (counts.get(i) ?? 0) + 1);
      const scale = new Float32Array(idx.length);
      for (let k = 0; k < idx.length; k++) {
        const i = idx[k]!;
        scale[k] = i === paddingIdx ? 0 : scaleGradByFreq ? 1 / counts.get(i)! : 1;
      }
      grad = g.mul(new Tensor(new NDArray(scale, [idx.length, 1])));
    }
    return [freshGrad(zeros(w!.shape, { dtype: g.dtype }).indexAdd(0, new Tensor(index), grad))];
  },
});

/**
 * Looks up rows of `weight` (`(num, dim)`) at int32 `indices` of any shape → `(*indices.shape, dim)`.
 * The `paddingIdx` row gets no gradient; with `maxNorm`, looked-up rows are renormalized in place first.
 * @example embedding(tensor([[0, 2]], { dtype: "int32" }), randn([3, 4])).shape // [1, 2, 4]
 */
export function embedding(indices: Tensor, weight: Tensor, opts: EmbeddingOptions = {}): Tensor {
  return embeddingImpl(indices, weight, opts, "embedding");
}

/** `embedding` with errors naming `op` (the functional form or `Embedding.forward`). */
export function embeddingImpl(indices: Tensor, weight: Tensor, opts: EmbeddingOptions, op: string): Tensor {
  if (weight.ndim !== 2) throw new Error(`${op}: weight must be 2-D (numEmbeddings, embeddingDim), got shape ${fmt(weight.shape)}`);
  const [num, dim] = [weight.shape[0]!, weight.shape[1]!];
  const flat = checkIndices(indices, num, op);
  const paddingIdx = resolvePaddingIdx(opts.paddingIdx, num, op);
  if (opts.maxNorm !== null && opts.maxNorm !== undefined) embeddingRenorm_(weight, indices, opts.maxNorm, opts.normType ?? 2);
  const scaleGradByFreq = opts.scaleGradByFreq ?? false;
  const out = embeddingOp([weight], { index: new NDArray(flat, [flat.length]), paddingIdx, scaleGradByFreq }).reshape([...indices.shape, dim]);
  return out;
}
