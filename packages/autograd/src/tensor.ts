import { defaultGenerator, fmt, NDArray, type DType, type Generator, type NestedArray, type TypedArray } from "@rnnkit/tensor";
import type { Node } from "./node.js";
import { runBackward, type BackwardOptions } from "./engine.js";
import { isGradEnabled } from "./gradMode.js";
import * as ops from "./ops/index.js";
import * as act from "./ops/activation.js";
import * as sorting from "./ops/sorting.js";
import * as scan from "./ops/scan.js";
import * as sampling from "./sampling.js";
import { requireIndex, requireTensor } from "./ops/checks.js";
import type { SortOptions, TopkOptions } from "./ops/sorting.js";
import type { ScanOptions } from "./ops/scan.js";
import type { MultinomialOptions } from "./sampling.js";
import { checkDtype, describeArg, parseSizeArgs, tensor as createTensor, type CreateOptions, type SizeArgs } from "./creation.js";
import { VersionCounter } from "./viewGeometry.js";
import { applyInPlace, regenerateView, type InPlaceCompute } from "./inPlace.js";

/** A tensor operand or a plain number (a scalar, broadcast like torch's Python scalars). */
export type TensorLike = Tensor | number;

/**
 * `N` tensors as a tuple when `N` is a literal (`TensorTuple<4>` is `[Tensor, Tensor, Tensor, Tensor]`),
 * `Tensor[]` for a plain `number`; lets `const [i, f, g, o] = gates.chunk(4, 1)` type without casts.
 */
export type TensorTuple<N extends number, R extends Tensor[] = []> =
  number extends N ? Tensor[] : R["length"] extends N ? R : TensorTuple<N, [...R, Tensor]>;

/**
 * An n-dimensional array that records the operations applied to it, so `backward()` can
 * compute gradients. Methods mirror torch's in camelCase; broadcasting is torch's.
 * @example
 * const x = tensor([[1, 2], [3, 4]], { requiresGrad: true });
 * x.mul(x).sum().backward();
 * x.grad!.toArray(); // [[2, 4], [6, 8]]
 */
export class Tensor {
  /**
   * The values. In-place ops write into this array's storage (so views see the change) and
   * bump `version`; code that writes `value.data` directly must call `incrementVersion()`.
   */
  value: NDArray;
  /** Accumulated gradient of a leaf (or of a non-leaf after `retainGrad()`). */
  grad: Tensor | null = null;
  private _requiresGrad: boolean;
  private _gradFn: Node | null = null;
  private _outputIndex = 0;
  /** Set by `freshGrad`: a gradient no other tensor shares, which the engine may adopt as a leaf's `.grad`. */
  private _fresh = false;
  /** @internal The storage's version counter, shared with views and `detach()`ed aliases. */
  _vc = new VersionCounter();
  /** @internal The tensor this is a view of (never itself a view), or null. */
  _base: Tensor | null = null;
  /** @internal `_base.gradFn` when this view's own gradFn was last set; a change means the base was rebased. */
  _viewFn: Node | null = null;
  /** @internal Set on the outputs of split/chunk/unbind: torch refuses recorded in-place ops on them. */
  _multiView: { op: string; index: number } | null = null;
  /** @internal True for a view made while gradients were off. */
  _viewNoGrad = false;

  constructor(value: NDArray, opts: { requiresGrad?: boolean } = {}) {
    this.value = value;
    this._requiresGrad = false;
    if (opts.requiresGrad) this.requiresGrad = true;
  }

  get shape(): readonly number[] {
    return this.value.shape;
  }
  get dtype(): DType {
    return this.value.dtype;
  }
  get ndim(): number {
    return this.value.ndim;
  }
  /** Number of elements. */
  numel(): number {
    return this.value.size;
  }
  /** torch's `size()`: the shape, or one dim's size. */
  size(): readonly number[];
  size(dim: number): number;
  size(dim?: number): number | readonly number[] {
    if (dim === undefined) return this.shape;
    const d = dim < 0 ? dim + this.ndim : dim;
    const s = this.shape[d];
    if (s === undefined) throw new Error(`size: dim ${dim} is out of range for shape ${fmt(this.shape)}`);
    return s;
  }
  dim(): number {
    return this.ndim;
  }

  get requiresGrad(): boolean {
    if (this._base !== null && this._base._gradFn !== this._viewFn) regenerateView(this);
    return this._requiresGrad;
  }
  set requiresGrad(flag: boolean) {
    if (this._gradFn !== null && !flag) {
      throw new Error("requiresGrad: you can only change requiresGrad of leaf tensors; use detach()");
    }
    if (flag && this.dtype === "int32") {
      throw new Error("requiresGrad: only floating point tensors can require gradients (got int32)");
    }
    this._requiresGrad = flag;
  }
  /** Sets requiresGrad in place and returns this tensor (torch.requires_grad_). */
  requiresGrad_(flag = true): this {
    this.requiresGrad = flag;
    return this;
  }
  /** The op that produced this tensor, or null for leaves. */
  get gradFn(): Node | null {
    if (this._base !== null && this._base._gradFn !== this._viewFn) regenerateView(this);
    return this._gradFn;
  }
  /** Which output of `gradFn` this tensor is. */
  get outputIndex(): number {
    return this._outputIndex;
  }
  /** True for tensors created by the user rather than by a recorded op. */
  get isLeaf(): boolean {
    return this.gradFn === null;
  }

