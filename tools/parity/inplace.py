"""Views, in-place ops and version counters: what torch does, for packages/autograd/test/inplace*.test.ts.

inplace_views.json: every view kind x every in-place op, three ways:
  - "through": an in-place op on the view, no grad: the base's values after, both versions;
  - "back": an in-place op on the base: the view's values after;
  - "grad": the base is a non-leaf (a * 1.5), the op runs on the view in the graph; the
    gradient of a (and of the op's tensor operand), or torch's error.
inplace_programs.json: short programs (the issue's examples, version-counter errors, leaf
rules, in-place recording) run by name on both sides; values and gradients, or the error.
The TypeScript side has the same views, ops and programs under the same names.
"""

import torch

from common import enc, write_fixture

BASE_SHAPE = [3, 4]


def base_values():
    return torch.linspace(-1.5, 2.0, 12).reshape(BASE_SHAPE)


VIEWS = {
    "index(1)": lambda t: t[1],
    "select(1,2)": lambda t: t.select(1, 2),
    "narrow(0,1,2)": lambda t: t.narrow(0, 1, 2),
    "narrow(1,1,2)": lambda t: t.narrow(1, 1, 2),
    "slice(1,0,4,2)": lambda t: t[:, 0:4:2],
    "slice(0,-2)": lambda t: t[-2:],
    "view(12)": lambda t: t.view(12),
    "view(2,6)": lambda t: t.view(2, 6),
    "reshape(4,3)": lambda t: t.reshape(4, 3),
    "transpose(0,1)": lambda t: t.transpose(0, 1),
    "permute(1,0)": lambda t: t.permute(1, 0),
    "t()": lambda t: t.t(),
    "unsqueeze(0)": lambda t: t.unsqueeze(0),
    "unsqueeze(1).squeeze(1)": lambda t: t.unsqueeze(1).squeeze(1),
    "flatten()": lambda t: t.flatten(),
    "index(2).narrow(0,1,2)": lambda t: t[2].narrow(0, 1, 2),
    "t().index(1)": lambda t: t.t()[1],
    "unbind(0)[1]": lambda t: t.unbind(0)[1],
    "split(2,0)[1]": lambda t: t.split(2, 0)[1],
    "chunk(2,1)[0]": lambda t: t.chunk(2, 1)[0],
}


def operand(shape, k):
    n = 1
    for s in shape:
        n *= s
    return (torch.linspace(0.5, 1.25, n) * (1 + 0.25 * k)).reshape(shape)


# name -> (op(view, other), whether it takes a tensor operand of the view's shape)
OPS = {
    "fill_(2.5)": (lambda v, o: v.fill_(2.5), False),
    "zero_()": (lambda v, o: v.zero_(), False),
    "copy_(o)": (lambda v, o: v.copy_(o), True),
    "add_(o)": (lambda v, o: v.add_(o), True),
    "sub_(o,alpha=2)": (lambda v, o: v.sub_(o, alpha=2), True),
    "mul_(3)": (lambda v, o: v.mul_(3), False),
    "mul_(o)": (lambda v, o: v.mul_(o), True),
    "div_(o)": (lambda v, o: v.div_(o), True),
    "pow_(2)": (lambda v, o: v.pow_(2), False),
    "exp_()": (lambda v, o: v.exp_(), False),
    "sigmoid_()": (lambda v, o: v.sigmoid_(), False),
    "clamp_(-1,1)": (lambda v, o: v.clamp_(-1, 1), False),
}


def run_views():
    cases = []
    w_base = operand(BASE_SHAPE, 3)
    for vname, view in VIEWS.items():
        for oname, (op, takes) in OPS.items():
            # through: in-place on the view, seen by the base
            base = base_values()
            v = view(base)
            o = operand(list(v.shape), 1)
            op(v, o)
            through = {"base": enc(base), "view": enc(v), "baseVersion": base._version, "viewVersion": v._version}
            # back: in-place on the base, seen by the view
            base2 = base_values()
            v2 = view(base2)
            op(base2, operand(BASE_SHAPE, 1)) if takes else op(base2, None)
            back = {"view": enc(v2)}
            # grad: the view of a non-leaf, in the graph
            a = base_values().requires_grad_()
            og = operand(list(v.shape), 1).requires_grad_() if takes else None
            grad = {}
            try:
                x = a * 1.5
                vv = view(x)
                op(vv, og)
                w_view = operand(list(vv.shape), 2)
                loss = (x * w_base).sum() + (vv * w_view).sum()
                loss.backward()
                grad = {"a": enc(a.grad), "base": enc(x), "other": enc(og.grad) if og is not None else None}
            except RuntimeError as e:
                grad = {"error": str(e)}
            cases.append({"view": vname, "op": oname, "through": through, "back": back, "grad": grad})
    return cases


