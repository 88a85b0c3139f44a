"""Parity fixtures for @rnnkit/optim lrScheduler: get_last_lr (and cycled momentum) per step."""
import json
import os

import torch
from torch.optim import lr_scheduler as S

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "packages", "optim", "test", "fixtures", "schedulers.json")
STEPS = 36


def make_opt(kind, lrs):
    groups = [{"params": [torch.nn.Parameter(torch.zeros(2))], "lr": lr} for lr in lrs]
    if kind == "Adam":
        return torch.optim.Adam(groups, lr=lrs[0])
    return torch.optim.SGD(groups, lr=lrs[0], momentum=0.9)


def momentum_of(g):
    return g["betas"][0] if "betas" in g else g["momentum"]


def run(name, scheduler, args, opts, lrs, optimizer="SGD", steps=STEPS, metrics=None):
    opt = make_opt(optimizer, lrs)
    sched = getattr(S, scheduler)(opt, *args, **opts)
    lr_seq = [[g["lr"] for g in opt.param_groups]]
    mom_seq = [[momentum_of(g) for g in opt.param_groups]]
    for s in range(steps):
        opt.step()
        if metrics is not None:
            sched.step(metrics[s])
        else:
            sched.step()
        lr_seq.append([g["lr"] for g in opt.param_groups])
        mom_seq.append([momentum_of(g) for g in opt.param_groups])
    return {"name": name, "scheduler": scheduler, "optimizer": optimizer, "lrs": lrs, "args": args, "options": opts,
            "lrSequence": lr_seq, "momentumSequence": mom_seq}


RENAMES = {"T_mult": "tMult", "T_max": "tMax"}


def camel(opts):
    out = {}
    for k, v in opts.items():
        if k in RENAMES:
            out[RENAMES[k]] = v
            continue
        parts = k.split("_")
        out[parts[0] + "".join(p[:1].upper() + p[1:] for p in parts[1:])] = v
    return out


cases = []


def add(name, scheduler, args, opts, lrs, **kw):
    c = run(name, scheduler, args, opts, lrs, **kw)
    c["options"] = camel(opts)
    cases.append(c)


add("StepLR 3 0.1", "StepLR", [3], {"gamma": 0.1}, [0.1])
add("StepLR 5 0.5 two groups", "StepLR", [5], {"gamma": 0.5}, [0.1, 0.03])
add("StepLR default gamma", "StepLR", [7], {}, [1.0])
add("MultiStepLR repeated milestone", "MultiStepLR", [[3, 7, 7, 20]], {"gamma": 0.5}, [0.2])
add("MultiStepLR two groups", "MultiStepLR", [[10, 25]], {}, [0.1, 0.5])
add("ExponentialLR 0.9", "ExponentialLR", [0.9], {}, [0.1])
add("ExponentialLR two groups", "ExponentialLR", [0.5], {}, [1.0, 0.25])
add("CosineAnnealingLR 10", "CosineAnnealingLR", [10], {}, [0.1])
add("CosineAnnealingLR 7 etaMin", "CosineAnnealingLR", [7], {"eta_min": 0.001}, [0.05])
add("CosineAnnealingLR 5 two groups", "CosineAnnealingLR", [5], {"eta_min": 0.01}, [0.1, 0.3])
add("CosineAnnealingLR 1", "CosineAnnealingLR", [1], {}, [0.1])
add("OneCycleLR cos", "OneCycleLR", [0.1], {"total_steps": 40}, [0.1])
add("OneCycleLR linear", "OneCycleLR", [0.5], {"total_steps": 40, "anneal_strategy": "linear"}, [0.1])
add("OneCycleLR three phase", "OneCycleLR", [0.2], {"total_steps": 37, "three_phase": True}, [0.1], steps=37)
add("OneCycleLR adam betas", "OneCycleLR", [0.01], {"epochs": 4, "steps_per_epoch": 10}, [0.001], optimizer="Adam", steps=40)
add("OneCycleLR groups options", "OneCycleLR", [[0.1, 0.3]],
    {"total_steps": 35, "pct_start": 0.25, "div_factor": 10.0, "final_div_factor": 100.0, "base_momentum": 0.8, "max_momentum": [0.9, 0.95]}, [0.1, 0.1], steps=35)
