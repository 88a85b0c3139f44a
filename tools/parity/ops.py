"""Parity fixtures for every tensor/autograd op rnnkit's Tensor exposes.

Run: /usr/bin/python3 tools/parity/ops.py
Writes packages/autograd/test/fixtures/ops_<group>.json, one file per op family.

Each case: {"name", "op", "args", "inputs": [{"value", "requiresGrad", "view"}], "out": [...],
"gout": [...], "grads": [...]}. An input's "value" is a contiguous base tensor; "view" lists
view ops ({"op": "transpose", "args": [0, 1]}, ...) applied to it before the op, so kernels see
non-contiguous operands. An input {"ref": k, "view": [...]} is the same leaf as input k, so its
gradient accumulates there. "grads" are the gradients of the base tensors (null when the input
does not require grad, or is a ref) for the upstream gradients "gout" (null for integer outputs).
"out" is always a list (one entry per output of multi-output ops such as max along a dim).
Cases in ops_errors.json have "error": {"torch": message, "mentions": name} instead of outputs:
torch rejects the call, and rnnkit must throw an Error whose message contains `mentions`.
Non-finite numbers in "args" are the strings "Infinity", "-Infinity" and "NaN".
"""

import random
import sys

import torch

sys.path.insert(0, __import__("os").path.dirname(__file__))
from common import enc, write_fixture  # noqa: E402

torch.manual_seed(0)
GEN = torch.Generator().manual_seed(1234)
F32 = torch.float32
I32 = torch.int32


def rn(*shape):
    return torch.randn(shape, generator=GEN, dtype=F32)


def pos(*shape, lo=0.2, hi=2.5):
    return torch.rand(shape, generator=GEN, dtype=F32) * (hi - lo) + lo


def uni(*shape, lo=-1.0, hi=1.0):
    return torch.rand(shape, generator=GEN, dtype=F32) * (hi - lo) + lo


def ints(lo, hi, *shape, dtype=F32):
    """Small integers (as float by default) to force ties."""
    return torch.randint(lo, hi, shape, generator=GEN).to(dtype)


def idx(hi, *shape):
    return torch.randint(0, hi, shape, generator=GEN).to(I32)


class In:
    def __init__(self, t, view=(), grad=True, ref=None):
        self.t = t
        self.view = list(view)
        self.ref = ref
        self.grad = ref is None and grad and t.is_floating_point()


def Ref(k, view=()):
    """The same leaf as input k (optionally through views): gradients must accumulate."""
    return In(None, view, ref=k)


def V(op, *args):
    return {"op": op, "args": list(args)}


def py_slice(x, dim, start, end, step):
    sl = [slice(None)] * x.dim()
    sl[dim] = slice(start, end, step)
    return x[tuple(sl)]


def apply_view(x, v):
    op, a = v["op"], v["args"]
    if op == "transpose":
        return x.transpose(a[0], a[1])
    if op == "permute":
        return x.permute(*a[0])
    if op == "expand":
        return x.expand(*a[0])
    if op == "slice":
        return py_slice(x, a[0], a[1], a[2], a[3])
    if op == "narrow":
        return x.narrow(a[0], a[1], a[2])
    if op == "unsqueeze":
        return x.unsqueeze(a[0])
    if op == "select":
        return x.select(a[0], a[1])
    if op == "t":
        return x.t()
    raise ValueError(op)


GROUPS = {}


def error_case(name, op, inputs, fn, args=None, expect=None):
    """A call torch rejects: rnnkit must throw an Error whose message names `expect` (default: op)."""
    vals = []
    for spec in inputs:
        v = vals[spec.ref] if spec.ref is not None else spec.t.clone()
        for view in spec.view:
            v = apply_view(v, view)
        vals.append(v)
    try:
        fn(*vals)
    except (RuntimeError, IndexError, ValueError, TypeError) as e:
        message = str(e).splitlines()[0]
    else:
        raise SystemExit(f"error case {name}: torch did not raise")
    GROUPS.setdefault("errors", []).append({
        "name": name,
        "op": op,
        "args": args or {},
        "inputs": [{"ref": s.ref, "view": s.view} if s.ref is not None else {"value": enc(s.t), "requiresGrad": False, "view": s.view} for s in inputs],
        "error": {"torch": message, "mentions": expect or op},
    })


def case(group, name, op, inputs, fn, args=None):
    leaves, vals = [], []
    for spec in inputs:
        if spec.ref is not None:
            base = leaves[spec.ref]
        else:
            base = spec.t.clone()
            if spec.grad:
                base.requires_grad_(True)
        v = base
        for view in spec.view:
            v = apply_view(v, view)
        leaves.append(base)
        vals.append(v)
    out = fn(*vals)
    outs = list(out) if isinstance(out, (tuple, list)) else [out]
    gouts, diff_outs, diff_gouts = [], [], []
    for o in outs:
        if o.requires_grad:
            g = torch.randn(tuple(o.shape), generator=GEN, dtype=o.dtype)
            gouts.append(g)
            diff_outs.append(o)
            diff_gouts.append(g)
        else:
            gouts.append(None)
    if diff_outs:
        torch.autograd.backward(diff_outs, diff_gouts)
    grads = []
    for spec, leaf in zip(inputs, leaves):
        if not spec.grad:
            grads.append(None)
        elif leaf.grad is None:
            grads.append(enc(torch.zeros_like(leaf)))
        else:
            grads.append(enc(leaf.grad))
    GROUPS.setdefault(group, []).append({
        "name": name,
        "op": op,
        "args": args or {},
        "inputs": [{"ref": s.ref, "view": s.view} if s.ref is not None else {"value": enc(s.t), "requiresGrad": s.grad, "view": s.view} for s in inputs],
        "out": [enc(o) for o in outs],
        "gout": [None if g is None else enc(g) for g in gouts],
        "grads": grads,
    })


TR = V("transpose", 0, 1)

# ---------------------------------------------------------------------------------------------
# elementwise binary
# ---------------------------------------------------------------------------------------------
BIN_SHAPES = [
    ("same", (3, 4), (3, 4), (), ()),
    ("scalar0d", (3, 4), (), (), ()),
    ("scalar0d_left", (), (2, 3), (), ()),
    ("lead", (2, 3, 4), (4,), (), ()),
    ("lead_left", (4,), (2, 3, 4), (), ()),
    ("size1_both", (3, 1), (1, 4), (), ()),
    ("size1_mixed", (2, 1, 4), (3, 1), (), ()),
    ("transposed", (4, 3), (3, 4), (TR,), ()),
    ("expanded", (1, 4), (3, 4), (V("expand", [3, 4]),), ()),
    ("sliced_step", (3, 8), (3, 4), (V("slice", 1, 0, 8, 2),), ()),
    ("both_views", (4, 3), (5, 4), (TR,), (V("slice", 0, 1, 4, 1),)),
    ("permuted3d", (4, 2, 3), (2, 3, 4), (V("permute", [1, 2, 0]),), ()),
    ("empty", (0, 3), (1, 3), (), ()),
]


def bin_cases(op, fn, a_gen=rn, b_gen=rn, args=None, suffix=""):
    for tag, sa, sb, va, vb in BIN_SHAPES:
        case("binary", f"{op}{suffix}_{tag}", op, [In(a_gen(*sa), va), In(b_gen(*sb), vb)], fn, args)


bin_cases("add", lambda a, b: a + b)
bin_cases("add", lambda a, b: torch.add(a, b, alpha=2.5), args={"alpha": 2.5}, suffix="_alpha")
bin_cases("sub", lambda a, b: a - b)
bin_cases("sub", lambda a, b: torch.sub(a, b, alpha=-0.5), args={"alpha": -0.5}, suffix="_alpha")
bin_cases("mul", lambda a, b: a * b)
bin_cases("div", lambda a, b: a / b, b_gen=lambda *s: pos(*s) * torch.where(rn(*s) > 0, 1.0, -1.0))
bin_cases("pow", lambda a, b: a ** b, a_gen=pos, b_gen=lambda *s: uni(*s, lo=-2, hi=3))
bin_cases("maximum", torch.maximum, a_gen=lambda *s: ints(-2, 3, *s), b_gen=lambda *s: ints(-2, 3, *s), suffix="_ties")
bin_cases("minimum", torch.minimum, a_gen=lambda *s: ints(-2, 3, *s), b_gen=lambda *s: ints(-2, 3, *s), suffix="_ties")
bin_cases("maximum", torch.maximum)
bin_cases("minimum", torch.minimum)

# pow with a tensor exponent at base 0 (torch: d/db is 0 where a == 0 and b >= 0)
case("binary", "pow_zero_base", "pow", [In(torch.tensor([0.0, 0.0, 2.0, 1.5, 0.0])), In(torch.tensor([2.0, 1.0, 0.5, -1.0, 3.0]))], lambda a, b: a ** b)
case("binary", "pow_neg_base_int_exp", "pow", [In(torch.tensor([-2.0, -1.5, 3.0])), In(torch.tensor([2.0, 3.0, 2.0]))], lambda a, b: a ** b)

# scalar operands
for s in [2.5, -3.0, 0.0]:
    x = rn(3, 4)
    case("binary", f"add_scalar_{s}", "add_scalar", [In(x)], lambda a, s=s: a + s, {"other": s})
    case("binary", f"add_scalar_alpha_{s}", "add_scalar", [In(rn(2, 3))], lambda a, s=s: torch.add(a, s, alpha=2), {"other": s, "alpha": 2})
    case("binary", f"sub_scalar_{s}", "sub_scalar", [In(rn(2, 3), [TR])], lambda a, s=s: a - s, {"other": s})
    case("binary", f"rsub_scalar_{s}", "rsub_scalar", [In(rn(2, 3))], lambda a, s=s: s - a, {"other": s})
    case("binary", f"mul_scalar_{s}", "mul_scalar", [In(rn(4, 2), [TR])], lambda a, s=s: a * s, {"other": s})
    case("binary", f"rdiv_scalar_{s}", "rdiv_scalar", [In(pos(2, 3))], lambda a, s=s: s / a, {"other": s})
for s in [2.5, -4.0, 0.5]:
    case("binary", f"div_scalar_{s}", "div_scalar", [In(rn(3, 2))], lambda a, s=s: a / s, {"other": s})
for p in [2, 3, 0.5, -1, -2.5, 0, 1]:
    gen = pos if (isinstance(p, float) or p < 0) else rn
    case("binary", f"pow_scalar_{p}", "pow_scalar", [In(gen(3, 4))], lambda a, p=p: a ** p, {"exponent": p})
case("binary", "pow_scalar_2_view", "pow_scalar", [In(rn(4, 3), [TR])], lambda a: a ** 2, {"exponent": 2})
for s in [2.0, 0.5]:
    case("binary", f"rpow_scalar_{s}", "rpow_scalar", [In(rn(2, 3))], lambda a, s=s: s ** a, {"base": s})
case("binary", "maximum_scalar_0d_ties", "maximum", [In(torch.tensor([1.0, 2.0, 2.0, 3.0])), In(torch.tensor(2.0))], torch.maximum)
case("binary", "minimum_scalar_0d_ties", "minimum", [In(torch.tensor([[1.0, 2.0], [2.0, 3.0]])), In(torch.tensor([2.0, 2.0]))], torch.minimum)

# dtype promotion with int32 operands
ia = ints(-5, 6, 3, 4, dtype=I32)
ib = ints(1, 5, 3, 4, dtype=I32)
case("binary", "add_int_int", "add", [In(ia), In(ib)], lambda a, b: a + b)
case("binary", "add_int_float", "add", [In(ia), In(rn(3, 4))], lambda a, b: a + b)
case("binary", "add_float_int_bcast", "add", [In(rn(2, 3, 4)), In(ib)], lambda a, b: a + b)
case("binary", "sub_int_int_alpha", "sub", [In(ia), In(ib)], lambda a, b: torch.sub(a, b, alpha=3), {"alpha": 3})
case("binary", "mul_int_int", "mul", [In(ia), In(ib)], lambda a, b: a * b)
case("binary", "mul_int_float", "mul", [In(ia), In(rn(4,), )], lambda a, b: a * b)
case("binary", "div_int_int", "div", [In(ia), In(ib)], lambda a, b: a / b)
case("binary", "div_float_int", "div", [In(rn(3, 4)), In(ib)], lambda a, b: a / b)
case("binary", "maximum_int_int", "maximum", [In(ia), In(ib)], torch.maximum)
case("binary", "minimum_int_float", "minimum", [In(ia), In(ints(-3, 3, 3, 4))], torch.minimum)
case("binary", "add_int_scalar_int", "add_scalar", [In(ia)], lambda a: a + 3, {"other": 3})
case("binary", "add_int_scalar_float", "add_scalar", [In(ia)], lambda a: a + 0.5, {"other": 0.5})
case("binary", "mul_int_scalar_float", "mul_scalar", [In(ia)], lambda a: a * 1.5, {"other": 1.5})
case("binary", "mul_int_scalar_int", "mul_scalar", [In(ia)], lambda a: a * -2, {"other": -2})
case("binary", "div_int_scalar_int", "div_scalar", [In(ia)], lambda a: a / 2, {"other": 2})
case("binary", "pow_int_scalar_int", "pow_scalar", [In(ia)], lambda a: a ** 2, {"exponent": 2})
case("binary", "pow_int_scalar_float", "pow_scalar", [In(ib)], lambda a: a ** 0.5, {"exponent": 0.5})
case("binary", "rsub_int_scalar", "rsub_scalar", [In(ia)], lambda a: 1 - a, {"other": 1})

# comparisons (forward only, int32 0/1 masks)
ca, cb = ints(-2, 3, 3, 4), ints(-2, 3, 4)
for op in ["eq", "ne", "lt", "le", "gt", "ge"]:
    case("binary", f"{op}_bcast", op, [In(ca), In(cb)], lambda a, b, op=op: getattr(torch, op)(a, b))
    case("binary", f"{op}_scalar", op + "_scalar", [In(ca)], lambda a, op=op: getattr(torch, op)(a, 1.0), {"other": 1.0})
    case("binary", f"{op}_int_float", op, [In(ints(-2, 3, 3, 4, dtype=I32)), In(ints(-2, 3, 3, 4))], lambda a, b, op=op: getattr(torch, op)(a, b))
    case("binary", f"{op}_view", op, [In(ints(-2, 3, 4, 3), [TR]), In(ints(-2, 3, 3, 1))], lambda a, b, op=op: getattr(torch, op)(a, b))