def prog_issue_example():
    w = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = w.mul(w).sum()
    with torch.no_grad():
        w.mul_(2)
    y.backward()


def prog_exp_output_modified():
    a = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
    y = a.clone().exp()
    y.add_(1)
    (y * y).sum().backward()


def prog_sin_input_modified():
    a = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
    x = a.clone()
    y = x.sin()
    x.add_(1)
    y.sum().backward()


def prog_exp_input_modified():
    a = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
    x = a.clone()
    y = x.exp()
    x.add_(1)
    y.sum().backward()
    return {"a": a.grad}


def prog_detached_alias_modified():
    a = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
    y = (a * a).sum()
    a.detach().mul_(2)
    y.backward()


def prog_view_modified_saved_base():
    a = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
    x = a.clone()
    y = x * x
    x[0].mul_(5)
    y.sum().backward()


def prog_leaf_in_place():
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    w.add_(1)


def prog_view_of_leaf():
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    w[0].fill_(1)


def prog_no_grad_view():
    a = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    x = a * 2
    with torch.no_grad():
        v = x[0]
    v.mul_(2)


def prog_leaf_no_grad_update():
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    with torch.no_grad():
        w.add_(1)
        w[0].mul_(3)
    (w * w).sum().backward()
    return {"w": w, "wgrad": w.grad, "version": torch.tensor(w._version)}


def prog_mul_self_saved():
    a = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    b = torch.tensor([4.0, 5.0, 6.0], requires_grad=True)
    x = a.clone()
    x.mul_(b)
    x.div_(a)
    x.pow_(2)
    x.sum().backward()
    return {"a": a.grad, "b": b.grad, "x": x}


def prog_loss_accumulate():
    a = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    loss = torch.zeros(())
    loss.add_(a.sum())
    loss.add_((a * a).sum())
    loss.mul_(0.5)
    loss.backward()
    return {"a": a.grad, "loss": loss}


def prog_issue_views():
    t = torch.zeros(2, 3)
    t[1].fill_(1)
    u = torch.zeros(2, 3)
    u.select(1, 2).fill_(1)
    w = torch.zeros(2, 3)
    w.narrow(0, 1, 1).fill_(1)
    x = torch.zeros(2, 3)
    x[1].copy_(torch.tensor([1.0, 2.0, 3.0]))
    return {"t": t, "u": u, "w": w, "x": x}


def prog_one_hot():
    names = [[2, 0, 1, 1, 3]]
    t = torch.zeros(5, 1, 4)
    for li, idx in enumerate(names[0]):
        t[li][0][idx] = 1
    return {"t": t}


def prog_copy_row_with_grad():
    t = torch.zeros(2, 3)
    r = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)
    t[1].copy_(r)
    (t * t).sum().backward()
    return {"r": r.grad, "t": t}


def prog_sibling_view():
    a = torch.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], requires_grad=True)
    x = a * 1
    v1 = x[0]
    v2 = x[0:2]
    v1.mul_(3)
    (v2 * v2).sum().backward()
    return {"a": a.grad, "v2": v2}


def prog_base_then_view():
    a = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    x = a * 1
    v = x[1]
    x.mul_(2)
    (v * v).sum().backward()
    return {"a": a.grad, "v": v}


def prog_fill_in_graph():
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    x = a * 2
    x.fill_(1)
    (x * a).sum().backward()
    return {"a": a.grad}


def prog_fill_with_tensor():
    a = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    s = torch.tensor(2.0, requires_grad=True)
    x = a * 1
    x[1:].fill_(s)
    (x * x).sum().backward()
    return {"a": a.grad, "s": s.grad, "x": x}


