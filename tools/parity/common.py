"""Shared helpers for the parity scripts: tensor -> JSON encoding and fixture writing.

Tensors are stored as {"shape": [...], "dtype": "float32" | "int32", "data": [flat row-major]}.
Non-finite floats are written as the strings "NaN", "Infinity" and "-Infinity" (JSON has no
literal for them); the TypeScript loader in packages/autograd/test/helpers.ts decodes them.
Integer and boolean tensors are written as int32 (rnnkit's only integer dtype).
"""

import json
import math
import os

import numpy as np
import torch

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def _float(v):
    f = float(v)
    if math.isnan(f):
        return "NaN"
    if math.isinf(f):
        return "Infinity" if f > 0 else "-Infinity"
    # The shortest decimal that round-trips the float32 value keeps fixtures small.
    return float(np.format_float_positional(np.float32(f), unique=True, trim="-"))


def enc(t):
    """Encodes a tensor (any dtype) as a JSON-ready dict."""
    t = t.detach().cpu()
    if t._is_zerotensor():
        # autograd's lazily-allocated zeros (e.g. second derivatives of piecewise-linear ops)
        t = torch.zeros(t.shape, dtype=t.dtype)
    if t.dtype in (torch.float16, torch.bfloat16, torch.float32, torch.float64):
        data = [_float(v) for v in t.to(torch.float32).reshape(-1).tolist()]
        dtype = "float32"
    else:
        data = [int(v) for v in t.to(torch.int64).reshape(-1).tolist()]
        dtype = "int32"
    return {"shape": list(t.shape), "dtype": dtype, "data": data}


def write_fixture(pkg, name, payload):
    """Writes packages/<pkg>/test/fixtures/<name>.json and returns its path."""
    out_dir = os.path.join(REPO, "packages", pkg, "test", "fixtures")
    os.makedirs(out_dir, exist_ok=True)
    path = os.path.join(out_dir, name + ".json")
    with open(path, "w") as f:
        json.dump(payload, f, separators=(",", ":"), allow_nan=False)
        f.write("\n")
    return path
