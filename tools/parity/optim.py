"""Parity fixtures for @rnnkit/optim optimizers: parameter trajectories and final state dicts.

Gradients are random and stored per step (None for a parameter that got no gradient), so the
tests check the update rules alone.
"""
import json
import os
import re

import torch

torch.manual_seed(0)
OUT = os.path.join(os.path.dirname(__file__), "..", "..", "packages", "optim", "test", "fixtures", "optim.json")
SHAPES = [[3, 4], [5], [2, 1, 3]]
STEPS = 7


def enc(t):
    t = t.detach()
    return {"shape": list(t.shape), "dtype": "float32", "data": [float(v) for v in t.float().reshape(-1).tolist()]}


def snake(k):
    return re.sub(r"[A-Z]", lambda m: "_" + m.group(0).lower(), k)


def enc_value(v):
    if torch.is_tensor(v):
        return enc(v)
    if isinstance(v, tuple):
        return list(v)
    return v


def run(name, cls, opts, groups=None):
    params = [torch.nn.Parameter(torch.randn(s)) for s in SHAPES]
    init = [enc(p) for p in params]
    kw = {snake(k): (tuple(v) if isinstance(v, list) else v) for k, v in opts.items()}
    if groups:
        spec = [{"params": [params[i] for i in g["params"]], **{snake(k): v for k, v in g.get("options", {}).items()}} for g in groups]
        opt = cls(spec, **kw)
    else:
        opt = cls(params, **kw)
    steps = []
    for s in range(STEPS):
        grads = []
        for i, p in enumerate(params):
            if s == 2 and i == 1:
                p.grad = None
                grads.append(None)
            else:
                p.grad = torch.randn(p.shape)
                grads.append(enc(p.grad))
        opt.step()
        steps.append({"grads": grads, "params": [enc(p) for p in params]})
        if s == 2:
            mid = enc_state_dict(opt.state_dict())
    return {"name": name, "optimizer": cls.__name__, "options": opts, "groups": groups, "init": init, "steps": steps,
            "midStateDict": mid, "stateDict": enc_state_dict(opt.state_dict())}


def enc_state_dict(sd):
    state = {str(k): {kk: enc_value(vv) for kk, vv in v.items()} for k, v in sd["state"].items()}
    pgroups = [{k: enc_value(v) for k, v in g.items()} for g in sd["param_groups"]]
    return {"state": state, "param_groups": pgroups}


TWO_GROUPS = [{"params": [0, 2]}, {"params": [1], "options": {"lr": 0.003}}]
cases = []
O = torch.optim
for name, opts, groups in [
    ("plain", {"lr": 0.1}, None),
    ("momentum", {"lr": 0.1, "momentum": 0.9}, None),
    ("dampening", {"lr": 0.05, "momentum": 0.9, "dampening": 0.3}, None),
    ("nesterov", {"lr": 0.05, "momentum": 0.8, "nesterov": True}, None),
    ("weight decay", {"lr": 0.1, "weightDecay": 0.05}, None),
    ("all", {"lr": 0.05, "momentum": 0.7, "weightDecay": 0.02, "nesterov": True, "maximize": True}, None),
    ("maximize", {"lr": 0.1, "maximize": True}, None),
    ("two groups", {"lr": 0.1, "momentum": 0.9}, [{"params": [0, 2]}, {"params": [1], "options": {"lr": 0.01, "momentum": 0.5, "dampening": 0.1}}]),
]:
    cases.append(run(f"SGD {name}", O.SGD, opts, groups))
for cls in [O.Adam, O.AdamW]:
    for name, opts, groups in [
        ("defaults", {}, None),
        ("lr", {"lr": 0.05}, None),
        ("betas eps", {"lr": 0.02, "betas": [0.8, 0.9], "eps": 1e-3}, None),
        ("weight decay", {"lr": 0.02, "weightDecay": 0.1}, None),
        ("amsgrad", {"lr": 0.02, "amsgrad": True}, None),
        ("maximize", {"lr": 0.02, "maximize": True}, None),
        ("all", {"lr": 0.03, "betas": [0.85, 0.95], "weightDecay": 0.05, "amsgrad": True, "maximize": True}, None),
        ("two groups", {"lr": 0.02}, [{"params": [0, 2]}, {"params": [1], "options": {"lr": 0.05, "betas": [0.5, 0.6], "weightDecay": 0.2}}]),
    ]:
        cases.append(run(f"{cls.__name__} {name}", cls, opts, groups))
for name, opts, groups in [
    ("defaults", {}, None),
    ("alpha eps", {"lr": 0.02, "alpha": 0.9, "eps": 1e-3}, None),
    ("weight decay", {"weightDecay": 0.1}, None),
    ("momentum", {"lr": 0.01, "momentum": 0.9}, None),
    ("centered", {"lr": 0.01, "centered": True}, None),
    ("centered momentum", {"lr": 0.01, "centered": True, "momentum": 0.5, "weightDecay": 0.01}, None),
    ("maximize", {"lr": 0.01, "maximize": True}, None),
    ("two groups", {"lr": 0.01}, [{"params": [0, 2]}, {"params": [1], "options": {"lr": 0.005, "momentum": 0.8, "centered": True}}]),
]:
    cases.append(run(f"RMSprop {name}", O.RMSprop, opts, groups))
for name, opts, groups in [
    ("defaults", {}, None),
    ("lr decay", {"lr": 0.1, "lrDecay": 0.05}, None),
    ("weight decay", {"lr": 0.1, "weightDecay": 0.1}, None),
    ("initial accumulator eps", {"lr": 0.1, "initialAccumulatorValue": 0.5, "eps": 1e-3}, None),
    ("maximize", {"lr": 0.1, "maximize": True}, None),
    ("two groups", {"lr": 0.1}, [{"params": [0, 2]}, {"params": [1], "options": {"lr": 0.3, "lrDecay": 0.1, "initialAccumulatorValue": 0.2}}]),
]:
    cases.append(run(f"Adagrad {name}", O.Adagrad, opts, groups))

os.makedirs(os.path.dirname(OUT), exist_ok=True)
with open(OUT, "w") as f:
    json.dump({"torch": torch.__version__, "cases": cases}, f, separators=(",", ":"), allow_nan=False)
print(f"wrote {len(cases)} cases to {os.path.normpath(OUT)}")