def prog_expand_add():
    x = torch.zeros(3).expand(2, 3)
    x.add_(1)


def prog_expand_fill():
    b = torch.zeros(1, 3)
    x = b.expand(2, 3)
    x.fill_(2)
    return {"b": b}


def prog_versions():
    t = torch.zeros(2, 3)
    v = t[1]
    d = t.detach()
    t.add_(1)
    v.fill_(2)
    d.mul_(3)
    c = t.clone()
    c.add_(1)
    return {"t": torch.tensor(t._version), "v": torch.tensor(v._version), "d": torch.tensor(d._version), "c": torch.tensor(c._version)}


def prog_retained_through_view_chain():
    a = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)
    x = a.exp()
    x.t()[2].mul_(2)
    x.sum().backward()


PROGRAMS = {k[len("prog_"):]: v for k, v in globals().items() if k.startswith("prog_")}


def run_programs():
    out = []
    for name, fn in PROGRAMS.items():
        try:
            r = fn() or {}
            out.append({"name": name, "result": {k: enc(v) for k, v in r.items()}})
        except RuntimeError as e:
            out.append({"name": name, "error": str(e)})
    return out


def optimizer_step_then_backward():
    """A loss built, an SGD step, then backward: torch raises (the second layer saved its weight)."""
    torch.manual_seed(0)
    l1 = torch.nn.Linear(3, 4)
    l2 = torch.nn.Linear(4, 2)
    x = torch.randn(5, 3)
    loss = l2(torch.tanh(l1(x))).pow(2).sum()
    opt = torch.optim.SGD(list(l1.parameters()) + list(l2.parameters()), lr=0.1)
    loss.backward(retain_graph=True)
    versions = [p._version for p in list(l1.parameters()) + list(l2.parameters())]
    opt.step()
    after = [p._version for p in list(l1.parameters()) + list(l2.parameters())]
    try:
        loss.backward()
        err = None
    except RuntimeError as e:
        err = str(e)
    return {"versionsBefore": versions, "versionsAfter": after, "error": err}


def i32(*v):
    return torch.tensor(v, dtype=torch.long)


def b(*v):
    return torch.tensor(v, dtype=torch.bool)