# ---------------------------------------------------------------------------------------------
# elementwise unary
# ---------------------------------------------------------------------------------------------
UNARY = {
    "neg": (torch.neg, rn),
    "abs": (torch.abs, lambda *s: torch.where(rn(*s) > 1.0, torch.zeros(s), rn(*s))),
    "exp": (torch.exp, rn),
    "expm1": (torch.expm1, rn),
    "log": (torch.log, pos),
    "log1p": (torch.log1p, lambda *s: uni(*s, lo=-0.8, hi=3)),
    "sqrt": (torch.sqrt, pos),
    "rsqrt": (torch.rsqrt, pos),
    "reciprocal": (torch.reciprocal, lambda *s: pos(*s) * torch.where(rn(*s) > 0, 1.0, -1.0)),
    "square": (torch.square, rn),
    "tanh": (torch.tanh, lambda *s: rn(*s) * 2),
    "sigmoid": (torch.sigmoid, lambda *s: rn(*s) * 3),
    "relu": (torch.relu, lambda *s: torch.where(rn(*s) > 1.0, torch.zeros(s), rn(*s))),
    "sin": (torch.sin, lambda *s: rn(*s) * 3),
    "cos": (torch.cos, lambda *s: rn(*s) * 3),
    "erf": (torch.erf, lambda *s: rn(*s) * 1.5),
    "sign": (torch.sign, lambda *s: ints(-2, 3, *s)),
    "floor": (torch.floor, lambda *s: rn(*s) * 3),
    "ceil": (torch.ceil, lambda *s: rn(*s) * 3),
    "round": (torch.round, lambda *s: torch.tensor([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 0.4, -0.6, 3.7, -3.2, 1.0, 0.0])[: int(torch.tensor(s).prod())].reshape(s) if int(torch.tensor(s).prod()) <= 12 else rn(*s) * 3),
}
for op, (fn, gen) in UNARY.items():
    case("unary", f"{op}_2d", op, [In(gen(3, 4))], fn)
    case("unary", f"{op}_transposed", op, [In(gen(4, 3), [TR])], fn)
    case("unary", f"{op}_0d", op, [In(gen())], fn)
    case("unary", f"{op}_sliced", op, [In(gen(2, 3, 6), [V("slice", 2, 1, 6, 2)])], fn)
    case("unary", f"{op}_expanded", op, [In(gen(1, 3), [V("expand", [2, 3])])], fn)
    case("unary", f"{op}_empty", op, [In(gen(0, 3))], fn)
# large-magnitude inputs where naive formulas overflow
case("unary", "sigmoid_large", "sigmoid", [In(torch.tensor([-100.0, -20.0, 0.0, 20.0, 100.0]))], torch.sigmoid)
case("unary", "tanh_large", "tanh", [In(torch.tensor([-50.0, -10.0, 0.0, 10.0, 50.0]))], torch.tanh)
case("unary", "expm1_small", "expm1", [In(torch.tensor([1e-7, -1e-6, 1e-4, 0.0]))], torch.expm1)
case("unary", "log1p_small", "log1p", [In(torch.tensor([1e-7, -1e-6, 1e-4, 0.0]))], torch.log1p)
# int32 inputs: float ops promote to float32, others keep int32
iu = ints(-3, 4, 2, 3, dtype=I32)
for op in ["neg", "abs", "square", "relu", "sign"]:
    case("unary", f"{op}_int", op, [In(iu)], getattr(torch, op))
for op in ["exp", "sigmoid", "tanh", "sin", "cos", "erf"]:
    case("unary", f"{op}_int", op, [In(iu)], getattr(torch, op))
case("unary", "sqrt_int", "sqrt", [In(ints(1, 9, 2, 3, dtype=I32))], torch.sqrt)
case("unary", "log_int", "log", [In(ints(1, 9, 2, 3, dtype=I32))], torch.log)

# clamp: values exactly on the bounds get the gradient (torch includes the bounds)
cx = torch.tensor([[-2.0, -1.0, -0.5, 0.0], [0.5, 1.0, 1.5, 3.0]])
case("unary", "clamp_both_bounds_ties", "clamp", [In(cx)], lambda a: torch.clamp(a, -1.0, 1.0), {"min": -1.0, "max": 1.0})
case("unary", "clamp_min_only", "clamp", [In(cx)], lambda a: torch.clamp(a, min=0.0), {"min": 0.0})
case("unary", "clamp_max_only", "clamp", [In(cx, [TR])], lambda a: torch.clamp(a, max=0.5), {"max": 0.5})
case("unary", "clamp_random", "clamp", [In(rn(3, 5))], lambda a: torch.clamp(a, -0.3, 0.7), {"min": -0.3, "max": 0.7})
case("unary", "clamp_min_gt_max", "clamp", [In(rn(2, 3))], lambda a: torch.clamp(a, 0.5, -0.5), {"min": 0.5, "max": -0.5})
case("unary", "clamp_int", "clamp", [In(iu)], lambda a: torch.clamp(a, -1, 2), {"min": -1, "max": 2})

# where / maskedFill
def where_fn(c, a, b):
    return torch.where(c.bool(), a, b)


case("select", "where_same", "where", [In(idx(2, 3, 4)), In(rn(3, 4)), In(rn(3, 4))], where_fn)
case("select", "where_bcast", "where", [In(idx(2, 3, 1)), In(rn(1, 4)), In(rn(2, 3, 4))], where_fn)
case("select", "where_views", "where", [In(idx(2, 4, 3), [TR]), In(rn(4, 3), [TR]), In(rn(4), [V("unsqueeze", 0)])], where_fn)
case("select", "where_0d_branch", "where", [In(idx(2, 2, 3)), In(rn()), In(rn(2, 3))], where_fn)
case("select", "where_int_float", "where", [In(idx(2, 2, 3)), In(ints(-3, 3, 2, 3, dtype=I32)), In(rn(2, 3))], where_fn)
case("select", "where_scalar_other", "where_scalar", [In(idx(2, 3, 4)), In(rn(3, 4))], lambda c, a: torch.where(c.bool(), a, torch.tensor(-1.5)), {"other": -1.5})
case("select", "where_scalar_first", "where_scalar_first", [In(idx(2, 3, 4)), In(rn(3, 4))], lambda c, b: torch.where(c.bool(), torch.tensor(0.25), b), {"value": 0.25})
for tag, xs, ms, vx in [("same", (3, 4), (3, 4), ()), ("bcast_mask", (2, 3, 4), (3, 1), ()), ("view", (4, 3), (3, 4), (TR,))]:
    case("select", f"maskedFill_{tag}", "maskedFill", [In(rn(*xs), vx), In(idx(2, *ms))], lambda x, m: x.masked_fill(m.bool(), -2.0), {"value": -2.0})
case("select", "maskedFill_large_negative", "maskedFill", [In(rn(2, 4)), In(idx(2, 2, 4))], lambda x, m: x.masked_fill(m.bool(), -1e9), {"value": -1e9})
case("select", "maskedFill_neg_inf", "maskedFill", [In(rn(2, 4)), In(idx(2, 2, 4))], lambda x, m: x.masked_fill(m.bool(), float("-inf")), {"value": "-Infinity"})
case("select", "maskedFill_int", "maskedFill", [In(ints(-3, 3, 2, 3, dtype=I32)), In(idx(2, 2, 3))], lambda x, m: x.masked_fill(m.bool(), 7), {"value": 7})

# ---------------------------------------------------------------------------------------------
# reductions
# ---------------------------------------------------------------------------------------------
X3 = lambda: rn(2, 3, 4)  # noqa: E731
DIMS = [None, 0, 1, -1, [0, 2], [-1, -2], [0, 1, 2]]


def dims_name(d):
    return "all" if d is None else str(d).replace(" ", "").replace("[", "").replace("]", "").replace(",", "_")


for op in ["sum", "mean"]:
    for d in DIMS:
        for kd in [False, True]:
            if d is None and kd:
                continue
            args = {"keepdim": kd} if d is None else {"dim": d, "keepdim": kd}
            fn = (lambda x, op=op: getattr(torch, op)(x)) if d is None else (lambda x, op=op, d=d, kd=kd: getattr(torch, op)(x, d, keepdim=kd))
            case("reduce", f"{op}_{dims_name(d)}_kd{int(kd)}", op, [In(X3())], fn, args)
    case("reduce", f"{op}_view", op, [In(rn(4, 3), [TR])], lambda x, op=op: getattr(torch, op)(x, 1), {"dim": 1, "keepdim": False})
    case("reduce", f"{op}_expanded", op, [In(rn(3, 1), [V("expand", [3, 5])])], lambda x, op=op: getattr(torch, op)(x, 1, keepdim=True), {"dim": 1, "keepdim": True})
    case("reduce", f"{op}_0d", op, [In(rn())], lambda x, op=op: getattr(torch, op)(x), {"keepdim": False})
    case("reduce", f"{op}_0d_dim0", op, [In(rn())], lambda x, op=op: getattr(torch, op)(x, 0), {"dim": 0, "keepdim": False})
    case("reduce", f"{op}_big", op, [In(rn(1000) + 100)], lambda x, op=op: getattr(torch, op)(x), {"keepdim": False})
case("reduce", "sum_empty_dim", "sum", [In(rn(0, 3))], lambda x: x.sum(0), {"dim": 0, "keepdim": False})
case("reduce", "sum_empty_all", "sum", [In(rn(2, 0))], lambda x: x.sum(), {"keepdim": False})
case("reduce", "sum_empty_other", "sum", [In(rn(0, 3))], lambda x: x.sum(1, keepdim=True), {"dim": 1, "keepdim": True})
case("reduce", "sum_int", "sum", [In(ints(-5, 5, 3, 4, dtype=I32))], lambda x: x.sum(1), {"dim": 1, "keepdim": False})
case("reduce", "sum_int_all", "sum", [In(ints(-5, 5, 3, 4, dtype=I32))], lambda x: x.sum(), {"keepdim": False})

for op in ["var", "std"]:
    for d in [None, 0, -1, [0, 2]]:
        for corr in [0, 1, 2]:
            for kd in ([False] if d is None else [False, True]):
                args = {"correction": corr, "keepdim": kd}
                if d is not None:
                    args["dim"] = d
                # torch 1.13: correction passed through the unbiased flag (0/1) or the correction kwarg
                fn = (lambda x, op=op, d=d, kd=kd, c=corr: getattr(torch, op)(x, dim=d, correction=c, keepdim=kd))
                case("reduce", f"{op}_{dims_name(d)}_c{corr}_kd{int(kd)}", op, [In(X3())], fn, args)
    case("reduce", f"{op}_view", op, [In(rn(5, 3), [TR])], lambda x, op=op: getattr(torch, op)(x, 1), {"dim": 1})
    case("reduce", f"{op}_single_c0", op, [In(rn(3, 1))], lambda x, op=op: getattr(torch, op)(x, 1, correction=0), {"dim": 1, "correction": 0})

for d in [None, 0, 1, -1]:
    for kd in ([False] if d is None else [False, True]):
        args = {"keepdim": kd} if d is None else {"dim": d, "keepdim": kd}
        fn = (lambda x: x.prod()) if d is None else (lambda x, d=d, kd=kd: x.prod(d, keepdim=kd))
        case("reduce", f"prod_{dims_name(d)}_kd{int(kd)}", "prod", [In(uni(3, 4, lo=0.5, hi=1.5) * torch.where(rn(3, 4) > 0, 1.0, -1.0))], fn, args)
case("reduce", "prod_one_zero", "prod", [In(torch.tensor([[1.5, 0.0, 2.0], [3.0, -1.0, 0.5]]))], lambda x: x.prod(1), {"dim": 1, "keepdim": False})
case("reduce", "prod_two_zeros", "prod", [In(torch.tensor([[0.0, 0.0, 2.0], [3.0, 0.0, 0.5]]))], lambda x: x.prod(1), {"dim": 1, "keepdim": False})
case("reduce", "prod_all_zero", "prod", [In(torch.tensor([[2.0, 0.0], [3.0, 4.0]]))], lambda x: x.prod(), {"keepdim": False})
case("reduce", "prod_view", "prod", [In(uni(4, 3, lo=0.5, hi=1.5), [TR])], lambda x: x.prod(0), {"dim": 0, "keepdim": False})
case("reduce", "prod_int", "prod", [In(ints(1, 4, 2, 3, dtype=I32))], lambda x: x.prod(1), {"dim": 1, "keepdim": False})

TIES = lambda *s: ints(-2, 3, *s)  # noqa: E731
for op in ["max", "min"]:
    case("reduce", f"{op}_all", f"{op}_all", [In(X3())], lambda x, op=op: getattr(x, op)())
    case("reduce", f"{op}_all_ties", f"{op}_all", [In(TIES(3, 4))], lambda x, op=op: getattr(x, op)())
    case("reduce", f"{op}_all_0d", f"{op}_all", [In(rn())], lambda x, op=op: getattr(x, op)())
    for d in [0, 1, -1, 2]:
        for kd in [False, True]:
            case("reduce", f"{op}_dim{d}_kd{int(kd)}", f"{op}_dim", [In(X3())], lambda x, op=op, d=d, kd=kd: getattr(x, op)(d, keepdim=kd), {"dim": d, "keepdim": kd})
    case("reduce", f"{op}_dim_ties", f"{op}_dim", [In(TIES(4, 5))], lambda x, op=op: getattr(x, op)(1), {"dim": 1, "keepdim": False})
    case("reduce", f"{op}_dim_ties0", f"{op}_dim", [In(TIES(5, 3))], lambda x, op=op: getattr(x, op)(0, keepdim=True), {"dim": 0, "keepdim": True})
    case("reduce", f"{op}_dim_view", f"{op}_dim", [In(rn(5, 3), [TR])], lambda x, op=op: getattr(x, op)(1), {"dim": 1, "keepdim": False})
    case("reduce", f"{op}_dim_0d", f"{op}_dim", [In(rn())], lambda x, op=op: getattr(x, op)(0), {"dim": 0, "keepdim": False})
    case("reduce", f"{op}_dim_int", f"{op}_dim", [In(ints(-5, 5, 3, 4, dtype=I32))], lambda x, op=op: getattr(x, op)(1), {"dim": 1, "keepdim": False})
    case("reduce", f"{op}_all_int", f"{op}_all", [In(ints(-5, 5, 3, 4, dtype=I32))], lambda x, op=op: getattr(x, op)())
    aop = "a" + op
    for d in [None, 0, -1, [0, 2], [1, 2]]:
        for kd in [False, True]:
            args = {"keepdim": kd} if d is None else {"dim": d, "keepdim": kd}
            fn = (lambda x, aop=aop, kd=kd: getattr(torch, aop)(x, dim=[0, 1, 2], keepdim=kd)) if d is None else (lambda x, aop=aop, d=d, kd=kd: getattr(torch, aop)(x, d, keepdim=kd))
            case("reduce", f"{aop}_{dims_name(d)}_kd{int(kd)}", aop, [In(X3())], fn, args)
    case("reduce", f"{aop}_ties", aop, [In(TIES(3, 4))], lambda x, aop=aop: getattr(torch, aop)(x, 1), {"dim": 1, "keepdim": False})
    case("reduce", f"{aop}_ties_multi", aop, [In(TIES(2, 3, 4))], lambda x, aop=aop: getattr(torch, aop)(x, [0, 2]), {"dim": [0, 2], "keepdim": False})
    case("reduce", f"{aop}_view", aop, [In(rn(5, 3), [TR])], lambda x, aop=aop: getattr(torch, aop)(x, 0), {"dim": 0, "keepdim": False})
    arg = "arg" + op
    for d in [None, 0, 1, -1]:
        for kd in [False, True]:
            args = {"keepdim": kd} if d is None else {"dim": d, "keepdim": kd}
            fn = (lambda x, arg=arg, kd=kd: getattr(torch, arg)(x, keepdim=kd)) if d is None else (lambda x, arg=arg, d=d, kd=kd: getattr(torch, arg)(x, d, keepdim=kd))
            case("reduce", f"{arg}_{dims_name(d)}_kd{int(kd)}", arg, [In(X3())], fn, args)
    case("reduce", f"{arg}_ties", arg, [In(TIES(4, 6))], lambda x, arg=arg: getattr(torch, arg)(x, 1), {"dim": 1, "keepdim": False})
    case("reduce", f"{arg}_ties_all", arg, [In(TIES(4, 6))], lambda x, arg=arg: getattr(torch, arg)(x), {"keepdim": False})
    case("reduce", f"{arg}_view", arg, [In(rn(5, 3), [TR])], lambda x, arg=arg: getattr(torch, arg)(x, 0), {"dim": 0, "keepdim": False})
    case("reduce", f"{arg}_int", arg, [In(ints(-5, 5, 3, 4, dtype=I32))], lambda x, arg=arg: getattr(torch, arg)(x, 1), {"dim": 1, "keepdim": False})