  /**
   * How many times this tensor's storage has been written in place (torch's `t._version`): every
   * in-place op (`add_`, `copy_`, `fill_`, writes through a view, optimizer steps, `loadStateDict`,
   * `nn.init`) adds one. Views and `detach()`ed aliases share the counter. Caches of derived data
   * (packed weights) can key on it; backward compares it with the version each saved tensor had.
   * @example const w = zeros([3]); w.add_(1); w.version // 1; w.index(0).fill_(2); w.version // 2
   */
  get version(): number {
    return this._vc.value;
  }
  /**
   * Marks the storage as written in place by code that changed `value.data` directly (torch's
   * `torch.autograd.graph.increment_version`), naming the writer for the error a stale backward raises.
   * @example p.value.data[0] = 1; p.incrementVersion("myUpdate");
   */
  incrementVersion(op = "a direct write"): this {
    this._vc.bump(op);
    return this;
  }
  /** The tensor this one is a view of (torch's `._base`), or null when it owns its storage. */
  get base(): Tensor | null {
    return this._base;
  }
  /** @internal Makes this tensor (a fresh op output over `of`'s storage) a view of `of`. */
  markViewOf(of: Tensor): void {
    if (!(of instanceof Tensor)) throw new Error(`markViewOf: expected the Tensor this one views, got ${String(of)}`);
    const base = of._base ?? of;
    this._vc = of._vc;
    this._base = base;
    this._viewFn = base._gradFn;
    this._viewNoGrad = !isGradEnabled() || of._viewNoGrad;
  }
  /** @internal Gives this tensor a new producer after an in-place op (torch's rebase_history). */
  rebase(node: Node | null, index: number, requiresGrad: boolean): void {
    this._gradFn = node;
    this._outputIndex = index;
    this._requiresGrad = requiresGrad;
    if (this._base !== null) this._viewFn = this._base._gradFn;
  }
  /** Links this tensor to the node that made it (used by op recording). */
  attach(node: Node, index: number): void {
    this._gradFn = node;
    this._outputIndex = index;
    this._requiresGrad = true;
  }
  /** Keeps `.grad` on this non-leaf tensor during backward. */
  retainGrad(): this {
    if (!this._requiresGrad) throw new Error("retainGrad: can't retain the gradient of a tensor that does not require grad");
    if (this._gradFn) {
      this._gradFn.retained ??= new Map();
      this._gradFn.retained.set(this._outputIndex, this);
    }
    return this;
  }

  /**
   * Computes gradients of this tensor with respect to every leaf that requires grad.
   * A non-scalar tensor needs `grad` of its own shape.
   */
  backward(grad?: Tensor, opts: BackwardOptions = {}): void {
    if (!this._requiresGrad) {
      throw new Error("backward: element 0 of tensors does not require grad and does not have a gradFn");
    }
    if (grad !== undefined && grad !== null && !(grad instanceof Tensor)) {
      throw new Error(`backward: gradient must be a Tensor of shape ${fmt(this.shape)} (or omitted for a one-element tensor), got ${typeof grad === "string" ? `string ${JSON.stringify(grad)}` : typeof grad}`);
    }
    let g = grad ?? undefined;
    if (g === undefined) {
      if (this.numel() !== 1) {
        throw new Error(`backward: grad can be implicitly created only for scalar outputs, got shape ${fmt(this.shape)}`);
      }
      g = new Tensor(NDArray.full(this.shape, 1, this.dtype));
    } else if (g.shape.length !== this.shape.length || g.shape.some((s, i) => s !== this.shape[i])) {
      throw new Error(`backward: grad has shape ${fmt(g.shape)} but the tensor has shape ${fmt(this.shape)}`);
    }
    runBackward([this], [g], opts);
  }

  /** The same values, cut from the graph (shares storage and the version counter, as torch's). */
  detach(): Tensor {
    const d = new Tensor(this.value);
    d._vc = this._vc;
    return d;
  }
  /** Cuts this tensor from the graph in place. */
  detach_(): this {
    // Still sharing its storage and version counter, but no longer a view for autograd.
    this._base = null;
    this._gradFn = null;
    this._requiresGrad = false;
    return this;
  }

  /** Nested number arrays (a number for a 0-d tensor). */
  toArray(): NestedArray {
    return this.value.toArray();
  }
  /** A contiguous row-major copy of the values. */
  data(): TypedArray {
    return this.value.flat().slice();
  }
  /** The value of a one-element tensor. */
  item(): number {
    if (this.numel() !== 1) {
      throw new Error(`item: a Tensor with ${this.numel()} elements cannot be converted to a number (shape ${fmt(this.shape)})`);
    }
    return this.value.flat()[0]!;
  }
  toString(): string {
    return `tensor(${JSON.stringify(this.toArray())}, shape=${fmt(this.shape)}, dtype=${this.dtype}${this._requiresGrad ? ", requiresGrad" : ""})`;
  }

