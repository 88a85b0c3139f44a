import { allocArray, NDArray, type DType, type TypedArray } from "@rnnkit/tensor";

/**
 * The values of `x` as contiguous rows along `dim` (the dim moved last), and a way back: the
 * kernels below (sort, topk, scans, multinomial) then walk plain rows, whatever `x`'s strides.
 */
export interface Rows {
  /** Row-major values with `dim` last: row r is `data[r * n .. (r + 1) * n)`. */
  readonly data: TypedArray;
  /** Length of each row (the size of `dim`). */
  readonly n: number;
  /** Number of rows. */
  readonly count: number;
  /** An array of `x`'s layout (with `dim` of size `len`) from rows of length `len` in `out`. */
  restore(out: TypedArray, len: number): NDArray;
  /** Fresh row storage of `count * len` elements. */
  alloc(dtype: DType, len: number): TypedArray;
}

/** Cuts `x` into rows along `dim` (already normalized); a 0-d array is one row of one. */
export function rowsAlong(x: NDArray, dim: number): Rows {
  if (x.ndim === 0) {
    return {
      data: x.flat(),
      n: 1,
      count: 1,
      restore: (out, len) => (len === 1 ? new NDArray(out, []) : new NDArray(out, [len])),
      alloc: (dtype, len) => allocArray(dtype, len),
    };
  }
  const last = x.ndim - 1;
  const perm = Array.from({ length: x.ndim }, (_, i) => (i === dim ? last : i === last ? dim : i));
  const moved = x.permute(perm);
  const n = x.shape[dim]!;
  const count = n === 0 ? x.shape.reduce((a, s, i) => (i === dim ? a : a * s), 1) : x.size / n;
  return {
    data: moved.flat(),
    n,
    count,
    restore: (out, len) => {
      const shape = moved.shape.slice();
      shape[last] = len;
      return new NDArray(out, shape).permute(perm).contiguous();
    },
    alloc: (dtype, len) => allocArray(dtype, count * len),
  };
}