for d in [0, 1, -1, [0, 2], [0, 1, 2]]:
    for kd in [False, True]:
        case("reduce", f"logsumexp_{dims_name(d)}_kd{int(kd)}", "logsumexp", [In(X3() * 3)], lambda x, d=d, kd=kd: torch.logsumexp(x, d, keepdim=kd), {"dim": d, "keepdim": kd})
case("reduce", "logsumexp_large", "logsumexp", [In(torch.tensor([[1000.0, 1000.0, 999.0], [-1000.0, -1001.0, -1000.5]]))], lambda x: torch.logsumexp(x, 1), {"dim": 1, "keepdim": False})
case("reduce", "logsumexp_view", "logsumexp", [In(rn(4, 3), [TR])], lambda x: torch.logsumexp(x, 1), {"dim": 1, "keepdim": False})

for op, tfn in [("softmax", torch.softmax), ("logSoftmax", torch.log_softmax)]:
    for d in [0, 1, -1, 2]:
        case("reduce", f"{op}_dim{d}", op, [In(X3() * 2)], lambda x, tfn=tfn, d=d: tfn(x, d), {"dim": d})
    case("reduce", f"{op}_large", op, [In(torch.tensor([[1000.0, 999.0, 0.0], [-1000.0, -999.0, -1001.0]]))], lambda x, tfn=tfn: tfn(x, 1), {"dim": 1})
    case("reduce", f"{op}_view", op, [In(rn(4, 3), [TR])], lambda x, tfn=tfn: tfn(x, 1), {"dim": 1})
    case("reduce", f"{op}_1d", op, [In(rn(5))], lambda x, tfn=tfn: tfn(x, 0), {"dim": 0})
    case("reduce", f"{op}_0d", op, [In(rn())], lambda x, tfn=tfn: tfn(x, 0), {"dim": 0})
    case("reduce", f"{op}_int", op, [In(ints(-3, 3, 2, 3, dtype=I32))], lambda x, tfn=tfn: tfn(x.float(), 1), {"dim": 1})

for p in [1, 2, 3, float("inf")]:
    pname = "inf" if p == float("inf") else str(p)
    jp = "Infinity" if p == float("inf") else p
    for d in [None, 0, -1, [0, 2]]:
        for kd in ([False] if d is None else [False, True]):
            args = {"p": jp, "keepdim": kd}
            if d is not None:
                args["dim"] = d
            fn = (lambda x, p=p: torch.norm(x, p)) if d is None else (lambda x, p=p, d=d, kd=kd: torch.norm(x, p, d, keepdim=kd))
            case("reduce", f"norm_p{pname}_{dims_name(d)}_kd{int(kd)}", "norm", [In(X3())], fn, args)
    case("reduce", f"norm_p{pname}_zero_row", "norm", [In(torch.tensor([[0.0, 0.0, 0.0], [1.0, -2.0, 2.0]]))], lambda x, p=p: torch.norm(x, p, 1), {"p": jp, "dim": 1, "keepdim": False})
    case("reduce", f"norm_p{pname}_view", "norm", [In(rn(4, 3), [TR])], lambda x, p=p: torch.norm(x, p, 0), {"p": jp, "dim": 0, "keepdim": False})
case("reduce", "norm_pinf_ties", "norm", [In(torch.tensor([[1.0, -3.0, 3.0], [2.0, 2.0, -1.0]]))], lambda x: torch.norm(x, float("inf"), 1), {"p": "Infinity", "dim": 1, "keepdim": False})
case("reduce", "norm_default", "norm", [In(rn(3, 4))], lambda x: x.norm(), {})

# ---------------------------------------------------------------------------------------------
# linear algebra
# ---------------------------------------------------------------------------------------------
MM = [
    ("1d_1d", (5,), (5,), (), ()),
    ("1d_2d", (3,), (3, 4), (), ()),
    ("2d_1d", (3, 4), (4,), (), ()),
    ("2d_2d", (3, 4), (4, 5), (), ()),
    ("3d_3d", (2, 3, 4), (2, 4, 5), (), ()),
    ("3d_2d", (2, 3, 4), (4, 5), (), ()),
    ("2d_3d", (3, 4), (2, 4, 5), (), ()),
    ("1d_3d", (4,), (2, 4, 5), (), ()),
    ("3d_1d", (2, 3, 4), (4,), (), ()),
    ("bcast_batch", (2, 1, 3, 4), (3, 4, 2), (), ()),
    ("bcast_batch2", (1, 3, 2, 4), (2, 1, 4, 3), (), ()),
    ("transposed_a", (4, 3), (4, 5), (TR,), ()),
    ("transposed_b", (3, 4), (5, 4), (), (TR,)),
    ("transposed_both", (4, 3), (5, 4), (TR,), (TR,)),
    ("batch_transposed", (2, 4, 3), (2, 4, 5), (V("transpose", 1, 2),), ()),
    ("batch_permuted", (3, 2, 4), (2, 4, 5), (V("permute", [1, 0, 2]),), ()),
    ("expanded_batch", (3, 2, 4), (1, 4, 5), (), (V("expand", [3, 4, 5]),)),
    ("sliced", (3, 8), (4, 5), (V("slice", 1, 0, 8, 2),), ()),
    ("k0", (3, 0), (0, 4), (), ()),
    ("m0", (0, 3), (3, 4), (), ()),
    ("k1", (3, 1), (1, 4), (), ()),
    ("big", (17, 33), (33, 19), (), ()),
]
for tag, sa, sb, va, vb in MM:
    case("linalg", f"matmul_{tag}", "matmul", [In(rn(*sa), va), In(rn(*sb), vb)], torch.matmul)
case("linalg", "matmul_int", "matmul", [In(ints(-3, 3, 2, 3, dtype=I32)), In(ints(-3, 3, 3, 2, dtype=I32))], torch.matmul)
case("linalg", "matmul_a_only_grad", "matmul", [In(rn(3, 4)), In(rn(4, 2), grad=False)], torch.matmul)
case("linalg", "mm", "mm", [In(rn(3, 4)), In(rn(4, 2))], torch.mm)
case("linalg", "mm_transposed", "mm", [In(rn(4, 3), [TR]), In(rn(2, 4), [TR])], torch.mm)
case("linalg", "bmm", "bmm", [In(rn(2, 3, 4)), In(rn(2, 4, 5))], torch.bmm)
case("linalg", "bmm_views", "bmm", [In(rn(2, 4, 3), [V("transpose", 1, 2)]), In(rn(4, 2, 5), [V("permute", [1, 0, 2])])], torch.bmm)
case("linalg", "t_2d", "t", [In(rn(3, 4))], lambda x: x.t())
case("linalg", "t_1d", "t", [In(rn(4))], lambda x: x.t())

# ---------------------------------------------------------------------------------------------
# shape and views (each result is then multiplied by gout, so the backward is checked)
# ---------------------------------------------------------------------------------------------
S = "shape"
for tag, src, v, shape in [("basic", (2, 3, 4), (), [6, 4]), ("infer", (2, 3, 4), (), [4, -1]), ("to_1d", (2, 3), (), [-1]),
                           ("from_0d", (), (), [1, 1]), ("to_0d", (1,), (), []), ("noncontig", (4, 3), (TR,), [12]),
                           ("empty", (0, 4), (), [2, 0, 2]), ("expanded", (1, 3), (V("expand", [2, 3]),), [3, 2])]:
    case(S, f"reshape_{tag}", "reshape", [In(rn(*src), v)], lambda x, shape=shape: x.reshape(shape), {"shape": shape})
for tag, src, v, shape in [("basic", (2, 3, 4), (), [6, 4]), ("infer", (2, 3, 4), (), [2, -1]), ("split_dim", (6, 4), (), [2, 3, 4]),
                           ("transposed_ok", (4, 6), (TR,), [2, 3, 4])]:
    case(S, f"view_{tag}", "view", [In(rn(*src), v)], lambda x, shape=shape: x.view(shape), {"shape": shape})
for d0, d1 in [(0, 1), (0, 2), (-1, -2), (1, 1)]:
    case(S, f"transpose_{d0}_{d1}", "transpose", [In(rn(2, 3, 4))], lambda x, d0=d0, d1=d1: x.transpose(d0, d1), {"dim0": d0, "dim1": d1})
for dims in [[2, 0, 1], [1, 0, 2], [-1, 0, 1], [0, 1, 2]]:
    case(S, f"permute_{dims_name(dims)}", "permute", [In(rn(2, 3, 4))], lambda x, dims=dims: x.permute(*dims), {"dims": dims})
case(S, "permute_view", "permute", [In(rn(4, 3), [TR])], lambda x: x.permute(1, 0), {"dims": [1, 0]})
for d in [None, 0, 2, -2]:
    args = {} if d is None else {"dim": d}
    case(S, f"squeeze_{dims_name(d)}", "squeeze", [In(rn(1, 3, 1, 2))], (lambda x: x.squeeze()) if d is None else (lambda x, d=d: x.squeeze(d)), args)
case(S, "squeeze_nonunit", "squeeze", [In(rn(2, 3))], lambda x: x.squeeze(1), {"dim": 1})
for d in [0, 1, 3, -1, -4]:
    case(S, f"unsqueeze_{d}", "unsqueeze", [In(rn(2, 3, 4))], lambda x, d=d: x.unsqueeze(d), {"dim": d})
case(S, "unsqueeze_0d", "unsqueeze", [In(rn())], lambda x: x.unsqueeze(0), {"dim": 0})
for tag, src, shape in [("row", (1, 4), [3, 4]), ("col", (3, 1), [3, 5]), ("lead", (4,), [2, 3, 4]), ("keep", (3, 1), [-1, 2]), ("0d", (), [2, 2]), ("lead_keep", (2, 1), [3, -1, 4])]:
    case(S, f"expand_{tag}", "expand", [In(rn(*src))], lambda x, shape=shape: x.expand(*shape), {"shape": shape})
for s, e in [(0, -1), (1, 2), (0, 0), (-2, -1), (1, -1)]:
    case(S, f"flatten_{s}_{e}", "flatten", [In(rn(2, 3, 4, 2))], lambda x, s=s, e=e: x.flatten(s, e), {"startDim": s, "endDim": e})
case(S, "flatten_0d", "flatten", [In(rn())], lambda x: x.flatten(), {"startDim": 0, "endDim": -1})
case(S, "flatten_view", "flatten", [In(rn(4, 3), [TR])], lambda x: x.flatten(), {"startDim": 0, "endDim": -1})
for d, st, ln in [(0, 1, 2), (1, 0, 1), (-1, 2, 2), (1, -2, 2), (0, 3, 0)]:
    case(S, f"narrow_{d}_{st}_{ln}", "narrow", [In(rn(3, 4, 4))], lambda x, d=d, st=st, ln=ln: x.narrow(d, st, ln), {"dim": d, "start": st, "length": ln})
for d, i in [(0, 1), (1, -1), (-1, 2), (2, 0)]:
    case(S, f"select_{d}_{i}", "select", [In(rn(2, 3, 4))], lambda x, d=d, i=i: x.select(d, i), {"dim": d, "index": i})
case(S, "select_view", "select", [In(rn(4, 3), [TR])], lambda x: x.select(0, 1), {"dim": 0, "index": 1})
for d, st, en, sp in [(0, 1, 3, 1), (1, 0, 7, 2), (1, 1, None, 3), (-1, -3, None, 1), (1, -5, -1, 2), (0, 2, 100, 1), (1, 5, 2, 1), (1, None, None, 4), (0, -100, 2, 1)]:
    args = {"dim": d, "step": sp}
    if st is not None:
        args["start"] = st
    if en is not None:
        args["end"] = en
    case(S, f"slice_{d}_{st}_{en}_{sp}", "slice", [In(rn(4, 7))], lambda x, d=d, st=st, en=en, sp=sp: py_slice(x, d, st, en, sp), args)
case(S, "slice_view", "slice", [In(rn(7, 4), [TR])], lambda x: py_slice(x, 1, 1, 6, 2), {"dim": 1, "start": 1, "end": 6, "step": 2})
for n, d, src in [(2, 0, (5, 3)), (3, 1, (2, 7)), (4, -1, (2, 3)), (1, 0, (3, 2)), (3, 0, (6, 2)), (5, 0, (4, 2))]:
    case(S, f"chunk_{n}_{d}_{src[0]}x{src[1]}", "chunk", [In(rn(*src))], lambda x, n=n, d=d: x.chunk(n, d), {"chunks": n, "dim": d})
for sz, d, src in [(2, 0, (5, 3)), (3, 1, (2, 7)), ([1, 4, 2], 1, (2, 7)), ([0, 3], 0, (3, 2)), (10, 0, (3, 2)), ([2, 2], -1, (3, 4))]:
    case(S, f"split_{dims_name(sz)}_{d}", "split", [In(rn(*src))], lambda x, sz=sz, d=d: x.split(sz, d), {"size": sz, "dim": d})
for d in [0, 1, -1]:
    case(S, f"unbind_{d}", "unbind", [In(rn(2, 3, 4))], lambda x, d=d: x.unbind(d), {"dim": d})
for dims in [[0], [1], [-1], [0, 2], [0, 1, 2]]:
    case(S, f"flip_{dims_name(dims)}", "flip", [In(rn(2, 3, 4))], lambda x, dims=dims: x.flip(dims), {"dims": dims})
