import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setBackend, wasmBackend, type Backend, type BackendName } from "@rnnkit/tensor";
import { runBackward, Tensor, add, cat, div, mul, oneHot, pow, stack, where, zeros, zerosLike, type DType } from "@rnnkit/autograd";
import { decodeNumber, expectTensorClose, fromFixture, loadFixture, type FixtureTensor } from "./helpers.js";

/** One view op applied to a fixture input before the op under test (tools/parity/ops.py). */
interface ViewSpec {
  op: string;
  args: (number | number[] | null)[];
}
/** A fixture input: its own leaf (`value`), or the same leaf as input `ref` (gradients accumulate). */
interface CaseInput {
  value?: FixtureTensor;
  requiresGrad?: boolean;
  ref?: number;
  view: ViewSpec[];
}
/** One parity case: inputs, op and args, torch's outputs and the gradients of the inputs. */
export interface ParityCase {
  name: string;
  op: string;
  args: Record<string, unknown>;
  inputs: CaseInput[];
  out: FixtureTensor[];
  gout: (FixtureTensor | null)[];
  grads: (FixtureTensor | null)[];
  /** Set (instead of out/gout/grads) when torch rejects the call: rnnkit must throw too. */
  error?: { torch: string; mentions: string };
}

/** Typed readers over a case's JSON args. */
class Args {
  constructor(private readonly raw: Record<string, unknown>, private readonly op: string) {}
  has(key: string): boolean {
    return this.raw[key] !== undefined && this.raw[key] !== null;
  }
  num(key: string): number {
    const v = this.raw[key];
    if (typeof v === "number") return v;
    if (typeof v === "string") return decodeNumber(v);
    throw new Error(`${this.op}: fixture arg ${key} is not a number (${JSON.stringify(v)})`);
  }
  optNum(key: string): number | undefined {
    return this.has(key) ? this.num(key) : undefined;
  }
  nums(key: string): number[] {
    const v = this.raw[key];
    if (!Array.isArray(v) || !v.every((x) => typeof x === "number")) {
      throw new Error(`${this.op}: fixture arg ${key} is not a number list (${JSON.stringify(v)})`);
    }
    return v as number[];
  }
  /** A dim or list of dims, or undefined when absent. */
  dims(key = "dim"): number | number[] | undefined {
    if (!this.has(key)) return undefined;
    return Array.isArray(this.raw[key]) ? this.nums(key) : this.num(key);
  }
  bool(key: string, fallback: boolean): boolean {
    const v = this.raw[key];
    return typeof v === "boolean" ? v : fallback;
  }
  str(key: string): string {
    const v = this.raw[key];
    if (typeof v !== "string") throw new Error(`${this.op}: fixture arg ${key} is not a string (${JSON.stringify(v)})`);
    return v;
  }
  tensor(key: string): FixtureTensor {
    const v = this.raw[key];
    if (typeof v !== "object" || v === null || !("shape" in v)) throw new Error(`${this.op}: fixture arg ${key} is not a tensor`);
    return v as FixtureTensor;
  }
  dtype(): DType {
    const v = this.raw.dtype;
    if (v !== "float32" && v !== "int32") throw new Error(`${this.op}: fixture arg dtype is ${JSON.stringify(v)}`);
    return v;
  }
}

type OpFn = (xs: Tensor[], a: Args) => Tensor | Tensor[];

const first = (xs: Tensor[]): Tensor => xs[0]!;
const second = (xs: Tensor[]): Tensor => xs[1]!;
const third = (xs: Tensor[]): Tensor => xs[2]!;
const alphaOpt = (a: Args): { alpha: number } | undefined => (a.has("alpha") ? { alpha: a.num("alpha") } : undefined);

