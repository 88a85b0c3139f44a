import type { NDArray } from "@rnnkit/tensor";
import { isGradEnabled } from "./gradMode.js";
import { Node, type BackwardFn } from "./node.js";
import { Tensor } from "./tensor.js";

/**
 * What a backward rule sees: the op's inputs, its output, its args and saved values. The output
 * is the recorded result itself, so a rule written with it (exp: `g * y`) stays differentiable
 * when backward runs with `createGraph` (second derivatives), as torch's saved outputs do.
 */
export interface OpContext<A, S> {
  readonly inputs: readonly Tensor[];
  readonly output: Tensor;
  readonly args: A;
  readonly saved: S;
}

/** One differentiable op: forward on NDArrays, backward in Tensor ops, defined together. */
export interface OpSpec<A, S> {
  readonly name: string;
  forward(inputs: readonly NDArray[], args: A): NDArray;
  /** Values computed once in forward, only when a gradient will be needed. */
  save?(inputs: readonly NDArray[], output: NDArray, args: A): S;
  /**
   * Which tensors the backward reads the values of, given which inputs require grad (input
   * indices, or "output"); their versions are checked at backward, so an in-place change after
   * the forward raises instead of giving a wrong gradient (torch's SavedVariable). Default: every
   * input and the output. Shape-only ops return [].
   * @example saves: (r) => [...(r[1] ? [0] : []), ...(r[0] ? [1] : [])] // mul: each input for the other's gradient
   */
  saves?(requiresGrad: readonly boolean[]): readonly (number | "output")[];
  /** Gradient of each input given the output's gradient (null/undefined: no gradient). */
  backward(ctx: OpContext<A, S>, grad: Tensor): readonly (Tensor | null | undefined)[];
}

/** True when an op on these inputs must be recorded. */
export function needsGrad(inputs: readonly Tensor[]): boolean {
  if (!isGradEnabled()) return false;
  for (const t of inputs) if (t.requiresGrad) return true;
  return false;
}

/**
 * Defines an op once, with its gradient beside it.
 * @example
 * const expOp = defineOp<void>({
 *   name: "exp",
 *   forward: ([x]) => backend().unary("exp", x!),
 *   backward: ({ output }, g) => [g.mul(output)],
 * });
 * expOp([x], undefined);
 */
export function defineOp<A = void, S = undefined>(spec: OpSpec<A, S>): (inputs: readonly Tensor[], args: A) => Tensor {
  return (inputs, args) => {
    for (let i = 0; i < inputs.length; i++) {
      // A plain JS value where a tensor belongs would otherwise fail deep inside a kernel.
      if (!(inputs[i] instanceof Tensor)) throw new Error(`${spec.name}: expected a Tensor for argument ${i}, got ${describeValue(inputs[i])}`);
    }
    const arrays = inputs.map((t) => t.value);
    const out = spec.forward(arrays, args);
    const result = new Tensor(out);
    // An output over its first input's storage is a view of it: same version counter, same base.
    const self = inputs[0];
    if (self !== undefined && out.data === self.value.data) result.markViewOf(self);
    if (!needsGrad(inputs)) return result;
    const saved = spec.save ? spec.save(arrays, out, args) : (undefined as S);
    const ctx: OpContext<A, S> = { inputs, output: result, args, saved };
    const node = record(spec.name, inputs, [result], (grads) => spec.backward(ctx, grads[0]!), []);
    const which = spec.saves ? spec.saves(node.nextRequiresGrad) : null;
    if (which === null) {
      for (const t of inputs) node.save(t);
      node.save(result, 0);
    } else {
      for (const w of which) {
        if (w === "output") node.save(result, 0);
        else node.save(inputs[w]!);
      }
    }
    return result;
  };
}

/**
 * Records a node producing `outputs` (already computed) from `inputs`; used directly by fused
 * multi-output ops such as a whole recurrent layer. Missing output gradients arrive as null.
 * `saved` lists the tensors whose values the backward reads (default: every input): backward
 * raises if one of them was changed in place after this call.
 */
export function record(name: string, inputs: readonly Tensor[], outputs: readonly Tensor[], backward: BackwardFn, saved: readonly Tensor[] = inputs): Node {
  const node = new Node(name, inputs, outputs.map((o) => o.shape), backward);
  outputs.forEach((o, i) => o.attach(node, i));
  for (const t of saved) node.save(t, outputs.indexOf(t));
  return node;
}

function describeValue(v: unknown): string {
  if (v === null || v === undefined) return String(v);
  if (Array.isArray(v)) return "an array (wrap it with tensor(...))";
  return typeof v === "object" ? `an object (${(v as object).constructor?.name ?? "Object"})` : `${typeof v} ${JSON.stringify(v)}`;
}