case(S, "flip_view", "flip", [In(rn(4, 3), [TR])], lambda x: x.flip(0), {"dims": [0]})
case(S, "flip_int", "flip", [In(ints(0, 9, 2, 3, dtype=I32))], lambda x: x.flip(1), {"dims": [1]})
for reps, src in [([2, 3], (2, 3)), ([1, 1], (2, 3)), ([2, 1, 2], (2, 3)), ([3], (4,)), ([2, 2], ()), ([2, 1, 1], (3, 1))]:
    case(S, f"repeat_{dims_name(reps)}_{len(src)}d", "repeat", [In(rn(*src))], lambda x, reps=reps: x.repeat(*reps), {"repeats": reps})
case(S, "repeat_view", "repeat", [In(rn(3, 2), [TR])], lambda x: x.repeat(2, 1), {"repeats": [2, 1]})
case(S, "cat_0", "cat", [In(rn(2, 3)), In(rn(4, 3)), In(rn(1, 3))], lambda *xs: torch.cat(xs, 0), {"dim": 0})
case(S, "cat_1", "cat", [In(rn(2, 3)), In(rn(2, 1))], lambda *xs: torch.cat(xs, 1), {"dim": 1})
case(S, "cat_neg", "cat", [In(rn(2, 3, 2)), In(rn(2, 3, 3))], lambda *xs: torch.cat(xs, -1), {"dim": -1})
case(S, "cat_views", "cat", [In(rn(3, 2), [TR]), In(rn(2, 6), [V("slice", 1, 0, 6, 2)])], lambda *xs: torch.cat(xs, 0), {"dim": 0})
case(S, "cat_empty", "cat", [In(rn(0, 3)), In(rn(2, 3))], lambda *xs: torch.cat(xs, 0), {"dim": 0})
case(S, "cat_legacy_empty", "cat", [In(rn(2, 3)), In(rn(0))], lambda *xs: torch.cat(xs, 0), {"dim": 0})
case(S, "cat_single", "cat", [In(rn(2, 3))], lambda *xs: torch.cat(xs, 1), {"dim": 1})
case(S, "cat_int_float", "cat", [In(ints(0, 5, 1, 3, dtype=I32)), In(rn(2, 3))], lambda *xs: torch.cat(xs, 0), {"dim": 0})
case(S, "cat_int", "cat", [In(ints(0, 5, 1, 3, dtype=I32)), In(ints(0, 5, 2, 3, dtype=I32))], lambda *xs: torch.cat(xs, 0), {"dim": 0})
for d in [0, 1, 2, -1]:
    case(S, f"stack_{d}", "stack", [In(rn(2, 3)), In(rn(2, 3)), In(rn(2, 3))], lambda *xs, d=d: torch.stack(xs, d), {"dim": d})
case(S, "stack_views", "stack", [In(rn(3, 2), [TR]), In(rn(2, 3))], lambda *xs: torch.stack(xs, 1), {"dim": 1})
case(S, "stack_0d", "stack", [In(rn()), In(rn())], lambda *xs: torch.stack(xs, 0), {"dim": 0})
case(S, "contiguous_view", "contiguous", [In(rn(4, 3), [TR])], lambda x: x.contiguous())
case(S, "contiguous_already", "contiguous", [In(rn(2, 3))], lambda x: x.contiguous())
case(S, "clone", "clone", [In(rn(2, 3))], lambda x: x.clone())
case(S, "clone_view", "clone", [In(rn(4, 3), [TR])], lambda x: x.clone())
case(S, "to_float_float", "to", [In(rn(2, 3))], lambda x: x.to(F32), {"dtype": "float32"})
case(S, "to_float_int", "to", [In(rn(2, 3) * 3)], lambda x: x.to(I32), {"dtype": "int32"})
case(S, "to_int_float", "to", [In(ints(-4, 4, 2, 3, dtype=I32))], lambda x: x.to(F32), {"dtype": "float32"})
case(S, "to_view", "to", [In(rn(4, 3) * 3, [TR])], lambda x: x.to(I32), {"dtype": "int32"})

# ---------------------------------------------------------------------------------------------
# indexing
# ---------------------------------------------------------------------------------------------
X = "indexing"
L = lambda t: t.long()  # noqa: E731
for d, src, ix in [(0, (4, 3), idx(4, 5)), (1, (2, 5), idx(5, 3)), (-1, (2, 3, 4), idx(4, 6)), (0, (5,), idx(5, 7)), (1, (2, 5), torch.tensor([], dtype=I32))]:
    case(X, f"indexSelect_{d}_{len(src)}d_{ix.numel()}", "indexSelect", [In(rn(*src)), In(ix)], lambda x, i, d=d: x.index_select(d, L(i)), {"dim": d})
case(X, "indexSelect_repeat", "indexSelect", [In(rn(3, 2)), In(torch.tensor([1, 1, 0, 1], dtype=I32))], lambda x, i: x.index_select(0, L(i)), {"dim": 0})
case(X, "indexSelect_view", "indexSelect", [In(rn(3, 4), [TR]), In(idx(3, 5))], lambda x, i: x.index_select(1, L(i)), {"dim": 1})
case(X, "indexSelect_int", "indexSelect", [In(ints(0, 9, 4, 2, dtype=I32)), In(idx(4, 3))], lambda x, i: x.index_select(0, L(i)), {"dim": 0})
for d, src, ish in [(0, (4, 3), (2, 3)), (1, (3, 5), (3, 7)), (-1, (2, 3, 4), (2, 3, 2)), (1, (2, 3, 4), (2, 5, 4)), (0, (5,), (8,)), (0, (4, 3), (2, 2))]:
    case(X, f"gather_{d}_{len(src)}d_{dims_name(list(ish))}", "gather", [In(rn(*src)), In(idx(src[d], *ish))], lambda x, i, d=d: x.gather(d, L(i)), {"dim": d})
case(X, "gather_view", "gather", [In(rn(5, 3), [TR]), In(idx(5, 3, 4))], lambda x, i: x.gather(1, L(i)), {"dim": 1})
case(X, "gather_int", "gather", [In(ints(0, 9, 3, 4, dtype=I32)), In(idx(4, 3, 2))], lambda x, i: x.gather(1, L(i)), {"dim": 1})
for d, src, ish, dsh in [(0, (4, 3), (5, 3), (5, 3)), (1, (3, 4), (3, 6), (3, 6)), (-1, (2, 3, 4), (2, 3, 5), (2, 3, 5)), (0, (6,), (9,), (9,))]:
    case(X, f"scatterAdd_{d}_{len(src)}d_{dims_name(list(dsh))}", "scatterAdd", [In(rn(*src)), In(idx(src[d], *ish)), In(rn(*dsh))], lambda x, i, s, d=d: x.scatter_add(d, L(i), s), {"dim": d})
# src larger than index: torch 1.13 has no gradient for src then, so only x requires grad
case(X, "scatterAdd_src_larger", "scatterAdd", [In(rn(4, 3)), In(idx(4, 2, 2)), In(rn(3, 3), grad=False)], lambda x, i, s: x.scatter_add(0, L(i), s), {"dim": 0})
case(X, "scatterAdd_views", "scatterAdd", [In(rn(4, 3), [TR]), In(idx(3, 3, 4)), In(rn(4, 3), [TR])], lambda x, i, s: x.scatter_add(0, L(i), s), {"dim": 0})
for d, src, n, ssh in [(0, (4, 3), 6, (6, 3)), (1, (2, 5), 3, (2, 3)), (-1, (2, 3, 4), 5, (2, 3, 5)), (0, (5,), 8, (8,))]:
    case(X, f"indexAdd_{d}_{len(src)}d", "indexAdd", [In(rn(*src)), In(idx(src[d], n)), In(rn(*ssh))], lambda x, i, s, d=d: x.index_add(d, L(i), s), {"dim": d})
case(X, "indexAdd_views", "indexAdd", [In(rn(3, 4), [TR]), In(idx(4, 5)), In(rn(3, 5), [TR])], lambda x, i, s: x.index_add(0, L(i), s), {"dim": 0})
case(X, "indexAdd_src_only_grad", "indexAdd", [In(rn(4, 3), grad=False), In(idx(4, 5)), In(rn(5, 3))], lambda x, i, s: x.index_add(0, L(i), s), {"dim": 0})
for nc, ix in [(-1, torch.tensor([2, 0, 1, 1, 3], dtype=I32)), (6, torch.tensor([[0, 5], [3, 3]], dtype=I32)), (-1, torch.tensor(2, dtype=I32))]:
    case(X, f"oneHot_{nc}_{ix.dim()}d", "oneHot", [In(ix)], lambda i, nc=nc: torch.nn.functional.one_hot(L(i), nc), {"numClasses": nc})

# ---------------------------------------------------------------------------------------------
# the same leaf used twice (gradients accumulate), non-finite values, more view layouts
# ---------------------------------------------------------------------------------------------
sq = rn(3, 3)
case("binary", "self_mul", "mul", [In(rn(3, 4)), Ref(0)], lambda a, b: a * b)
case("binary", "self_mul_transposed", "mul", [In(sq), Ref(0, [TR])], lambda a, b: a * b)
case("binary", "self_add_alpha", "add", [In(rn(2, 3)), Ref(0)], lambda a, b: torch.add(a, b, alpha=3.0), {"alpha": 3.0})
case("binary", "self_sub", "sub", [In(rn(2, 3)), Ref(0, [V("slice", 1, 0, 1, 1)])], lambda a, b: a - b)
case("binary", "self_div", "div", [In(pos(2, 3)), Ref(0, [V("slice", 0, 1, 2, 1)])], lambda a, b: a / b)
case("binary", "self_pow", "pow", [In(pos(2, 3)), Ref(0)], lambda a, b: a ** b)
case("binary", "self_maximum_all_ties", "maximum", [In(rn(2, 3)), Ref(0)], torch.maximum)
case("binary", "self_minimum_all_ties", "minimum", [In(rn(2, 3)), Ref(0)], torch.minimum)
case("linalg", "self_matmul_gram", "matmul", [In(rn(3, 4)), Ref(0, [TR])], torch.matmul)
case("linalg", "self_matmul_square", "matmul", [In(sq), Ref(0)], torch.matmul)
case("shape", "self_cat", "cat", [In(rn(2, 3)), Ref(0), Ref(0, [V("slice", 0, 0, 1, 1)])], lambda *xs: torch.cat(xs, 0), {"dim": 0})
case("shape", "self_stack_transposed", "stack", [In(sq), Ref(0, [TR])], lambda *xs: torch.stack(xs, 0), {"dim": 0})
case("indexing", "self_scatterAdd", "scatterAdd", [In(rn(3, 4)), In(idx(3, 3, 4)), Ref(0)], lambda x, i, s: x.scatter_add(0, L(i), s), {"dim": 0})
case("select", "self_where", "where", [In(idx(2, 3, 4)), In(rn(3, 4)), Ref(1, [V("slice", 0, 0, 1, 1)])], where_fn)

NAN, INF = float("nan"), float("inf")
nanx = torch.tensor([[1.0, NAN, 3.0], [2.0, -1.0, 0.5]])
case("binary", "maximum_nan", "maximum", [In(nanx, grad=False), In(torch.tensor([0.0, 5.0, NAN]), grad=False)], torch.maximum)
case("binary", "minimum_nan", "minimum", [In(nanx, grad=False), In(torch.tensor([0.0, 5.0, NAN]), grad=False)], torch.minimum)
case("binary", "add_inf", "add", [In(torch.tensor([INF, -INF, 1.0, INF])), In(torch.tensor([1.0, 2.0, -INF, -INF]))], lambda a, b: a + b)
case("binary", "mul_inf_zero", "mul", [In(torch.tensor([INF, 0.0, -INF, 2.0]), grad=False), In(torch.tensor([0.0, INF, 3.0, NAN]), grad=False)], lambda a, b: a * b)
case("binary", "div_by_zero", "div", [In(torch.tensor([1.0, -1.0, 0.0, 2.0]), grad=False), In(torch.tensor([0.0, 0.0, 0.0, -0.0]), grad=False)], lambda a, b: a / b)
case("binary", "div_int_by_zero", "div", [In(torch.tensor([1, -1, 0, 2], dtype=I32)), In(torch.tensor([0, 0, 0, 1], dtype=I32))], lambda a, b: a / b)
case("binary", "pow_scalar_neg_base_frac", "pow_scalar", [In(torch.tensor([-2.0, 4.0, 0.0]), grad=False)], lambda a: a ** 0.5, {"exponent": 0.5})
case("binary", "pow_scalar_zero_base", "pow_scalar", [In(torch.tensor([0.0, 1.0, -1.0]))], lambda a: a ** 2, {"exponent": 2})
case("binary", "pow_scalar_zero_base_p1", "pow_scalar", [In(torch.tensor([0.0, 1.0, -1.0]))], lambda a: a ** 1, {"exponent": 1})
case("binary", "pow_scalar_zero_base_p0", "pow_scalar", [In(torch.tensor([0.0, 1.0, -1.0]))], lambda a: a ** 0, {"exponent": 0})
case("binary", "lt_int_scalar_float", "lt_scalar", [In(ints(-3, 3, 2, 4, dtype=I32))], lambda a: a < 0.5, {"other": 0.5})
case("binary", "eq_nan", "eq", [In(nanx), In(nanx)], lambda a, b: a == b)
case("binary", "ne_nan", "ne", [In(nanx), In(nanx)], lambda a, b: a != b)
case("unary", "sqrt_zero", "sqrt", [In(torch.tensor([0.0, 4.0, 1.0]))], torch.sqrt)
case("unary", "sqrt_negative", "sqrt", [In(torch.tensor([-1.0, 4.0]), grad=False)], torch.sqrt)
case("unary", "log_zero_negative", "log", [In(torch.tensor([0.0, -1.0, 1.0]), grad=False)], torch.log)
case("unary", "exp_overflow", "exp", [In(torch.tensor([100.0, -100.0, 88.0]), grad=False)], torch.exp)
case("unary", "relu_nan", "relu", [In(torch.tensor([NAN, -1.0, 2.0]), grad=False)], torch.relu)
case("unary", "sigmoid_inf", "sigmoid", [In(torch.tensor([INF, -INF, 0.0]), grad=False)], torch.sigmoid)
case("unary", "tanh_inf", "tanh", [In(torch.tensor([INF, -INF, 0.0]), grad=False)], torch.tanh)
case("unary", "abs_inf_nan", "abs", [In(torch.tensor([-INF, NAN, -0.0]), grad=False)], torch.abs)
case("unary", "clamp_nan", "clamp", [In(torch.tensor([NAN, -3.0, 3.0]), grad=False)], lambda a: torch.clamp(a, -1.0, 1.0), {"min": -1.0, "max": 1.0})
case("unary", "clamp_inf", "clamp", [In(torch.tensor([INF, -INF, 0.3]))], lambda a: torch.clamp(a, -1.0, 1.0), {"min": -1.0, "max": 1.0})
case("unary", "round_halves", "round", [In(torch.tensor([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 3.5, 1e7 + 0.5]))], torch.round)