# Item assignment: name -> (base shape, op(x, value), value shape or None). The value tensor
# (when given) is linspace-filled; with grad, x = a * 1 and the value requires grad.
WRITES = {
    "indexPut_(rows)": ([3, 4], lambda x, v: x.index_put_((i32(0, 2),), v), [4]),
    "indexPut_(rows,scalar)": ([3, 4], lambda x, v: x.index_put_((i32(2, 0),), torch.tensor(7.0)), None),
    "indexPut_(pairs)": ([3, 4], lambda x, v: x.index_put_((i32(0, 2, 1), i32(1, 3, -1)), v), [3]),
    "indexPut_(pairs,accumulate)": ([3, 4], lambda x, v: x.index_put_((i32(0, 2, 0), i32(1, 3, 1)), v, accumulate=True), [3]),
    "indexPut_(rows,accumulate,dup)": ([3, 4], lambda x, v: x.index_put_((i32(1, 1, -1),), v, accumulate=True), [3, 4]),
    "indexPut_(broadcast idx)": ([3, 4], lambda x, v: x.index_put_((i32(0, 2).reshape(2, 1), i32(1, 3, 0)), v), [2, 3]),
    "indexPut_(number,tensor)": ([2, 3, 4], lambda x, v: x.index_put_((torch.tensor(1), i32(0, 2)), v), [4]),
    "indexPut_(3d rows)": ([2, 3, 4], lambda x, v: x.index_put_((i32(1),), v), [3, 1]),
    "indexPut_(bad value)": ([3, 4], lambda x, v: x.index_put_((i32(0, 2),), v), [3]),
    "indexPut_(out of bounds)": ([3, 4], lambda x, v: x.index_put_((i32(5),), torch.tensor(1.0)), None),
    "maskedFill_(row mask)": ([3, 4], lambda x, v: x.masked_fill_(b(True, False, True, False), 5.0), None),
    "maskedFill_(full mask,tensor)": ([3, 4], lambda x, v: x.masked_fill_(torch.arange(12).reshape(3, 4) % 3 == 0, v), []),
    "maskedFill_(bad mask)": ([4], lambda x, v: x.masked_fill_(torch.ones(3, 4, dtype=torch.bool), 5.0), None),
    "maskedFill_(vector value)": ([3, 4], lambda x, v: x.masked_fill_(b(True, False, True, False), v), [2]),
    "indexFill_(dim1)": ([3, 4], lambda x, v: x.index_fill_(1, i32(0, 2), 5.0), None),
    "indexFill_(dim0,negative,tensor)": ([3, 4], lambda x, v: x.index_fill_(0, i32(-1), v), []),
    "indexFill_(out of bounds)": ([3, 4], lambda x, v: x.index_fill_(1, i32(4), 1.0), None),
    "scatter_(dim0,src)": ([3, 4], lambda x, v: x.scatter_(0, i32(0, 1, 2, 0, 2, 0, 0, 1).reshape(2, 4), v), [2, 4]),
    "scatter_(dim1,src larger)": ([3, 4], lambda x, v: x.scatter_(1, i32(3, 0, 1, 2, 2, 0).reshape(3, 2), v), [3, 3]),
    "scatter_(dim1,value)": ([3, 4], lambda x, v: x.scatter_(1, i32(2, 0, 3).reshape(3, 1), 1.0), None),
    "scatter_(reduce add)": ([3, 4], lambda x, v: x.scatter_(0, i32(0, 1, 2, 0, 2, 0, 0, 1).reshape(2, 4), torch.linspace(1, 2, 8).reshape(2, 4), reduce="add"), None),
    "scatter_(reduce multiply)": ([3, 4], lambda x, v: x.scatter_(0, i32(0, 1, 2, 0, 2, 0, 0, 1).reshape(2, 4), 2.0, reduce="multiply"), None),
    "scatter_(out of bounds)": ([3, 4], lambda x, v: x.scatter_(0, i32(3).reshape(1, 1), 1.0), None),
    "setItem([1,2])": ([3, 4], lambda x, v: x.__setitem__((1, 2), 9.0), None),
    "setItem([null,2])": ([3, 4], lambda x, v: x.__setitem__((slice(None), 2), v), [3]),
    "setItem(1)": ([3, 4], lambda x, v: x.__setitem__(1, v), [4]),
    "setItem([idx])": ([3, 4], lambda x, v: x.__setitem__(i32(2, 0), v), [1, 4]),
    "setItem([idx,null])": ([3, 4], lambda x, v: x.__setitem__((i32(2, 0), slice(None)), v), [4]),
}


def run_writes():
    cases = []
    for name, (shape, op, vshape) in WRITES.items():
        case = {"name": name, "shape": shape}
        n = 1
        for s_ in shape:
            n *= s_
        start = torch.linspace(-1.0, 1.0, n).reshape(shape)
        value = None if vshape is None else torch.linspace(2.0, 3.0, max(1, int(torch.tensor(vshape).prod().item()) if vshape else 1)).reshape(vshape)
        try:
            x = start.clone()
            op(x, value)
            case["values"] = enc(x)
        except (RuntimeError, IndexError) as e:
            case["error"] = str(e)
            cases.append(case)
            continue
        a = start.clone().requires_grad_()
        vg = None if value is None else value.clone().requires_grad_()
        try:
            x = a * 1
            op(x, vg)
            (x * torch.linspace(0.5, 1.5, n).reshape(shape)).sum().backward()
            case["grad"] = {"a": enc(a.grad), "value": enc(vg.grad) if vg is not None else None}
        except (RuntimeError, IndexError) as e:
            case["gradError"] = str(e)
        cases.append(case)
    return cases


if __name__ == "__main__":
    print(write_fixture("autograd", "inplace_views", {"baseShape": BASE_SHAPE, "cases": run_views()}))
    print(write_fixture("autograd", "inplace_programs", {"programs": run_programs()}))
    print(write_fixture("optim", "inplace_step", optimizer_step_then_backward()))
    print(write_fixture("autograd", "inplace_writes", {"cases": run_writes()}))
