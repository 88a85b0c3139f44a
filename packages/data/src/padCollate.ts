import { fmt, type DType } from "@rnnkit/tensor";
import { Tensor, tensor } from "@rnnkit/autograd";
import { defaultCollate } from "./collate.js";

/** A sequence: a tensor `[L, *]`, a typed array or a list of numbers (`[L]`). */
export type Sequence = Tensor | Float32Array | Int32Array | readonly number[];

/** A sample {@link padCollate} accepts: a sequence, or `[sequence, target]`. */
export type PadSample = Sequence | readonly [Sequence, Sequence | number];

/** What {@link padCollate} returns. */
export interface PaddedBatch {
  /** `[T, B, *]`, or `[B, T, *]` with `batchFirst`; T is the longest length. */
  padded: Tensor;
  /** `[B]` int32: each sequence's true length, ready for packPaddedSequence. */
  lengths: Tensor;
  /** Targets: padded like `padded` (with `targetPaddingValue`) when each target is a sequence of its input's length, else stacked. */
  target?: Tensor;
  /** With `sort`: `sortedIndices[k]` is the position in the incoming batch of row k. */
  sortedIndices?: number[];
}

/** Options of {@link padCollate}. */
export interface PadCollateOptions {
  /** Value written past each sequence's end (default 0). */
  paddingValue?: number;
  /** Padding for sequence targets (default -100, CrossEntropyLoss's ignoreIndex). */
  targetPaddingValue?: number;
  /** Batch dimension first: `[B, T, *]` (default false: `[T, B, *]`). */
  batchFirst?: boolean;
  /** Sort by decreasing length (stable), as packPaddedSequence's enforceSorted wants (default false). */
  sort?: boolean;
}

interface Flat {
  data: ArrayLike<number>;
  length: number;
  trailing: readonly number[];
  dtype: DType;
}

function flatten(s: Sequence, what: string): Flat {
  if (s instanceof Tensor) {
    if (s.shape.length === 0) throw new Error(`padCollate: ${what} must have at least 1 dimension, got shape ${fmt(s.shape)}`);
    return { data: s.data(), length: s.shape[0]!, trailing: s.shape.slice(1), dtype: s.dtype };
  }
  const dtype: DType = s instanceof Int32Array || (!(s instanceof Float32Array) && s.every((v) => Number.isInteger(v))) ? "int32" : "float32";
  return { data: s, length: s.length, trailing: [], dtype };
}

function pad(seqs: readonly Flat[], value: number, batchFirst: boolean, what: string): Tensor {
  const first = seqs[0]!;
  const inner = first.trailing.reduce((a, b) => a * b, 1);
  for (const [k, s] of seqs.entries()) {
    if (s.trailing.length !== first.trailing.length || s.trailing.some((d, j) => d !== first.trailing[j])) {
      throw new Error(`padCollate: ${what} must share their trailing dimensions, got ${fmt([first.length, ...first.trailing])} at entry 0 and ${fmt([s.length, ...s.trailing])} at entry ${k}`);
    }
  }
  const dtype: DType = seqs.some((s) => s.dtype === "float32") ? "float32" : first.dtype;
  const b = seqs.length;
  const t = Math.max(...seqs.map((s) => s.length));
  const out = dtype === "int32" ? new Int32Array(b * t * inner) : new Float32Array(b * t * inner);
  out.fill(value);
  for (const [k, s] of seqs.entries()) {
    for (let step = 0; step < s.length; step++) {
      const at = (batchFirst ? k * t + step : step * b + k) * inner;
      for (let j = 0; j < inner; j++) out[at + j] = s.data[step * inner + j]!;
    }
  }
  const shape = batchFirst ? [b, t, ...first.trailing] : [t, b, ...first.trailing];
  return tensor(out, { shape, dtype });
}

function toTensor(s: Exclude<Sequence, Tensor>): Tensor {
  const f = flatten(s, "target");
  return tensor(Array.from(f.data), { dtype: f.dtype });
}

function isSequence(x: unknown): x is Sequence {
  return x instanceof Tensor || x instanceof Float32Array || x instanceof Int32Array || (Array.isArray(x) && x.every((v) => typeof v === "number"));
}

/**
 * A collate function for variable-length sequences: pads them to the longest and returns their
 * lengths (int32) for packPaddedSequence. Samples are sequences `[L, *]`, or `[sequence, target]`
 * pairs; a target that is a sequence as long as its input is padded the same way, any other target
 * (a class index, a fixed-size tensor) is stacked.
 * @example new DataLoader(ds, { batchSize: 8, collate: padCollate({ batchFirst: true, sort: true }) })
 */
export function padCollate(opts: PadCollateOptions = {}): (batch: readonly PadSample[]) => PaddedBatch {
  const paddingValue = opts.paddingValue ?? 0;
  const targetPaddingValue = opts.targetPaddingValue ?? -100;
  const batchFirst = opts.batchFirst ?? false;
  return (batch) => {
    if (batch.length === 0) throw new Error("padCollate: batch must not be empty");
    const paired = !isSequence(batch[0]);
    const inputs: Sequence[] = [];
    const targets: (Sequence | number)[] = [];
    for (const [k, sample] of batch.entries()) {
      if (isSequence(sample) === paired) {
        throw new Error(`padCollate: samples must all be sequences or all [sequence, target] pairs; sample ${k} differs from sample 0`);
      }
      if (paired) {
        const pair = sample as readonly [Sequence, Sequence | number];
        if (!Array.isArray(pair) || pair.length !== 2 || !isSequence(pair[0])) {
          throw new Error(`padCollate: sample ${k} must be a sequence or a [sequence, target] pair`);
        }
        inputs.push(pair[0]);
        targets.push(pair[1]);
      } else {
        inputs.push(sample as Sequence);
      }
    }
    let order = inputs.map((_, k) => k);
    const flat = inputs.map((s, k) => flatten(s, `sample ${k}`));
    if (opts.sort) order = [...order].sort((a, b) => flat[b]!.length - flat[a]!.length || a - b);
    const sortedFlat = order.map((k) => flat[k]!);
    const out: PaddedBatch = {
      padded: pad(sortedFlat, paddingValue, batchFirst, "sequences"),
      lengths: tensor(sortedFlat.map((s) => s.length), { dtype: "int32" }),
    };
    if (paired) {
      const sortedTargets = order.map((k) => targets[k]!);
      const aligned = sortedTargets.every((y, k) => typeof y !== "number" && !(y instanceof Tensor && y.shape.length === 0) && flatten(y, `target ${order[k]}`).length === sortedFlat[k]!.length);
      if (aligned) {
        out.target = pad(sortedTargets.map((y, k) => flatten(y as Sequence, `target ${order[k]}`)), targetPaddingValue, batchFirst, "targets");
      } else {
        out.target = defaultCollate(sortedTargets.map((y) => (typeof y === "number" || y instanceof Tensor ? y : toTensor(y)))) as Tensor;
      }
    }
    if (opts.sort) out.sortedIndices = order;
    return out;
  };
}