/** The composites of tools/parity/ops.py, written with the same rnnkit ops. */
const COMPOSITES: Record<string, OpFn> = {
  lstmCell: ([x, h, c, wIh, wHh, b]) => {
    const gates = x!.matmul(wIh!.t()).add(h!.matmul(wHh!.t())).add(b!);
    const [i, f, g, o] = gates.chunk(4, 1) as [Tensor, Tensor, Tensor, Tensor];
    const c2 = f.sigmoid().mul(c!).add(i.sigmoid().mul(g.tanh()));
    return [o.sigmoid().mul(c2.tanh()), c2];
  },
  gruCell: ([x, h, wIh, wHh, bIh, bHh]) => {
    const [ir, iz, inn] = x!.matmul(wIh!.t()).add(bIh!).chunk(3, 1) as [Tensor, Tensor, Tensor];
    const [hr, hz, hn] = h!.matmul(wHh!.t()).add(bHh!).chunk(3, 1) as [Tensor, Tensor, Tensor];
    const r = ir.add(hr).sigmoid();
    const z = iz.add(hz).sigmoid();
    const n = inn.add(r.mul(hn)).tanh();
    return z.rsub(1).mul(n).add(z.mul(h!));
  },
  crossEntropy: ([logits, target]) => logits!.logSoftmax(1).gather(1, target!.unsqueeze(1)).neg().mean(),
  layerNorm: ([x, w, b]) => {
    const mu = x!.mean(-1, true);
    const v = x!.var(-1, { keepdim: true, correction: 0 });
    return x!.sub(mu).div(v.add(1e-5).sqrt()).mul(w!).add(b!);
  },
  attention: ([q, k, v, mask]) => q!.matmul(k!.transpose(-1, -2)).div(2).maskedFill(mask!, -1e9).softmax(-1).matmul(v!),
  rnnUnrolled: ([x, wIh, wHh, b]) => {
    let h = zeros([x!.shape[1]!, wHh!.shape[0]!]);
    const outs: Tensor[] = [];
    for (const xt of x!.unbind(0)) {
      h = xt.matmul(wIh!.t()).add(h.matmul(wHh!.t())).add(b!).tanh();
      outs.push(h);
    }
    return [stack(outs, 0), h];
  },
  embedBag: ([weight, index]) => weight!.indexSelect(0, index!.flatten()).reshape([index!.shape[0]!, index!.shape[1]!, -1]).sum(1).norm(2, 1),
  mse: ([pred, target]) => pred!.sub(target!).pow(2).mean(),
  tanhPermute: ([x]) => x!.permute([2, 0, 1]).tanh().flip([1]).repeat([1, 2, 1]),
  sigmoidCatStack: ([a, b]) => stack([cat([a!, b!], 0), cat([b!, a!], 0)], 2).expand([2, 3, 3, 2]).reshape([6, 6]).sigmoid(),
  expScatter: ([x, i, s]) => x!.scatterAdd(0, i!, s!).exp().indexAdd(0, i!.select(0, 0).narrow(0, 0, 2), s!),
};

