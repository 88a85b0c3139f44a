import { cat, full, Tensor, tensor } from "@rnnkit/autograd";
import { fmt } from "@rnnkit/tensor";

/**
 * A batch of variable-length sequences packed time step by time step, as torch's
 * `PackedSequence`: `data` `(N, *)` holds step 0 of every sequence, then step 1 of those still
 * running, …; `batchSizes` (int32, one entry per step) says how many. Sequences are stored
 * longest first: `sortedIndices[k]` is the original batch index of the k-th stored sequence and
 * `unsortedIndices` is its inverse (both null when the batch came in sorted).
 * @example
 * const p = packSequence([tensor([1, 2, 3]), tensor([4, 5])]);
 * p.data.toArray(); // [1, 4, 2, 5, 3]
 * p.batchSizes.toArray(); // [2, 2, 1]
 */
export class PackedSequence {
  readonly data: Tensor;
  readonly batchSizes: Tensor;
  readonly sortedIndices: Tensor | null;
  readonly unsortedIndices: Tensor | null;

  constructor(data: Tensor, batchSizes: Tensor, sortedIndices: Tensor | null = null, unsortedIndices: Tensor | null = null) {
    if (batchSizes.dtype !== "int32" || batchSizes.ndim !== 1) {
      throw new Error(`PackedSequence: batchSizes must be a 1-D int32 tensor, got ${batchSizes.dtype} of shape ${fmt(batchSizes.shape)}`);
    }
    this.data = data;
    this.batchSizes = batchSizes;
    this.sortedIndices = sortedIndices;
    this.unsortedIndices = unsortedIndices ?? (sortedIndices ? invertPermutation(sortedIndices) : null);
  }

  /** The batch sizes as plain numbers. */
  batchSizeList(): number[] {
    return Array.from(this.batchSizes.data());
  }
}

function invertPermutation(perm: Tensor): Tensor {
  const p = perm.data();
  const inv = new Int32Array(p.length);
  p.forEach((v, i) => {
    inv[v] = i;
  });
  return tensor(inv, { dtype: "int32" });
}

/** Options of `padSequence`. */
export interface PadSequenceOptions {
  /** Output `(B, T, *)` instead of `(T, B, *)`. Default false. */
  batchFirst?: boolean;
  /** Value of the padded positions. Default 0. */
  paddingValue?: number;
}

/**
 * Stacks sequences `(L_i, *)` of different lengths into one tensor `(T, B, *)` (or
 * `(B, T, *)` with `batchFirst`), `T = max L_i`, filling the gaps with `paddingValue`.
 * Differentiable with respect to every sequence.
 * @example padSequence([tensor([1, 2, 3]), tensor([4])], { batchFirst: true }).toArray() // [[1, 2, 3], [4, 0, 0]]
 */
export function padSequence(sequences: readonly Tensor[], opts: PadSequenceOptions = {}): Tensor {
  const first = sequences[0];
  if (!first) throw new Error("padSequence: expected a non-empty list of sequences");
  if (first.ndim === 0) throw new Error("padSequence: sequences must have at least 1 dim (time), got a 0-d tensor");
  const rest = first.shape.slice(1);
  sequences.forEach((s, i) => {
    if (s.ndim !== first.ndim || s.shape.slice(1).some((d, j) => d !== rest[j])) {
      throw new Error(`padSequence: every sequence must have trailing shape ${fmt(rest)} like entry 0 ${fmt(first.shape)}, got ${fmt(s.shape)} at entry ${i}`);
    }
  });
  const lengths = sequences.map((s) => s.shape[0]!);
  const maxLen = Math.max(...lengths);
  const batch = sequences.length;
  const starts: number[] = [];
  let total = 0;
  for (const l of lengths) {
    starts.push(total);
    total += l;
  }
  const pool = cat([...sequences, full([1, ...rest], opts.paddingValue ?? 0, { dtype: first.dtype })], 0);
  const index = new Int32Array(maxLen * batch);
  for (let b = 0; b < batch; b++) {
    for (let t = 0; t < maxLen; t++) {
      const at = opts.batchFirst ? b * maxLen + t : t * batch + b;
      index[at] = t < lengths[b]! ? starts[b]! + t : total;
    }
  }
  const outShape = opts.batchFirst ? [batch, maxLen, ...rest] : [maxLen, batch, ...rest];
  return pool.indexSelect(0, tensor(index, { dtype: "int32" })).reshape(outShape);
}