case("reduce", "max_all_nan", "max_all", [In(nanx, grad=False)], lambda x: x.max())
case("reduce", "max_dim_nan", "max_dim", [In(nanx, grad=False)], lambda x: x.max(1), {"dim": 1, "keepdim": False})
case("reduce", "min_dim_nan", "min_dim", [In(nanx, grad=False)], lambda x: x.min(0), {"dim": 0, "keepdim": False})
case("reduce", "amax_nan", "amax", [In(nanx, grad=False)], lambda x: torch.amax(x, 1), {"dim": 1, "keepdim": False})
case("reduce", "argmax_nan", "argmax", [In(nanx)], lambda x: torch.argmax(x, 1), {"dim": 1, "keepdim": False})
case("reduce", "argmin_nan", "argmin", [In(nanx)], lambda x: torch.argmin(x, 1), {"dim": 1, "keepdim": False})
case("reduce", "sum_nan", "sum", [In(nanx, grad=False)], lambda x: x.sum(1), {"dim": 1, "keepdim": False})
case("reduce", "max_all_inf", "max_all", [In(torch.tensor([[-INF, -INF], [-INF, -INF]]))], lambda x: x.max())
case("reduce", "mean_empty_dim", "mean", [In(rn(0, 3))], lambda x: x.mean(0), {"dim": 0, "keepdim": False})
case("reduce", "prod_empty_dim", "prod", [In(rn(0, 3))], lambda x: x.prod(0), {"dim": 0, "keepdim": False})
case("reduce", "logsumexp_all_neg_inf", "logsumexp", [In(torch.tensor([[-INF, -INF], [0.0, -INF]]), grad=False)], lambda x: torch.logsumexp(x, 1), {"dim": 1, "keepdim": False})
case("reduce", "logsumexp_pos_inf", "logsumexp", [In(torch.tensor([[INF, 1.0], [0.0, -INF]]), grad=False)], lambda x: torch.logsumexp(x, 1), {"dim": 1, "keepdim": False})
case("reduce", "softmax_masked_neg_inf", "softmax", [In(torch.tensor([[-INF, 0.0, 1.0], [2.0, -INF, -INF]]))], lambda x: torch.softmax(x, 1), {"dim": 1})
case("reduce", "logSoftmax_masked_neg_inf", "logSoftmax", [In(torch.tensor([[-INF, 0.0, 1.0], [2.0, -INF, -INF]]))], lambda x: torch.log_softmax(x, 1), {"dim": 1})
case("reduce", "softmax_empty", "softmax", [In(rn(0, 3))], lambda x: torch.softmax(x, 1), {"dim": 1})
for c, n in [(2, 1), (3, 3), (4, 3), (2, 2)]:
    for op in ["var", "std"]:
        case("reduce", f"{op}_n{n}_c{c}", op, [In(torch.tensor([[1.0, 2.0, 4.0][:n]]))], lambda x, op=op, c=c: getattr(x, op)(1, correction=c), {"dim": 1, "correction": c})
case("reduce", "std_constant", "std", [In(torch.tensor([[1.5, 1.5, 1.5], [1.0, 2.0, 3.0]]))], lambda x: x.std(1), {"dim": 1})
case("reduce", "var_large_offset", "var", [In(rn(50) * 0.01 + 1000.0)], lambda x: x.var(), {})
case("reduce", "var_empty", "var", [In(rn(0, 3))], lambda x: x.var(0), {"dim": 0})

# reductions of a permuted (non-contiguous) 3-D input
P = lambda: In(rn(4, 2, 3), [V("permute", [1, 2, 0])])  # noqa: E731  -> shape (2, 3, 4)
for d in [0, 1, -1]:
    case("reduce", f"perm_sum_{d}", "sum", [P()], lambda x, d=d: x.sum(d), {"dim": d})
    case("reduce", f"perm_mean_{d}_kd", "mean", [P()], lambda x, d=d: x.mean(d, keepdim=True), {"dim": d, "keepdim": True})
    case("reduce", f"perm_var_{d}", "var", [P()], lambda x, d=d: x.var(d), {"dim": d})
    case("reduce", f"perm_prod_{d}", "prod", [P()], lambda x, d=d: x.prod(d), {"dim": d})
    case("reduce", f"perm_max_{d}", "max_dim", [P()], lambda x, d=d: x.max(d), {"dim": d, "keepdim": False})
    case("reduce", f"perm_amin_{d}", "amin", [P()], lambda x, d=d: torch.amin(x, d), {"dim": d, "keepdim": False})
    case("reduce", f"perm_argmin_{d}", "argmin", [P()], lambda x, d=d: torch.argmin(x, d), {"dim": d, "keepdim": False})
    case("reduce", f"perm_logsumexp_{d}", "logsumexp", [P()], lambda x, d=d: torch.logsumexp(x, d), {"dim": d, "keepdim": False})
    case("reduce", f"perm_softmax_{d}", "softmax", [P()], lambda x, d=d: torch.softmax(x, d), {"dim": d})
    case("reduce", f"perm_logSoftmax_{d}", "logSoftmax", [P()], lambda x, d=d: torch.log_softmax(x, d), {"dim": d})
    case("reduce", f"perm_norm3_{d}", "norm", [P()], lambda x, d=d: torch.norm(x, 3, d), {"p": 3, "dim": d, "keepdim": False})
case("reduce", "perm_sum_multi", "sum", [P()], lambda x: x.sum([0, 2]), {"dim": [0, 2]})
case("reduce", "sliced_sum_all", "sum", [In(rn(3, 8), [V("slice", 1, 1, 8, 3)])], lambda x: x.sum(), {})
case("reduce", "expanded_softmax", "softmax", [In(rn(1, 4), [V("expand", [3, 4])])], lambda x: torch.softmax(x, 0), {"dim": 0})
case("reduce", "expanded_max_dim", "max_dim", [In(rn(1, 4), [V("expand", [3, 4])])], lambda x: x.max(0), {"dim": 0, "keepdim": False})

# more linear algebra layouts
for tag, sa, sb, va, vb in [("1d_4d", (5,), (2, 3, 5, 4), (), ()), ("4d_1d", (2, 3, 4, 5), (5,), (), ()),
                            ("bcast_1_vs_n", (1, 3, 4), (5, 4, 2), (), ()), ("row_vec", (1, 4), (4, 3), (), ()),
                            ("col_out", (3, 4), (4, 1), (), ()), ("sliced_rows", (6, 4), (4, 3), (V("slice", 0, 0, 6, 2),), ()),
                            ("selected_batch", (2, 3, 4), (4, 2), (V("select", 0, 1),), ()),
                            ("expanded_1d", (1,), (3, 4), (V("expand", [3]),), ())]:
    case("linalg", f"matmul_{tag}", "matmul", [In(rn(*sa), va), In(rn(*sb), vb)], torch.matmul)

# more shape edge cases
case("shape", "repeat_zero", "repeat", [In(rn(2, 3))], lambda x: x.repeat(0, 2), {"repeats": [0, 2]})
case("shape", "expand_to_empty", "expand", [In(rn(1, 3))], lambda x: x.expand(0, 3), {"shape": [0, 3]})
case("shape", "squeeze_0d", "squeeze", [In(rn())], lambda x: x.squeeze(), {})
case("shape", "squeeze_neg_dim_0d", "squeeze", [In(rn())], lambda x: x.squeeze(0), {"dim": 0})
case("shape", "unbind_view", "unbind", [In(rn(3, 2), [TR])], lambda x: x.unbind(1), {"dim": 1})
case("shape", "chunk_view", "chunk", [In(rn(6, 2), [TR])], lambda x: x.chunk(3, 1), {"chunks": 3, "dim": 1})
case("shape", "flip_no_dims", "flip", [In(rn(2, 3))], lambda x: x.flip([]), {"dims": []})
case("shape", "flip_0d", "flip", [In(rn())], lambda x: x.flip([0]), {"dims": [0]})
case("shape", "reshape_view_of_slice", "reshape", [In(rn(4, 6), [V("slice", 1, 0, 6, 2)])], lambda x: x.reshape(-1), {"shape": [-1]})
case("shape", "view_of_narrow", "view", [In(rn(4, 6), [V("narrow", 0, 1, 2)])], lambda x: x.view(3, 4), {"shape": [3, 4]})
case("shape", "cat_3_views", "cat", [In(rn(3, 2), [TR]), In(rn(2, 5), [V("narrow", 1, 1, 3)]), In(rn(2), [V("unsqueeze", 1)])], lambda *xs: torch.cat(xs, 1), {"dim": 1})
case("shape", "stack_int", "stack", [In(ints(0, 5, 3, dtype=I32)), In(ints(0, 5, 3, dtype=I32))], lambda *xs: torch.stack(xs, 1), {"dim": 1})
case("indexing", "gather_neg_dim_view", "gather", [In(rn(3, 5), [V("slice", 1, 0, 5, 2)]), In(idx(3, 3, 2))], lambda x, i: x.gather(-1, L(i)), {"dim": -1})
case("indexing", "indexSelect_neg_dim", "indexSelect", [In(rn(2, 3, 4)), In(idx(3, 4))], lambda x, i: x.index_select(-2, L(i)), {"dim": -2})
case("indexing", "indexAdd_dup", "indexAdd", [In(rn(3, 2)), In(torch.tensor([0, 0, 2, 0], dtype=I32)), In(rn(4, 2))], lambda x, i, s: x.index_add(0, L(i), s), {"dim": 0})
case("indexing", "scatterAdd_dup", "scatterAdd", [In(rn(2, 3)), In(torch.tensor([[0, 0, 0], [0, 0, 0]], dtype=I32)), In(rn(2, 3))], lambda x, i, s: x.scatter_add(0, L(i), s), {"dim": 0})
case("indexing", "oneHot_2d_neg1", "oneHot", [In(torch.tensor([[0, 3], [1, 1]], dtype=I32))], lambda i: torch.nn.functional.one_hot(L(i)), {"numClasses": -1})

# dtype rules of scalars, 0-d tensors and mixed operands
ix = ints(-3, 4, 2, 3, dtype=I32)
case("select", "maskedFill_int_float_value", "maskedFill", [In(ix), In(idx(2, 2, 3))], lambda x, m: x.masked_fill(m.bool(), 2.7), {"value": 2.7})
case("select", "maskedFill_0d_mask", "maskedFill", [In(rn(2, 3)), In(torch.tensor(1, dtype=I32))], lambda x, m: x.masked_fill(m.bool(), 0.5), {"value": 0.5})
case("select", "where_int_scalar_float", "where_scalar", [In(idx(2, 2, 3)), In(ix)], lambda c, a: torch.where(c.bool(), a, 0.5), {"other": 0.5})
case("select", "where_int_scalar_int", "where_scalar", [In(idx(2, 2, 3)), In(ix)], lambda c, a: torch.where(c.bool(), a, 2), {"other": 2})
case("select", "where_0d_cond", "where", [In(torch.tensor(0, dtype=I32)), In(rn(2, 3)), In(rn(3))], where_fn)
case("select", "where_int_int", "where", [In(idx(2, 2, 3)), In(ix), In(ints(0, 9, 3, dtype=I32))], where_fn)
case("unary", "clamp_int_float_bound", "clamp", [In(ix)], lambda a: torch.clamp(a, min=0.5), {"min": 0.5})
case("binary", "pow_int_int_tensor", "pow", [In(ints(-3, 4, 2, 3, dtype=I32)), In(ints(0, 3, 2, 3, dtype=I32))], lambda a, b: a ** b)
case("binary", "pow_float_int_tensor", "pow", [In(rn(2, 3)), In(ints(0, 4, 2, 3, dtype=I32))], lambda a, b: a ** b)
case("binary", "add_int_float0d", "add", [In(ix), In(rn())], lambda a, b: a + b)
case("binary", "mul_float_int0d", "mul", [In(rn(2, 3)), In(torch.tensor(3, dtype=I32))], lambda a, b: a * b)
case("binary", "rsub_tensor", "rsub", [In(rn(2, 3)), In(rn(3))], lambda a, b: torch.rsub(a, b))
case("binary", "radd_scalar", "radd_scalar", [In(rn(2, 3))], lambda a: 1.5 + a, {"other": 1.5})
case("binary", "rmul_scalar", "rmul_scalar", [In(rn(2, 3))], lambda a: -2.0 * a, {"other": -2.0})
case("reduce", "sum_dim_empty_list", "sum", [In(rn(2, 3))], lambda x: x.sum(dim=[]), {"dim": []})
for p, jp in [(0, 0), (0.5, 0.5), (-float("inf"), "-Infinity"), (4, 4)]:
    case("reduce", f"norm_p{p}_dim1", "norm", [In(torch.tensor([[1.0, -2.0, 0.0, 0.5], [0.0, 3.0, -1.0, 2.0]]), grad=(p != 0.5 and p != 0))], lambda x, p=p: torch.norm(x, p, 1), {"p": jp, "dim": 1, "keepdim": False})
case("reduce", "norm_p0.5_nonzero", "norm", [In(pos(2, 4))], lambda x: torch.norm(x, 0.5, 1), {"p": 0.5, "dim": 1, "keepdim": False})
case("linalg", "matmul_1d_empty", "matmul", [In(rn(0)), In(rn(0))], torch.matmul)

# index tensors that are themselves non-contiguous views
case("indexing", "gather_index_transposed", "gather", [In(rn(3, 4)), In(idx(3, 5, 3), [TR])], lambda x, i: x.gather(1, L(i)), {"dim": 1})
case("indexing", "gather_index_sliced", "gather", [In(rn(4, 3)), In(idx(4, 6, 3), [V("slice", 0, 0, 6, 2)])], lambda x, i: x.gather(0, L(i)), {"dim": 0})
case("indexing", "gather_index_expanded", "gather", [In(rn(3, 4)), In(idx(4, 1, 2), [V("expand", [3, 2])])], lambda x, i: x.gather(1, L(i)), {"dim": 1})
case("indexing", "indexSelect_index_sliced", "indexSelect", [In(rn(5, 2)), In(idx(5, 8), [V("slice", 0, 1, 8, 2)])], lambda x, i: x.index_select(0, L(i)), {"dim": 0})
case("indexing", "indexSelect_index_0d", "indexSelect", [In(rn(5, 2)), In(torch.tensor(3, dtype=I32))], lambda x, i: x.index_select(0, L(i)), {"dim": 0})
case("indexing", "scatterAdd_index_transposed", "scatterAdd", [In(rn(3, 4)), In(idx(3, 4, 3), [TR]), In(rn(3, 4))], lambda x, i, s: x.scatter_add(0, L(i), s), {"dim": 0})
case("indexing", "indexAdd_index_sliced", "indexAdd", [In(rn(4, 3)), In(idx(4, 10), [V("slice", 0, 0, 10, 2)]), In(rn(5, 3))], lambda x, i, s: x.index_add(0, L(i), s), {"dim": 0})
case("indexing", "oneHot_index_transposed", "oneHot", [In(idx(4, 3, 2), [TR])], lambda i: torch.nn.functional.one_hot(L(i), 4), {"numClasses": 4})
case("select", "where_cond_expanded", "where", [In(idx(2, 1, 4), [V("expand", [3, 4])]), In(rn(3, 4)), In(rn(3, 4))], where_fn)
case("select", "maskedFill_mask_transposed", "maskedFill", [In(rn(3, 4)), In(idx(2, 4, 3), [TR])], lambda x, m: x.masked_fill(m.bool(), 9.0), {"value": 9.0})
case("binary", "add_int_views", "add", [In(ints(0, 9, 4, 3, dtype=I32), [TR]), In(ints(0, 9, 3, 8, dtype=I32), [V("slice", 1, 0, 8, 2)])], lambda a, b: a + b)
case("reduce", "sum_int_view", "sum", [In(ints(0, 9, 4, 3, dtype=I32), [TR])], lambda x: x.sum(0), {"dim": 0})
case("reduce", "argmax_int_view", "argmax", [In(ints(0, 9, 4, 3, dtype=I32), [TR])], lambda x: x.argmax(1), {"dim": 1})