  // ---- elementwise -------------------------------------------------------------------------
  add(other: TensorLike, opts?: { alpha?: number }): Tensor { return ops.add(this, other, opts?.alpha); }
  sub(other: TensorLike, opts?: { alpha?: number }): Tensor { return ops.sub(this, other, opts?.alpha); }
  mul(other: TensorLike): Tensor { return ops.mul(this, other); }
  div(other: TensorLike): Tensor { return ops.div(this, other); }
  pow(exponent: TensorLike): Tensor { return ops.pow(this, exponent); }
  /** `other - this` for a scalar or tensor (torch.rsub). */
  rsub(other: TensorLike): Tensor { return ops.sub(ops.asTensor(other, this, "rsub"), this); }
  maximum(other: TensorLike): Tensor { return ops.maximum(this, other); }
  minimum(other: TensorLike): Tensor { return ops.minimum(this, other); }
  neg(): Tensor { return ops.unaryOp("neg", this); }
  abs(): Tensor { return ops.unaryOp("abs", this); }
  sign(): Tensor { return ops.unaryOp("sign", this); }
  exp(): Tensor { return ops.unaryOp("exp", this); }
  expm1(): Tensor { return ops.unaryOp("expm1", this); }
  log(): Tensor { return ops.unaryOp("log", this); }
  log1p(): Tensor { return ops.unaryOp("log1p", this); }
  sqrt(): Tensor { return ops.unaryOp("sqrt", this); }
  rsqrt(): Tensor { return ops.unaryOp("rsqrt", this); }
  reciprocal(): Tensor { return ops.unaryOp("reciprocal", this); }
  square(): Tensor { return ops.unaryOp("square", this); }
  tanh(): Tensor { return ops.unaryOp("tanh", this); }
  sigmoid(): Tensor { return ops.unaryOp("sigmoid", this); }
  relu(): Tensor { return ops.unaryOp("relu", this); }
  sin(): Tensor { return ops.unaryOp("sin", this); }
  cos(): Tensor { return ops.unaryOp("cos", this); }
  erf(): Tensor { return ops.unaryOp("erf", this); }
  floor(): Tensor { return ops.unaryOp("floor", this); }
  ceil(): Tensor { return ops.unaryOp("ceil", this); }
  round(): Tensor { return ops.unaryOp("round", this); }
  clamp(min?: number, max?: number): Tensor { return ops.clamp(this, min, max); }
  // ---- activations (torch.nn.functional names in camelCase) ---------------------------------
  leakyRelu(negativeSlope?: number | { negativeSlope?: number }): Tensor { return act.leakyRelu(this, negativeSlope); }
  elu(alpha?: number | { alpha?: number }): Tensor { return act.elu(this, alpha); }
  selu(): Tensor { return act.selu(this); }
  gelu(approximate?: "none" | "tanh" | { approximate?: "none" | "tanh" }): Tensor { return act.gelu(this, approximate); }
  silu(): Tensor { return act.silu(this); }
  mish(): Tensor { return act.mish(this); }
  softplus(beta?: number | { beta?: number; threshold?: number }, threshold?: number): Tensor { return act.softplus(this, beta, threshold); }
  softsign(): Tensor { return act.softsign(this); }
  hardtanh(minVal?: number | { minVal?: number; maxVal?: number }, maxVal?: number): Tensor { return act.hardtanh(this, minVal, maxVal); }
  relu6(): Tensor { return act.relu6(this); }
  hardsigmoid(): Tensor { return act.hardsigmoid(this); }
  hardswish(): Tensor { return act.hardswish(this); }
  logSigmoid(): Tensor { return act.logSigmoid(this); }
  tanhshrink(): Tensor { return act.tanhshrink(this); }
  eq(other: TensorLike): Tensor { return ops.compare("eq", this, other); }
  ne(other: TensorLike): Tensor { return ops.compare("ne", this, other); }
  lt(other: TensorLike): Tensor { return ops.compare("lt", this, other); }
  le(other: TensorLike): Tensor { return ops.compare("le", this, other); }
  gt(other: TensorLike): Tensor { return ops.compare("gt", this, other); }
  ge(other: TensorLike): Tensor { return ops.compare("ge", this, other); }
  /** Fills entries where `mask` is non-zero with `value`. */
  maskedFill(mask: Tensor, value: number): Tensor { requireTensor(mask, "maskedFill", "mask"); return ops.maskedFill(this, mask, value); }

