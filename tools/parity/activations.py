"""Activation values and gradients from torch, for packages/autograd/src/activation.test.ts.

Each case runs one activation with one option set on an input that mixes random values, the
kink/boundary points of every activation (0, ±1, ±3, 6, thresholds) and large magnitudes, in
float32 and in float64, and records the output and the gradient for a random upstream
gradient. Run: /usr/bin/python3 tools/parity/activations.py
"""
import json
import math
import os

import torch
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "packages", "autograd", "test", "fixtures", "activations.json")


def num(v):
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    return v


def enc(t):
    t = t.detach()
    dtype = "float64" if t.dtype == torch.float64 else "float32"
    return {"shape": list(t.shape), "dtype": dtype, "data": [num(v) for v in t.reshape(-1).tolist()]}


CASES = [
    ("leakyRelu", {}, lambda x: F.leaky_relu(x)),
    ("leakyRelu", {"negativeSlope": 0.2}, lambda x: F.leaky_relu(x, 0.2)),
    ("leakyRelu", {"negativeSlope": -1.5}, lambda x: F.leaky_relu(x, -1.5)),
    ("elu", {}, lambda x: F.elu(x)),
    ("elu", {"alpha": 0.5}, lambda x: F.elu(x, 0.5)),
    ("elu", {"alpha": 2.0}, lambda x: F.elu(x, 2.0)),
    ("selu", {}, lambda x: F.selu(x)),
    ("gelu", {}, lambda x: F.gelu(x)),
    ("gelu", {"approximate": "tanh"}, lambda x: F.gelu(x, approximate="tanh")),
    ("silu", {}, lambda x: F.silu(x)),
    ("mish", {}, lambda x: F.mish(x)),
    ("softplus", {}, lambda x: F.softplus(x)),
    ("softplus", {"beta": 2.0}, lambda x: F.softplus(x, beta=2.0)),
    ("softplus", {"beta": 0.5, "threshold": 3.0}, lambda x: F.softplus(x, beta=0.5, threshold=3.0)),
    ("softplus", {"beta": 1.0, "threshold": 1.0}, lambda x: F.softplus(x, beta=1.0, threshold=1.0)),
    ("softsign", {}, lambda x: F.softsign(x)),
    ("hardtanh", {}, lambda x: F.hardtanh(x)),
    ("hardtanh", {"minVal": -3.0, "maxVal": 0.5}, lambda x: F.hardtanh(x, -3.0, 0.5)),
    ("relu6", {}, lambda x: F.relu6(x)),
    ("hardsigmoid", {}, lambda x: F.hardsigmoid(x)),
    ("hardswish", {}, lambda x: F.hardswish(x)),
    ("logSigmoid", {}, lambda x: F.logsigmoid(x)),
    ("tanhshrink", {}, lambda x: F.tanhshrink(x)),
]

SPECIAL = [0.0, 1.0, -1.0, 3.0, -3.0, 6.0, -6.0, 0.5, 1.5, 6.5, 20.0, 21.0, 10.0, 10.5, 2.0,
           30.0, -30.0, 50.0, -50.0, 100.0, -100.0, 1e-4, -1e-4, 2.9999, -2.9999]


def main():
    torch.manual_seed(0)
    out = []
    for dtype in (torch.float32, torch.float64):
        for name, opts, fn in CASES:
            base = torch.cat([torch.tensor(SPECIAL, dtype=dtype), torch.randn(23, dtype=dtype) * 3])
            x = base.reshape(6, 8).clone().requires_grad_(True)
            y = fn(x)
            g = torch.randn(y.shape, dtype=dtype)
            y.backward(g)
            out.append({
                "name": name,
                "opts": opts,
                "input": enc(x),
                "output": enc(y),
                "upstream": enc(g),
                "grad": enc(x.grad),
            })
    with open(OUT, "w") as f:
        json.dump(out, f, separators=(",", ":"), allow_nan=False)
        f.write("\n")


if __name__ == "__main__":
    main()