# matmul over many operand layouts: transposed, strided, broadcast (stride-0) rows and columns
MMV = {
    "plain": lambda r, c: (In(rn(r, c)),),
    "T": lambda r, c: (In(rn(c, r), [TR]),),
    "rowstep": lambda r, c: (In(rn(2 * r, c), [V("slice", 0, 0, 2 * r, 2)]),),
    "colstep": lambda r, c: (In(rn(r, 2 * c), [V("slice", 1, 1, 2 * c, 2)]),),
    "bcastrow": lambda r, c: (In(rn(1, c), [V("expand", [r, c])]),),
    "bcastcol": lambda r, c: (In(rn(r, 1), [V("expand", [r, c])]),),
    "narrow": lambda r, c: (In(rn(r + 2, c + 1), [V("narrow", 0, 1, r), V("narrow", 1, 1, c)]),),
}
for la, fa in MMV.items():
    for lb, fb in MMV.items():
        case("linalg", f"matmul_layout_{la}_{lb}", "matmul", [fa(3, 5)[0], fb(5, 4)[0]], torch.matmul)
for la, fa in [("bT", lambda: In(rn(2, 5, 3), [V("transpose", 1, 2)])), ("bperm", lambda: In(rn(3, 2, 5), [V("permute", [1, 0, 2])])),
               ("bexp", lambda: In(rn(1, 3, 5), [V("expand", [2, 3, 5])])), ("bstep", lambda: In(rn(4, 3, 5), [V("slice", 0, 0, 4, 2)]))]:
    for lb, fb in [("plain", lambda: In(rn(2, 5, 4))), ("bT", lambda: In(rn(2, 4, 5), [V("transpose", 1, 2)])), ("2d", lambda: In(rn(5, 4))), ("2dT", lambda: In(rn(4, 5), [TR]))]:
        case("linalg", f"matmul_batch_{la}_{lb}", "matmul", [fa(), fb()], torch.matmul)

# reductions over non-empty dims of tensors with an empty dim, and over empty dims where allowed
EMPTY = lambda: In(rn(0, 3))  # noqa: E731
case("reduce", "empty_amax_other_dim", "amax", [EMPTY()], lambda x: torch.amax(x, 1), {"dim": 1, "keepdim": False})
case("reduce", "empty_amin_other_dim_kd", "amin", [EMPTY()], lambda x: torch.amin(x, 1, keepdim=True), {"dim": 1, "keepdim": True})
case("reduce", "empty_max_dim_other", "max_dim", [EMPTY()], lambda x: x.max(1), {"dim": 1, "keepdim": False})
case("reduce", "empty_min_dim_other", "min_dim", [EMPTY()], lambda x: x.min(-1), {"dim": -1, "keepdim": False})
case("reduce", "empty_argmax_other_dim", "argmax", [EMPTY()], lambda x: x.argmax(1), {"dim": 1, "keepdim": False})
case("reduce", "empty_logsumexp", "logsumexp", [EMPTY()], lambda x: torch.logsumexp(x, 0), {"dim": 0, "keepdim": False})
case("reduce", "empty_logsumexp_other", "logsumexp", [EMPTY()], lambda x: torch.logsumexp(x, 1), {"dim": 1, "keepdim": False})
case("reduce", "empty_norm", "norm", [EMPTY()], lambda x: torch.norm(x, 2, 0), {"p": 2, "dim": 0, "keepdim": False})
case("reduce", "empty_norm_all", "norm", [EMPTY()], lambda x: x.norm(), {})
case("reduce", "empty_softmax_dim0", "softmax", [EMPTY()], lambda x: torch.softmax(x, 0), {"dim": 0})
case("reduce", "empty_logSoftmax", "logSoftmax", [EMPTY()], lambda x: torch.log_softmax(x, 1), {"dim": 1})
case("reduce", "empty_std_other", "std", [EMPTY()], lambda x: x.std(1), {"dim": 1})
case("reduce", "empty_mean_all", "mean", [EMPTY()], lambda x: x.mean(), {})
case("reduce", "empty_sum_multi", "sum", [In(rn(2, 0, 3))], lambda x: x.sum([0, 1]), {"dim": [0, 1]})
case("indexing", "empty_gather", "gather", [In(rn(3, 4)), In(idx(4, 3, 0))], lambda x, i: x.gather(1, L(i)), {"dim": 1})
case("indexing", "empty_scatterAdd", "scatterAdd", [In(rn(3, 4)), In(idx(3, 0, 4)), In(rn(0, 4))], lambda x, i, s: x.scatter_add(0, L(i), s), {"dim": 0})
case("indexing", "empty_indexAdd", "indexAdd", [In(rn(3, 4)), In(torch.tensor([], dtype=I32)), In(rn(0, 4))], lambda x, i, s: x.index_add(0, L(i), s), {"dim": 0})
case("linalg", "empty_batch", "matmul", [In(rn(0, 2, 3)), In(rn(3, 4))], torch.matmul)
case("shape", "empty_stack", "stack", [In(rn(0, 2)), In(rn(0, 2))], lambda *xs: torch.stack(xs, 1), {"dim": 1})
case("shape", "empty_flip", "flip", [In(rn(0, 2))], lambda x: x.flip(0), {"dims": [0]})
case("shape", "empty_split", "split", [In(rn(0, 2))], lambda x: x.split(2, 0), {"size": 2, "dim": 0})
case("shape", "empty_transpose", "transpose", [In(rn(0, 2))], lambda x: x.transpose(0, 1), {"dim0": 0, "dim1": 1})

# ---------------------------------------------------------------------------------------------
# seeded random sweep: broadcast shapes, dims and layouts drawn at random (rank 0 to 4)
# ---------------------------------------------------------------------------------------------
RNG = random.Random(7)


def rand_shape(rank):
    return [RNG.choice([1, 2, 3, 4]) for _ in range(rank)]


def rand_input(shape, gen=rn):
    """The shape through a random layout: plain, transposed (permuted) or with a strided last dim."""
    kind = RNG.choice(["plain", "perm", "step"]) if len(shape) >= 2 else RNG.choice(["plain", "step"]) if shape else "plain"
    if kind == "perm":
        perm = list(range(len(shape)))
        RNG.shuffle(perm)
        inv = [perm.index(i) for i in range(len(shape))]
        return In(gen(*[shape[p] for p in perm]), [V("permute", inv)])
    if kind == "step":
        return In(gen(*(shape[:-1] + [shape[-1] * 2])), [V("slice", len(shape) - 1, 0, shape[-1] * 2, 2)])
    return In(gen(*shape))


def bcast_partner(shape):
    """A shape broadcastable with `shape`: some dims set to 1, some leading dims dropped or added."""
    out = [1 if RNG.random() < 0.35 else s for s in shape]
    drop = RNG.randint(0, len(out))
    out = out[drop:]
    if RNG.random() < 0.25 and len(shape) < 4:
        out = [RNG.choice([2, 3])] + ([1] * (len(shape) - len(out))) + out
    return out


BIN_FNS = {"add": lambda a, b: a + b, "sub": lambda a, b: a - b, "mul": lambda a, b: a * b, "maximum": torch.maximum, "minimum": torch.minimum,
           "div": lambda a, b: a / b, "pow": lambda a, b: a ** b}
for n in range(60):
    op = RNG.choice(sorted(BIN_FNS))
    sa = rand_shape(RNG.randint(0, 4))
    sb = bcast_partner(sa)
    if RNG.random() < 0.5:
        sa, sb = sb, sa
    ga = pos if op == "pow" else rn
    gb = (lambda *s: pos(*s) * torch.where(rn(*s) > 0, 1.0, -1.0)) if op == "div" else (lambda *s: uni(*s, lo=-2, hi=2)) if op == "pow" else rn
    case("sweep", f"{op}_{n}_{dims_name(sa)}_x_{dims_name(sb)}", op, [rand_input(sa, ga), rand_input(sb, gb)], BIN_FNS[op])
RED = ["sum", "mean", "amax", "amin", "logsumexp", "var", "std", "norm"]
for n in range(60):
    op = RNG.choice(RED)
    shape = rand_shape(RNG.randint(1, 4))
    nd = RNG.randint(1, len(shape))
    dims = sorted(RNG.sample(range(len(shape)), nd))
    dims = [d - len(shape) if RNG.random() < 0.3 else d for d in dims]
    kd = RNG.random() < 0.5
    d = dims[0] if len(dims) == 1 and RNG.random() < 0.5 else dims
    args = {"dim": d, "keepdim": kd}
    if op in ("var", "std"):
        args["correction"] = 0 if any(shape[x] == 1 for x in dims) else RNG.choice([0, 1])
        fn = lambda x, op=op, d=d, kd=kd, c=args["correction"]: getattr(torch, op)(x, dim=d, correction=c, keepdim=kd)
    elif op == "norm":
        args["p"] = RNG.choice([1, 2, 3])
        fn = lambda x, d=d, kd=kd, p=args["p"]: torch.norm(x, p, d, keepdim=kd)
    else:
        fn = lambda x, op=op, d=d, kd=kd: getattr(torch, op)(x, d, keepdim=kd)
    case("sweep", f"{op}_{n}_{dims_name(shape)}_d{dims_name(d)}_kd{int(kd)}", op, [rand_input(shape)], fn, args)
for n in range(30):
    shape = rand_shape(RNG.randint(1, 4))
    d = RNG.randrange(-len(shape), len(shape))
    op = RNG.choice(["softmax", "logSoftmax", "max_dim", "min_dim", "argmax", "prod", "flip"])
    if op == "flip":
        case("sweep", f"flip_{n}_{dims_name(shape)}_d{d}", "flip", [rand_input(shape)], lambda x, d=d: x.flip([d]), {"dims": [d]})
    elif op in ("softmax", "logSoftmax"):
        tfn = torch.softmax if op == "softmax" else torch.log_softmax
        case("sweep", f"{op}_{n}_{dims_name(shape)}_d{d}", op, [rand_input(shape)], lambda x, d=d, tfn=tfn: tfn(x, d), {"dim": d})
    elif op == "argmax":
        case("sweep", f"argmax_{n}_{dims_name(shape)}_d{d}", op, [rand_input(shape)], lambda x, d=d: x.argmax(d), {"dim": d})
    elif op == "prod":
        case("sweep", f"prod_{n}_{dims_name(shape)}_d{d}", op, [rand_input(shape, lambda *s: uni(*s, lo=0.5, hi=1.5))], lambda x, d=d: x.prod(d), {"dim": d})
    else:
        kd = RNG.random() < 0.5
        case("sweep", f"{op}_{n}_{dims_name(shape)}_d{d}_kd{int(kd)}", op, [rand_input(shape)], lambda x, op=op, d=d, kd=kd: getattr(x, op[:3])(d, keepdim=kd), {"dim": d, "keepdim": kd})

# more int32 inputs: which ops keep int32 and which promote to float32
xi = ints(-4, 5, 2, 3, dtype=I32)
for op in ["rsqrt", "reciprocal", "expm1", "log1p"]:
    case("unary", f"{op}_int", op, [In(ints(1, 6, 2, 3, dtype=I32))], getattr(torch, op))
for op in ["floor", "ceil", "round"]:
    case("unary", f"{op}_int", op, [In(xi)], getattr(torch, op))
case("unary", "clamp_int_float_both", "clamp", [In(xi)], lambda a: torch.clamp(a, 0.5, 2.5), {"min": 0.5, "max": 2.5})
case("binary", "pow_int_float0d", "pow", [In(ints(0, 5, 2, 3, dtype=I32)), In(torch.tensor(0.5))], lambda a, b: a ** b)
case("binary", "maximum_int_float0d", "maximum", [In(xi), In(torch.tensor(1.5))], torch.maximum)
case("select", "where_int_float0d", "where", [In(idx(2, 2, 3)), In(xi), In(torch.tensor(0.5))], where_fn)
case("reduce", "logsumexp_int", "logsumexp", [In(xi)], lambda x: torch.logsumexp(x, 1), {"dim": 1, "keepdim": False})
case("reduce", "amax_int", "amax", [In(xi)], lambda x: torch.amax(x, 1), {"dim": 1, "keepdim": False})
case("reduce", "amin_int_all", "amin", [In(xi)], lambda x: torch.amin(x, [0, 1]), {"dim": [0, 1], "keepdim": False})
case("indexing", "scatterAdd_int", "scatterAdd", [In(xi), In(idx(2, 2, 3)), In(ints(0, 5, 2, 3, dtype=I32))], lambda x, i, s: x.scatter_add(0, L(i), s), {"dim": 0})
case("indexing", "indexAdd_int", "indexAdd", [In(xi), In(idx(3, 4)), In(ints(0, 5, 2, 4, dtype=I32))], lambda x, i, s: x.index_add(1, L(i), s), {"dim": 1})
case("shape", "repeat_int", "repeat", [In(xi)], lambda x: x.repeat(2, 1), {"repeats": [2, 1]})
case("shape", "chunk_int", "chunk", [In(xi)], lambda x: x.chunk(2, 1), {"chunks": 2, "dim": 1})
error_case("norm_int", "norm", [In(xi)], lambda x: x.norm(), {})

# every dim reduced with keepdim (dim omitted)
for op in ["var", "std"]:
    case("reduce", f"{op}_all_kd1", op, [In(X3())], lambda x, op=op: getattr(torch, op)(x, dim=None, correction=1, keepdim=True), {"keepdim": True})
case("reduce", "norm_all_kd1", "norm", [In(X3())], lambda x: torch.norm(x, 2, [0, 1, 2], keepdim=True), {"p": 2, "keepdim": True})
case("reduce", "logsumexp_all_dims_list", "logsumexp", [In(X3())], lambda x: torch.logsumexp(x, [0, 1, 2], keepdim=True), {"dim": [0, 1, 2], "keepdim": True})
case("indexing", "indexSelect_0d_input", "indexSelect", [In(rn()), In(torch.tensor([0], dtype=I32))], lambda x, i: x.index_select(0, L(i)), {"dim": 0})
case("indexing", "gather_0d", "gather", [In(rn()), In(torch.tensor(0, dtype=I32))], lambda x, i: x.gather(0, L(i)), {"dim": 0})