/** Options of `packPaddedSequence`. */
export interface PackPaddedOptions {
  /** The input is `(B, T, *)` instead of `(T, B, *)`. Default false. */
  batchFirst?: boolean;
  /** Require lengths sorted longest first (else sort them and record the order). Default true. */
  enforceSorted?: boolean;
}

/** Lengths as integers, checked. */
function lengthList(lengths: readonly number[] | Tensor, op: string): number[] {
  let list: number[];
  if (lengths instanceof Tensor) {
    if (lengths.dtype !== "int32") throw new Error(`${op}: lengths must be an int32 tensor or a number array, got a ${lengths.dtype} tensor`);
    if (lengths.ndim !== 1) throw new Error(`${op}: lengths must be 1-D, got shape ${fmt(lengths.shape)}`);
    list = Array.from(lengths.data());
  } else {
    list = [...lengths];
    const bad = list.find((l) => !Number.isInteger(l));
    if (bad !== undefined) throw new Error(`${op}: lengths must be integers, got ${bad} in [${list.join(", ")}]`);
  }
  return list;
}

/**
 * Packs a padded batch `(T, B, *)` (or `(B, T, *)` with `batchFirst`) whose sequence b is
 * `lengths[b]` steps long. With `enforceSorted` (the default) lengths must be non-increasing;
 * otherwise the batch is sorted longest first and the order kept in `sortedIndices`.
 * Differentiable with respect to `input`.
 * @example packPaddedSequence(padded, [3, 1]) // PackedSequence with batchSizes [2, 1, 1]
 */
export function packPaddedSequence(input: Tensor, lengths: readonly number[] | Tensor, opts: PackPaddedOptions = {}): PackedSequence {
  const op = "packPaddedSequence";
  const batchFirst = opts.batchFirst ?? false;
  const enforceSorted = opts.enforceSorted ?? true;
  if (input.ndim < 2) throw new Error(`${op}: input must have at least 2 dims (time and batch), got shape ${fmt(input.shape)}`);
  const list = lengthList(lengths, op);
  const batch = input.shape[batchFirst ? 0 : 1]!;
  const steps = input.shape[batchFirst ? 1 : 0]!;
  if (list.length !== batch) {
    throw new Error(`${op}: expected len(lengths) to be equal to batch_size, but got ${list.length} (batch_size=${batch}, input shape ${fmt(input.shape)})`);
  }
  if (list.some((l) => l <= 0)) {
    throw new Error(`${op}: length of all samples has to be greater than 0, but found an element in lengths that is <= 0: [${list.join(", ")}]`);
  }
  const tooLong = list.find((l) => l > steps);
  if (tooLong !== undefined) {
    throw new Error(`${op}: a length (${tooLong}) is longer than the padded sequence (${steps} steps, input shape ${fmt(input.shape)}${batchFirst ? ", batchFirst" : ""})`);
  }
  let order = list.map((_, i) => i);
  let sortedIndices: Tensor | null = null;
  if (enforceSorted) {
    for (let i = 1; i < list.length; i++) {
      if (list[i]! > list[i - 1]!) {
        throw new Error(`${op}: lengths [${list.join(", ")}] must be sorted in decreasing order when enforceSorted is true; pass { enforceSorted: false } to sort them`);
      }
    }
  } else {
    // A stable descending sort, as torch.sort gives on CPU.
    order = order.sort((a, b) => list[b]! - list[a]!);
    sortedIndices = tensor(Int32Array.from(order), { dtype: "int32" });
  }
  const sortedLengths = order.map((i) => list[i]!);
  const maxLen = sortedLengths[0] ?? 0;
  const batchSizes = new Int32Array(maxLen);
  for (const l of sortedLengths) for (let t = 0; t < l; t++) batchSizes[t]! += 1;
  const index: number[] = [];
  for (let t = 0; t < maxLen; t++) {
    for (let k = 0; k < batchSizes[t]!; k++) {
      const b = order[k]!;
      index.push(batchFirst ? b * steps + t : t * batch + b);
    }
  }
  const rest = input.shape.slice(2);
  const data = input.reshape([steps * batch, ...rest]).indexSelect(0, tensor(Int32Array.from(index), { dtype: "int32" }));
  return new PackedSequence(data, tensor(batchSizes, { dtype: "int32" }), sortedIndices, sortedIndices ? invertPermutation(sortedIndices) : null);
}

