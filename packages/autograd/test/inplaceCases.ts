import { linspace, Tensor } from "@rnnkit/autograd";

// The views, in-place ops and error-text normalization of tools/parity/inplace.py, by the same names.

/** Each view kind of the fixture, applied to a `[3, 4]` base. */
export const VIEWS: Record<string, (t: Tensor) => Tensor> = {
  "index(1)": (t) => t.index(1),
  "select(1,2)": (t) => t.select(1, 2),
  "narrow(0,1,2)": (t) => t.narrow(0, 1, 2),
  "narrow(1,1,2)": (t) => t.narrow(1, 1, 2),
  "slice(1,0,4,2)": (t) => t.slice(1, 0, 4, 2),
  "slice(0,-2)": (t) => t.slice(0, -2),
  "view(12)": (t) => t.view(12),
  "view(2,6)": (t) => t.view(2, 6),
  "reshape(4,3)": (t) => t.reshape(4, 3),
  "transpose(0,1)": (t) => t.transpose(0, 1),
  "permute(1,0)": (t) => t.permute(1, 0),
  "t()": (t) => t.t(),
  "unsqueeze(0)": (t) => t.unsqueeze(0),
  "unsqueeze(1).squeeze(1)": (t) => t.unsqueeze(1).squeeze(1),
  "flatten()": (t) => t.flatten(),
  "index(2).narrow(0,1,2)": (t) => t.index(2).narrow(0, 1, 2),
  "t().index(1)": (t) => t.t().index(1),
  "unbind(0)[1]": (t) => t.unbind(0)[1]!,
  "split(2,0)[1]": (t) => t.split(2, 0)[1]!,
  "chunk(2,1)[0]": (t) => t.chunk(2, 1)[0]!,
};

/** The in-place ops of the fixture; `takes` marks those with a tensor operand of the view's shape. */
export const OPS: Record<string, { run: (v: Tensor, o: Tensor | null) => void; takes: boolean }> = {
  "fill_(2.5)": { run: (v) => v.fill_(2.5), takes: false },
  "zero_()": { run: (v) => v.zero_(), takes: false },
  "copy_(o)": { run: (v, o) => v.copy_(o!), takes: true },
  "add_(o)": { run: (v, o) => v.add_(o!), takes: true },
  "sub_(o,alpha=2)": { run: (v, o) => v.sub_(o!, { alpha: 2 }), takes: true },
  "mul_(3)": { run: (v) => v.mul_(3), takes: false },
  "mul_(o)": { run: (v, o) => v.mul_(o!), takes: true },
  "div_(o)": { run: (v, o) => v.div_(o!), takes: true },
  "pow_(2)": { run: (v) => v.pow_(2), takes: false },
  "exp_()": { run: (v) => v.exp_(), takes: false },
  "sigmoid_()": { run: (v) => v.sigmoid_(), takes: false },
  "clamp_(-1,1)": { run: (v) => v.clamp_(-1, 1), takes: false },
};

/** torch.linspace(-1.5, 2, 12) as `[3, 4]`. */
export function baseValues(): Tensor {
  return linspace(-1.5, 2.0, 12).reshape(3, 4);
}

/** `linspace(0.5, 1.25, numel) * (1 + 0.25k)` shaped `shape`: the fixture's operands and weights. */
export function operand(shape: readonly number[], k: number): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return linspace(0.5, 1.25, n).mul(1 + 0.25 * k).reshape([...shape]);
}

/**
 * The part of torch's error text rnnkit must reproduce: its first sentence, with torch's type and
 * node names in rnnkit's (`torch.FloatTensor` → `float32`, `ExpBackward0` → `exp`, `no_grad` → `noGrad`).
 */
export function torchErrorCore(message: string): string {
  const renamed = message
    .replace(/torch\.FloatTensor/g, "float32")
    .replace(/no_grad/g, "noGrad")
    .replace(/([Oo]utput \d+ of )(?:torch::autograd::)?([A-Z])(\w*?)(?:Backward0)?\b/g, (_m, pre: string, c: string, rest: string) => `${pre}${c.toLowerCase()}${rest}`);
  const end = renamed.search(/\.(\s|$)/);
  return end < 0 ? renamed : renamed.slice(0, end);
}