/** Every fixture op name mapped to the rnnkit call it checks. */
export const OPS: Record<string, OpFn> = {
  // elementwise binary
  add: (xs, a) => first(xs).add(second(xs), alphaOpt(a)),
  add_scalar: (xs, a) => first(xs).add(a.num("other"), alphaOpt(a)),
  sub: (xs, a) => first(xs).sub(second(xs), alphaOpt(a)),
  sub_scalar: (xs, a) => first(xs).sub(a.num("other"), alphaOpt(a)),
  rsub_scalar: (xs, a) => first(xs).rsub(a.num("other")),
  rsub: (xs) => first(xs).rsub(second(xs)),
  radd_scalar: (xs, a) => add(a.num("other"), first(xs)),
  rmul_scalar: (xs, a) => mul(a.num("other"), first(xs)),
  mul: (xs) => first(xs).mul(second(xs)),
  mul_scalar: (xs, a) => first(xs).mul(a.num("other")),
  div: (xs) => first(xs).div(second(xs)),
  div_scalar: (xs, a) => first(xs).div(a.num("other")),
  rdiv_scalar: (xs, a) => div(a.num("other"), first(xs)),
  pow: (xs) => first(xs).pow(second(xs)),
  pow_scalar: (xs, a) => first(xs).pow(a.num("exponent")),
  rpow_scalar: (xs, a) => pow(a.num("base"), first(xs)),
  maximum: (xs) => first(xs).maximum(second(xs)),
  minimum: (xs) => first(xs).minimum(second(xs)),
  eq: (xs) => first(xs).eq(second(xs)),
  ne: (xs) => first(xs).ne(second(xs)),
  lt: (xs) => first(xs).lt(second(xs)),
  le: (xs) => first(xs).le(second(xs)),
  gt: (xs) => first(xs).gt(second(xs)),
  ge: (xs) => first(xs).ge(second(xs)),
  eq_scalar: (xs, a) => first(xs).eq(a.num("other")),
  ne_scalar: (xs, a) => first(xs).ne(a.num("other")),
  lt_scalar: (xs, a) => first(xs).lt(a.num("other")),
  le_scalar: (xs, a) => first(xs).le(a.num("other")),
  gt_scalar: (xs, a) => first(xs).gt(a.num("other")),
  ge_scalar: (xs, a) => first(xs).ge(a.num("other")),
  // elementwise unary
  neg: (xs) => first(xs).neg(),
  abs: (xs) => first(xs).abs(),
  exp: (xs) => first(xs).exp(),
  expm1: (xs) => first(xs).expm1(),
  log: (xs) => first(xs).log(),
  log1p: (xs) => first(xs).log1p(),
  sqrt: (xs) => first(xs).sqrt(),
  rsqrt: (xs) => first(xs).rsqrt(),
  reciprocal: (xs) => first(xs).reciprocal(),
  square: (xs) => first(xs).square(),
  tanh: (xs) => first(xs).tanh(),
  sigmoid: (xs) => first(xs).sigmoid(),
  relu: (xs) => first(xs).relu(),
  sin: (xs) => first(xs).sin(),
  cos: (xs) => first(xs).cos(),
  erf: (xs) => first(xs).erf(),
  sign: (xs) => first(xs).sign(),
  floor: (xs) => first(xs).floor(),
  ceil: (xs) => first(xs).ceil(),
  round: (xs) => first(xs).round(),
  clamp: (xs, a) => first(xs).clamp(a.optNum("min"), a.optNum("max")),
  // selection
  where: (xs) => where(first(xs), second(xs), third(xs)),
  where_scalar: (xs, a) => where(first(xs), second(xs), a.num("other")),
  where_scalar_first: (xs, a) => where(first(xs), a.num("value"), second(xs)),
  maskedFill: (xs, a) => first(xs).maskedFill(second(xs), a.num("value")),
  // reductions
  sum: (xs, a) => first(xs).sum(a.dims(), a.bool("keepdim", false)),
  mean: (xs, a) => first(xs).mean(a.dims(), a.bool("keepdim", false)),
  var: (xs, a) => first(xs).var(a.dims(), { keepdim: a.bool("keepdim", false), correction: a.optNum("correction") ?? 1 }),
  std: (xs, a) => first(xs).std(a.dims(), { keepdim: a.bool("keepdim", false), correction: a.optNum("correction") ?? 1 }),
  prod: (xs, a) => first(xs).prod(a.optNum("dim"), a.bool("keepdim", false)),
  max_all: (xs) => first(xs).max(),
  min_all: (xs) => first(xs).min(),
  max_dim: (xs, a) => first(xs).max(a.num("dim"), a.bool("keepdim", false)),
  min_dim: (xs, a) => first(xs).min(a.num("dim"), a.bool("keepdim", false)),
  amax: (xs, a) => first(xs).amax(a.dims(), a.bool("keepdim", false)),
  amin: (xs, a) => first(xs).amin(a.dims(), a.bool("keepdim", false)),
  argmax: (xs, a) => first(xs).argmax(a.optNum("dim"), a.bool("keepdim", false)),
  argmin: (xs, a) => first(xs).argmin(a.optNum("dim"), a.bool("keepdim", false)),
  logsumexp: (xs, a) => first(xs).logsumexp(a.dims() ?? [], a.bool("keepdim", false)),
  softmax: (xs, a) => first(xs).softmax(a.num("dim")),
  logSoftmax: (xs, a) => first(xs).logSoftmax(a.num("dim")),
  norm: (xs, a) => first(xs).norm(a.optNum("p"), a.dims(), a.bool("keepdim", false)),
  // linear algebra
  matmul: (xs) => first(xs).matmul(second(xs)),
  mm: (xs) => first(xs).mm(second(xs)),
  bmm: (xs) => first(xs).bmm(second(xs)),
  t: (xs) => first(xs).t(),
  // shape and views
  reshape: (xs, a) => first(xs).reshape(a.nums("shape")),
  view: (xs, a) => first(xs).view(a.nums("shape")),
  transpose: (xs, a) => first(xs).transpose(a.num("dim0"), a.num("dim1")),
  permute: (xs, a) => first(xs).permute(a.nums("dims")),
  squeeze: (xs, a) => first(xs).squeeze(a.dims()),
  unsqueeze: (xs, a) => first(xs).unsqueeze(a.num("dim")),
  expand: (xs, a) => first(xs).expand(a.nums("shape")),
  flatten: (xs, a) => first(xs).flatten(a.num("startDim"), a.num("endDim")),
  narrow: (xs, a) => first(xs).narrow(a.num("dim"), a.num("start"), a.num("length")),
  select: (xs, a) => first(xs).select(a.num("dim"), a.num("index")),
  slice: (xs, a) => first(xs).slice(a.num("dim"), a.optNum("start"), a.optNum("end"), a.num("step")),
  chunk: (xs, a) => first(xs).chunk(a.num("chunks"), a.num("dim")),
  split: (xs, a) => {
    // torch.split takes one piece size or a list of them.
    const size = a.dims("size") ?? [];
    return typeof size === "number" ? first(xs).split(size, a.num("dim")) : first(xs).split(size, a.num("dim"));
  },
  unbind: (xs, a) => first(xs).unbind(a.num("dim")),
  flip: (xs, a) => first(xs).flip(a.nums("dims")),
  repeat: (xs, a) => first(xs).repeat(a.nums("repeats")),
  cat: (xs, a) => cat(xs, a.num("dim")),
  stack: (xs, a) => stack(xs, a.num("dim")),
  contiguous: (xs) => first(xs).contiguous(),
  clone: (xs) => first(xs).clone(),
  to: (xs, a) => first(xs).to(a.dtype()),
  // indexing
  indexSelect: (xs, a) => first(xs).indexSelect(a.num("dim"), second(xs)),
  gather: (xs, a) => first(xs).gather(a.num("dim"), second(xs)),
  scatterAdd: (xs, a) => first(xs).scatterAdd(a.num("dim"), second(xs), third(xs)),
  indexAdd: (xs, a) => first(xs).indexAdd(a.num("dim"), second(xs), third(xs)),
  oneHot: (xs, a) => oneHot(first(xs), a.num("numClasses")),
  ...COMPOSITES,
  grad2: (xs, a) => firstGradients(xs, a),
};

