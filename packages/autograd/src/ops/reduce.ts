import { backend, fmt, NDArray, normDim, normDims } from "@rnnkit/tensor";
import { defineOp } from "../defineOp.js";
import { isGradEnabled } from "../gradMode.js";
import { freshGrad } from "../gradUtil.js";
import type { Node } from "../node.js";
import { Tensor } from "../tensor.js";
import { requireTensor } from "./checks.js";

/** Re-inserts reduced dims as size 1 so a reduced gradient broadcasts back over the input. */
function unreduce(g: Tensor, inputShape: readonly number[], dims: readonly number[], keepdim: boolean): Tensor {
  if (keepdim || inputShape.length === 0) return g;
  const shape = inputShape.map((s, i) => (dims.includes(i) ? 1 : s));
  return g.reshape(shape);
}

interface ReduceArgs {
  dims: number[];
  keepdim: boolean;
}

const sumOp = defineOp<ReduceArgs>({
  name: "sum",
  saves: () => [],
  forward: ([x], { dims, keepdim }) => backend().reduce("sum", x!, dims, keepdim),
  backward: ({ inputs: [x], args: { dims, keepdim } }, g) => [unreduce(g, x!.shape, dims, keepdim).expand(x!.shape).contiguous()],
});
/** Sum over `dim` (all dims when omitted). */
export function sum(x: Tensor, dim: number | readonly number[] | undefined, keepdim: boolean): Tensor {
  const dims = normDims(dim, x.ndim, "sum");
  return sumOp([x], { dims, keepdim });
}

/** Mean over `dim` (all dims when omitted). */
export function mean(x: Tensor, dim: number | readonly number[] | undefined, keepdim: boolean): Tensor {
  if (x.dtype === "int32") throw new Error("mean: could not infer output dtype; input dtype must be floating point, got int32");
  const dims = normDims(dim, x.ndim, "mean");
  const count = dims.reduce((n, d) => n * x.shape[d]!, 1);
  return sum(x, dims, keepdim).div(count);
}

interface VarArgs extends ReduceArgs {
  correction: number;
  sqrt: boolean;
}
const varianceOp = defineOp<VarArgs>({
  // A primitive for accuracy (two passes in float64) and for torch's gradient
  // 2 (x - mean) / (N - correction), which stays finite where the composite gives inf - inf.
  name: "var",
  forward: ([x], { dims, keepdim, correction, sqrt }) => {
    const b = backend();
    const n = dims.reduce((k, d) => k * x!.shape[d]!, 1);
    const x64 = b.cast(x!, "float64");
    const m = b.binary("div", b.reduce("sum", x64, dims, true), NDArray.scalar(n, "float64"));
    const c = b.binary("sub", x64, m);
    const ss = b.reduce("sum", b.binary("mul", c, c), dims, keepdim);
    const v = b.binary("div", ss, NDArray.scalar(Math.max(0, n - correction), "float64"));
    return b.cast(sqrt ? b.unary("sqrt", v) : v, x!.dtype);
  },
  backward: ({ inputs: [x], output, args: { dims, keepdim, correction, sqrt } }, g) => {
    const n = dims.reduce((k, d) => k * x!.shape[d]!, 1);
    let gv = unreduce(g, x!.shape, dims, keepdim);
    if (sqrt) {
      // d sqrt(v) = g / (2 std), defined as 0 where std == 0 (torch's convention).
      const out = unreduce(output, x!.shape, dims, keepdim);
      gv = gv.div(out.mul(2)).maskedFill(out.eq(0), 0);
    }
    return [x!.sub(mean(x!, dims, true)).mul(gv).mul(2 / (n - correction))];
  },
});
/** Variance over `dim` with `correction` (1 = unbiased), as torch.var; its square root when `sqrt` (torch.std). */
export function variance(x: Tensor, dim: number | readonly number[] | undefined, keepdim: boolean, correction: number, sqrt = false): Tensor {
  const name = sqrt ? "std" : "var";
  if (x.dtype === "int32") throw new Error(`${name}: input dtype must be floating point, got int32`);
  return varianceOp([x], { dims: normDims(dim, x.ndim, name), keepdim, correction, sqrt });
}

