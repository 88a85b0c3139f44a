import { fmt, NDArray } from "@rnnkit/tensor";
import { record } from "./defineOp.js";
import { isGradEnabled, withGradMode } from "./gradMode.js";
import type { Tensor } from "./tensor.js";
import { Tensor as TensorClass } from "./tensor.js";
import { hasInternalOverlap, viewPositions, writeInto } from "./viewGeometry.js";

/** The out-of-place form of an in-place op: the new values of `self`, from its current ones. */
export type InPlaceCompute = (self: Tensor) => Tensor;

const LEAF = "a leaf Variable that requires grad is being used in an in-place operation; wrap it in noGrad() or clone() first";
const VIEW_OF_LEAF = "a view of a leaf Variable that requires grad is being used in an in-place operation.";
const NO_GRAD_VIEW =
  "A view was created in noGrad mode and is being modified inplace with grad mode enabled. Given that this use case is " +
  "ambiguous and error-prone, it is forbidden. You can clarify your code by moving both the view and the inplace either " +
  "both inside the noGrad block (if you don't want the inplace to be tracked) or both outside (if you want the inplace to be tracked).";

/**
 * In-place op `op` on `self` with torch's semantics. The new values come from the out-of-place
 * `compute` and are written into `self`'s storage (views write through to their base), and the
 * shared version counter goes up. When a gradient is needed the write is recorded: `self` takes
 * the new node as its producer (torch's rebase), and a view's base is rebased onto a CopySlices
 * node, so gradients flow to what was written and not to the overwritten values. `readsSelf`
 * false (fill_, copy_) means the old values do not enter the result.
 */
export function applyInPlace(self: Tensor, op: string, others: readonly Tensor[], compute: InPlaceCompute, readsSelf: boolean, keepResult = false): void {
  const gradOn = isGradEnabled();
  const base = self._base;
  if (gradOn) {
    if (base === null && self.requiresGrad && self.gradFn === null) throw new Error(`${op}: ${LEAF}`);
    if (base !== null && base.requiresGrad && base.gradFn === null) {
      throw new Error(`${op}: ${self._viewNoGrad ? NO_GRAD_VIEW : VIEW_OF_LEAF}`);
    }
  }
  let recorded = false;
  if (gradOn) {
    recorded = self.requiresGrad;
    for (const o of others) recorded ||= o.requiresGrad;
  }
  if (gradOn && base !== null && self._viewNoGrad && (recorded || base.requiresGrad)) throw new Error(`${op}: ${NO_GRAD_VIEW}`);
  if (recorded && base !== null) {
    const mv = self._multiView;
    if (mv !== null) {
      throw new Error(
        `${op}: Output ${mv.index} of ${mv.op} is a view and is being modified inplace. This view is the output of a function that returns ` +
          "multiple views. Such functions do not allow the output views to be modified inplace. You should replace the inplace operation by an out-of-place one.",
      );
    }
  }
  if (op !== "fill_" && hasInternalOverlap(self.value)) {
    throw new Error(
      `${op}: unsupported operation: more than one element of the written-to tensor refers to a single memory location ` +
        `(shape ${fmt(self.shape)}, strides ${fmt(self.value.strides)}). Please clone() the tensor before performing the operation.`,
    );
  }
  if (!recorded) {
    const r = withGradMode(false, () => compute(self));
    checkResult(op, self, r);
    writeInto(self.value, r.value);
    self._vc.bump(op);
    return;
  }
  // The op reads a snapshot with self's current graph identity: its backward may need the old values.
  const input = readsSelf ? snapshot(self) : self;
  let r = compute(input);
  if (r === input || others.includes(r)) r = r.view(r.shape);
  checkResult(op, self, r);
  writeInto(self.value, r.value);
  self._vc.bump(op);
  // From here on `r` is the new value of self's storage: a backward that saved it sees later writes.
  // `keepResult`: torch's in-place form saves no result (div_), so the op keeps its own copy.
  if (!keepResult) adoptStorage(r, self);
  if (base === null) {
    if (r.gradFn === null) {
      // fill_ of a tensor in the graph: a node that gives the overwritten values a zero gradient.
      const shape = self.shape;
      const node = record(op, [input], [r], () => [new TensorClass(NDArray.zeros(shape, self.dtype))], []);
      self.rebase(node, 0, true);
      return;
    }
    self.rebase(r.gradFn, r.outputIndex, true);
    return;
  }
  copySlices(base, self, r);
}

/** A tensor over a copy of `t`'s values that stands for `t` in the graph (same producer). */
function snapshot(t: Tensor): Tensor {
  const s = new TensorClass(t.value.copy());
  s.rebase(t.gradFn, t.outputIndex, t.requiresGrad);
  return s;
}

function checkResult(op: string, self: Tensor, r: Tensor): void {
  if (r.shape.length !== self.shape.length || r.shape.some((d, i) => d !== self.shape[i])) {
    throw new Error(`${op}: output with shape ${fmt(self.shape)} doesn't match the broadcast shape ${fmt(r.shape)}`);
  }
  if (r.dtype !== self.dtype && op !== "copy_") {
    throw new Error(`${op}: result type ${r.dtype} can't be cast to the desired output type ${self.dtype} (shape ${fmt(self.shape)})`);
  }
}

/** Points `r` (the recorded result) at `self`'s storage and counter, and re-dates its saved version. */
function adoptStorage(r: Tensor, self: Tensor): void {
  r.value = self.value;
  r._vc = self._vc;
  r._base = null;
  const node = r.gradFn;
  if (node === null) return;
  for (let k = 0; k < node.saved.length; k++) if (node.saved[k] === r) node.savedVersions[k] = self.version;
}

/**
 * torch's CopySlices: the base's new producer takes the base's old gradient everywhere but the
 * written region, and routes the region's gradient to the op that wrote it (`r`). The view is
 * then regenerated as a view of the new base.
 */
function copySlices(base: Tensor, view: Tensor, r: Tensor): void {
  const pos = new TensorClass(new NDArray(viewPositions(view.value, base.value), [view.numel()]));
  const n = base.numel();
  const viewShape = view.shape;
  const baseShape = base.shape;
  const node = record(
    "copySlices",
    [base, r],
    [base],
    ([g]) => {
      const flat = g!.reshape([n]);
      const region = flat.indexSelect(0, pos).reshape(viewShape);
      let rest: Tensor | null = null;
      if (node.nextRequiresGrad[0]) {
        const keep = NDArray.full([n], 1, g!.dtype);
        for (const p of pos.value.data) keep.data[p] = 0;
        rest = flat.mul(new TensorClass(keep)).reshape(baseShape);
      }
      return [rest, region];
    },
    [],
  );
  base.rebase(node, 0, true);
  regenerateView(view);
}

/**
 * Gives a view whose base was rebased (by an in-place op through it or a sibling view) a fresh
 * producer reading the base's current identity (torch's AsStridedBackward); a view made under
 * noGrad keeps none.
 */
export function regenerateView(view: Tensor): void {
  const base = view._base!;
  const baseFn = base.gradFn;
  view._viewFn = baseFn;
  if (view._viewNoGrad || !base.requiresGrad) {
    if (!view._viewNoGrad) view.rebase(null, 0, false);
    return;
  }
  const pos = new TensorClass(new NDArray(viewPositions(view.value, base.value), [view.numel()]));
  const n = base.numel();
  const baseShape = base.shape;
  record(
    "asStrided",
    [base],
    [view],
    ([g]) => [new TensorClass(NDArray.zeros([n], g!.dtype)).indexAdd(0, pos, g!.reshape([pos.numel()])).reshape(baseShape)],
    [],
  );
}
