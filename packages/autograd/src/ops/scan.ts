import { fmt, NDArray, normDim, type DType } from "@rnnkit/tensor";
import { defineOp } from "../defineOp.js";
import { Tensor } from "../tensor.js";
import { rowsAlong } from "./alongDim.js";
import { checkDtype } from "../creation.js";
import { flip } from "./shape.js";

/** Running sums or products along `dim`, accumulated in double and rounded per output (torch's CPU kernel). */
function scan(x: NDArray, dim: number, op: "sum" | "prod", dtype: DType): NDArray {
  const rows = rowsAlong(x, dim);
  const { data, n, count } = rows;
  const out = rows.alloc(dtype, n);
  for (let r = 0; r < count; r++) {
    let acc = op === "sum" ? 0 : 1;
    for (let i = r * n; i < (r + 1) * n; i++) {
      acc = op === "sum" ? acc + data[i]! : acc * data[i]!;
      out[i] = acc;
    }
  }
  return rows.restore(out, n);
}

/** Σ from the end: `out_i = Σ_{j ≥ i} g_j` along `dim`, in Tensor ops (differentiable again). */
function reverseCumsum(g: Tensor, dim: number): Tensor {
  return flip(cumsumOp([flip(g, [dim])], { dim, dtype: g.dtype }), [dim]);
}

const cumsumOp = defineOp<{ dim: number; dtype: DType }>({
  name: "cumsum",
  forward: ([x], { dim, dtype }) => scan(x!, dim, "sum", dtype),
  backward: ({ args: { dim } }, g) => [reverseCumsum(g, dim)],
});

/**
 * The gradient of cumprod along one row that holds a zero (first at `k`): before it,
 * `Σ_{j=i}^{k-1} g_j out_j / x_i`; at it, `Σ_{j ≥ k} g_j Π_{m ≤ j, m ≠ k} x_m`; after it, 0.
 */
function cumprodGradWithZeros(x: NDArray, out: NDArray, g: NDArray, dim: number): NDArray {
  const xs = rowsAlong(x, dim);
  const os = rowsAlong(out, dim).data;
  const gs = rowsAlong(g, dim).data;
  const { data, n, count } = xs;
  const grad = xs.alloc(g.dtype, n);
  for (let r = 0; r < count; r++) {
    const b = r * n;
    let k = -1;
    for (let i = 0; i < n && k < 0; i++) if (data[b + i] === 0) k = i;
    if (k < 0) {
      // No zero in this row: the usual reverse sum of g · out over x.
      let acc = 0;
      for (let i = n - 1; i >= 0; i--) {
        acc += gs[b + i]! * os[b + i]!;
        grad[b + i] = acc / data[b + i]!;
      }
      continue;
    }
    let acc = 0;
    for (let i = k - 1; i >= 0; i--) {
      acc += gs[b + i]! * os[b + i]!;
      grad[b + i] = acc / data[b + i]!;
    }
    let prefix = k > 0 ? os[b + k - 1]! : 1;
    let atZero = 0;
    for (let j = k; j < n; j++) {
      if (j > k) prefix *= data[b + j]!;
      atZero += gs[b + j]! * prefix;
    }
    grad[b + k] = atZero;
  }
  return xs.restore(grad, n);
}

const cumprodOp = defineOp<{ dim: number; dtype: DType }>({
  name: "cumprod",
  forward: ([x], { dim, dtype }) => scan(x!, dim, "prod", dtype),
  backward: ({ inputs: [x], output, args: { dim } }, g) => {
    const xv = x!.value;
    // Without zeros, Tensor ops keep the gradient differentiable; with them, the exact
    // exclusion formula (first order only, as prod's).
    if (!xv.flat().some((v) => v === 0)) return [reverseCumsum(g.mul(output), dim).div(x!)];
    return [new Tensor(cumprodGradWithZeros(xv, output.value, g.value, dim))];
  },
});

/** Options of `cumsum` / `cumprod`. */
export interface ScanOptions {
  /** The result's dtype (the input is converted first, as torch's `dtype=`). */
  dtype?: DType;
}

function runScan(op: "cumsum" | "cumprod", x: Tensor, dim: number, opts: ScanOptions | DType | undefined): Tensor {
  if (!(x instanceof Tensor)) throw new Error(`${op}: expected a Tensor as input, got ${x === null ? "null" : typeof x}`);
  if (typeof dim !== "number") {
    throw new Error(`${op}: dim is required (an integer), got ${String(dim)}; e.g. ${op}(x, 0) or x.${op}(-1) for shape ${fmt(x.shape)}`);
  }
  const given = typeof opts === "string" ? opts : opts?.dtype;
  const dtype = given === undefined ? x.dtype : checkDtype(given, op);
  const src = dtype === x.dtype ? x : x.to(dtype);
  const d = normDim(dim, src.ndim, op);
  return (op === "cumsum" ? cumsumOp : cumprodOp)([src], { dim: src.ndim === 0 ? 0 : d, dtype });
}

/**
 * Running sum along `dim`: `out_i = Σ_{j ≤ i} x_j` (torch.cumsum); int32 stays int32.
 * @example cumsum(tensor([1, 2, 3]), 0) // [1, 3, 6]
 */
export function cumsum(x: Tensor, dim: number, opts?: ScanOptions | DType): Tensor {
  return runScan("cumsum", x, dim, opts);
}
/**
 * Running product along `dim`: `out_i = Π_{j ≤ i} x_j` (torch.cumprod), with torch's
 * gradient where the input holds zeros.
 * @example cumprod(tensor([1, 2, 3]), 0) // [1, 2, 6]
 */
export function cumprod(x: Tensor, dim: number, opts?: ScanOptions | DType): Tensor {
  return runScan("cumprod", x, dim, opts);
}
