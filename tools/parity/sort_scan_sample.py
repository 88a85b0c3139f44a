"""torch's sort / argsort / topk / cumsum / cumprod (values and gradients) and its CPU random
streams for multinomial, randint(high, size) and the Tensor random fills (uniform_, normal_,
bernoulli_, random_, exponential_), for packages/autograd/test/sortScanSample.test.ts.

Sorting inputs with ties use stable=True (torch's default CPU sort does not keep the order of
equal elements, and rnnkit's sort is always stable); topk inputs have distinct values (torch's
order among tied values is an artefact of std::partial_sort). The random cases record the draws
after torch.manual_seed(seed), several calls in a row, so the stream must continue exactly.
Run: /usr/bin/python3 tools/parity/sort_scan_sample.py
"""
import torch

from common import enc, write_fixture


def grad_case(fn, x, **meta):
    x = x.clone().requires_grad_(True)
    out = fn(x)
    vals = out[0] if isinstance(out, tuple) else out
    g = torch.randn(vals.shape)
    vals.backward(g)
    case = dict(meta, x=enc(x), g=enc(g), grad=enc(x.grad))
    if isinstance(out, tuple):
        case["values"] = enc(out[0])
        case["indices"] = enc(out[1])
    else:
        case["out"] = enc(out)
    return case


def sorting():
    torch.manual_seed(7)
    cases = []
    ties = [torch.randint(0, 4, (12,)).float(), torch.randint(0, 3, (3, 5)).float(), torch.randint(-2, 2, (2, 3, 4)).float()]
    nan = torch.tensor([3.0, float("nan"), -1.0, float("inf"), 2.0, float("nan"), -float("inf"), 2.0])
    for x in ties + [nan, torch.randn(4, 6), torch.tensor(5.0)]:
        for dim in range(-1, max(x.dim(), 1)):
            for descending in (False, True):
                out = torch.sort(x, dim=dim, descending=descending, stable=True)
                cases.append({"op": "sort", "x": enc(x), "dim": dim, "descending": descending, "values": enc(out.values), "indices": enc(out.indices)})
                cases.append({"op": "argsort", "x": enc(x), "dim": dim, "descending": descending,
                              "indices": enc(torch.argsort(x, dim=dim, descending=descending, stable=True))})
    ints = torch.randint(-5, 5, (3, 6), dtype=torch.int32)
    out = torch.sort(ints, dim=1, descending=True, stable=True)
    cases.append({"op": "sort", "x": enc(ints), "dim": 1, "descending": True, "values": enc(out.values), "indices": enc(out.indices)})
    grads = []
    for shape, dim in (((7,), 0), ((3, 5), 1), ((3, 5), 0), ((2, 3, 4), -2)):
        x = torch.randn(shape)
        for descending in (False, True):
            grads.append(grad_case(lambda t: tuple(torch.sort(t, dim=dim, descending=descending)), x, op="sort", dim=dim, descending=descending))
    return cases, grads


def topk():
    torch.manual_seed(11)
    cases = []
    for shape in ((9,), (4, 7), (2, 5, 6), (70,)):
        x = torch.randn(shape)
        for dim in range(-1, len(shape)):
            n = x.shape[dim]
            for k in sorted({0, 1, 3 % (n + 1), n}):
                for largest in (True, False):
                    cases.append(grad_case(lambda t: tuple(torch.topk(t, k, dim=dim, largest=largest)), x, k=k, dim=dim, largest=largest))
    x = torch.tensor([1.0, float("nan"), 3.0, -1.0, float("inf")])
    for largest in (True, False):
        out = torch.topk(x, 3, largest=largest)
        cases.append({"x": enc(x), "k": 3, "dim": 0, "largest": largest, "values": enc(out.values), "indices": enc(out.indices)})
    return cases


def scans():
    torch.manual_seed(3)
    cases = []
    inputs = [torch.randn(6), torch.randn(3, 4), torch.randn(2, 3, 4)]
    for x in inputs:
        for dim in range(-1, x.dim()):
            cases.append(grad_case(lambda t: torch.cumsum(t, dim), x, op="cumsum", dim=dim))
            cases.append(grad_case(lambda t: torch.cumprod(t, dim), x, op="cumprod", dim=dim))
    zeros = [torch.tensor([2.0, 0.0, 3.0, -1.5]), torch.tensor([0.0, 2.0, 3.0]), torch.tensor([1.5, 2.0, 0.0]),
             torch.tensor([1.0, 0.0, 2.0, 0.0, 3.0]), torch.tensor([[1.0, 0.0, 2.0], [0.5, 3.0, 0.0], [0.0, 0.0, 1.0]])]
    for x in zeros:
        for dim in range(x.dim()):
            cases.append(grad_case(lambda t: torch.cumprod(t, dim), x, op="cumprod", dim=dim))
    ints = torch.tensor([[1, 2, 3], [4, 5, -6]], dtype=torch.int32)
    cases.append({"op": "cumsum", "dim": 1, "x": enc(ints), "out": enc(torch.cumsum(ints, 1))})
    cases.append({"op": "cumprod", "dim": 0, "x": enc(ints), "out": enc(torch.cumprod(ints, 0))})
    cases.append({"op": "cumsum", "dim": 0, "x": enc(torch.tensor(2.5)), "out": enc(torch.cumsum(torch.tensor(2.5), 0))})
    return cases