  // ---- reductions --------------------------------------------------------------------------
  sum(dim?: number | readonly number[], keepdim = false): Tensor { return ops.sum(this, dim, keepdim); }
  mean(dim?: number | readonly number[], keepdim = false): Tensor { return ops.mean(this, dim, keepdim); }
  /** Variance with Bessel's correction by default (`correction` 1), as torch.var. */
  var(dim?: number | readonly number[], opts: { keepdim?: boolean; correction?: number } = {}): Tensor { return ops.variance(this, dim, opts?.keepdim ?? false, opts?.correction ?? 1); }
  std(dim?: number | readonly number[], opts: { keepdim?: boolean; correction?: number } = {}): Tensor { return ops.variance(this, dim, opts?.keepdim ?? false, opts?.correction ?? 1, true); }
  prod(dim?: number, keepdim = false): Tensor { return ops.prod(this, dim, keepdim); }
  /** Max of all elements, or `[values, indices]` along `dim`. */
  max(): Tensor;
  max(dim: number, keepdim?: boolean): [Tensor, Tensor];
  max(dim?: number, keepdim = false): Tensor | [Tensor, Tensor] { return dim === undefined ? ops.amax(this, undefined, false, "max") : ops.maxAlong(this, dim, keepdim, "max"); }
  /** Min of all elements, or `[values, indices]` along `dim`. */
  min(): Tensor;
  min(dim: number, keepdim?: boolean): [Tensor, Tensor];
  min(dim?: number, keepdim = false): Tensor | [Tensor, Tensor] { return dim === undefined ? ops.amax(this, undefined, false, "min") : ops.maxAlong(this, dim, keepdim, "min"); }
  amax(dim?: number | readonly number[], keepdim = false): Tensor { return ops.amax(this, dim, keepdim, "max", "amax"); }
  amin(dim?: number | readonly number[], keepdim = false): Tensor { return ops.amax(this, dim, keepdim, "min", "amin"); }
  argmax(dim?: number, keepdim = false): Tensor { return ops.argReduce("argmax", this, dim, keepdim); }
  argmin(dim?: number, keepdim = false): Tensor { return ops.argReduce("argmin", this, dim, keepdim); }
  logsumexp(dim: number | readonly number[], keepdim = false): Tensor { return ops.logsumexp(this, dim, keepdim); }
  softmax(dim: number): Tensor { return ops.softmax(this, dim, false); }
  logSoftmax(dim: number): Tensor { return ops.softmax(this, dim, true); }
  /** p-norm over all elements or `dim` (p = 2 by default; Infinity for the max norm). */
  norm(p = 2, dim?: number | readonly number[], keepdim = false): Tensor { return ops.norm(this, p, dim, keepdim); }

  // ---- linear algebra ----------------------------------------------------------------------
  matmul(other: Tensor): Tensor { return ops.matmul(this, other); }
  mm(other: Tensor): Tensor { return ops.mm(this, other); }
  bmm(other: Tensor): Tensor { return ops.bmm(this, other); }
  /** Transpose of a ≤2-D tensor. */
  t(): Tensor {
    if (this.ndim > 2) throw new Error(`t: expects a tensor with <= 2 dims, got shape ${fmt(this.shape)}`);
    return this.ndim < 2 ? this : this.transpose(0, 1);
  }

  // ---- shape and views ---------------------------------------------------------------------
  reshape(...shape: number[] | [readonly number[]]): Tensor { return ops.reshape(this, flatShape(shape), "reshape"); }
  view(...shape: number[] | [readonly number[]]): Tensor { return ops.view(this, flatShape(shape)); }
  viewAs(other: Tensor): Tensor { requireTensor(other, "viewAs", "other"); return ops.view(this, other.shape); }
  transpose(dim0: number, dim1: number): Tensor { return ops.transpose(this, dim0, dim1); }
  permute(...dims: number[] | [readonly number[]]): Tensor { return ops.permute(this, flatShape(dims)); }
  squeeze(dim?: number | readonly number[]): Tensor { return ops.squeeze(this, typeof dim === "number" || dim === undefined ? dim : dimList(dim, "squeeze")); }
  unsqueeze(dim: number): Tensor { return ops.unsqueeze(this, dim); }
  expand(...shape: number[] | [readonly number[]]): Tensor { return ops.expand(this, flatShape(shape)); }
  expandAs(other: Tensor): Tensor { requireTensor(other, "expandAs", "other"); return ops.expand(this, other.shape); }
  flatten(startDim = 0, endDim = -1): Tensor { return ops.flatten(this, startDim, endDim); }
  contiguous(): Tensor { return ops.contiguous(this); }
  narrow(dim: number, start: number, length: number): Tensor { return ops.narrow(this, dim, start, length); }
  /** Picks `index` along `dim`, removing the dim. */
  select(dim: number, index: number): Tensor { return ops.select(this, dim, index); }
  /** Elements `start, start+step, … < end` along `dim` (python slicing; negative ends wrap). */
  slice(dim: number, start?: number, end?: number, step = 1): Tensor { return ops.slice(this, dim, start, end, step); }
  /**
   * Splits into pieces of `ceil(size / chunks)` along `dim`; the last may be smaller and, as in torch,
   * there can be fewer pieces (5 in 4 chunks gives 2, 2, 1). A literal count is typed as a tuple.
   * @example const [i, f, g, o] = gates.chunk(4, 1);
   */
  chunk<N extends number>(chunks: N, dim = 0): TensorTuple<N> { return ops.chunk(this, chunks, dim) as TensorTuple<N>; }
  /**
   * Splits into pieces of `size` (or the listed sizes, one tensor each) along `dim`.
   * @example const [a, b] = x.split([2, 3], 1);
   */
  split<const S extends readonly number[]>(size: S, dim?: number): { -readonly [K in keyof S]: Tensor };
  split(size: number, dim?: number): Tensor[];
  split(size: number | readonly number[], dim = 0): Tensor[] { return ops.split(this, size, dim); }
  unbind(dim = 0): Tensor[] { return ops.unbind(this, dim); }
  flip(dims: number | readonly number[]): Tensor { return ops.flip(this, typeof dims === "number" ? [dims] : dimList(dims, "flip")); }
  /** Tiles the tensor `repeats[i]` times along dim i (torch.Tensor.repeat). */
  repeat(...repeats: number[] | [readonly number[]]): Tensor { return ops.repeat(this, flatShape(repeats)); }

