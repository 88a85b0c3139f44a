import { fmt, normDim } from "@rnnkit/tensor";
import { Tensor } from "../tensor.js";
import { rowsAlong } from "./alongDim.js";
import { gather } from "./indexing.js";

/** Options of `sort` / `argsort` (torch's keyword arguments). */
export interface SortOptions {
  /** The dim to sort along (default -1, the last). */
  dim?: number;
  /** Largest first (default false). */
  descending?: boolean;
  /**
   * Keep equal elements in their original order. rnnkit's sort is always stable; the option is
   * accepted for torch's signature (torch's default CPU sort may order ties differently).
   */
  stable?: boolean;
}

/** Options of `topk` (torch's keyword arguments). */
export interface TopkOptions {
  /** The dim to select along (default -1, the last). */
  dim?: number;
  /** The k largest (default true) or the k smallest. */
  largest?: boolean;
  /** Return them in sorted order (default true; rnnkit always does, which torch allows). */
  sorted?: boolean;
}

/** `a` before `b` in ascending order, NaN greatest (torch's order). */
function ascending(a: number, b: number): number {
  if (a < b) return -1;
  if (a > b) return 1;
  const na = a !== a;
  const nb = b !== b;
  return na === nb ? 0 : na ? 1 : -1;
}
function descendingOrder(a: number, b: number): number {
  if (a > b) return -1;
  if (a < b) return 1;
  const na = a !== a;
  const nb = b !== b;
  return na === nb ? 0 : na ? -1 : 1;
}

/** int32 indices of the first `k` elements of each row along `dim` in (stable) sorted order. */
function sortedIndices(x: Tensor, dim: number, descending: boolean, k: number): Tensor {
  const rows = rowsAlong(x.value, dim);
  const { data, n, count } = rows;
  const out = rows.alloc("int32", k);
  const order = descending ? descendingOrder : ascending;
  const idx = new Array<number>(n);
  for (let r = 0; r < count; r++) {
    const base = r * n;
    for (let i = 0; i < n; i++) idx[i] = i;
    // Array.prototype.sort is stable: ties keep their index order.
    idx.sort((i, j) => order(data[base + i]!, data[base + j]!));
    for (let i = 0; i < k; i++) out[r * k + i] = idx[i]!;
  }
  return new Tensor(rows.restore(out, k));
}

function parseSort(op: string, dimOrOpts: number | SortOptions | undefined, descending: boolean | undefined): { dim: number; descending: boolean } {
  if (typeof dimOrOpts === "object" && dimOrOpts !== null) {
    return { dim: dimOrOpts.dim ?? -1, descending: dimOrOpts.descending ?? descending ?? false };
  }
  if (dimOrOpts !== undefined && typeof dimOrOpts !== "number") {
    throw new Error(`${op}: dim must be an integer or an options object { dim, descending, stable }, got ${String(dimOrOpts)}`);
  }
  return { dim: dimOrOpts ?? -1, descending: descending ?? false };
}

function checkInput(x: unknown, op: string): asserts x is Tensor {
  if (!(x instanceof Tensor)) throw new Error(`${op}: expected a Tensor as input, got ${describe(x)}`);
}
function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  return typeof v === "object" ? (v as object).constructor?.name ?? "an object" : `${typeof v} ${String(v)}`;
}

/**
 * `[values, indices]` of `x` sorted along `dim` (ascending unless `descending`), NaN last
 * (first when descending), equal elements in their original order. Values carry gradients.
 * @example const [v, i] = sort(tensor([3, 1, 2])); // v [1, 2, 3], i [1, 2, 0]
 */
export function sort(x: Tensor, dim?: number | SortOptions, descending?: boolean): [Tensor, Tensor] {
  checkInput(x, "sort");
  const o = parseSort("sort", dim, descending);
  const d = normDim(o.dim, x.ndim, "sort");
  if (x.ndim === 0) return [x.clone(), sortedIndices(x, 0, false, 1)];
  const indices = sortedIndices(x, d, o.descending, x.shape[d]!);
  return [gather(x, d, indices), indices];
}

/**
 * The int32 indices that sort `x` along `dim` (`sort(x)[1]`).
 * @example argsort(tensor([3, 1, 2]), { descending: true }) // [0, 2, 1]
 */
export function argsort(x: Tensor, dim?: number | SortOptions, descending?: boolean): Tensor {
  checkInput(x, "argsort");
  const o = parseSort("argsort", dim, descending);
  const d = normDim(o.dim, x.ndim, "argsort");
  return sortedIndices(x, d, o.descending, x.ndim === 0 ? 1 : x.shape[d]!);
}

/**
 * `[values, indices]` of the `k` largest (or smallest) elements along `dim`, in sorted order;
 * NaN counts as the largest value, as in torch. Values carry gradients.
 * @example const [v, i] = topk(tensor([1, 5, 3]), 2); // v [5, 3], i [1, 2]
 */
export function topk(x: Tensor, k: number, dim?: number | TopkOptions, largest?: boolean, sorted?: boolean): [Tensor, Tensor] {
  checkInput(x, "topk");
  const o = typeof dim === "object" && dim !== null ? dim : { dim, largest, sorted };
  if (o.dim !== undefined && typeof o.dim !== "number") {
    throw new Error(`topk: dim must be an integer or an options object { dim, largest, sorted }, got ${String(o.dim)}`);
  }
  const d = normDim(o.dim ?? -1, x.ndim, "topk");
  const n = x.ndim === 0 ? 1 : x.shape[d]!;
  if (typeof k !== "number" || !Number.isInteger(k) || k < 0 || k > n) {
    throw new Error(`topk: selected index k out of range: k must be an integer in [0, ${n}] for dim ${d} of shape ${fmt(x.shape)}, got ${String(k)}`);
  }
  // torch gives a 0-d tensor back whole, for k = 0 as for k = 1.
  if (x.ndim === 0) return [x.clone(), sortedIndices(x, 0, false, 1)];
  const indices = sortedIndices(x, d, o.largest ?? true, k);
  return [gather(x, d, indices), indices];
}
