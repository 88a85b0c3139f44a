"""torch's CPU random streams for manual_seed(k), for packages/tensor/src/rng.test.ts.

Covers torch.rand / randn (sizes below 16, exactly 16, and above 16 but not a multiple of 16,
which take different paths in torch), randint, Tensor.uniform_(a, b), Tensor.normal_(m, s),
torch.bernoulli, float64 variants, and several draws in a row from one seed (the stream must
continue exactly). Run: /usr/bin/python3 tools/parity/rng.py
"""
import json
import os

import torch

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "packages", "tensor", "test", "fixtures", "rng.json")


def enc(t):
    dtype = {torch.float32: "float32", torch.float64: "float64"}.get(t.dtype, "int32")
    data = t.reshape(-1).tolist()
    return {"shape": list(t.shape), "dtype": dtype, "data": data}


SIZES = [1, 2, 5, 15, 16, 17, 31, 32, 33, 100]


def main():
    cases = []

    def add(seed, calls):
        """calls: list of (description dict, fn producing a tensor); all drawn after one seed."""
        torch.manual_seed(seed)
        outs = []
        for desc, fn in calls:
            outs.append(dict(desc, out=enc(fn())))
        cases.append({"seed": seed, "calls": outs})

    for seed in (0, 1, 42, 2**31 + 5):
        for n in SIZES:
            add(seed, [({"fn": "rand", "shape": [n]}, lambda: torch.rand(n))])
            add(seed, [({"fn": "randn", "shape": [n]}, lambda: torch.randn(n))])
        add(seed, [({"fn": "randn", "shape": [3, 7]}, lambda: torch.randn(3, 7))])
        add(seed, [({"fn": "rand", "shape": [4, 5]}, lambda: torch.rand(4, 5))])
        for lo, hi, n in ((0, 10, 20), (-5, 5, 7), (0, 2, 33), (3, 1000003, 9), (-2**31, 2**31 - 1, 6), (0, 2**32, 4)):
            add(seed, [({"fn": "randint", "low": lo, "high": hi, "shape": [n]}, lambda: torch.randint(lo, hi, (n,)))])
        for a, b, n in ((-2.0, 3.0, 7), (0.5, 0.75, 20), (-1.0, 1.0, 16), (-3.7, 11.3, 200), (0.1, 0.3, 200), (-1e-3, 2.5, 200)):
            add(seed, [({"fn": "uniform_", "from": a, "to": b, "shape": [n]}, lambda: torch.empty(n).uniform_(a, b))])
        for m, s, n in ((0.0, 1.0, 5), (2.0, 0.5, 16), (-1.0, 3.0, 17), (0.5, 2.0, 40)):
            add(seed, [({"fn": "normal_", "mean": m, "std": s, "shape": [n]}, lambda: torch.empty(n).normal_(m, s))])
        p = torch.tensor([0.0, 0.1, 0.5, 0.9, 1.0, 0.3, 0.7, 0.25, 0.5, 0.5, 0.01, 0.99])
        add(seed, [({"fn": "bernoulli", "p": p.tolist()}, lambda: torch.bernoulli(p))])
        add(seed, [({"fn": "bernoulli", "p": p.tolist(), "dtype": "float64"}, lambda: torch.bernoulli(p.double()))])
        for n in (5, 16, 20):
            add(seed, [({"fn": "rand", "shape": [n], "dtype": "float64"}, lambda: torch.rand(n, dtype=torch.float64))])
            add(seed, [({"fn": "randn", "shape": [n], "dtype": "float64"}, lambda: torch.randn(n, dtype=torch.float64))])
        # One stream, several draws: each call must continue where the last one stopped.
        add(seed, [
            ({"fn": "rand", "shape": [3]}, lambda: torch.rand(3)),
            ({"fn": "randn", "shape": [5]}, lambda: torch.randn(5)),
            ({"fn": "randn", "shape": [20]}, lambda: torch.randn(20)),
            ({"fn": "randint", "low": 0, "high": 7, "shape": [4]}, lambda: torch.randint(0, 7, (4,))),
            ({"fn": "randn", "shape": [3]}, lambda: torch.randn(3)),
            ({"fn": "rand", "shape": [2]}, lambda: torch.rand(2)),
        ])
    with open(OUT, "w") as f:
        json.dump(cases, f, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
