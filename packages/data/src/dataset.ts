import { fmt } from "@rnnkit/tensor";
import type { Tensor } from "@rnnkit/autograd";

/**
 * A map-style dataset: `length` items, read by index (torch.utils.data.Dataset).
 * Subclass it and implement `length` and `get(i)`.
 * @example class Squares extends Dataset<number> { get length() { return 10; } get(i: number) { return i * i; } }
 */
export abstract class Dataset<T> {
  /** Number of items. */
  abstract get length(): number;
  /** The item at index `i`, `0 <= i < length`. */
  abstract get(i: number): T;

  *[Symbol.iterator](): Iterator<T> {
    for (let i = 0; i < this.length; i++) yield this.get(i);
  }
}

/** Throws unless `i` is an integer index into a dataset of `length` items. */
export function checkIndex(op: string, i: number, length: number): void {
  if (!Number.isInteger(i) || i < 0 || i >= length) {
    throw new Error(`${op}: index ${i} out of range for dataset of length ${length}`);
  }
}

/** A dataset over a plain array. */
export class ArrayDataset<T> extends Dataset<T> {
  constructor(readonly items: readonly T[]) {
    super();
  }
  get length(): number {
    return this.items.length;
  }
  get(i: number): T {
    checkIndex("ArrayDataset.get", i, this.items.length);
    return this.items[i] as T;
  }
}

/**
 * Rows of tensors that share their first dimension: item `i` is `[t0[i], t1[i], ...]`.
 * @example const ds = new TensorDataset(x, y); // x: [N, 3], y: [N]; ds.get(0) -> [x[0], y[0]]
 */
export class TensorDataset<T extends Tensor[] = Tensor[]> extends Dataset<T> {
  readonly tensors: Readonly<T>;

  constructor(...tensors: T) {
    super();
    if (tensors.length === 0) throw new Error("TensorDataset: needs at least one tensor");
    for (const [k, t] of tensors.entries()) {
      if (t.shape.length === 0) throw new Error(`TensorDataset: tensor ${k} must have at least 1 dimension, got shape ${fmt(t.shape)}`);
    }
    const n = tensors[0]!.shape[0]!;
    if (tensors.some((t) => t.shape[0] !== n)) {
      throw new Error(`TensorDataset: size mismatch between tensors, first dimensions are ${tensors.map((t) => t.shape[0]).join(", ")} (shapes ${tensors.map((t) => fmt(t.shape)).join(", ")})`);
    }
    this.tensors = tensors;
  }

  get length(): number {
    return this.tensors[0]!.shape[0]!;
  }

  get(i: number): T {
    checkIndex("TensorDataset.get", i, this.length);
    return this.tensors.map((t) => t.select(0, i)) as T;
  }
}

/**
 * The items of `dataset` at `indices`, in that order.
 * @example new Subset(ds, [0, 2, 4]).get(1) // ds.get(2)
 */
export class Subset<T> extends Dataset<T> {
  constructor(readonly dataset: Dataset<T>, readonly indices: readonly number[]) {
    super();
    for (const i of indices) checkIndex("Subset", i, dataset.length);
  }
  get length(): number {
    return this.indices.length;
  }
  get(i: number): T {
    checkIndex("Subset.get", i, this.indices.length);
    return this.dataset.get(this.indices[i]!);
  }
}

/**
 * Datasets one after another: length is the sum of theirs.
 * @example new ConcatDataset([a, b]).get(a.length) // b.get(0)
 */
export class ConcatDataset<T> extends Dataset<T> {
  readonly datasets: readonly Dataset<T>[];
  private readonly ends: number[] = [];

  constructor(datasets: readonly Dataset<T>[]) {
    super();
    if (datasets.length === 0) throw new Error("ConcatDataset: datasets should not be an empty list");
    this.datasets = datasets;
    let total = 0;
    for (const d of datasets) this.ends.push((total += d.length));
  }

  get length(): number {
    return this.ends[this.ends.length - 1]!;
  }

  get(i: number): T {
    checkIndex("ConcatDataset.get", i, this.length);
    let k = 0;
    while (i >= this.ends[k]!) k++;
    const start = k === 0 ? 0 : this.ends[k - 1]!;
    return this.datasets[k]!.get(i - start);
  }
}
