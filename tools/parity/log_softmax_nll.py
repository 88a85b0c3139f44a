"""Parity fixtures for the one-pass large-vocabulary loss: nll_loss(log_softmax(x, 1)) and
cross_entropy on logits wide enough for the wasm softmax kernels, values and logits' gradients."""
import json
import os

import torch
import torch.nn.functional as F

torch.manual_seed(15)
OUT = os.path.join(os.path.dirname(__file__), "..", "..", "packages", "optim", "test", "fixtures", "log_softmax_nll.json")
N, C = 10, 300


def enc(t):
    t = t.detach()
    if t.dtype in (torch.int64, torch.int32):
        return {"shape": list(t.shape), "dtype": "int32", "data": [int(v) for v in t.reshape(-1).tolist()]}
    return {"shape": list(t.shape), "dtype": "float32", "data": [float(f"{v:.9g}") for v in t.float().reshape(-1).tolist()]}


x = torch.randn(N, C) * 4
target = torch.randint(0, C, (N,))
target[3] = -100
target[7] = target[6]
weight = torch.rand(C) + 0.2

cases = []
for form in ["nllLoss(logSoftmax)", "crossEntropy"]:
    for red, use_w, ls in [("mean", False, 0.0), ("sum", True, 0.0), ("none", True, 0.0), ("mean", True, 0.1)]:
        if form != "crossEntropy" and ls > 0:
            continue
        xi = x.clone().requires_grad_(True)
        w = weight if use_w else None
        if form == "crossEntropy":
            out = F.cross_entropy(xi, target, weight=w, reduction=red, label_smoothing=ls)
        else:
            out = F.nll_loss(F.log_softmax(xi, 1), target, weight=w, reduction=red)
        gout = torch.randn(out.shape) if out.dim() > 0 else torch.tensor(1.0)
        out.backward(gout)
        cases.append({"name": f"{form} {red} weight={use_w} ls={ls}", "form": form, "reduction": red, "weight": use_w,
                      "labelSmoothing": ls, "output": enc(out), "gradOutput": enc(gout), "grad": enc(xi.grad)})

with open(OUT, "w") as f:
    json.dump({"input": enc(x), "target": enc(target), "weight": enc(weight), "cases": cases}, f)
print(f"wrote {len(cases)} cases to {OUT}")