add("OneCycleLR no momentum cycling", "OneCycleLR", [0.1], {"total_steps": 36, "cycle_momentum": False, "anneal_strategy": "linear", "three_phase": True}, [0.1])

add("ConstantLR defaults", "ConstantLR", [], {}, [0.1])
add("ConstantLR 0.5 for 4", "ConstantLR", [], {"factor": 0.5, "total_iters": 4}, [0.1, 0.2])
add("LinearLR warm-up", "LinearLR", [], {"start_factor": 0.1, "total_iters": 10}, [0.1])
add("LinearLR decay two groups", "LinearLR", [], {"start_factor": 1.0, "end_factor": 0.2, "total_iters": 8}, [0.1, 0.3])
add("LinearLR defaults", "LinearLR", [], {}, [0.05])
add("CosineAnnealingWarmRestarts 5", "CosineAnnealingWarmRestarts", [5], {}, [0.1])
add("CosineAnnealingWarmRestarts mult 2", "CosineAnnealingWarmRestarts", [3], {"T_mult": 2, "eta_min": 0.01}, [0.1, 0.05])

metric = [1.0, 0.9, 0.95, 0.96, 0.97, 0.98, 0.85, 0.85, 0.86, 0.84, 0.849, 0.85, 0.9, 0.9, 0.9, 0.8, 0.8, 0.8,
          0.8, 0.8, 0.7, 0.71, 0.72, 0.73, 0.74, 0.75, 0.76, 0.77, 0.78, 0.6, 0.61, 0.62, 0.63, 0.64, 0.65, 0.66]
rising = [-m for m in metric]
for name, opts, lrs, seq in [
    ("defaults", {}, [0.1], metric),
    ("patience 2 factor 0.5", {"patience": 2, "factor": 0.5}, [0.1], metric),
    ("patience 0 cooldown 2", {"patience": 0, "cooldown": 2, "factor": 0.5}, [0.1], metric),
    ("abs threshold", {"patience": 1, "threshold": 0.02, "threshold_mode": "abs", "factor": 0.3}, [0.1], metric),
    ("rel threshold", {"patience": 1, "threshold": 0.05, "factor": 0.3}, [0.1], metric),
    ("max mode", {"mode": "max", "patience": 1, "factor": 0.5}, [0.1], rising),
    ("max mode abs", {"mode": "max", "patience": 2, "threshold_mode": "abs", "threshold": 0.01, "cooldown": 1}, [0.1], rising),
    ("min lr list", {"patience": 0, "factor": 0.5, "min_lr": [0.02, 0.001]}, [0.1, 0.05], metric),
    ("eps blocks small cuts", {"patience": 0, "factor": 0.5, "eps": 0.01}, [0.1], metric),
]:
    c = run(f"ReduceLROnPlateau {name}", "ReduceLROnPlateau", [], opts, lrs, metrics=seq)
    c["options"] = camel(opts)
    c["metrics"] = seq
    cases.append(c)

lam = run("LambdaLR", "LambdaLR", [lambda e: 0.95 ** e], {}, [0.1])
lam["lambdas"] = ["0.95 ** e"]
lam["args"] = []
cases.append(lam)
lam2 = run("LambdaLR two groups", "LambdaLR", [[lambda e: 1 / (e + 1), lambda e: e % 3 + 1]], {}, [0.1, 0.2])
lam2["lambdas"] = ["1 / (e + 1)", "e % 3 + 1"]
lam2["args"] = []
cases.append(lam2)

mul = run("MultiplicativeLR", "MultiplicativeLR", [lambda e: 0.9], {}, [0.1])
mul["lambdas"] = ["0.9"]
mul["args"] = []
cases.append(mul)
mul2 = run("MultiplicativeLR two groups", "MultiplicativeLR", [[lambda e: 0.95, lambda e: 1 / (e + 1)]], {}, [0.1, 0.2])
mul2["lambdas"] = ["0.95", "1 / (e + 1)"]
mul2["args"] = []
cases.append(mul2)

os.makedirs(os.path.dirname(OUT), exist_ok=True)
with open(OUT, "w") as f:
    json.dump({"torch": torch.__version__, "cases": cases}, f, separators=(",", ":"), allow_nan=False)
print(f"wrote {len(cases)} cases to {os.path.normpath(OUT)}")
