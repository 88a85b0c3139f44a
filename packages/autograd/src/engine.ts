import { fmt, shapesEqual } from "@rnnkit/tensor";
import { withGradMode } from "./gradMode.js";
import type { Node } from "./node.js";
import { Tensor } from "./tensor.js";
import { addGrad } from "./gradUtil.js";

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
  const stack: [Node, number][] = [];
  for (const r of roots) {
    if (seen.has(r)) continue;
    seen.add(r);
    stack.push([r, 0]);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const [node, i] = top;
      if (i < node.inputs.length) {
        top[1] = i + 1;
        const child = node.inputs[i]!.gradFn;
        if (child && !seen.has(child)) {
          seen.add(child);
          stack.push([child, 0]);
        }
      } else {
        stack.pop();
        order.push(node);
      }
    }
  }
  return order.reverse();
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
    roots.forEach((root, k) => {
      const g = grads[k]!;
      if (root.gradFn === null) {
        if (root.requiresGrad) accumulateLeaf(root, g);
        return;
      }
      const slot = pending.get(root.gradFn) ?? new Array<Tensor | null>(root.gradFn.numOutputs).fill(null);
      slot[root.outputIndex] = addGrad(slot[root.outputIndex] ?? null, g);
      pending.set(root.gradFn, slot);
      rootNodes.push(root.gradFn);
    });
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
      if (!retain) node.backwardFn = null;
      const inGrads = fn(outGrads);
      node.inputs.forEach((input, i) => {
        const g = inGrads[i];
        if (!g || !input.requiresGrad) return;
        if (!shapesEqual(g.shape, input.shape)) {
          throw new Error(`backward: op ${node.name} produced a gradient of shape ${fmt(g.shape)} for input ${i} of shape ${fmt(input.shape)}`);
        }
        if (input.gradFn === null) {
          accumulateLeaf(input, g);
        } else {
          const slot = pending.get(input.gradFn) ?? new Array<Tensor | null>(input.gradFn.numOutputs).fill(null);
          slot[input.outputIndex] = addGrad(slot[input.outputIndex] ?? null, g);
          pending.set(input.gradFn, slot);
        }
      });
    }
  });
}

function accumulateLeaf(leaf: Tensor, g: Tensor): void {
  const gd = g.dtype === leaf.dtype ? g : g.to(leaf.dtype);
  // A fresh copy: `.grad` must never alias a buffer some other tensor owns.
  leaf.grad = leaf.grad ? addGrad(leaf.grad, gd) : gd.requiresGrad ? gd : new Tensor(gd.value.copy());
}
