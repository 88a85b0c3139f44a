/** Shape helpers shared by every kernel: sizes, strides, broadcasting and dim checks. */

/** Number of elements of a shape (1 for a 0-d shape). */
export function numel(shape: readonly number[]): number {
  let n = 1;
  for (const s of shape) n *= s;
  return n;
}

/** Row-major strides of a contiguous array of `shape`. */
export function contiguousStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i]!;
  }
  return strides;
}

/** `[2, 3]` → `"[2, 3]"`, the form every error message uses. */
export function fmt(shape: readonly number[]): string {
  return `[${shape.join(", ")}]`;
}

export function shapesEqual(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * torch broadcasting: align shapes on the right; each pair of sizes must match or one be 1.
 * @example broadcastShapes([3, 1], [4], "add") // [3, 4]
 */
export function broadcastShapes(a: readonly number[], b: readonly number[], op: string): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new Error(
        `${op}: shapes ${fmt(a)} and ${fmt(b)} cannot be broadcast (size ${da} vs ${db} at dim ${i - n})`,
      );
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Wraps a possibly negative dim into `[0, ndim)`, naming the op on error. */
export function normDim(dim: number, ndim: number, op: string): number {
  const lo = ndim === 0 ? -1 : -ndim;
  const hi = ndim === 0 ? 0 : ndim - 1;
  if (typeof dim !== "number") {
    throw new Error(`${op}: dim must be an integer, got ${dim === null ? "null" : typeof dim === "object" ? "an object" : `${typeof dim} ${String(dim)}`}`);
  }
  if (!Number.isInteger(dim) || dim < lo || dim > hi) {
    throw new Error(`${op}: dim ${dim} is out of range for a ${ndim}-D tensor (expected in [${lo}, ${hi}])`);
  }
  return dim < 0 ? dim + Math.max(ndim, 1) : dim;
}

/** Normalizes a list of dims (all dims when undefined or empty, as torch's reductions), rejecting repeats. */
export function normDims(dims: number | readonly number[] | undefined, ndim: number, op: string): number[] {
  if (dims === undefined || (Array.isArray(dims) && dims.length === 0)) return Array.from({ length: ndim }, (_, i) => i);
  if (typeof dims !== "number" && !Array.isArray(dims)) {
    throw new Error(`${op}: dim must be an integer or an array of integers, got ${dims === null ? "null" : typeof dims}`);
  }
  const list = typeof dims === "number" ? [dims] : dims;
  const out = list.map((d) => normDim(d, ndim, op));
  if (new Set(out).size !== out.length) throw new Error(`${op}: dim ${fmt(list as number[])} has a repeated dim`);
  // A 0-d tensor accepts dim 0 / -1 (as torch) but has no dim to reduce.
  if (ndim === 0) return [];
  return out.sort((x, y) => x - y);
}

/** The most elements one typed array may hold (V8's limit on 64-bit hosts). */
const MAX_ELEMENTS = 2 ** 32 - 1;

/** Checks a shape is a list of non-negative integers, resolving one `-1` against `total` if given. */
export function checkShape(shape: readonly number[], op: string, total?: number): number[] {
  let infer = -1;
  let known = 1;
  const out = shape.slice();
  for (let i = 0; i < out.length; i++) {
    const s = out[i]!;
    if (s === -1 && total !== undefined) {
      if (infer >= 0) throw new Error(`${op}: only one dimension can be inferred, got shape ${fmt(shape)}`);
      infer = i;
    } else if (!Number.isInteger(s) || s < 0) {
      throw new Error(`${op}: invalid shape ${fmt(shape)} (sizes must be non-negative integers): got ${String(s)} at dim ${i}`);
    } else {
      known *= s;
    }
  }
  if (known > MAX_ELEMENTS) {
    throw new Error(`${op}: shape ${fmt(shape)} has ${known} elements, more than a JavaScript typed array can hold (${MAX_ELEMENTS})`);
  }
  if (infer >= 0) {
    if (known === 0 || total! % known !== 0) {
      throw new Error(`${op}: shape ${fmt(shape)} is invalid for input of size ${total}`);
    }
    out[infer] = total! / known;
  }
  return out;
}