def rand_chain(rank):
    """A random base tensor and a chain of 1-3 view ops on it (strides, offsets, zero strides)."""
    base = rand_shape(rank)
    shape, views = list(base), []
    for _ in range(RNG.randint(1, 3)):
        kind = RNG.choice(["transpose", "permute", "slice", "narrow", "unsqueeze_expand", "select"])
        nd = len(shape)
        if kind == "transpose" and nd >= 2:
            a, b = RNG.sample(range(nd), 2)
            views.append(V("transpose", a, b))
            shape[a], shape[b] = shape[b], shape[a]
        elif kind == "permute" and nd >= 2:
            perm = list(range(nd))
            RNG.shuffle(perm)
            views.append(V("permute", perm))
            shape = [shape[p] for p in perm]
        elif kind == "slice" and nd >= 1:
            d = RNG.randrange(nd)
            step = RNG.choice([1, 2])
            start = RNG.randrange(shape[d])
            views.append(V("slice", d, start, shape[d], step))
            shape[d] = len(range(start, shape[d], step))
        elif kind == "narrow" and nd >= 1:
            d = RNG.randrange(nd)
            length = RNG.randint(1, shape[d])
            start = RNG.randint(0, shape[d] - length)
            views.append(V("narrow", d, start, length))
            shape[d] = length
        elif kind == "unsqueeze_expand" and nd < 4:
            d = RNG.randint(0, nd)
            views.append(V("unsqueeze", d))
            shape.insert(d, 1)
            target = list(shape)
            target[d] = RNG.choice([2, 3])
            views.append(V("expand", list(target)))
            shape = target
        elif kind == "select" and nd >= 2:
            d = RNG.randrange(nd)
            views.append(V("select", d, RNG.randrange(shape[d])))
            shape.pop(d)
    return base, views, shape


CHAIN_OPS = ["exp", "tanh", "sum", "mean", "softmax", "amax", "mul", "matmul", "var", "logsumexp", "max_dim", "flip", "reshape", "cat"]
for n in range(80):
    base, views, shape = rand_chain(RNG.randint(2, 4))
    op = RNG.choice(CHAIN_OPS)
    x = In(rn(*base), views)
    tag = f"chain_{op}_{n}_{dims_name(base)}_to_{dims_name(shape)}"
    d = RNG.randrange(-len(shape), len(shape)) if shape else 0
    if op in ("exp", "tanh"):
        case("sweep", tag, op, [x], getattr(torch, op))
    elif op in ("sum", "mean", "amax", "logsumexp"):
        kd = RNG.random() < 0.5
        case("sweep", tag, op, [x], lambda t, op=op, d=d, kd=kd: getattr(torch, op)(t, d, keepdim=kd), {"dim": d, "keepdim": kd})
    elif op == "var":
        case("sweep", tag, op, [x], lambda t, d=d: t.var(d, correction=0), {"dim": d, "correction": 0})
    elif op == "softmax":
        case("sweep", tag, op, [x], lambda t, d=d: torch.softmax(t, d), {"dim": d})
    elif op == "max_dim":
        case("sweep", tag, op, [x], lambda t, d=d: t.max(d), {"dim": d, "keepdim": False})
    elif op == "flip":
        case("sweep", tag, op, [x], lambda t, d=d: t.flip([d]), {"dims": [d]})
    elif op == "reshape":
        case("sweep", tag, op, [x], lambda t: t.reshape(-1), {"shape": [-1]})
    elif op == "mul":
        other = In(rn(*bcast_partner(shape)))
        case("sweep", tag, op, [x, other], lambda a, b: a * b)
    elif op == "cat":
        case("sweep", tag, op, [x, In(rn(*shape))], lambda a, b, d=d: torch.cat([a, b], d), {"dim": d})
    elif op == "matmul":
        k = shape[-1]
        case("sweep", tag, op, [x, In(rn(k, 3))], torch.matmul)

# ---------------------------------------------------------------------------------------------
# composites: small models built from the ops above (fan-out, shared weights, multi-output)
# ---------------------------------------------------------------------------------------------
def lstm_cell(x, h, c, w_ih, w_hh, b):
    gates = x @ w_ih.t() + h @ w_hh.t() + b
    i, f, g, o = gates.chunk(4, 1)
    c2 = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
    return torch.sigmoid(o) * torch.tanh(c2), c2


def gru_cell(x, h, w_ih, w_hh, b_ih, b_hh):
    ir, iz, inn = (x @ w_ih.t() + b_ih).chunk(3, 1)
    hr, hz, hn = (h @ w_hh.t() + b_hh).chunk(3, 1)
    r = torch.sigmoid(ir + hr)
    z = torch.sigmoid(iz + hz)
    n = torch.tanh(inn + r * hn)
    return (1 - z) * n + z * h


def cross_entropy(logits, target):
    return logits.log_softmax(1).gather(1, target.long().unsqueeze(1)).neg().mean()


def layer_norm(x, w, b):
    mu = x.mean(-1, keepdim=True)
    var = x.var(-1, keepdim=True, correction=0)
    return (x - mu) / torch.sqrt(var + 1e-5) * w + b


def attention(q, k, v, mask):
    scores = q @ k.transpose(-1, -2) / 2.0
    return scores.masked_fill(mask.bool(), -1e9).softmax(-1) @ v


def rnn_unrolled(x, w_ih, w_hh, b):
    h = torch.zeros(x.shape[1], w_hh.shape[0])
    outs = []
    for xt in x.unbind(0):
        h = torch.tanh(xt @ w_ih.t() + h @ w_hh.t() + b)
        outs.append(h)
    return torch.stack(outs, 0), h


def embed_bag(weight, index):
    return weight.index_select(0, index.long().flatten()).reshape(index.shape[0], index.shape[1], -1).sum(1).norm(2, 1)


def mse(pred, target):
    return (pred - target).pow(2).mean()


C = "composite"
case(C, "lstm_cell", "lstmCell", [In(rn(3, 4)), In(rn(3, 5)), In(rn(3, 5)), In(rn(20, 4) * 0.5), In(rn(20, 5) * 0.5), In(rn(20) * 0.1)], lstm_cell)
case(C, "gru_cell", "gruCell", [In(rn(3, 4)), In(rn(3, 5)), In(rn(15, 4) * 0.5), In(rn(15, 5) * 0.5), In(rn(15) * 0.1), In(rn(15) * 0.1)], gru_cell)
case(C, "cross_entropy", "crossEntropy", [In(rn(4, 5) * 2), In(idx(5, 4))], cross_entropy)
case(C, "layer_norm", "layerNorm", [In(rn(3, 6) * 2 + 1), In(rn(6)), In(rn(6))], layer_norm)
case(C, "attention", "attention", [In(rn(2, 3, 4)), In(rn(2, 5, 4)), In(rn(2, 5, 4)), In(idx(2, 3, 5))], attention)
case(C, "rnn_unrolled", "rnnUnrolled", [In(rn(5, 2, 3)), In(rn(4, 3) * 0.5), In(rn(4, 4) * 0.5), In(rn(4) * 0.1)], rnn_unrolled)
case(C, "embed_bag", "embedBag", [In(rn(6, 3)), In(idx(6, 2, 4))], embed_bag)
case(C, "mse_bcast", "mse", [In(rn(4, 3)), In(rn(3), grad=False)], mse)
case("linalg", "matmul_k512", "matmul", [In(rn(8, 512)), In(rn(512, 6))], torch.matmul)

# ---------------------------------------------------------------------------------------------
# second order: "out" holds the first-order gradients (built with create_graph) of the float
# inputs for the upstream gradient args.seed; "grads" are the gradients of those through gout.
# For a multi-output op ("max_dim", "lstmCell") the first output is differentiated.
# ---------------------------------------------------------------------------------------------
def grad2_case(name, op, inputs, fn, args=None):
    leaves = []
    for spec in inputs:
        base = spec.t.clone()
        if spec.grad:
            base.requires_grad_(True)
        leaves.append(base)
    y = fn(*leaves)
    seed = torch.randn(tuple(y.shape), generator=GEN)
    wrt = [t for t in leaves if t.requires_grad]
    firsts = torch.autograd.grad(y, wrt, seed, create_graph=True, allow_unused=True)
    firsts = [torch.zeros_like(t) if g is None else g for g, t in zip(firsts, wrt)]
    gouts = [torch.randn(tuple(g.shape), generator=GEN) if g.requires_grad else None for g in firsts]
    live = [(g, go) for g, go in zip(firsts, gouts) if go is not None]
    if live:
        torch.autograd.backward([g for g, _ in live], [go for _, go in live])
    GROUPS.setdefault("grad2", []).append({
        "name": name,
        "op": "grad2",
        "args": {**(args or {}), "of": op, "seed": enc(seed)},
        "inputs": [{"value": enc(s.t), "requiresGrad": s.grad, "view": []} for s in inputs],
        "out": [enc(g) for g in firsts],
        "gout": [None if g is None else enc(g) for g in gouts],
        "grads": [None if not s.grad else enc(t.grad if t.grad is not None else torch.zeros_like(t)) for s, t in zip(inputs, leaves)],
    })


G2 = grad2_case
for op in ["exp", "expm1", "tanh", "sigmoid", "sin", "cos", "erf", "square", "neg"]:
    G2(f"{op}", op, [In(rn(2, 3))], getattr(torch, op))
for op in ["log", "log1p", "sqrt", "rsqrt", "reciprocal"]:
    G2(f"{op}", op, [In(pos(2, 3))], getattr(torch, op))
G2("abs", "abs", [In(rn(2, 3))], torch.abs)
G2("relu", "relu", [In(rn(2, 3))], torch.relu)
for p in [3, 0.5, -1.5]:
    G2(f"pow_scalar_{p}", "pow_scalar", [In(pos(2, 3))], lambda a, p=p: a ** p, {"exponent": p})
G2("pow_tensor", "pow", [In(pos(2, 3)), In(uni(2, 3, lo=-1.5, hi=2))], lambda a, b: a ** b)
G2("mul_bcast", "mul", [In(rn(2, 3)), In(rn(3))], lambda a, b: a * b)
G2("div_bcast", "div", [In(rn(2, 3)), In(pos(3))], lambda a, b: a / b)
G2("maximum", "maximum", [In(rn(2, 3)), In(rn(2, 3))], torch.maximum)
G2("clamp", "clamp", [In(rn(2, 3))], lambda a: torch.clamp(a, -0.5, 0.5), {"min": -0.5, "max": 0.5})
G2("where", "where", [In(idx(2, 2, 3)), In(rn(2, 3)), In(rn(2, 3))], where_fn)
for op, tfn in [("softmax", torch.softmax), ("logSoftmax", torch.log_softmax)]:
    G2(f"{op}", op, [In(rn(2, 4))], lambda x, tfn=tfn: tfn(x, 1), {"dim": 1})
G2("logsumexp", "logsumexp", [In(rn(2, 4))], lambda x: torch.logsumexp(x, 1), {"dim": 1, "keepdim": False})
G2("sum", "sum", [In(rn(2, 3))], lambda x: x.sum(1), {"dim": 1})
G2("mean", "mean", [In(rn(2, 3))], lambda x: x.mean(), {})
for op in ["var", "std"]:
    G2(f"{op}", op, [In(rn(3, 4))], lambda x, op=op: getattr(x, op)(1), {"dim": 1})
G2("prod", "prod", [In(uni(2, 4, lo=0.5, hi=1.5))], lambda x: x.prod(1), {"dim": 1})
G2("prod_all_kd", "prod", [In(uni(2, 3, lo=0.5, hi=1.5) * torch.tensor([1.0, -1.0, 1.0]))], lambda x: x.prod(), {})
G2("amax", "amax", [In(rn(2, 4))], lambda x: torch.amax(x, 1), {"dim": 1, "keepdim": False})
G2("max_dim", "max_dim", [In(rn(2, 4))], lambda x: x.max(1)[0], {"dim": 1, "keepdim": False})
for p in [2, 3]:
    G2(f"norm_p{p}", "norm", [In(rn(2, 4))], lambda x, p=p: torch.norm(x, p, 1), {"p": p, "dim": 1, "keepdim": False})
G2("matmul", "matmul", [In(rn(2, 3)), In(rn(3, 4))], torch.matmul)
G2("matmul_batched", "matmul", [In(rn(2, 2, 3)), In(rn(3, 2))], torch.matmul)
G2("gather", "gather", [In(rn(3, 4)), In(idx(4, 3, 2))], lambda x, i: x.gather(1, L(i)), {"dim": 1})
G2("indexSelect", "indexSelect", [In(rn(4, 3)), In(idx(4, 5))], lambda x, i: x.index_select(0, L(i)), {"dim": 0})
G2("gru_cell", "gruCell", [In(rn(2, 3)), In(rn(2, 4)), In(rn(12, 3) * 0.5), In(rn(12, 4) * 0.5), In(rn(12) * 0.1), In(rn(12) * 0.1)], gru_cell)
G2("layer_norm", "layerNorm", [In(rn(3, 5)), In(rn(5)), In(rn(5))], layer_norm)
G2("attention", "attention", [In(rn(1, 2, 3)), In(rn(1, 4, 3)), In(rn(1, 4, 3)), In(idx(2, 2, 4))], attention)
G2("rnn_unrolled", "rnnUnrolled", [In(rn(3, 2, 2)), In(rn(3, 2) * 0.5), In(rn(3, 3) * 0.5), In(rn(3) * 0.1)], lambda *a: rnn_unrolled(*a)[0])
G2("tanh_of_permute", "tanhPermute", [In(rn(2, 3, 2))], lambda x: torch.tanh(x.permute(2, 0, 1)).flip([1]).repeat(1, 2, 1))
G2("sigmoid_of_cat", "sigmoidCatStack", [In(rn(2, 3)), In(rn(1, 3))], lambda a, b: torch.sigmoid(torch.stack([torch.cat([a, b], 0), torch.cat([b, a], 0)], 2).expand(2, 3, 3, 2).reshape(6, 6)))
G2("exp_scatter", "expScatter", [In(rn(3, 4)), In(idx(3, 2, 4)), In(rn(2, 4))], lambda x, i, s: torch.exp(x.scatter_add(0, L(i), s)).index_add(0, L(i[0, :2]), s))
G2("lstm_cell", "lstmCell", [In(rn(2, 3)), In(rn(2, 4)), In(rn(2, 4)), In(rn(16, 3) * 0.5), In(rn(16, 4) * 0.5), In(rn(16) * 0.1)], lambda *a: lstm_cell(*a)[0])
G2("cross_entropy", "crossEntropy", [In(rn(3, 4)), In(idx(4, 3))], cross_entropy)

