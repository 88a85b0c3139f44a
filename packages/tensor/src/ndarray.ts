import { allocArray, dtypeOf, type DType, type TypedArray } from "./dtype.js";
import { checkShape, contiguousStrides, fmt, normDim, numel } from "./shape.js";

/** Nested number arrays, as `toArray()` returns them and `NDArray.from` accepts them. */
export type NestedArray = number | NestedArray[];

/**
 * A strided view over typed storage: `element[i0, i1, …] = data[offset + Σ ik * strides[k]]`.
 * Views (reshape of a contiguous array, transpose, permute, expand, narrow, squeeze,
 * unsqueeze) share `data`; kernels read any strides and write contiguous results.
 * @example const a = NDArray.from([[1, 2], [3, 4]]); a.transpose(0, 1).toArray() // [[1, 3], [2, 4]]
 */
export class NDArray {
  readonly data: TypedArray;
  readonly shape: readonly number[];
  readonly strides: readonly number[];
  readonly offset: number;
  /** The element type (of `data`). */
  readonly dtype: DType;
  /** Number of elements (product of `shape`). */
  readonly size: number;

  constructor(data: TypedArray, shape: readonly number[], strides?: readonly number[], offset = 0) {
    this.data = data;
    this.shape = shape;
    this.strides = strides ?? contiguousStrides(shape);
    this.offset = offset;
    // Both are read by nearly every kernel and op check: computed once, not per access.
    this.dtype = dtypeOf(data);
    this.size = numel(shape);
  }

  get ndim(): number {
    return this.shape.length;
  }

  /** A zero-filled contiguous array. */
  static zeros(shape: readonly number[], dtype: DType = "float32"): NDArray {
    const s = checkShape(shape, "zeros");
    return new NDArray(allocArray(dtype, numel(s)), s);
  }

  /** A contiguous array filled with `value`. */
  static full(shape: readonly number[], value: number, dtype: DType = "float32"): NDArray {
    const a = NDArray.zeros(shape, dtype);
    a.data.fill(value);
    return a;
  }

  /** A 0-d array holding `value`. */
  static scalar(value: number, dtype: DType = "float32"): NDArray {
    const a = NDArray.zeros([], dtype);
    a.data[0] = value;
    return a;
  }

  /** Builds an array from nested numbers (shape inferred) or a flat typed array plus `shape`. */
  static from(values: NestedArray | TypedArray | readonly number[], opts: { dtype?: DType; shape?: readonly number[] } = {}): NDArray {
    if (ArrayBuffer.isView(values)) {
      const src = values as TypedArray;
      const dtype = opts.dtype ?? dtypeOf(src);
      const shape = checkShape(opts.shape ?? [src.length], "tensor", src.length);
      if (numel(shape) !== src.length) {
        throw new Error(`tensor: shape ${fmt(shape)} needs ${numel(shape)} values, got ${src.length}`);
      }
      const data = allocArray(dtype, src.length);
      data.set(src);
      return new NDArray(data, shape);
    }
    const shape: number[] = [];
    let probe: NestedArray = values as NestedArray;
    while (Array.isArray(probe)) {
      shape.push(probe.length);
      if (probe.length === 0) break;
      probe = probe[0]!;
    }
    const n = numel(shape);
    const dtype = opts.dtype ?? "float32";
    const data = allocArray(dtype, n);
    let k = 0;
    const walk = (v: NestedArray, depth: number): void => {
      if (depth === shape.length) {
        if (typeof v !== "number") throw new Error(`tensor: expected a number at depth ${depth}, got ${typeof v}`);
        data[k++] = v;
        return;
      }
      if (!Array.isArray(v) || v.length !== shape[depth]) {
        throw new Error(`tensor: ragged nested array (expected length ${shape[depth]} at depth ${depth})`);
      }
      for (const x of v) walk(x, depth + 1);
    };
    walk(values as NestedArray, 0);
    const out = new NDArray(data, shape);
    if (opts.shape) {
      if (numel(checkShape(opts.shape, "tensor", n)) !== n) {
        throw new Error(`tensor: shape ${fmt(opts.shape)} needs ${numel(opts.shape)} values, got ${n}`);
      }
      return out.reshape(opts.shape);
    }
    return out;
  }