/** Options of `padPackedSequence`. */
export interface PadPackedOptions {
  /** Output `(B, T, *)` instead of `(T, B, *)`. Default false. */
  batchFirst?: boolean;
  /** Value of the padded positions. Default 0. */
  paddingValue?: number;
  /** Pad to this many steps (at least the longest sequence). Default: the longest sequence. */
  totalLength?: number;
}

/**
 * Unpacks a PackedSequence into a padded batch `(T, B, *)` (or `(B, T, *)` with `batchFirst`)
 * in the original batch order, and the lengths (int32, `(B)`). Inverse of
 * `packPaddedSequence`; differentiable with respect to `packed.data`.
 * @example const [padded, lengths] = padPackedSequence(packed, { batchFirst: true });
 */
export function padPackedSequence(packed: PackedSequence, opts: PadPackedOptions = {}): [Tensor, Tensor] {
  const op = "padPackedSequence";
  const sizes = packed.batchSizeList();
  const maxLen = sizes.length;
  const batch = sizes[0] ?? 0;
  const steps = opts.totalLength ?? maxLen;
  if (!Number.isInteger(steps) || steps < maxLen) {
    throw new Error(`${op}: expected totalLength to be at least the length of the longest sequence in input, but got totalLength=${steps} and max sequence length being ${maxLen}`);
  }
  const data = packed.data;
  const n = sizes.reduce((a, b) => a + b, 0);
  if (data.ndim < 1 || data.shape[0] !== n) {
    throw new Error(`${op}: packed data of shape ${fmt(data.shape)} does not hold the ${n} rows batchSizes [${sizes.join(", ")}] describe`);
  }
  const sortedLengths = new Array<number>(batch).fill(0);
  const offsets: number[] = [];
  let at = 0;
  for (const bs of sizes) {
    offsets.push(at);
    for (let k = 0; k < bs; k++) sortedLengths[k]! += 1;
    at += bs;
  }
  const unsorted = packed.unsortedIndices ? Array.from(packed.unsortedIndices.data()) : sortedLengths.map((_, i) => i);
  const rest = data.shape.slice(1);
  const pool = cat([data, full([1, ...rest], opts.paddingValue ?? 0, { dtype: data.dtype })], 0);
  const index = new Int32Array(steps * batch);
  for (let j = 0; j < batch; j++) {
    const k = unsorted[j]!;
    for (let t = 0; t < steps; t++) {
      const pos = opts.batchFirst ? j * steps + t : t * batch + j;
      index[pos] = t < sortedLengths[k]! ? offsets[t]! + k : n;
    }
  }
  const outShape = opts.batchFirst ? [batch, steps, ...rest] : [steps, batch, ...rest];
  const padded = pool.indexSelect(0, tensor(index, { dtype: "int32" })).reshape(outShape);
  const lengths = tensor(Int32Array.from(unsorted.map((k) => sortedLengths[k]!)), { dtype: "int32" });
  return [padded, lengths];
}

/**
 * Packs a list of sequences `(L_i, *)`: `packPaddedSequence(padSequence(list), lengths)`.
 * @example packSequence([tensor([1, 2]), tensor([3, 4, 5])], { enforceSorted: false })
 */
export function packSequence(sequences: readonly Tensor[], opts: { enforceSorted?: boolean } = {}): PackedSequence {
  const lengths = sequences.map((s) => s.shape[0] ?? 0);
  return packPaddedSequence(padSequence(sequences), lengths, { enforceSorted: opts.enforceSorted ?? true });
}

/**
 * Splits a padded batch back into its sequences `(lengths[b], *)` (torch's unpad_sequence).
 * @example unpadSequence(padSequence(list), lengths) // the list again
 */
export function unpadSequence(padded: Tensor, lengths: readonly number[] | Tensor, opts: { batchFirst?: boolean } = {}): Tensor[] {
  const list = lengthList(lengths, "unpadSequence");
  const batchDim = opts.batchFirst ? 0 : 1;
  if (padded.ndim < 2 || padded.shape[batchDim] !== list.length) {
    throw new Error(`unpadSequence: padded of shape ${fmt(padded.shape)} must have ${list.length} sequences along dim ${batchDim}`);
  }
  return list.map((l, b) => padded.select(batchDim, b).narrow(0, 0, l));
}

/**
 * Splits a PackedSequence into its sequences in the original order (torch's unpack_sequence).
 * @example unpackSequence(packSequence(list, { enforceSorted: false })) // the list again
 */
export function unpackSequence(packed: PackedSequence): Tensor[] {
  const [padded, lengths] = padPackedSequence(packed, { batchFirst: true });
  return unpadSequence(padded, lengths, { batchFirst: true });
}
