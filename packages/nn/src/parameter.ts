import { Tensor } from "@rnnkit/autograd";
import type { NDArray } from "@rnnkit/tensor";

/**
 * A Tensor that a Module owns as a trainable weight: it requires grad by default and is listed
 * by `parameters()` when assigned to a module property.
 * @example this.weight = new Parameter(zeros([out, in]).value);
 */
export class Parameter extends Tensor {
  constructor(value: NDArray | Tensor, requiresGrad = true) {
    super(value instanceof Tensor ? value.value : value, { requiresGrad });
  }
}