  // ---- indexing ----------------------------------------------------------------------------
  /**
   * `x[i]`: a number picks one entry of dim 0 and drops the dim; an int32 index tensor picks
   * rows, giving shape `[...index.shape, ...x.shape.slice(1)]`. Negative indices count from the end.
   * @example x.index(-1); x.index(tensor([[2, 0]], { dtype: "int32" })) // [1, 2, ...rest]
   */
  index(i: number | Tensor): Tensor {
    if (this.shape.length === 0) throw new Error("index: cannot index a 0-d tensor");
    if (typeof i === "number") return ops.select(this, 0, i);
    requireIndex(i, "index");
    if (i.dtype !== "int32") throw new Error(`index: index must be an int32 tensor, got ${i.dtype} (shape ${fmt(i.shape)})`);
    const n = this.shape[0]!;
    const flat = i.data();
    const wrapped = flat.some((v) => v < 0 && v >= -n) ? flat.map((v) => (v < 0 && v >= -n ? v + n : v)) : flat;
    const rows = ops.indexSelect(this, 0, new Tensor(new NDArray(wrapped, [wrapped.length])));
    return i.shape.length === 1 ? rows : rows.reshape([...i.shape, ...this.shape.slice(1)]);
  }
  indexSelect(dim: number, index: Tensor): Tensor { return ops.indexSelect(this, dim, index); }
  gather(dim: number, index: Tensor): Tensor { return ops.gather(this, dim, index); }
  scatterAdd(dim: number, index: Tensor, src: Tensor): Tensor { return ops.scatterAdd(this, dim, index, src); }
  indexAdd(dim: number, index: Tensor, src: Tensor): Tensor { return ops.indexAdd(this, dim, index, src); }

  // ---- dtype and copies --------------------------------------------------------------------
  /** A copy converted to `dtype` (this tensor itself when already of it). */
  to(dtype: DType): Tensor { return ops.cast(this, checkDtype(dtype, "to")); }
  float(): Tensor { return this.to("float32"); }
  double(): Tensor { return this.to("float64"); }
  int(): Tensor { return this.to("int32"); }
  /** A copy that stays in the graph (gradients flow back to this tensor). */
  clone(): Tensor { return ops.clone(this); }

  // ---- sorting, scans, sampling, new* and number conversion (torch semantics) ----------------
  /** `[values, indices]` sorted along `dim` (default -1), stable. @example const [v, i] = x.sort(-1, true); */
  sort(dim?: number | SortOptions, descending?: boolean): [Tensor, Tensor] { return sorting.sort(this, dim, descending); }
  /** The int32 indices that sort along `dim` (default -1). @example x.argsort({ descending: true }) */
  argsort(dim?: number | SortOptions, descending?: boolean): Tensor { return sorting.argsort(this, dim, descending); }
  /** `[values, indices]` of the k largest (or smallest) along `dim` (default -1). @example const [p, i] = probs.topk(5); */
  topk(k: number, dim?: number | TopkOptions, largest?: boolean, sorted?: boolean): [Tensor, Tensor] { return sorting.topk(this, k, dim, largest, sorted); }
  /** Running sum along `dim`. @example tensor([1, 2, 3]).cumsum(0) // [1, 3, 6] */
  cumsum(dim: number, opts?: ScanOptions | DType): Tensor { return scan.cumsum(this, dim, opts); }
  /** Running product along `dim`. @example tensor([1, 2, 3]).cumprod(0) // [1, 2, 6] */
  cumprod(dim: number, opts?: ScanOptions | DType): Tensor { return scan.cumprod(this, dim, opts); }
  /** `numSamples` int32 category indices per row of these weights (torch.multinomial). @example probs.multinomial(1) */
  multinomial(numSamples: number, opts?: boolean | MultinomialOptions): Tensor { return sampling.multinomial(this, numSamples, opts); }

