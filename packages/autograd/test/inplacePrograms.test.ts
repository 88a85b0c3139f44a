import { describe, expect, it } from "vitest";
import { noGrad, Tensor, tensor, zeros } from "@rnnkit/autograd";
import { expectTensorClose, loadFixture, type FixtureTensor } from "./helpers.js";
import { torchErrorCore } from "./inplaceCases.js";

interface Program {
  name: string;
  result?: Record<string, FixtureTensor>;
  error?: string;
}

const { programs } = loadFixture<{ programs: Program[] }>("inplace_programs.json");

const scalar = (n: number) => tensor(n);

/** The programs of tools/parity/inplace.py, line for line; each returns what torch's returned. */
const PROGRAMS: Record<string, () => Record<string, Tensor> | void> = {
  issue_example() {
    const w = tensor([1, 2, 3], { requiresGrad: true });
    const y = w.mul(w).sum();
    noGrad(() => w.mul_(2));
    y.backward();
  },
  exp_output_modified() {
    const a = tensor([0.5, -1, 2], { requiresGrad: true });
    const y = a.clone().exp();
    y.add_(1);
    y.mul(y).sum().backward();
  },
  sin_input_modified() {
    const a = tensor([0.5, -1, 2], { requiresGrad: true });
    const x = a.clone();
    const y = x.sin();
    x.add_(1);
    y.sum().backward();
  },
  exp_input_modified() {
    const a = tensor([0.5, -1, 2], { requiresGrad: true });
    const x = a.clone();
    const y = x.exp();
    x.add_(1);
    y.sum().backward();
    return { a: a.grad! };
  },
  detached_alias_modified() {
    const a = tensor([0.5, -1, 2], { requiresGrad: true });
    const y = a.mul(a).sum();
    a.detach().mul_(2);
    y.backward();
  },
  view_modified_saved_base() {
    const a = tensor([0.5, -1, 2], { requiresGrad: true });
    const x = a.clone();
    const y = x.mul(x);
    x.index(0).mul_(5);
    y.sum().backward();
  },
  leaf_in_place() {
    tensor([1, 2], { requiresGrad: true }).add_(1);
  },
  view_of_leaf() {
    tensor([1, 2], { requiresGrad: true }).index(0).fill_(1);
  },
  no_grad_view() {
    const a = tensor([[1, 2], [3, 4]], { requiresGrad: true });
    const x = a.mul(2);
    const v = noGrad(() => x.index(0));
    v.mul_(2);
  },
  leaf_no_grad_update() {
    const w = tensor([1, 2], { requiresGrad: true });
    noGrad(() => {
      w.add_(1);
      w.index(0).mul_(3);
    });
    w.mul(w).sum().backward();
    return { w, wgrad: w.grad!, version: scalar(w.version).int() };
  },
  mul_self_saved() {
    const a = tensor([1, 2, 3], { requiresGrad: true });
    const b = tensor([4, 5, 6], { requiresGrad: true });
    const x = a.clone();
    x.mul_(b);
    x.div_(a);
    x.pow_(2);
    x.sum().backward();
    return { a: a.grad!, b: b.grad!, x };
  },
  loss_accumulate() {
    const a = tensor([1, 2, 3], { requiresGrad: true });
    const loss = zeros([]);
    loss.add_(a.sum());
    loss.add_(a.mul(a).sum());
    loss.mul_(0.5);
    loss.backward();
    return { a: a.grad!, loss };
  },
  issue_views() {
    const t = zeros([2, 3]);
    t.index(1).fill_(1);
    const u = zeros([2, 3]);
    u.select(1, 2).fill_(1);
    const w = zeros([2, 3]);
    w.narrow(0, 1, 1).fill_(1);
    const x = zeros([2, 3]);
    x.index(1).copy_(tensor([1, 2, 3]));
    return { t, u, w, x };
  },
  one_hot() {
    const names = [[2, 0, 1, 1, 3]];
    const t = zeros([5, 1, 4]);
    names[0]!.forEach((idx, li) => t.index(li).index(0).index(idx).fill_(1));
    return { t };
  },
  copy_row_with_grad() {
    const t = zeros([2, 3]);
    const r = tensor([1, -2, 3], { requiresGrad: true });
    t.index(1).copy_(r);
    t.mul(t).sum().backward();
    return { r: r.grad!, t };
  },
  sibling_view() {
    const a = tensor([[1, 2], [3, 4], [5, 6]], { requiresGrad: true });
    const x = a.mul(1);
    const v1 = x.index(0);
    const v2 = x.slice(0, 0, 2);
    v1.mul_(3);
    v2.mul(v2).sum().backward();
    return { a: a.grad!, v2 };
  },
  base_then_view() {
    const a = tensor([[1, 2], [3, 4]], { requiresGrad: true });
    const x = a.mul(1);
    const v = x.index(1);
    x.mul_(2);
    v.mul(v).sum().backward();
    return { a: a.grad!, v };
  },
  fill_in_graph() {
    const a = tensor([1, 2], { requiresGrad: true });
    const x = a.mul(2);
    x.fill_(1);
    x.mul(a).sum().backward();
    return { a: a.grad! };
  },
  fill_with_tensor() {
    const a = tensor([1, 2, 3], { requiresGrad: true });
    const s = tensor(2, { requiresGrad: true });
    const x = a.mul(1);
    x.slice(0, 1).fill_(s);
    x.mul(x).sum().backward();
    return { a: a.grad!, s: s.grad!, x };
  },
  expand_add() {
    zeros([3]).expand(2, 3).add_(1);
  },
  expand_fill() {
    const b = zeros([1, 3]);
    b.expand(2, 3).fill_(2);
    return { b };
  },
  versions() {
    const t = zeros([2, 3]);
    const v = t.index(1);
    const d = t.detach();
    t.add_(1);
    v.fill_(2);
    d.mul_(3);
    const c = t.clone();
    c.add_(1);
    return { t: scalar(t.version).int(), v: scalar(v.version).int(), d: scalar(d.version).int(), c: scalar(c.version).int() };
  },
  retained_through_view_chain() {
    const a = tensor([[1, 2, 3], [4, 5, 6]], { requiresGrad: true });
    const x = a.exp();
    x.t().index(2).mul_(2);
    x.sum().backward();
  },
};