/**
 * The first-order gradients of `args.of` (its first output) with respect to its float inputs, recorded with
 * `createGraph` so the runner's backward through them gives second derivatives. The inputs of
 * grad2 cases have no views, so `xs` are the leaves themselves.
 */
function firstGradients(xs: Tensor[], a: Args): Tensor[] {
  const of = a.str("of");
  const inner = OPS[of];
  if (!inner) throw new Error(`grad2: no rnnkit mapping for ${of}`);
  const result = inner(xs, a);
  const y = Array.isArray(result) ? result[0] : result;
  if (!y) throw new Error(`grad2: ${of} returned no output`);
  runBackward([y], [fromFixture(a.tensor("seed"))], { createGraph: true });
  return xs
    .filter((x) => x.requiresGrad)
    .map((x) => {
      const g = x.grad ?? zerosLike(x);
      x.grad = null;
      return g;
    });
}

function numArg(v: number | number[] | null | undefined, what: string): number {
  if (typeof v !== "number") throw new Error(`view ${what}: expected a number, got ${JSON.stringify(v)}`);
  return v;
}
function listArg(v: number | number[] | null | undefined, what: string): number[] {
  if (!Array.isArray(v)) throw new Error(`view ${what}: expected a list, got ${JSON.stringify(v)}`);
  return v;
}

