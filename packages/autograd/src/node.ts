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

  constructor(name: string, inputs: readonly Tensor[], outputShapes: readonly (readonly number[])[], backwardFn: BackwardFn) {
    this.name = name;
    this.inputs = inputs;
    this.numOutputs = outputShapes.length;
    this.outputShapes = outputShapes;
    this.backwardFn = backwardFn;
  }
}