describe("in-place programs against torch (tools/parity/inplace.py)", () => {
  it("runs every program of the fixture", () => {
    expect(programs.map((p) => p.name).sort()).toEqual(Object.keys(PROGRAMS).sort());
  });
  for (const p of programs) {
    it(p.name, () => {
      const run = PROGRAMS[p.name]!;
      if (p.error !== undefined) {
        expect(run).toThrow(torchErrorCore(p.error));
        return;
      }
      const got = run() ?? {};
      for (const [k, want] of Object.entries(p.result ?? {})) expectTensorClose(got[k]!, want, `${p.name}: ${k}`);
    });
  }
});

describe("the version-counter error names what changed and how", () => {
  it("names the saving op, the in-place op and both versions", () => {
    const w = tensor([1, 2, 3], { requiresGrad: true });
    const y = w.mul(w).sum();
    noGrad(() => w.mul_(2));
    expect(() => y.backward()).toThrow(
      "backward: one of the variables needed for gradient computation has been modified by an inplace operation: [float32 [3]] is at version 1; " +
        "expected version 0 instead. It was saved by mul and last modified by mul_. Hint: use the out-of-place op (mul instead of mul_), or clone() the tensor before changing it.",
    );
  });
  it("an unchanged saved tensor passes, and a changed one that is not saved does not raise", () => {
    const a = tensor([1, 2], { requiresGrad: true });
    const x = a.clone();
    const y = x.add(1).sum(); // add saves nothing
    noGrad(() => x.mul_(3));
    y.backward();
    expect(a.grad!.toArray()).toEqual([1, 1]);
  });
});