  /** Fills with uniform samples in [from, to), torch's stream. @example zeros(3, 4).uniform_(-0.1, 0.1) */
  uniform_(from = 0, to = 1, opts: { generator?: Generator } = {}): this {
    return this.fillRandom_("uniform_", (out) => (opts?.generator ?? defaultGenerator).fillUniform(out as Float32Array, from, to), true);
  }
  /** Fills with N(mean, std²) samples, torch's stream. @example zeros(3).normal_(0, 0.02) */
  normal_(mean = 0, std = 1, opts: { generator?: Generator } = {}): this {
    if (!(std >= 0)) throw new Error(`normal_: std must be non-negative, got ${std}`);
    return this.fillRandom_("normal_", (out) => (opts?.generator ?? defaultGenerator).fillNormal(out as Float32Array, mean, std), true);
  }
  /** Fills with 1 with probability `p` (a number, or a tensor broadcast to this shape), else 0. @example zeros(5).bernoulli_(0.3) */
  bernoulli_(p: number | Tensor = 0.5, opts: { generator?: Generator } = {}): this {
    const g = opts?.generator ?? defaultGenerator;
    if (p instanceof Tensor) {
      const probs = ops.broadcastValue(p, this.shape, p.dtype, "bernoulli_").flat();
      const bits = p.dtype === "float64" ? 53 : 24;
      return this.fillRandom_("bernoulli_", (out) => {
        for (let i = 0; i < out.length; i++) {
          const q = probs[i]!;
          if (!(q >= 0 && q <= 1)) throw new Error(`bernoulli_: probabilities must be in [0, 1], got ${q}`);
          out[i] = g.bernoulli(q, bits);
        }
      });
    }
    if (!(p >= 0 && p <= 1)) throw new Error(`bernoulli_: expects 0 <= p <= 1, got ${String(p)}`);
    return this.fillRandom_("bernoulli_", (out) => {
      for (let i = 0; i < out.length; i++) out[i] = g.bernoulli(p, 53);
    });
  }
  /**
   * Fills with integers: `random_()` over [0, 2^24] (float32) or [0, 2^31) (int32), `random_(to)`
   * over [0, to), `random_(from, to)` over [from, to); torch's stream. @example zeros(4, { dtype: "int32" }).random_(10)
   */
  random_(from?: number | { generator?: Generator }, to?: number | { generator?: Generator }, opts: { generator?: Generator } = {}): this {
    const nums = [from, to].filter((v): v is number => typeof v === "number");
    const o = [from, to, opts].find((v): v is { generator?: Generator } => typeof v === "object" && v !== null) ?? {};
    const g = o.generator ?? defaultGenerator;
    for (const v of nums) if (!Number.isInteger(v)) throw new Error(`random_: from and to must be integers, got ${v}`);
    const range = nums.length === 0 ? undefined : nums.length === 1 ? { from: 0, to: nums[0]! } : { from: nums[0]!, to: nums[1]! };
    if (range && !(range.to > range.from)) throw new Error(`random_: expects 'from' to be less than 'to', but got from=${range.from} >= to=${range.to}`);
    return this.fillRandom_("random_", (out) => sampling.fillRandom(out, this.dtype, g, range));
  }
  /** Fills with Exp(λ) samples `-log(1 - u) / λ`, torch's CPU stream. @example zeros(3).exponential_() */
  exponential_(lambd = 1, opts: { generator?: Generator } = {}): this {
    if (!(lambd > 0)) throw new Error(`exponential_: expects lambda > 0.0, but found lambda=${lambd}`);
    return this.fillRandom_("exponential_", (out) => sampling.fillExponential(out, lambd, opts?.generator ?? defaultGenerator), true);
  }
  /** Writes freshly drawn values (row-major, as torch draws them for a contiguous tensor) over this tensor. */
  private fillRandom_(op: string, fill: (out: TypedArray) => void, floatOnly = false): this {
    if (floatOnly && this.dtype === "int32") throw new Error(`${op}: not implemented for int32 tensors; use a float32 tensor (t.float())`);
    if (this.requiresGrad && this.isLeaf && isGradEnabled()) {
      throw new Error(`${op}: a leaf Variable that requires grad is being used in an in-place operation; wrap it in noGrad()`);
    }
    return this.copy_(new Tensor(sampling.randomArray(this.shape, this.dtype, fill)));
  }

  /** Zeros of this dtype; sizes as an array or varargs (torch's new_zeros). @example x.newZeros(2, 3) */
  newZeros(...args: SizeArgs<CreateOptions>): Tensor { return this.newFilled("newZeros", args, 0); }
  /** Ones of this dtype (torch's new_ones). @example x.newOnes([2, 3]) */
  newOnes(...args: SizeArgs<CreateOptions>): Tensor { return this.newFilled("newOnes", args, 1); }
  /** A tensor of this dtype (zero-filled; torch's new_empty leaves it unset). */
  newEmpty(...args: SizeArgs<CreateOptions>): Tensor { return this.newFilled("newEmpty", args, 0); }
  /** `value` everywhere, this dtype (torch's new_full). @example x.newFull([2], 7) */
  newFull(size: readonly number[], value: number, opts: CreateOptions = {}): Tensor {
    if (typeof value !== "number") throw new Error(`newFull: fill value must be a number, got ${describeArg(value)}`);
    return this.newFilled("newFull", [size, opts], value);
  }
  /** A new tensor of this dtype from data (torch's new_tensor). @example x.newTensor([1, 2]) */
  newTensor(data: NestedArray | TypedArray | readonly number[], opts: CreateOptions = {}): Tensor {
    return createTensor(data, { dtype: this.dtype, ...opts });
  }
  private newFilled(op: string, args: readonly unknown[], value: number): Tensor {
    const [shape, opts] = parseSizeArgs<CreateOptions>(args, op);
    const dtype = opts.dtype === undefined ? this.dtype : checkDtype(opts.dtype, op);
    return new Tensor(NDArray.full(shape, value, dtype), { requiresGrad: opts.requiresGrad ?? false });
  }

