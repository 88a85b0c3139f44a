"""Parity fixtures for @rnnkit/data: torch's randperm, samplers, DataLoader shuffling and
random_split, for fixed generator seeds. Writes packages/data/test/fixtures/data.json.
Run: /usr/bin/python3 tools/parity/data.py
"""
import json
import os

import torch
from torch.utils.data import (BatchSampler, DataLoader, RandomSampler, SequentialSampler,
                              SubsetRandomSampler, random_split)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "packages", "data", "test", "fixtures", "data.json")


def ints(values):
    values = [int(v) for v in values]
    return {"shape": [len(values)], "dtype": "int32", "data": values}


def gen(seed):
    g = torch.Generator()
    g.manual_seed(seed)
    return g


def main():
    out = {"randperm": [], "loader": [], "loaderDefault": [], "sampler": [], "split": [], "subsetSampler": []}
    for seed in [0, 1, 42, 2024, 123456789]:
        for n in [0, 1, 2, 3, 5, 10, 31, 100, 1000]:
            out["randperm"].append({"seed": seed, "n": n, "perm": ints(torch.randperm(n, generator=gen(seed)).tolist())})

    for seed in [0, 7, 99]:
        for n, bs, drop in [(10, 3, False), (10, 3, True), (17, 4, False), (17, 4, True), (64, 8, False), (5, 1, False), (7, 10, False), (7, 10, True), (100, 32, False)]:
            for shuffle in [True, False]:
                g = gen(seed)
                loader = DataLoader(list(range(n)), batch_size=bs, shuffle=shuffle, drop_last=drop, generator=g)
                epochs = [[ints(b.tolist()) for b in loader] for _ in range(2)]
                after = torch.randint(0, 1000, (4,), generator=g).tolist()
                out["loader"].append({"seed": seed, "n": n, "batchSize": bs, "dropLast": drop, "shuffle": shuffle,
                                      "length": len(loader), "epochs": epochs, "after": ints(after)})

    for seed in [0, 5]:
        for n, bs in [(10, 4), (33, 5)]:
            torch.manual_seed(seed)
            loader = DataLoader(list(range(n)), batch_size=bs, shuffle=True)
            epochs = [[ints(b.tolist()) for b in loader] for _ in range(2)]
            after = torch.randint(0, 1000, (4,)).tolist()
            out["loaderDefault"].append({"seed": seed, "n": n, "batchSize": bs, "epochs": epochs, "after": ints(after)})

    for seed in [0, 3, 11]:
        for n, replacement, num in [(10, False, None), (10, False, 25), (10, False, 4), (10, True, None), (10, True, 70), (3, True, 5), (50, True, 33)]:
            s = RandomSampler(range(n), replacement=replacement, num_samples=num, generator=gen(seed))
            out["sampler"].append({"seed": seed, "n": n, "replacement": replacement, "numSamples": num,
                                   "length": len(s), "passes": [ints(list(s)) for _ in range(2)]})
            b = BatchSampler(SequentialSampler(range(n)), 3, drop_last=False)
            assert len(b) == (n + 2) // 3

    for seed in [0, 42]:
        for n, lengths in [(10, [3, 7]), (10, [0.5, 0.5]), (11, [0.3, 0.3, 0.4]), (100, [0.8, 0.2]), (7, [1, 2, 4]), (5, [0.1, 0.1, 0.8]), (1, [1])]:
            parts = random_split(range(n), lengths, generator=gen(seed))
            out["split"].append({"seed": seed, "n": n, "lengths": lengths, "parts": [ints(p.indices) for p in parts]})

    for seed in [0, 8]:
        idx = [3, 9, 14, 27, 40, 41]
        s = SubsetRandomSampler(idx, generator=gen(seed))
        out["subsetSampler"].append({"seed": seed, "indices": ints(idx), "passes": [ints(list(s)) for _ in range(2)]})

    with open(OUT, "w") as f:
        json.dump(out, f, separators=(",", ":"))


if __name__ == "__main__":
    main()
