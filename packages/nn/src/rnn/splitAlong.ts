import type { Tensor } from "@rnnkit/autograd";
import { fmt } from "@rnnkit/tensor";

/**
 * Splits `x` along `dim` into pieces of the given sizes (`Tensor.split`, one recorded node whose
 * backward is a single concatenation), naming the sizes and shape when they do not add up.
 * @example splitAlong(gates, 1, [h, h, h, h]) // LSTM's i, f, g, o
 */
export function splitAlong(x: Tensor, dim: number, sizes: readonly number[]): Tensor[] {
  const total = sizes.reduce((a, b) => a + b, 0);
  if (x.shape[dim] !== total) {
    throw new Error(`splitAlong: sizes ${fmt(sizes)} sum to ${total}, but dim ${dim} of shape ${fmt(x.shape)} has size ${x.shape[dim]}`);
  }
  return x.split(sizes, dim);
}