# ---------------------------------------------------------------------------------------------
# bad input: torch raises, rnnkit must throw an Error naming the operation (never a silent NaN)
# ---------------------------------------------------------------------------------------------
E = error_case
E("add_bcast_mismatch", "add", [In(rn(3, 4)), In(rn(3))], lambda a, b: a + b)
E("mul_bcast_mismatch", "mul", [In(rn(2, 3)), In(rn(3, 2))], lambda a, b: a * b)
E("maximum_bcast_mismatch", "maximum", [In(rn(2, 3)), In(rn(4))], torch.maximum)
E("pow_bcast_mismatch", "pow", [In(pos(2, 3)), In(rn(2))], lambda a, b: a ** b)
E("where_bcast_mismatch", "where", [In(idx(2, 3)), In(rn(4)), In(rn(3))], where_fn)
case("select", "maskedFill_mask_bigger", "maskedFill", [In(rn(3)), In(idx(2, 2, 3))], lambda x, m: x.masked_fill(m.bool(), 0.5), {"value": 0.5})
E("maskedFill_mask_mismatch", "maskedFill", [In(rn(3)), In(idx(2, 2, 4))], lambda x, m: x.masked_fill(m.bool(), 0.0), {"value": 0.0})
E("matmul_inner_mismatch", "matmul", [In(rn(3, 4)), In(rn(5, 2))], torch.matmul)
E("matmul_1d_mismatch", "matmul", [In(rn(3)), In(rn(4))], torch.matmul)
E("matmul_batch_mismatch", "matmul", [In(rn(2, 3, 4)), In(rn(3, 4, 5))], torch.matmul)
E("matmul_0d", "matmul", [In(rn()), In(rn(3))], torch.matmul)
E("mm_not_2d", "mm", [In(rn(2, 3, 4)), In(rn(4, 2))], torch.mm)
E("bmm_batch_mismatch", "bmm", [In(rn(2, 3, 4)), In(rn(3, 4, 2))], torch.bmm)
E("bmm_not_3d", "bmm", [In(rn(3, 4)), In(rn(4, 2))], torch.bmm)
E("sum_dim_out_of_range", "sum", [In(rn(2, 3))], lambda x: x.sum(2), {"dim": 2})
E("sum_dim_repeated", "sum", [In(rn(2, 3))], lambda x: x.sum([1, -1]), {"dim": [1, -1]})
E("mean_int", "mean", [In(ints(0, 3, 2, 3, dtype=I32))], lambda x: x.mean(), {})
E("softmax_dim_out_of_range", "softmax", [In(rn(2, 3))], lambda x: x.softmax(-3), {"dim": -3})
E("max_dim_out_of_range", "max_dim", [In(rn(2, 3))], lambda x: x.max(3), {"dim": 3, "keepdim": False}, "max")
E("max_all_empty", "max_all", [In(rn(0, 3))], lambda x: x.max(), None, "max")
E("max_dim_empty", "max_dim", [In(rn(0, 3))], lambda x: x.max(0), {"dim": 0, "keepdim": False}, "max")
E("argmax_empty", "argmax", [In(rn(0))], lambda x: x.argmax(), {}, "argmax")
E("amax_empty", "amax", [In(rn(2, 0))], lambda x: torch.amax(x, 1), {"dim": 1, "keepdim": False}, "amax")
E("prod_dim_out_of_range", "prod", [In(rn(2, 3))], lambda x: x.prod(-3), {"dim": -3})
E("logsumexp_dim_out_of_range", "logsumexp", [In(rn(2, 3))], lambda x: x.logsumexp(2), {"dim": 2})
E("reshape_bad_size", "reshape", [In(rn(2, 3))], lambda x: x.reshape(4, 2), {"shape": [4, 2]})
E("reshape_two_infer", "reshape", [In(rn(2, 3))], lambda x: x.reshape(-1, -1), {"shape": [-1, -1]})
E("view_noncontiguous", "view", [In(rn(4, 3), [TR])], lambda x: x.view(12), {"shape": [12]})
E("transpose_dim_out_of_range", "transpose", [In(rn(2, 3))], lambda x: x.transpose(0, 2), {"dim0": 0, "dim1": 2})
E("permute_wrong_count", "permute", [In(rn(2, 3, 4))], lambda x: x.permute(1, 0), {"dims": [1, 0]})
E("permute_repeated", "permute", [In(rn(2, 3))], lambda x: x.permute(0, 0), {"dims": [0, 0]})
E("unsqueeze_out_of_range", "unsqueeze", [In(rn(2, 3))], lambda x: x.unsqueeze(4), {"dim": 4})
E("expand_bad_size", "expand", [In(rn(2, 3))], lambda x: x.expand(4, 3), {"shape": [4, 3]})
E("expand_fewer_dims", "expand", [In(rn(2, 3))], lambda x: x.expand(3), {"shape": [3]})
E("flatten_start_after_end", "flatten", [In(rn(2, 3, 4))], lambda x: x.flatten(2, 1), {"startDim": 2, "endDim": 1})
E("narrow_out_of_range", "narrow", [In(rn(2, 5))], lambda x: x.narrow(1, 3, 3), {"dim": 1, "start": 3, "length": 3})
E("select_out_of_range", "select", [In(rn(2, 5))], lambda x: x.select(0, 2), {"dim": 0, "index": 2})
E("chunk_zero", "chunk", [In(rn(4))], lambda x: x.chunk(0), {"chunks": 0, "dim": 0})
E("split_sizes_mismatch", "split", [In(rn(5, 2))], lambda x: x.split([2, 2], 0), {"size": [2, 2], "dim": 0})
E("flip_repeated_dim", "flip", [In(rn(2, 3))], lambda x: x.flip([0, 0]), {"dims": [0, 0]})
E("repeat_too_few", "repeat", [In(rn(2, 3))], lambda x: x.repeat(2), {"repeats": [2]})
E("cat_shape_mismatch", "cat", [In(rn(2, 3)), In(rn(2, 4))], lambda *xs: torch.cat(xs, 0), {"dim": 0})
E("cat_rank_mismatch", "cat", [In(rn(2, 3)), In(rn(3))], lambda *xs: torch.cat(xs, 0), {"dim": 0})
E("cat_dim_out_of_range", "cat", [In(rn(2, 3)), In(rn(2, 3))], lambda *xs: torch.cat(xs, 2), {"dim": 2})
E("cat_0d", "cat", [In(rn()), In(rn())], lambda *xs: torch.cat(xs, 0), {"dim": 0})
E("stack_shape_mismatch", "stack", [In(rn(2, 3)), In(rn(3, 2))], lambda *xs: torch.stack(xs, 0), {"dim": 0})
E("indexSelect_out_of_range", "indexSelect", [In(rn(3, 2)), In(torch.tensor([0, 3], dtype=I32))], lambda x, i: x.index_select(0, L(i)), {"dim": 0})
E("indexSelect_negative_index", "indexSelect", [In(rn(3, 2)), In(torch.tensor([-1], dtype=I32))], lambda x, i: x.index_select(0, L(i)), {"dim": 0})
E("indexSelect_2d_index", "indexSelect", [In(rn(3, 2)), In(idx(3, 2, 2))], lambda x, i: x.index_select(0, L(i)), {"dim": 0})
E("gather_out_of_range", "gather", [In(rn(3, 2)), In(torch.tensor([[0, 2]], dtype=I32))], lambda x, i: x.gather(1, L(i)), {"dim": 1})
E("gather_rank_mismatch", "gather", [In(rn(3, 2)), In(idx(2, 4))], lambda x, i: x.gather(1, L(i)), {"dim": 1})
E("gather_index_too_big", "gather", [In(rn(3, 2)), In(idx(2, 4, 2))], lambda x, i: x.gather(1, L(i)), {"dim": 1})
E("scatterAdd_out_of_range", "scatterAdd", [In(rn(3, 2)), In(torch.tensor([[3, 0]], dtype=I32)), In(rn(1, 2))], lambda x, i, s: x.scatter_add(0, L(i), s), {"dim": 0})
E("scatterAdd_src_too_small", "scatterAdd", [In(rn(3, 2)), In(idx(3, 2, 2)), In(rn(1, 2))], lambda x, i, s: x.scatter_add(0, L(i), s), {"dim": 0})
E("indexAdd_out_of_range", "indexAdd", [In(rn(3, 2)), In(torch.tensor([0, 5], dtype=I32)), In(rn(2, 2))], lambda x, i, s: x.index_add(0, L(i), s), {"dim": 0})
E("indexAdd_src_mismatch", "indexAdd", [In(rn(3, 2)), In(torch.tensor([0, 1], dtype=I32)), In(rn(3, 2))], lambda x, i, s: x.index_add(0, L(i), s), {"dim": 0})
E("oneHot_negative", "oneHot", [In(torch.tensor([0, -1], dtype=I32))], lambda i: torch.nn.functional.one_hot(L(i), 3), {"numClasses": 3})
E("oneHot_too_small", "oneHot", [In(torch.tensor([0, 3], dtype=I32))], lambda i: torch.nn.functional.one_hot(L(i), 3), {"numClasses": 3})
E("clamp_no_bounds", "clamp", [In(rn(3))], lambda x: torch.clamp(x), {})

E("pow_int_negative_exponent", "pow_scalar", [In(ints(1, 4, 3, dtype=I32))], lambda a: a ** -2, {"exponent": -2}, "pow")
E("matmul_int_float", "matmul", [In(ints(0, 3, 2, 3, dtype=I32)), In(rn(3, 2))], torch.matmul)
E("cat_empty_list", "cat", [], lambda *xs: torch.cat(xs, 0), {"dim": 0})
E("stack_empty_list", "stack", [], lambda *xs: torch.stack(xs, 0), {"dim": 0})
E("stack_dim_out_of_range", "stack", [In(rn(2, 3)), In(rn(2, 3))], lambda *xs: torch.stack(xs, 3), {"dim": 3})
E("expand_new_dim_minus1", "expand", [In(rn(3))], lambda x: x.expand(-1, 3), {"shape": [-1, 3]})
E("reshape_negative", "reshape", [In(rn(2, 3))], lambda x: x.reshape(-2, 3), {"shape": [-2, 3]})
E("view_bad_size", "view", [In(rn(2, 3))], lambda x: x.view(5), {"shape": [5]})
E("unsqueeze_0d_out_of_range", "unsqueeze", [In(rn())], lambda x: x.unsqueeze(2), {"dim": 2})
E("squeeze_out_of_range", "squeeze", [In(rn(2, 1))], lambda x: x.squeeze(2), {"dim": 2})
E("narrow_negative_length", "narrow", [In(rn(4))], lambda x: x.narrow(0, 1, -1), {"dim": 0, "start": 1, "length": -1})
E("select_0d", "select", [In(rn())], lambda x: x.select(0, 0), {"dim": 0, "index": 0})
E("select_dim_out_of_range", "select", [In(rn(2, 3))], lambda x: x.select(2, 0), {"dim": 2, "index": 0})
E("chunk_negative", "chunk", [In(rn(4))], lambda x: x.chunk(-1), {"chunks": -1, "dim": 0})
E("split_dim_out_of_range", "split", [In(rn(4))], lambda x: x.split(2, 1), {"size": 2, "dim": 1})
E("repeat_negative", "repeat", [In(rn(2))], lambda x: x.repeat(-1), {"repeats": [-1]})
E("unbind_dim_out_of_range", "unbind", [In(rn(2, 3))], lambda x: x.unbind(2), {"dim": 2})
E("flip_dim_out_of_range", "flip", [In(rn(2, 3))], lambda x: x.flip(2), {"dims": [2]})
E("gather_float_index", "gather", [In(rn(3, 2)), In(torch.zeros(3, 1))], lambda x, i: x.gather(1, i), {"dim": 1})
E("indexSelect_float_index", "indexSelect", [In(rn(3, 2)), In(torch.zeros(2))], lambda x, i: x.index_select(0, i), {"dim": 0})
E("indexSelect_dim_out_of_range", "indexSelect", [In(rn(3, 2)), In(torch.tensor([0], dtype=I32))], lambda x, i: x.index_select(2, L(i)), {"dim": 2})
E("gather_dim_out_of_range", "gather", [In(rn(3, 2)), In(idx(2, 3, 2))], lambda x, i: x.gather(2, L(i)), {"dim": 2})
E("scatterAdd_rank_mismatch", "scatterAdd", [In(rn(3, 2)), In(idx(2, 3)), In(rn(3))], lambda x, i, s: x.scatter_add(0, L(i), s), {"dim": 0})
E("indexAdd_dim_out_of_range", "indexAdd", [In(rn(3, 2)), In(torch.tensor([0], dtype=I32)), In(rn(1, 2))], lambda x, i, s: x.index_add(2, L(i), s), {"dim": 2})
E("oneHot_float", "oneHot", [In(torch.zeros(3))], lambda i: torch.nn.functional.one_hot(i, 3), {"numClasses": 3})
E("norm_dim_out_of_range", "norm", [In(rn(2, 3))], lambda x: x.norm(2, 2), {"p": 2, "dim": 2, "keepdim": False})
E("var_dim_out_of_range", "var", [In(rn(2, 3))], lambda x: x.var(2), {"dim": 2})
E("argmax_dim_out_of_range", "argmax", [In(rn(2, 3))], lambda x: x.argmax(2), {"dim": 2})
E("amax_dim_out_of_range", "amax", [In(rn(2, 3))], lambda x: x.amax(2), {"dim": 2, "keepdim": False}, "amax")
E("logSoftmax_dim_out_of_range", "logSoftmax", [In(rn(2, 3))], lambda x: x.log_softmax(2), {"dim": 2})
E("permute_out_of_range", "permute", [In(rn(2, 3))], lambda x: x.permute(0, 2), {"dims": [0, 2]})
E("flatten_out_of_range", "flatten", [In(rn(2, 3))], lambda x: x.flatten(0, 2), {"startDim": 0, "endDim": 2})

E("add_int_float_alpha", "add", [In(ints(0, 3, 3, dtype=I32)), In(ints(0, 3, 3, dtype=I32))], lambda a, b: torch.add(a, b, alpha=0.5), {"alpha": 0.5})
E("reshape_empty_ambiguous", "reshape", [In(rn(0, 4))], lambda x: x.reshape(0, -1), {"shape": [0, -1]})
case("shape", "reshape_empty_infer", "reshape", [In(rn(0, 4))], lambda x: x.reshape(-1), {"shape": [-1]})
case("shape", "reshape_empty_infer_other", "reshape", [In(rn(0, 4))], lambda x: x.reshape(-1, 2), {"shape": [-1, 2]})

# ---------------------------------------------------------------------------------------------
for group, cases in GROUPS.items():
    names = [c["name"] for c in cases]
    dup = {n for n in names if names.count(n) > 1}
    if dup:
        raise SystemExit(f"duplicate case names in {group}: {sorted(dup)}")
    path = write_fixture("autograd", f"ops_{group}", {"torch": torch.__version__, "cases": cases})
    print(f"{path}: {len(cases)} cases")
