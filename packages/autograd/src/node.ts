import type { Tensor } from "./tensor.js";

/**
 * Backward rule of a recorded op: output gradients in, one gradient (or null) per input out.
 * `lastUse` is true when the graph is not retained, so the rule never runs again and may
 * recycle buffers it saved for itself.
 */
export type BackwardFn = (grads: readonly (Tensor | null)[], lastUse: boolean) => readonly (Tensor | null | undefined)[];

/**
 * One recorded operation in the graph: its inputs, how many outputs it made, and the rule that
 * maps output gradients to input gradients. `backwardFn` is dropped once used, unless the
 * graph is retained, so a second backward through it fails clearly.
 *
 * Where each input's gradient goes (`nextFns`, `nextIndex`, `nextRequiresGrad`) is fixed when the
 * op is recorded, as torch's edges are: an in-place op later gives the input tensor a new
 * `gradFn`, but this node's gradient still belongs to the value it read.
 */
export class Node {
  readonly name: string;
  readonly inputs: readonly Tensor[];
  readonly numOutputs: number;
  backwardFn: BackwardFn | null;
  /** Output tensors that asked for `.grad` with retainGrad(), by output index. */
  retained: Map<number, Tensor> | null = null;
  /** Output shapes, so a missing output gradient can be zero-filled. */
  readonly outputShapes: readonly (readonly number[])[];
  /** The node that produced each input when this op was recorded (null: a leaf or no grad). */
  readonly nextFns: (Node | null)[];
  /** Which output of `nextFns[i]` input i was. */
  readonly nextIndex: number[];
  /** Whether input i required grad when this op was recorded. */
  readonly nextRequiresGrad: boolean[];
  /** Tensors whose values the backward reads, with their versions when saved (checked at backward). */
  saved: Tensor[] = [];
  savedVersions: number[] = [];
  /** For each saved tensor, which output of this node it is, or -1 for an input. */
  savedOutput: number[] = [];

  constructor(name: string, inputs: readonly Tensor[], outputShapes: readonly (readonly number[])[], backwardFn: BackwardFn) {
    this.name = name;
    this.inputs = inputs;
    this.numOutputs = outputShapes.length;
    this.outputShapes = outputShapes;
    this.backwardFn = backwardFn;
    const n = inputs.length;
    this.nextFns = new Array<Node | null>(n);
    this.nextIndex = new Array<number>(n);
    this.nextRequiresGrad = new Array<boolean>(n);
    for (let i = 0; i < n; i++) {
      const t = inputs[i]!;
      this.nextFns[i] = t.gradFn;
      this.nextIndex[i] = t.outputIndex;
      this.nextRequiresGrad[i] = t.requiresGrad;
    }
  }

  /** Remembers `t` (an input, or output `output` of this node, whose values the backward reads) at its current version. */
  save(t: Tensor, output = -1): void {
    this.saved.push(t);
    this.savedVersions.push(t.version);
    this.savedOutput.push(output);
  }
}