P1 = [0.1, 0.2, 0.3, 0.4]
W1 = [1.0, 5.0, 0.0, 2.0, 0.5, 3.0]
P2 = [[0.7, 0.1, 0.1, 0.1], [0.0, 0.5, 0.5, 0.0], [2.0, 1.0, 4.0, 3.0]]


def random_streams():
    streams = []

    def add(seed, calls):
        torch.manual_seed(seed)
        outs = []
        for desc, fn in calls:
            outs.append(dict(desc, out=enc(fn())))
        streams.append({"seed": seed, "calls": outs})

    for seed in (0, 1, 123, 2**31 + 9):
        for probs in (P1, W1, P2):
            for n, repl in ((1, False), (1, True), (3, False), (4, True), (25, True)):
                p = torch.tensor(probs)
                if not repl and n > p.shape[-1]:
                    continue
                add(seed, [({"fn": "multinomial", "p": probs, "n": n, "replacement": repl}, lambda: torch.multinomial(p, n, repl))])
        big = torch.softmax(torch.arange(50, dtype=torch.float32) / 7.0, 0)
        add(seed, [({"fn": "multinomial", "p": big.tolist(), "n": 20, "replacement": False}, lambda: torch.multinomial(big, 20))])
        add(seed, [({"fn": "multinomial", "p": big.tolist(), "n": 40, "replacement": True}, lambda: torch.multinomial(big, 40, True))])
        add(seed, [({"fn": "multinomial", "p": [0.5, 0.5, 0.0, 0.0], "n": 3, "replacement": False},
                    lambda: torch.multinomial(torch.tensor([0.5, 0.5, 0.0, 0.0]), 3))])
        add(seed, [
            ({"fn": "exponential_", "lambd": 1.0, "shape": [7]}, lambda: torch.empty(7).exponential_()),
            ({"fn": "exponential_", "lambd": 2.5, "shape": [20]}, lambda: torch.empty(20).exponential_(2.5)),
            ({"fn": "uniform_", "from": -0.1, "to": 0.1, "shape": [2, 3]}, lambda: torch.empty(2, 3).uniform_(-0.1, 0.1)),
            ({"fn": "uniform_", "from": 0.0, "to": 1.0, "shape": [5]}, lambda: torch.empty(5).uniform_()),
            ({"fn": "normal_", "mean": 0.0, "std": 1.0, "shape": [3]}, lambda: torch.empty(3).normal_()),
            ({"fn": "normal_", "mean": 1.0, "std": 0.5, "shape": [4, 5]}, lambda: torch.empty(4, 5).normal_(1.0, 0.5)),
            ({"fn": "bernoulli_", "p": 0.3, "shape": [10]}, lambda: torch.empty(10).bernoulli_(0.3)),
            ({"fn": "bernoulli_", "p": [0.1, 0.9, 0.5, 0.5, 0.2], "shape": [5]},
             lambda: torch.empty(5).bernoulli_(torch.tensor([0.1, 0.9, 0.5, 0.5, 0.2]))),
            ({"fn": "random_", "shape": [6]}, lambda: torch.empty(6).random_()),
            ({"fn": "random_", "shape": [6], "dtype": "int32"}, lambda: torch.empty(6, dtype=torch.int32).random_()),
            ({"fn": "random_", "to": 10, "shape": [8]}, lambda: torch.empty(8).random_(10)),
            ({"fn": "random_", "from": -3, "to": 4, "shape": [8], "dtype": "int32"}, lambda: torch.empty(8, dtype=torch.int32).random_(-3, 4)),
            ({"fn": "randint", "high": 10, "shape": [2, 3]}, lambda: torch.randint(10, (2, 3))),
            ({"fn": "randint", "low": 5, "high": 9, "shape": [4]}, lambda: torch.randint(5, 9, (4,))),
            ({"fn": "multinomial", "p": P2, "n": 2, "replacement": False}, lambda: torch.multinomial(torch.tensor(P2), 2)),
            ({"fn": "rand", "shape": [3]}, lambda: torch.rand(3)),
        ])
    return streams


def errors():
    out = []

    def msg(fn):
        try:
            fn()
        except RuntimeError as e:
            return str(e).split("\n")[0]
        return None

    out.append({"case": "multinomial_negative", "torch": msg(lambda: torch.multinomial(torch.tensor([0.5, -0.1]), 1))})
    out.append({"case": "multinomial_zero_sum", "torch": msg(lambda: torch.multinomial(torch.tensor([0.0, 0.0]), 1))})
    out.append({"case": "multinomial_too_many", "torch": msg(lambda: torch.multinomial(torch.tensor([0.5, 0.5]), 3))})
    out.append({"case": "topk_k_too_big", "torch": msg(lambda: torch.topk(torch.randn(3), 4))})
    return out


def main():
    sort_cases, sort_grads = sorting()
    payload = {
        "sort": sort_cases,
        "sortGrad": sort_grads,
        "topk": topk(),
        "scan": scans(),
        "random": random_streams(),
        "errors": errors(),
    }
    print(write_fixture("autograd", "sort_scan_sample", payload))


if __name__ == "__main__":
    main()
