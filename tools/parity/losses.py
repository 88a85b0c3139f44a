"""Parity fixtures for @rnnkit/optim losses: values and input gradients across every option."""
import json
import os

import torch
import torch.nn.functional as F

torch.manual_seed(0)
OUT = os.path.join(os.path.dirname(__file__), "..", "..", "packages", "optim", "test", "fixtures", "losses.json")


def enc(t):
    t = t.detach()
    if t.dtype in (torch.int64, torch.int32):
        return {"shape": list(t.shape), "dtype": "int32", "data": [int(v) for v in t.reshape(-1).tolist()]}
    return {"shape": list(t.shape), "dtype": "float32", "data": [None if v != v else float(v) for v in t.float().reshape(-1).tolist()]}


def run(fn, x, target, **kw):
    x = x.clone().requires_grad_(True)
    out = fn(x, target, **kw)
    gout = torch.randn(out.shape) if out.dim() > 0 else torch.tensor(1.0)
    out.backward(gout)
    return out, gout, x.grad


def case(name, fn, x, target, opts, kw):
    out, gout, grad = run(fn, x, target, **kw)
    return {"name": name, "input": enc(x), "target": enc(target), "opts": opts, "output": enc(out), "gradOutput": enc(gout), "grad": enc(grad)}


SHAPES = {"C": [5], "NC": [4, 5], "NCd": [3, 5, 2], "NCdd": [2, 4, 2, 3]}
REDUCTIONS = ["none", "mean", "sum"]
cases = []


def class_target(shape, ignore):
    c = shape[0] if len(shape) == 1 else shape[1]
    tshape = [] if len(shape) == 1 else [shape[0]] + shape[2:]
    t = torch.randint(0, c, tshape)
    if ignore == -1 and t.numel() > 1:
        t.view(-1)[0] = -1
    if ignore == 2 and t.numel() > 1:
        t.view(-1)[1] = 2
    return t, c


for rank, shape in SHAPES.items():
    for use_w in [False, True]:
        for ignore in [-100, 2, -1]:
            for red in REDUCTIONS:
                for ls in [0.0, 0.1, 0.35]:
                    x = torch.randn(shape) * 2
                    t, c = class_target(shape, ignore)
                    w = torch.rand(c) + 0.2 if use_w else None
                    opts = {"ignoreIndex": ignore, "reduction": red, "labelSmoothing": ls}
                    if w is not None:
                        opts["weight"] = enc(w)
                    cases.append(case(f"crossEntropy index {rank} w={use_w} ignore={ignore} {red} ls={ls}", F.cross_entropy, x, t, opts,
                                      dict(weight=w, ignore_index=ignore, reduction=red, label_smoothing=ls)))
                x = torch.randn(shape).log_softmax(0 if len(shape) == 1 else 1)
                t, c = class_target(shape, ignore)
                w = torch.rand(c) + 0.2 if use_w else None
                opts = {"ignoreIndex": ignore, "reduction": red}
                if w is not None:
                    opts["weight"] = enc(w)
                cases.append(case(f"nllLoss {rank} w={use_w} ignore={ignore} {red}", F.nll_loss, x, t, opts,
                                  dict(weight=w, ignore_index=ignore, reduction=red)))
        for red in REDUCTIONS:
            for ls in [0.0, 0.2]:
                x = torch.randn(shape) * 2
                cdim = 0 if len(shape) == 1 else 1
                t = torch.rand(shape).softmax(cdim)
                c = shape[cdim]
                w = torch.rand(c) + 0.2 if use_w else None
                opts = {"reduction": red, "labelSmoothing": ls}
                if w is not None:
                    opts["weight"] = enc(w)
                cases.append(case(f"crossEntropy probs {rank} w={use_w} {red} ls={ls}", F.cross_entropy, x, t, opts,
                                  dict(weight=w, reduction=red, label_smoothing=ls)))

# every target ignored: torch's mean is 0/0
x = torch.randn(3, 4)
t = torch.full((3,), 1, dtype=torch.int64)
cases.append(case("crossEntropy all ignored mean", F.cross_entropy, x, t, {"ignoreIndex": 1, "reduction": "mean"}, dict(ignore_index=1)))

# huge logits stay finite
x = torch.tensor([[1e4, -1e4, 0.0], [-1e4, 1e4, 5e3], [3e4, 3e4, -3e4]])
t = torch.tensor([1, 1, 0])
for red in REDUCTIONS:
    cases.append(case(f"crossEntropy large logits {red}", F.cross_entropy, x, t, {"reduction": red, "labelSmoothing": 0.1}, dict(reduction=red, label_smoothing=0.1)))
    xb = torch.tensor([[1e4, -1e4], [-3e4, 50.0]])
    tb = torch.tensor([[0.0, 1.0], [1.0, 0.3]])
    cases.append(case(f"bceWithLogits large logits {red}", F.binary_cross_entropy_with_logits, xb, tb, {"reduction": red, "posWeight": enc(torch.tensor([2.0, 0.5]))},
                      dict(reduction=red, pos_weight=torch.tensor([2.0, 0.5]))))

for red in REDUCTIONS:
    x = torch.randn(4, 3) * 2
    y = torch.randn(4, 3) * 2
    cases.append(case(f"mseLoss {red}", F.mse_loss, x, y, {"reduction": red}, dict(reduction=red)))
    cases.append(case(f"l1Loss {red}", F.l1_loss, x, y, {"reduction": red}, dict(reduction=red)))
    for beta in [1.0, 0.5, 0.0, 3.0]:
        cases.append(case(f"smoothL1Loss beta={beta} {red}", F.smooth_l1_loss, x, y, {"reduction": red, "beta": beta}, dict(reduction=red, beta=beta)))
    for delta in [1.0, 0.3, 2.5]:
        cases.append(case(f"huberLoss delta={delta} {red}", F.huber_loss, x, y, {"reduction": red, "delta": delta}, dict(reduction=red, delta=delta)))
    for wshape in [None, [3], [4, 3], [4, 1]]:
        for pshape in [None, [3], [1]]:
            x = torch.randn(4, 3) * 3
            y = torch.rand(4, 3)
            w = torch.rand(wshape) + 0.1 if wshape else None
            p = torch.rand(pshape) * 3 + 0.1 if pshape else None
            opts = {"reduction": red}
            if w is not None:
                opts["weight"] = enc(w)
            if p is not None:
                opts["posWeight"] = enc(p)
            cases.append(case(f"bceWithLogits w={wshape} pos={pshape} {red}", F.binary_cross_entropy_with_logits, x, y, opts,
                              dict(weight=w, pos_weight=p, reduction=red)))
        x = torch.rand(4, 3) * 0.9 + 0.05
        y = torch.rand(4, 3)
        w = torch.rand(wshape) + 0.1 if wshape else None
        opts = {"reduction": red}
        if w is not None:
            opts["weight"] = enc(w)
        cases.append(case(f"bce w={wshape} {red}", F.binary_cross_entropy, x, y, opts, dict(weight=w, reduction=red)))

os.makedirs(os.path.dirname(OUT), exist_ok=True)
with open(OUT, "w") as f:
    json.dump({"torch": torch.__version__, "cases": cases}, f, separators=(",", ":"), allow_nan=False)
print(f"wrote {len(cases)} cases to {os.path.normpath(OUT)}")