const prodOp = defineOp<ReduceArgs>({
  name: "prod",
  forward: ([x], { dims, keepdim }) => backend().reduce("prod", x!, dims, keepdim),
  backward: ({ inputs: [x], output, args: { dims, keepdim } }, g) => {
    const xv = x!.detach().value;
    if (!xv.flat().some((v) => v === 0)) {
      // No zeros: prod / x_i, in Tensor ops so second derivatives follow (as torch).
      return [unreduce(g.mul(output), x!.shape, dims, keepdim).div(x!)];
    }
    // With zeros: the product of the others, computed by exclusion (first order only).
    const d = dims[0]!;
    const n = x!.shape[d]!;
    const others = NDArray.zeros(x!.shape, xv.dtype);
    const src = x!.value;
    const slices = Array.from({ length: n }, (_, i) => src.narrow(d, i, 1));
    for (let i = 0; i < n; i++) {
      let acc: NDArray | null = null;
      for (let j = 0; j < n; j++) {
        if (j === i) continue;
        acc = acc ? backend().binary("mul", acc, slices[j]!) : slices[j]!.copy();
      }
      const part = acc ?? NDArray.full(slices[i]!.shape, 1, xv.dtype);
      const target = others.narrow(d, i, 1);
      let k = 0;
      const flat = part.flat();
      target.forEachOffset((o) => {
        others.data[o] = flat[k++]!;
      });
    }
    return [unreduce(g, x!.shape, dims, keepdim).mul(new Tensor(others))];
  },
});
/** Product of all elements, or along `dim`. */
export function prod(x: Tensor, dim: number | undefined, keepdim: boolean): Tensor {
  if (dim === undefined) return prodOp([x.reshape([-1])], { dims: [0], keepdim: false });
  return prodOp([x], { dims: [normDim(dim, x.ndim, "prod")], keepdim });
}

const amaxOp = (op: "max" | "min") =>
  defineOp<ReduceArgs>({
    name: op === "max" ? "amax" : "amin",
    forward: ([x], { dims, keepdim }) => backend().reduce(op, x!, dims, keepdim),
    backward: ({ inputs: [x], output, args: { dims, keepdim } }, g) => {
      // torch's amax/amin and full max/min spread the gradient evenly over ties.
      const hit = x!.detach().eq(unreduce(output, x!.shape, dims, keepdim)).float();
      const count = hit.sum(dims, true);
      return [hit.div(count).mul(unreduce(g, x!.shape, dims, keepdim))];
    },
  });
const amaxOps = { max: amaxOp("max"), min: amaxOp("min") };
/** Max (or min) over `dim`, all dims when omitted; gradient split over ties. `name` is the op its errors name. */
export function amax(x: Tensor, dim: number | readonly number[] | undefined, keepdim: boolean, op: "max" | "min", name: string = op): Tensor {
  const dims = normDims(dim, x.ndim, name);
  // Reducing a non-empty dim of an empty tensor is fine (an empty result), as in torch.
  if (x.numel() === 0 && dims.some((d) => x.shape[d] === 0)) {
    throw new Error(`${name}: cannot reduce over a zero-size dim, got shape ${fmt(x.shape)} and dim ${fmt(dims)}`);
  }
  return amaxOps[op]([x], { dims, keepdim });
}

const maxAlongOp = defineOp<{ dim: number; keepdim: boolean; indices: NDArray }>({
  name: "max",
  saves: () => [],
  forward: ([x], { dim, keepdim, indices }) => {
    const idx = keepdim ? indices : indices.unsqueeze(dim);
    return backend().gather(x!, dim, idx.contiguous()).reshape(indices.shape);
  },
  backward: ({ inputs: [x], args: { dim, keepdim, indices } }, g) => {
    const idx = new Tensor(keepdim ? indices : indices.unsqueeze(dim));
    const gk = keepdim ? g : g.unsqueeze(dim);
    return [new Tensor(NDArray.zeros(x!.shape, g.dtype)).scatterAdd(dim, idx, gk)];
  },
});
/** `[values, indices]` of the max (or min) along `dim`; the gradient goes to the chosen index. */
export function maxAlong(x: Tensor, dim: number, keepdim: boolean, op: "max" | "min"): [Tensor, Tensor] {
  if (x.ndim === 0) {
    return [x.clone(), new Tensor(NDArray.scalar(0, "int32"))];
  }
  const d = normDim(dim, x.ndim, op);
  if (x.shape[d] === 0) throw new Error(`${op}: cannot reduce over a zero-size dim, got shape ${fmt(x.shape)} and dim ${dim}`);
  const indices = backend().argReduce(op === "max" ? "argmax" : "argmin", x.value, d, keepdim);
  const values = maxAlongOp([x], { dim: d, keepdim, indices });
  return [values, new Tensor(indices)];
}

/** Index of the max/min (over all elements when `dim` is omitted), int32. */
export function argReduce(op: "argmax" | "argmin", x: Tensor, dim: number | undefined, keepdim: boolean): Tensor {
  if (dim === undefined) {
    const flat = backend().argReduce(op, x.value.reshape([-1]), 0, false);
    return new Tensor(keepdim ? flat.reshape(x.shape.map(() => 1)) : flat);
  }
  if (x.ndim === 0) return new Tensor(NDArray.scalar(0, "int32"));
  return new Tensor(backend().argReduce(op, x.value, normDim(dim, x.ndim, op), keepdim));
}