  /** True when elements are laid out row-major with no gaps from `offset`. */
  isContiguous(): boolean {
    let s = 1;
    for (let i = this.shape.length - 1; i >= 0; i--) {
      if (this.shape[i] !== 1 && this.strides[i] !== s) return false;
      s *= this.shape[i]!;
    }
    return true;
  }

  /** This array if contiguous, else a contiguous copy. */
  contiguous(): NDArray {
    return this.isContiguous() ? this : this.copy();
  }

  /** A contiguous copy whose storage holds exactly its elements (offset 0). */
  copy(dtype: DType = this.dtype): NDArray {
    const n = this.size;
    const out = allocArray(dtype, n);
    if (this.isContiguous()) {
      out.set(this.data.subarray(this.offset, this.offset + n));
    } else if (n > 0) {
      // A strided walk with the innermost dim as a plain loop (no per-element callback).
      const data = this.data;
      const shape = this.shape;
      const strides = this.strides;
      const last = shape.length - 1;
      const lastSize = shape[last]!;
      const lastStride = strides[last]!;
      const idx = new Array<number>(shape.length).fill(0);
      let base = this.offset;
      for (let k = 0; k < n; k += lastSize) {
        for (let j = 0, o = base; j < lastSize; j++, o += lastStride) out[k + j] = data[o]!;
        for (let d = last - 1; d >= 0; d--) {
          idx[d]!++;
          base += strides[d]!;
          if (idx[d]! < shape[d]!) break;
          base -= strides[d]! * shape[d]!;
          idx[d] = 0;
        }
      }
    }
    return new NDArray(out, this.shape.slice());
  }

  /** The elements of a contiguous array as a typed array of exactly `size` elements (no copy when possible). */
  flat(): TypedArray {
    const c = this.contiguous();
    if (c.offset === 0 && c.data.length === c.size) return c.data;
    return c.data.subarray(c.offset, c.offset + c.size);
  }

  /** Calls `fn` with the storage offset of every element, in row-major order. */
  forEachOffset(fn: (offset: number) => void): void {
    const nd = this.shape.length;
    const n = this.size;
    if (n === 0) return;
    if (nd === 0) {
      fn(this.offset);
      return;
    }
    const idx = new Array<number>(nd).fill(0);
    const last = nd - 1;
    const lastSize = this.shape[last]!;
    const lastStride = this.strides[last]!;
    let base = this.offset;
    for (let done = 0; done < n; done += lastSize) {
      for (let j = 0, o = base; j < lastSize; j++, o += lastStride) fn(o);
      for (let d = last - 1; d >= 0; d--) {
        idx[d]!++;
        base += this.strides[d]!;
        if (idx[d]! < this.shape[d]!) break;
        base -= this.strides[d]! * this.shape[d]!;
        idx[d] = 0;
      }
    }
  }

  /** The element at a full index. */
  get(...index: number[]): number {
    if (index.length !== this.ndim) throw new Error(`get: expected ${this.ndim} indices, got ${index.length}`);
    let o = this.offset;
    for (let i = 0; i < index.length; i++) {
      const d = this.shape[i]!;
      let k = index[i]!;
      if (k < 0) k += d;
      if (k < 0 || k >= d) throw new Error(`get: index ${index[i]} is out of bounds for dim ${i} with size ${d}`);
      o += k * this.strides[i]!;
    }
    return this.data[o]!;
  }

  /** Nested plain arrays (a number for a 0-d array). */
  toArray(): NestedArray {
    const flat = this.flat();
    if (this.ndim === 0) return flat[0]!;
    let k = 0;
    const build = (d: number): NestedArray => {
      const len = this.shape[d]!;
      const out: NestedArray[] = new Array(len);
      if (d === this.ndim - 1) {
        for (let i = 0; i < len; i++) out[i] = flat[k++]!;
      } else {
        for (let i = 0; i < len; i++) out[i] = build(d + 1);
      }
      return out;
    };
    return build(0);
  }

