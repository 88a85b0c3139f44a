import { fmt, NDArray } from "@rnnkit/tensor";
import { defineOp } from "./defineOp.js";
import { noGrad } from "./gradMode.js";
import { Tensor } from "./tensor.js";

/** Options of `gradcheck`: the finite-difference step and the allclose tolerances. */
export interface GradcheckOptions {
  /** Central-difference step (default 1e-6). */
  eps?: number;
  /** Absolute tolerance (default 1e-5). */
  atol?: number;
  /** Relative tolerance, against the numerical value (default 1e-3). */
  rtol?: number;
  /** Throw on a mismatch (default true); when false, return false instead. */
  raiseException?: boolean;
}

/** Identity whose backward checks that the gradient reaching an input kept float64. */
const probe = defineOp<{ index: number }>({
  name: "gradcheckProbe",
  forward: ([x]) => x!,
  backward: ({ args: { index } }, g) => {
    if (g.dtype !== "float64") {
      throw new Error(`gradcheck: the gradient reaching input ${index} is ${g.dtype}, not float64: an op downcast in backward`);
    }
    return [g];
  },
});

function asList(out: Tensor | readonly Tensor[]): readonly Tensor[] {
  return out instanceof Tensor ? [out] : out;
}

function indexOf(flat: number, shape: readonly number[]): string {
  const idx = new Array<number>(shape.length);
  let r = flat;
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = r % shape[d]!;
    r = Math.floor(r / shape[d]!);
  }
  return fmt(idx);
}

/**
 * Checks analytic gradients against central finite differences, in float64:
 * `J_num[k, j] = (f(x + eps·e_j)_k − f(x − eps·e_j)_k) / (2 eps)` must match the rows of the
 * Jacobian that backward gives, `|J_an − J_num| ≤ atol + rtol·|J_num|` elementwise. Float
 * inputs are copied to float64 first (int32 inputs pass through; only inputs with
 * `requiresGrad` are checked). Returns true, or throws an Error naming the output, the input
 * index, the element and both values (as torch.autograd.gradcheck), or returns false when
 * `raiseException` is false. int32 outputs are not differentiable and are skipped. A single
 * input tensor may be passed without an array.
 * @example gradcheck((a, b) => a.mul(b).sum(), [randn([3], { requiresGrad: true }), randn([3])]) // true
 */
export function gradcheck(
  fn: (...inputs: Tensor[]) => Tensor | readonly Tensor[],
  inputs: Tensor | readonly Tensor[],
  opts: GradcheckOptions = {},
): boolean {
  try {
    return check(fn, asList(inputs), opts);
  } catch (err) {
    if (opts.raiseException === false && err instanceof Error && err.message.startsWith("gradcheck: Jacobian mismatch")) return false;
    throw err;
  }
}

function check(fn: (...inputs: Tensor[]) => Tensor | readonly Tensor[], inputs: readonly Tensor[], opts: GradcheckOptions): boolean {
  const eps = opts.eps ?? 1e-6;
  const atol = opts.atol ?? 1e-5;
  const rtol = opts.rtol ?? 1e-3;
  const xs = inputs.map((t, i) => {
    if (!(t instanceof Tensor)) throw new Error(`gradcheck: input ${i} is not a Tensor`);
    if (t.dtype === "int32") return t;
    return new Tensor(t.value.copy("float64"), { requiresGrad: t.requiresGrad });
  });
  const checked = xs.map((t, i) => (t.requiresGrad ? i : -1)).filter((i) => i >= 0);
  if (checked.length === 0) throw new Error("gradcheck: expects at least one input tensor to require gradient");

  const all = asList(fn(...xs.map((x, i) => (x.requiresGrad ? probe([x], { index: i }) : x))));
  all.forEach((o, k) => {
    if (!(o instanceof Tensor)) throw new Error(`gradcheck: output ${k} is not a Tensor`);
    if (o.dtype === "float32") {
      throw new Error(`gradcheck: output ${k} is ${o.dtype} though the float inputs are float64: an op downcast in forward`);
    }
  });

  // Output indices that are differentiable (float); int32 outputs are skipped.
  const diff = all.map((o, k) => (o.dtype === "int32" ? -1 : k)).filter((k) => k >= 0);
  const outputs = diff.map((k) => all[k]!);

  // Analytic Jacobian rows: one backward per output element.
  const analytic = outputs.map((o) => checked.map((i) => new Float64Array(o.numel() * xs[i]!.numel())));
  outputs.forEach((o, k) => {
    if (!o.requiresGrad) return;
    for (let r = 0; r < o.numel(); r++) {
      for (const i of checked) xs[i]!.grad = null;
      const seed = NDArray.zeros(o.shape, "float64");
      seed.data[r] = 1;
      o.backward(new Tensor(seed), { retainGraph: true });
      checked.forEach((i, c) => {
        const g = xs[i]!.grad;
        if (g === null) return;
        const gv = g.value.flat();
        const n = xs[i]!.numel();
        analytic[k]![c]!.set(gv, r * n);
      });
    }
  });
  for (const i of checked) xs[i]!.grad = null;

  // Numerical Jacobian columns: perturb each element of each checked input both ways.
  const evalAt = (): Float64Array[] =>
    noGrad(() => {
      const outs = asList(fn(...xs));
      return diff.map((k) => Float64Array.from(outs[k]!.value.flat()));
    });
  checked.forEach((i, c) => {
    const x = xs[i]!;
    const data = x.value.data;
    const n = x.numel();
    for (let j = 0; j < n; j++) {
      const orig = data[j]!;
      // Each write is a version bump, so caches keyed on versions (packed weights) see it.
      data[j] = orig + eps;
      x.incrementVersion("gradcheck");
      const plus = evalAt();
      data[j] = orig - eps;
      x.incrementVersion("gradcheck");
      const minus = evalAt();
      data[j] = orig;
      x.incrementVersion("gradcheck");
      outputs.forEach((o, k) => {
        const m = o.numel();
        for (let r = 0; r < m; r++) {
          const num = (plus[k]![r]! - minus[k]![r]!) / (2 * eps);
          const an = analytic[k]![c]![r * n + j]!;
          const ok = Math.abs(an - num) <= atol + rtol * Math.abs(num) || (Number.isNaN(an) && Number.isNaN(num));
          if (!ok) {
            throw new Error(
              `gradcheck: Jacobian mismatch for output ${diff[k]} with respect to input ${i}, ` +
                `at input element ${indexOf(j, x.shape)} (shape ${fmt(x.shape)}) and output element ${indexOf(r, o.shape)} (shape ${fmt(o.shape)}): ` +
                `numerical ${num}, analytical ${an} (eps ${eps}, atol ${atol}, rtol ${rtol})`,
            );
          }
        }
      });
    }
  });
  return true;
}