  /**
   * A one-element tensor converts to its number where JavaScript wants one (`total += loss`,
   * `+t`, `Math.max(t, 1)`), as torch's `float(t)`; a template literal or `String(t)` prints
   * it. Any other tensor used as a number throws instead of becoming NaN or a string.
   */
  [Symbol.toPrimitive](hint: "number" | "string" | "default"): number | string {
    if (hint === "string") return this.toString();
    if (this.numel() === 1) return this.item();
    throw new Error(
      `Tensor used as a JavaScript number (e.g. total += loss): only one-element tensors convert, got shape ${fmt(this.shape)}; ` +
        "use t.item() on a one-element tensor, t.sum().item(), or String(t) / `${t}` to print it",
    );
  }
  /** The number of a one-element tensor (see `[Symbol.toPrimitive]`). */
  valueOf(): number {
    return this[Symbol.toPrimitive]("number") as number;
  }

  // ---- in-place (torch's aliasing, version counters and recording) ------------------------
  /**
   * Runs in-place op `op`: `compute(self)` gives the new values (recorded when a gradient
   * is needed), which are written into this tensor's storage. See `applyInPlace`.
   */
  private inPlace(op: string, others: readonly Tensor[], compute: InPlaceCompute, readsSelf = true, keepResult = false): this {
    applyInPlace(this, op, others, compute, readsSelf, keepResult);
    return this;
  }
  /**
   * Copies `src` (broadcast to this shape, cast to this dtype) into this tensor's storage; a view
   * writes through to its base (`t.index(1).copy_(row)`). Differentiable with respect to `src`.
   */
  copy_(src: TensorLike): this {
    if (typeof src === "number") return this.fill_(src);
    if (!(src instanceof Tensor)) throw new Error(`copy_: src must be a Tensor or a number, got ${typeof src}`);
    ops.broadcastValue(src, this.shape, this.dtype, "copy_"); // validates the broadcast
    return this.inPlace("copy_", [src], () => ops.expand(ops.cast(src, this.dtype), this.shape), false);
  }
  /** `this += alpha · other` in place. */
  add_(other: TensorLike, opts?: { alpha?: number }): this { return this.inPlace("add_", tensors(other), (s) => ops.add(s, other, opts?.alpha)); }
  /** `this -= alpha · other` in place. */
  sub_(other: TensorLike, opts?: { alpha?: number }): this { return this.inPlace("sub_", tensors(other), (s) => ops.sub(s, other, opts?.alpha)); }
  /** `this *= other` in place. */
  mul_(other: TensorLike): this { return this.inPlace("mul_", tensors(other), (s) => ops.mul(s, other)); }
  /** `this /= other` in place. */
  div_(other: TensorLike): this { return this.inPlace("div_", tensors(other), (s) => ops.div(s, other), true, true); }
  /** `this = this ** exponent` in place. */
  pow_(exponent: TensorLike): this { return this.inPlace("pow_", tensors(exponent), (s) => ops.pow(s, exponent)); }
  /** Clamps into `[min, max]` in place. */
  clamp_(min?: number, max?: number): this { return this.inPlace("clamp_", [], (s) => ops.clamp(s, min, max)); }
  /** Sets every element to `value` (a number, or a one-element tensor whose gradient is the sum of this one's). */
  fill_(value: TensorLike): this {
    if (typeof value === "number") return this.inPlace("fill_", [], () => new Tensor(NDArray.full(this.shape, value, this.dtype)), false);
    if (!(value instanceof Tensor)) throw new Error(`fill_: value must be a number or a Tensor, got ${typeof value}`);
    if (value.ndim !== 0) throw new Error(`fill_: only supports a 0-dimension value tensor, but got one with ${value.ndim} dimension(s) (shape ${fmt(value.shape)})`);
    return this.inPlace("fill_", [value], () => ops.expand(ops.cast(value, this.dtype), this.shape), false);
  }
  /** Sets every element to 0. */
  zero_(): this { return this.fill_(0); }
  neg_(): this { return this.inPlace("neg_", [], (s) => s.neg()); }
  abs_(): this { return this.inPlace("abs_", [], (s) => s.abs()); }
  exp_(): this { return this.inPlace("exp_", [], (s) => s.exp()); }
  log_(): this { return this.inPlace("log_", [], (s) => s.log()); }
  sqrt_(): this { return this.inPlace("sqrt_", [], (s) => s.sqrt()); }
  rsqrt_(): this { return this.inPlace("rsqrt_", [], (s) => s.rsqrt()); }
  reciprocal_(): this { return this.inPlace("reciprocal_", [], (s) => s.reciprocal()); }
  square_(): this { return this.inPlace("square_", [], (s) => s.square()); }
  tanh_(): this { return this.inPlace("tanh_", [], (s) => s.tanh()); }
  sigmoid_(): this { return this.inPlace("sigmoid_", [], (s) => s.sigmoid()); }
  relu_(): this { return this.inPlace("relu_", [], (s) => s.relu()); }
  sin_(): this { return this.inPlace("sin_", [], (s) => s.sin()); }
  cos_(): this { return this.inPlace("cos_", [], (s) => s.cos()); }
  floor_(): this { return this.inPlace("floor_", [], (s) => s.floor()); }
  ceil_(): this { return this.inPlace("ceil_", [], (s) => s.ceil()); }
  round_(): this { return this.inPlace("round_", [], (s) => s.round()); }
  sign_(): this { return this.inPlace("sign_", [], (s) => s.sign()); }