  /** Same elements in a new shape: a view when the strides allow it, else a copy (torch.reshape). */
  reshape(shape: readonly number[], op = "reshape"): NDArray {
    const s = checkShape(shape, op, this.size);
    if (numel(s) !== this.size) {
      throw new Error(`${op}: shape ${fmt(shape)} is invalid for input of size ${this.size} (shape ${fmt(this.shape)})`);
    }
    const strides = this.viewStrides(s);
    if (strides) return new NDArray(this.data, s, strides, this.offset);
    return this.copy().reshape(s, op);
  }

  /** Like reshape, but never copies; throws when the strides do not allow a view (torch.view). */
  view(shape: readonly number[]): NDArray {
    const s = checkShape(shape, "view", this.size);
    if (numel(s) !== this.size) {
      throw new Error(`view: shape ${fmt(shape)} is invalid for input of size ${this.size} (shape ${fmt(this.shape)})`);
    }
    const strides = this.viewStrides(s);
    if (!strides) {
      throw new Error(
        `view: size ${fmt(s)} is not compatible with input of shape ${fmt(this.shape)} and strides ${fmt(this.strides)}; use reshape`,
      );
    }
    return new NDArray(this.data, s, strides, this.offset);
  }

  /** Strides for viewing this array as `shape` without copying, or null (torch's computeStride). */
  private viewStrides(shape: readonly number[]): number[] | null {
    if (this.isContiguous()) return contiguousStrides(shape);
    const oldShape = this.shape;
    const oldStrides = this.strides;
    const newStrides = new Array<number>(shape.length).fill(0);
    if (numel(oldShape) === 0) return contiguousStrides(shape);
    let viewD = shape.length - 1;
    let chunkBase = oldStrides[oldStrides.length - 1] ?? 1;
    let tensorNumel = 1;
    let viewNumel = 1;
    for (let d = oldShape.length - 1; d >= 0; d--) {
      tensorNumel *= oldShape[d]!;
      if (d === 0 || (oldShape[d - 1] !== 1 && oldStrides[d - 1] !== tensorNumel * chunkBase)) {
        while (viewD >= 0 && (viewNumel < tensorNumel || shape[viewD] === 1)) {
          newStrides[viewD] = viewNumel * chunkBase;
          viewNumel *= shape[viewD]!;
          viewD--;
        }
        if (viewNumel !== tensorNumel) return null;
        if (d > 0) {
          chunkBase = oldStrides[d - 1]!;
          tensorNumel = 1;
          viewNumel = 1;
        }
      }
    }
    if (viewD !== -1) return null;
    return newStrides;
  }

  /** Swaps two dims (a view). */
  transpose(d0: number, d1: number): NDArray {
    const a = normDim(d0, this.ndim, "transpose");
    const b = normDim(d1, this.ndim, "transpose");
    if (this.ndim === 0) return this;
    const perm = Array.from({ length: this.ndim }, (_, i) => i);
    perm[a] = b;
    perm[b] = a;
    return this.permute(perm);
  }

  /** Reorders dims (a view): `out.shape[i] = shape[perm[i]]`. */
  permute(perm: readonly number[]): NDArray {
    if (perm.length !== this.ndim) {
      throw new Error(`permute: number of dims ${perm.length} does not match the input's ${this.ndim} (shape ${fmt(this.shape)})`);
    }
    const p = perm.map((d) => normDim(d, this.ndim, "permute"));
    if (new Set(p).size !== p.length) throw new Error(`permute: repeated dim in ${fmt(perm)}`);
    return new NDArray(
      this.data,
      p.map((d) => this.shape[d]!),
      p.map((d) => this.strides[d]!),
      this.offset,
    );
  }

