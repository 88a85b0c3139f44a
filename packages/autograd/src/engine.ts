import { fmt } from "@rnnkit/tensor";
import { withGradMode } from "./gradMode.js";
import type { Node } from "./node.js";
import { Tensor } from "./tensor.js";
import { addGrad, takeFresh } from "./gradUtil.js";

export interface BackwardOptions {
  /** Keep the graph so backward can run through it again. */
  retainGraph?: boolean;
  /** Record the backward computation itself (for higher-order gradients). */
  createGraph?: boolean;
}

/** Nodes reachable from `roots`, ordered so every node comes before the nodes it feeds from. */
function topoOrder(roots: readonly Node[]): Node[] {
  const order: Node[] = [];
  const seen = new Set<Node>();
  // An explicit DFS stack of nodes and, in parallel, the next input index of each.
  const nodes: Node[] = [];
  const next: number[] = [];
  for (const r of roots) {
    if (seen.has(r)) continue;
    seen.add(r);
    nodes.push(r);
    next.push(0);
    while (nodes.length > 0) {
      const top = nodes.length - 1;
      const node = nodes[top]!;
      const i = next[top]!;
      if (i < node.nextFns.length) {
        next[top] = i + 1;
        const child = node.nextFns[i]!;
        if (child !== null && !seen.has(child)) {
          seen.add(child);
          nodes.push(child);
          next.push(0);
        }
      } else {
        nodes.pop();
        next.pop();
        order.push(node);
      }
    }
  }
  return order.reverse();
}

/** Adds `g` into the pending slot of output `i` of `node`. */
function deliver(pending: Map<Node, (Tensor | null)[]>, node: Node, i: number, g: Tensor): void {
  let slot = pending.get(node);
  if (slot === undefined) {
    slot = new Array<Tensor | null>(node.numOutputs).fill(null);
    pending.set(node, slot);
  }
  slot[i] = addGrad(slot[i] ?? null, g);
}

/**
 * Reverse-mode differentiation from `roots` with seed gradients `grads`: walks the graph in
 * reverse topological order, accumulating into `.grad` of leaves that require grad.
 */
export function runBackward(roots: readonly Tensor[], grads: readonly Tensor[], opts: BackwardOptions = {}): void {
  const retain = opts.retainGraph ?? opts.createGraph ?? false;
  withGradMode(opts.createGraph ?? false, () => {
    const pending = new Map<Node, (Tensor | null)[]>();
    const rootNodes: Node[] = [];
    for (let k = 0; k < roots.length; k++) {
      const root = roots[k]!;
      const g = grads[k]!;
      if (root.gradFn === null) {
        if (root.requiresGrad) accumulateLeaf(root, g);
        continue;
      }
      deliver(pending, root.gradFn, root.outputIndex, g);
      rootNodes.push(root.gradFn);
    }
    for (const node of topoOrder(rootNodes)) {
      const outGrads = pending.get(node);
      pending.delete(node);
      if (!outGrads) continue;
      if (node.retained) {
        for (const [i, t] of node.retained) {
          const g = outGrads[i];
          if (g) t.grad = t.grad ? addGrad(t.grad, g) : g.detach();
        }
      }
      const fn = node.backwardFn;
      if (fn === null) {
        throw new Error(
          `backward: trying to backward through the graph a second time (op ${node.name}); its saved values were freed. Pass { retainGraph: true } to the first backward.`,
        );
      }
      checkSavedVersions(node);
      if (!retain) node.backwardFn = null;
      const inGrads = fn(outGrads, !retain);
      const inputs = node.inputs;
      for (let i = 0; i < inputs.length; i++) {
        const input = inputs[i]!;
        const g = inGrads[i];
        if (!g || !node.nextRequiresGrad[i]) continue;
        if (!sameShape(g.shape, input.shape)) {
          throw new Error(`backward: op ${node.name} produced a gradient of shape ${fmt(g.shape)} for input ${i} of shape ${fmt(input.shape)}`);
        }
        const next = node.nextFns[i]!;
        if (next === null) accumulateLeaf(input, g);
        else deliver(pending, next, node.nextIndex[i]!, g);
      }
    }
  });
}

/**
 * torch's saved-variable check: a value the backward of `node` reads must not have changed in
 * place since the op was recorded (one number compare per saved tensor).
 */
function checkSavedVersions(node: Node): void {
  const saved = node.saved;
  for (let k = 0; k < saved.length; k++) {
    const t = saved[k]!;
    const expected = node.savedVersions[k]!;
    if (t.version !== expected) throw new Error(modifiedMessage(node, t, expected, node.savedOutput[k]!));
  }
}

function modifiedMessage(node: Node, t: Tensor, expected: number, output: number): string {
  // As torch: a saved output is named by the node that made it, a saved input by its producer now.
  const fn = output >= 0 ? node : t.gradFn;
  const which = fn === null ? "" : `, which is output ${output >= 0 ? output : t.outputIndex} of ${fn.name},`;
  const by = t._vc.lastOp || "an in-place op";
  const out = by.endsWith("_") ? by.slice(0, -1) : null;
  return (
    `backward: one of the variables needed for gradient computation has been modified by an inplace operation: ` +
    `[${t.dtype} ${fmt(t.shape)}]${which} is at version ${t.version}; expected version ${expected} instead. ` +
    `It was saved by ${node.name} and last modified by ${by}. ` +
    `Hint: use the out-of-place op${out ? ` (${out} instead of ${by})` : ""}, or clone() the tensor before changing it.`
  );
}

/** Shape equality without allocation (the per-edge check of every backward). */
function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function accumulateLeaf(leaf: Tensor, g: Tensor): void {
  const gd = g.dtype === leaf.dtype ? g : g.to(leaf.dtype);
  if (leaf.grad) leaf.grad = addGrad(leaf.grad, gd);
  else if (gd.requiresGrad || takeFresh(gd)) leaf.grad = gd;
  // Otherwise a copy: `.grad` must never alias a buffer some other tensor owns.
  else leaf.grad = new Tensor(gd.value.copy());
}