  // ---- item assignment (torch's index_put_, masked_fill_, index_fill_, scatter_) ------------
  /**
   * `t[indices] = values` in place (torch.index_put_): `indices` index the leading dims, int32
   * tensors (broadcast together) or numbers; `values` broadcast to `[...indexShape, ...rest]`.
   * `accumulate` adds instead (repeated indices sum). Differentiable in `t` and `values`.
   * @example t.indexPut_([tensor([0, 2], { dtype: "int32" }), tensor([1, 3], { dtype: "int32" })], tensor([5, 6])) // t[0,1]=5, t[2,3]=6
   */
  indexPut_(indices: readonly (Tensor | number)[], values: TensorLike, accumulate = false): this {
    return this.inPlace("indexPut_", tensors(values), (s) => ops.indexPut(s, indices, values, accumulate));
  }
  /** Out-of-place `indexPut_`: a copy with `copy[indices] = values` (torch.index_put). */
  indexPut(indices: readonly (Tensor | number)[], values: TensorLike, accumulate = false): Tensor { return ops.indexPut(this, indices, values, accumulate); }
  /**
   * Sets the elements where `mask` (int32 0/1, broadcast to this shape) is non-zero to `value`
   * (a number or a 0-d tensor, which then gets their gradient), in place (torch.masked_fill_).
   * @example scores.maskedFill_(padMask, -Infinity)
   */
  maskedFill_(mask: Tensor, value: TensorLike): this {
    return this.inPlace("maskedFill_", tensors(value), (s) => ops.maskedWrite(s, mask, value, "maskedFill_"));
  }
  /**
   * Sets the slices `index` (int32) along `dim` to `value`, in place (torch.index_fill_).
   * @example t.indexFill_(1, tensor([0, 2], { dtype: "int32" }), -1) // columns 0 and 2
   */
  indexFill_(dim: number, index: Tensor, value: TensorLike): this {
    return this.inPlace("indexFill_", tensors(value), (s) => ops.indexFill(s, dim, index, value));
  }
  /** Out-of-place `indexFill_` (torch.index_fill). */
  indexFill(dim: number, index: Tensor, value: TensorLike): Tensor { return ops.indexFill(this, dim, index, value); }
  /**
   * Writes `src` (a tensor, or a number) at `index` along `dim`, in place (torch.scatter_):
   * for dim 1, `t[i][index[i][j]] = src[i][j]`. `reduce` "add"/"multiply" combines instead (not
   * differentiable, as torch's).
   * @example onehot.scatter_(1, labels.unsqueeze(1), 1)
   */
  scatter_(dim: number, index: Tensor, src: TensorLike, opts: { reduce?: "add" | "multiply" } = {}): this {
    return this.inPlace("scatter_", tensors(src), (s) => ops.scatter(s, dim, index, src, opts.reduce));
  }
  /** Out-of-place `scatter_` (torch.scatter). */
  scatter(dim: number, index: Tensor, src: TensorLike, opts: { reduce?: "add" | "multiply" } = {}): Tensor { return ops.scatter(this, dim, index, src, opts.reduce); }
  /**
   * Python's `t[index] = value`. `index` is one entry or an array of them, one per leading dim: a
   * number picks (`t[i][j] = v` is `setItem([i, j], v)`), `null` keeps the whole dim (`t[:, 2] = v`
   * is `setItem([null, 2], v)`), an int32 tensor indexes (advanced indexing, as `indexPut_`; nulls
   * then only after the tensors). `value` (number or tensor) broadcasts; differentiable.
   * @example t.setItem([li, 0, idx], 1) // tensor[li][0][idx] = 1
   */
  setItem(index: number | Tensor | readonly (number | Tensor | null)[], value: TensorLike): this {
    const entries = Array.isArray(index) ? (index as readonly (number | Tensor | null)[]) : [index as number | Tensor];
    if (entries.length > this.ndim) throw new Error(`setItem: too many indices for tensor of dimension ${this.ndim} (got ${entries.length})`);
    if (entries.every((e) => typeof e === "number" || e === null)) {
      let dim = 0;
      const target = entries.reduce<Tensor>((v, e) => {
        if (e === null) {
          dim++;
          return v;
        }
        return v.select(dim, e as number);
      }, this);
      target.copy_(value);
      return this;
    }
    let k = entries.length;
    while (k > 0 && entries[k - 1] === null) k--;
    const lead = entries.slice(0, k);
    if (lead.some((e) => e === null)) {
      throw new Error("setItem: a full dim (null) before an index tensor is not supported; index those dims with tensors (arange) or use indexPut_ on a permuted view");
    }
    return this.indexPut_(lead as (number | Tensor)[], value);
  }
}

/** The tensor operands of an in-place op (numbers need no graph). */
function tensors(x: TensorLike): Tensor[] {
  return x instanceof Tensor ? [x] : [];
}

/** A dims argument checked to be an array (the number case is handled by the caller). */
function dimList(dims: unknown, op: string): readonly number[] {
  if (!Array.isArray(dims)) throw new Error(`${op}: dims must be an integer or an array of integers, got ${dims === null ? "null" : typeof dims}`);
  return dims as readonly number[];
}

function flatShape(args: number[] | [readonly number[]]): number[] {
  if (args.length === 1 && Array.isArray(args[0])) return [...(args[0] as readonly number[])];
  return args as number[];
}