/** Builds the (possibly non-contiguous) operand a case describes from its base tensor. */
export function applyView(x: Tensor, v: ViewSpec): Tensor {
  const [a0, a1, a2, a3] = v.args;
  switch (v.op) {
    case "transpose":
      return x.transpose(numArg(a0, v.op), numArg(a1, v.op));
    case "permute":
      return x.permute(listArg(a0, v.op));
    case "expand":
      return x.expand(listArg(a0, v.op));
    case "slice":
      return x.slice(numArg(a0, v.op), a1 === null ? undefined : numArg(a1, v.op), a2 === null ? undefined : numArg(a2, v.op), numArg(a3, v.op));
    case "narrow":
      return x.narrow(numArg(a0, v.op), numArg(a1, v.op), numArg(a2, v.op));
    case "unsqueeze":
      return x.unsqueeze(numArg(a0, v.op));
    case "select":
      return x.select(numArg(a0, v.op), numArg(a1, v.op));
    case "t":
      return x.t();
    default:
      throw new Error(`applyView: unknown view op ${v.op}`);
  }
}

/** Runs one case: forward values, shapes and dtypes, then every input gradient. */
export function runCase(c: ParityCase): void {
  const fn = OPS[c.op];
  if (!fn) throw new Error(`parity: no rnnkit mapping for fixture op ${c.op}`);
  const leaves: Tensor[] = [];
  c.inputs.forEach((inp) => {
    if (inp.ref !== undefined) leaves.push(leaves[inp.ref]!);
    else if (inp.value) leaves.push(fromFixture(inp.value, { requiresGrad: inp.requiresGrad ?? false }));
    else throw new Error(`${c.name}: fixture input has neither a value nor a ref`);
  });
  const xs = leaves.map((t, i) => c.inputs[i]!.view.reduce(applyView, t));
  if (c.error) {
    // A plain Error whose message starts with the operation's name ("op: what was wrong").
    let thrown: unknown = null;
    try {
      fn(xs, new Args(c.args, c.op));
    } catch (e) {
      thrown = e;
    }
    const context = `${c.name}: torch raised "${c.error.torch}"`;
    expect(thrown, context).toBeInstanceOf(Error);
    expect((thrown as Error).constructor, context).toBe(Error);
    expect((thrown as Error).message, context).toMatch(new RegExp(`^${c.error.mentions}: `));
    return;
  }
  const result = fn(xs, new Args(c.args, c.op));
  const outs = Array.isArray(result) ? result : [result];
  expect(outs.length, `${c.name}: number of outputs`).toBe(c.out.length);
  outs.forEach((o, i) => expectTensorClose(o, c.out[i]!, `${c.name} output ${i}`));

  const roots: Tensor[] = [];
  const seeds: Tensor[] = [];
  outs.forEach((o, i) => {
    const g = c.gout[i] ?? null;
    // A first-order gradient that torch records but rnnkit builds as a constant has zero second derivative.
    if (c.op === "grad2" && g !== null && !o.requiresGrad) return;
    if (c.op !== "grad2") expect(o.requiresGrad, `${c.name} output ${i} requiresGrad`).toBe(g !== null);
    if (g !== null && o.requiresGrad) {
      roots.push(o);
      seeds.push(fromFixture(g));
    }
  });
  if (roots.length > 0) runBackward(roots, seeds);
  leaves.forEach((leaf, i) => {
    if (c.inputs[i]!.ref !== undefined) return;
    const want = c.grads[i] ?? null;
    if (want === null) {
      expect(leaf.grad, `${c.name} input ${i} grad`).toBeNull();
      return;
    }
    const got = leaf.grad ?? fromFixture({ shape: want.shape, dtype: want.dtype, data: want.data.map(() => 0) });
    expectTensorClose(got, want, `${c.name} grad of input ${i}`);
  });
}

/** The backends this runtime has: js always, wasm where WebAssembly SIMD exists. */
export const BACKENDS: BackendName[] = wasmBackend() ? ["js", "wasm"] : ["js"];

/** Registers one vitest test per case of a fixture file, once under every available backend. */
export function parityTests(file: string, title: string): void {
  const { cases } = loadFixture<{ cases: ParityCase[] }>(file);
  describe.each(BACKENDS)(`${title} (%s backend)`, (name) => {
    let prev: Backend | undefined;
    beforeAll(() => {
      prev = setBackend(name);
    });
    afterAll(() => {
      if (prev) setBackend(prev);
    });
    for (const c of cases) it(c.name, () => runCase(c));
  });
}