  /** Broadcasts size-1 dims (and new leading dims) to `shape` with stride 0 (a view). `-1` keeps a size. */
  expand(shape: readonly number[]): NDArray {
    const nd = shape.length;
    if (nd < this.ndim) {
      throw new Error(`expand: the target shape ${fmt(shape)} has fewer dims than the input shape ${fmt(this.shape)}`);
    }
    const outShape = new Array<number>(nd);
    const outStrides = new Array<number>(nd);
    for (let i = 0; i < nd; i++) {
      const j = i - (nd - this.ndim);
      const want = shape[i]!;
      if (j < 0) {
        if (want < 0) throw new Error(`expand: -1 is not allowed in a new leading dim (target ${fmt(shape)})`);
        outShape[i] = want;
        outStrides[i] = 0;
        continue;
      }
      const have = this.shape[j]!;
      const size = want === -1 ? have : want;
      if (have !== size && have !== 1) {
        throw new Error(`expand: the expanded size ${size} must match the existing size ${have} at dim ${i} (input ${fmt(this.shape)}, target ${fmt(shape)})`);
      }
      outShape[i] = size;
      outStrides[i] = have === size ? this.strides[j]! : 0;
    }
    return new NDArray(this.data, outShape, outStrides, this.offset);
  }

  /** `length` elements of `dim` starting at `start` (a view). */
  narrow(dim: number, start: number, length: number): NDArray {
    const d = normDim(dim, this.ndim, "narrow");
    const size = this.shape[d]!;
    const s = start < 0 ? start + size : start;
    if (!Number.isInteger(s) || !Number.isInteger(length) || s < 0 || length < 0 || s + length > size) {
      throw new Error(`narrow: start ${start} and length ${length} exceed dim ${d} of size ${size} (shape ${fmt(this.shape)})`);
    }
    const shape = this.shape.slice();
    shape[d] = length;
    return new NDArray(this.data, shape, this.strides, this.offset + s * this.strides[d]!);
  }

  /** Removes `dim` by picking `index` along it (a view). */
  select(dim: number, index: number): NDArray {
    const d = normDim(dim, this.ndim, "select");
    const size = this.shape[d]!;
    const i = index < 0 ? index + size : index;
    if (!Number.isInteger(i) || i < 0 || i >= size) {
      throw new Error(`select: index ${index} is out of range for dim ${d} of size ${size} (shape ${fmt(this.shape)})`);
    }
    const shape = this.shape.slice();
    const strides = this.strides.slice();
    shape.splice(d, 1);
    strides.splice(d, 1);
    return new NDArray(this.data, shape, strides, this.offset + i * this.strides[d]!);
  }

  /** Removes size-1 dims (all, or the given ones when they have size 1) (a view). */
  squeeze(dims?: number | readonly number[]): NDArray {
    const keep = new Array<boolean>(this.ndim).fill(true);
    if (dims === undefined) {
      for (let i = 0; i < this.ndim; i++) keep[i] = this.shape[i] !== 1;
    } else {
      for (const raw of typeof dims === "number" ? [dims] : dims) {
        const d = normDim(raw, this.ndim, "squeeze");
        if (this.shape[d] === 1) keep[d] = false;
      }
    }
    return new NDArray(
      this.data,
      this.shape.filter((_, i) => keep[i]),
      this.strides.filter((_, i) => keep[i]),
      this.offset,
    );
  }

  /** Inserts a size-1 dim at `dim` (a view). */
  unsqueeze(dim: number): NDArray {
    const d = normDim(dim, this.ndim + 1, "unsqueeze");
    const shape = this.shape.slice();
    const strides = this.strides.slice();
    const st = d < this.ndim ? this.shape[d]! * this.strides[d]! : 1;
    shape.splice(d, 0, 1);
    strides.splice(d, 0, st);
    return new NDArray(this.data, shape, strides, this.offset);
  }

  /** A copy converted to `dtype` (float → int truncates toward zero, as torch). */
  astype(dtype: DType): NDArray {
    // Storing into an Int32Array already truncates toward zero.
    return dtype === this.dtype ? this : this.copy(dtype);
  }
}