const logsumexpOp = defineOp<ReduceArgs>({
  name: "logsumexp",
  forward: ([x], { dims, keepdim }) => backend().logsumexp(x!, dims, keepdim),
  backward: ({ inputs: [x], output, args: { dims, keepdim } }, g) => [
    x!.sub(unreduce(output, x!.shape, dims, keepdim)).exp().mul(unreduce(g, x!.shape, dims, keepdim)),
  ],
});
/** `log Σ exp(x)` over `dim`, stable for large inputs. */
export function logsumexp(x: Tensor, dim: number | readonly number[], keepdim: boolean): Tensor {
  return logsumexpOp([x], { dims: normDims(dim, x.ndim, "logsumexp"), keepdim });
}

const softmaxOp = defineOp<{ dim: number; log: boolean }>({
  // A primitive for numerical stability: exp of the max-shifted input.
  name: "softmax",
  saves: () => ["output"],
  forward: ([x], { dim, log }) => backend().softmax(x!, dim, log),
  backward: ({ output, args: { dim, log } }, g) => {
    // One backend pass (e^y formed on the fly, never stored) unless a higher-order graph is built.
    if (!isGradEnabled()) return [freshGrad(new Tensor(backend().softmaxBackward(output.value, g.value, dim, log)))];
    if (log) {
      // d logsoftmax: g - softmax * Σ g
      return [g.sub(output.exp().mul(g.sum(dim, true)))];
    }
    // d softmax: y * (g - Σ g*y)
    return [output.mul(g.sub(g.mul(output).sum(dim, true)))];
  },
});
/** The dim of every recorded log-softmax node, for `logSoftmaxOrigin`. */
const logSoftmaxDims = new WeakMap<Node, number>();

/** softmax(x)_i = exp(x_i) / Σ_j exp(x_j) along `dim` (log-softmax when `log`). */
export function softmax(x: Tensor, dim: number, log: boolean): Tensor {
  const name = log ? "logSoftmax" : "softmax";
  const t = x.dtype === "int32" ? x.float() : x;
  const d = t.ndim === 0 ? 0 : normDim(dim, t.ndim, name);
  const y = softmaxOp([t], { dim: d, log });
  if (log && y.gradFn !== null) logSoftmaxDims.set(y.gradFn, d);
  return y;
}

/**
 * Where `y` came from when it is the recorded output of `logSoftmax(input, dim)`, unchanged in
 * place since (an in-place op gives it another `gradFn`); null otherwise. Lets a loss on
 * log-probabilities send its gradient to the logits in one pass (`nllLoss` after `logSoftmax`).
 * @example logSoftmaxOrigin(x.logSoftmax(1)) // { input: x, dim: 1 } when x requires grad
 */
export function logSoftmaxOrigin(y: Tensor): { input: Tensor; dim: number } | null {
  requireTensor(y, "logSoftmaxOrigin", "y");
  const fn = y.gradFn;
  if (fn === null || y.outputIndex !== 0) return null;
  const dim = logSoftmaxDims.get(fn);
  return dim === undefined ? null : { input: fn.inputs[0]!, dim };
}

/** p-norm: (Σ |x|^p)^(1/p); p = Infinity gives max |x|, p = 0 the count of non-zeros. */
export function norm(x: Tensor, p: number, dim: number | readonly number[] | undefined, keepdim: boolean): Tensor {
  if (x.dtype === "int32") throw new Error(`norm: input dtype must be floating point, got int32 (shape ${fmt(x.shape)})`);
  normDims(dim, x.ndim, "norm");
  if (p === Infinity) return x.abs().amax(dim, keepdim);
  if (p === -Infinity) return x.abs().amin(dim, keepdim);
  if (p === 0) return x.ne(0).to(x.dtype).sum(dim, keepdim);
  if (p === 2) {
    // sqrt of a sum of squares; the gradient at 0 is defined as 0 (torch's convention).
    const s = x.square().sum(dim, keepdim);
    return normRoot([s], 2);
  }
  if (p === 1) return x.abs().sum(dim, keepdim);
  return normRoot([x.abs().pow(p).sum(dim, keepdim)], p);
}

const normRoot = defineOp<number>({
  name: "norm",
  saves: () => ["output"],
  forward: ([s], p) => backend().powScalar(s!, 1 / p),
  backward: ({ output, args: p }, g) => {
    // d s^(1/p) = (1/p) s^(1/p - 1); zero where s == 0.
    const safe = output.eq(0);
    const denom = output.pow(p - 1).mul(p).add(safe.float());
    return [g.div(denom).mul(safe.rsub(1))];
  },
});
