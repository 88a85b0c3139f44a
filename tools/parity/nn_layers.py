"""Parity fixtures for rnnkit's non-recurrent nn layers, init and functional ops.

Writes packages/nn/test/fixtures/nn_layers.json:
  - defaultInit: Linear / Embedding parameters right after torch.manual_seed(seed)
  - init: every torch.nn.init function under a seed, over shapes, gains, modes, nonlinearities
  - gains: torch.nn.init.calculate_gain values
  - linear: forward values and gradients (input, weight, bias) for 1-D..4-D inputs, bias or not
  - embedding: forward, weight after max-norm renormalization, weight gradient, over padding_idx,
    max_norm / norm_type, scale_grad_by_freq and from_pretrained (frozen or not)
  - dropout: F.dropout outputs and input gradients under a seed
  - functional: activations, softmax family, normalize, one_hot, bilinear, pad

Run: /usr/bin/python3 tools/parity/nn_layers.py
"""

import math
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(__file__))
from common import enc, write_fixture  # noqa: E402


def default_init():
    cases = []
    linear_cfgs = [(4, 3, True), (1, 1, True), (7, 5, False), (10, 20, True), (3, 17, True), (16, 2, True), (5, 1, False)]
    for seed in (0, 1, 42, 1234):
        for (i, o, b) in linear_cfgs:
            torch.manual_seed(seed)
            m = nn.Linear(i, o, bias=b)
            c = {"kind": "linear", "seed": seed, "in": i, "out": o, "bias": b, "weight": enc(m.weight)}
            if b:
                c["biasValue"] = enc(m.bias)
            cases.append(c)
    for seed in (0, 13):
        for (i1, i2, o, b) in ((4, 3, 5, True), (1, 2, 1, False), (6, 6, 2, True)):
            torch.manual_seed(seed)
            m = nn.Bilinear(i1, i2, o, bias=b)
            c = {"kind": "bilinear", "seed": seed, "in1": i1, "in2": i2, "out": o, "bias": b, "weight": enc(m.weight)}
            if b:
                c["biasValue"] = enc(m.bias)
            cases.append(c)
    emb_cfgs = [(10, 3, None), (3, 4, None), (5, 5, 2), (20, 7, -1), (1, 1, None), (3, 5, None), (4, 4, 0), (17, 1, None), (2, 9, 1)]
    for seed in (0, 7, 99):
        for (n, d, pad) in emb_cfgs:
            torch.manual_seed(seed)
            m = nn.Embedding(n, d, padding_idx=pad)
            cases.append({"kind": "embedding", "seed": seed, "num": n, "dim": d, "paddingIdx": pad, "weight": enc(m.weight)})
    # Several layers in a row from one seed: the stream (and the cached normal) carries over.
    for seed in (3, 5):
        torch.manual_seed(seed)
        seq = [nn.Embedding(3, 3), nn.Linear(3, 4), nn.Embedding(1, 5), nn.Embedding(2, 2), nn.Linear(2, 2, bias=False), nn.Embedding(4, 5)]
        cases.append({"kind": "sequence", "seed": seed, "params": [enc(p) for m in seq for p in m.parameters()]})
    # Re-seeding forgets a cached normal sample.
    torch.manual_seed(11)
    nn.Embedding(3, 3)
    torch.manual_seed(11)
    a = nn.Embedding(1, 1).weight
    cases.append({"kind": "reseed", "seed": 11, "weight": enc(a)})
    return cases


def init_cases():
    init = nn.init
    out = []

    def run(name, shape, seed, fn, **opts):
        torch.manual_seed(seed)
        t = torch.empty(*shape)
        fn(t)
        out.append({"fn": name, "shape": list(shape), "seed": seed, "opts": opts, "value": enc(t)})

    shapes = [(3, 4), (5, 2), (4,), (2, 3, 4), (6, 3, 2, 2), (17, 3), (1, 1), (8, 8)]
    for s_i, shape in enumerate(shapes):
        seed = 100 + s_i
        run("uniform_", shape, seed, lambda t: init.uniform_(t))
        run("uniform_", shape, seed, lambda t: init.uniform_(t, -0.3, 2.5), a=-0.3, b=2.5)
        run("normal_", shape, seed, lambda t: init.normal_(t))
        run("normal_", shape, seed, lambda t: init.normal_(t, 1.5, 0.25), mean=1.5, std=0.25)
        run("truncNormal_", shape, seed, lambda t: init.trunc_normal_(t))
        run("truncNormal_", shape, seed, lambda t: init.trunc_normal_(t, 0.5, 2.0, -1.0, 1.5), mean=0.5, std=2.0, a=-1.0, b=1.5)
        run("truncNormal_", shape, seed, lambda t: init.trunc_normal_(t, 0.0, 0.02, -0.04, 0.04), mean=0.0, std=0.02, a=-0.04, b=0.04)
        run("truncNormal_", shape, seed, lambda t: init.trunc_normal_(t, 0.0, 1.0, 0.5, 3.5), mean=0.0, std=1.0, a=0.5, b=3.5)
        run("constant_", shape, seed, lambda t: init.constant_(t, 0.7), val=0.7)
        run("zeros_", shape, seed, lambda t: init.zeros_(t))
        run("ones_", shape, seed, lambda t: init.ones_(t))
        if len(shape) < 2:
            continue
        for gain in (1.0, 0.5, 5.0 / 3):
            run("xavierUniform_", shape, seed, lambda t: init.xavier_uniform_(t, gain=gain), gain=gain)
            run("xavierNormal_", shape, seed, lambda t: init.xavier_normal_(t, gain=gain), gain=gain)
        for a in (0.0, math.sqrt(5), 0.2):
            for mode in ("fan_in", "fan_out"):
                for nl in ("leaky_relu", "relu", "tanh", "linear", "sigmoid", "selu"):
                    opts = {"a": a, "mode": mode, "nonlinearity": nl}
                    run("kaimingUniform_", shape, seed, lambda t: init.kaiming_uniform_(t, a=a, mode=mode, nonlinearity=nl), **opts)
                    run("kaimingNormal_", shape, seed, lambda t: init.kaiming_normal_(t, a=a, mode=mode, nonlinearity=nl), **opts)
        for gain in (1.0, 2.0):
            run("orthogonal_", shape, seed, lambda t: init.orthogonal_(t, gain=gain), gain=gain)
        if len(shape) == 2:
            run("eye_", shape, seed, lambda t: init.eye_(t))
    for shape, sp, std in (((5, 3), 0.4, 0.01), ((10, 4), 0.1, 1.0), ((3, 7), 1.0, 0.5), ((4, 2), 0.0, 0.01)):
        run("sparse_", shape, 21, lambda t: init.sparse_(t, sp, std=std), sparsity=sp, std=std)
    for shape, groups in (((4, 4, 3), 1), ((6, 3, 3, 3), 2), ((2, 5, 2, 4), 1), ((4, 2, 3, 3, 3), 2), ((3, 5, 4), 3)):
        run("dirac_", shape, 0, lambda t: init.dirac_(t, groups), groups=groups)
    # torch's defaults with no options at all.
    for shape in ((3, 4), (2, 3, 4)):
        run("kaimingUniform_", shape, 9, lambda t: init.kaiming_uniform_(t))
        run("kaimingNormal_", shape, 9, lambda t: init.kaiming_normal_(t))
        run("xavierUniform_", shape, 9, lambda t: init.xavier_uniform_(t))
        run("xavierNormal_", shape, 9, lambda t: init.xavier_normal_(t))
        run("orthogonal_", shape, 9, lambda t: init.orthogonal_(t))
    return out


def gains():
    g = init_gain = nn.init.calculate_gain
    rows = []
    for nl in ("linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d", "sigmoid", "tanh", "relu", "selu"):
        rows.append({"nonlinearity": nl, "param": None, "gain": g(nl)})
    for p in (None, 0.0, 0.2, math.sqrt(5), 1.0, 3):
        rows.append({"nonlinearity": "leaky_relu", "param": p, "gain": init_gain("leaky_relu", p)})
    return rows


def linear_cases():
    cases = []
    gen = torch.Generator().manual_seed(2024)
    for (i, o) in ((4, 3), (1, 5), (6, 1)):
        for bias in (True, False):
            for shape in ((i,), (2, i), (2, 3, i), (2, 1, 2, i), (0, i)):
                m = nn.Linear(i, o, bias=bias)
                with torch.no_grad():
                    m.weight.copy_(torch.randn(o, i, generator=gen))
                    if bias:
                        m.bias.copy_(torch.randn(o, generator=gen))
                x = torch.randn(*shape, generator=gen, requires_grad=True)
                y = m(x)
                g = torch.randn(*y.shape, generator=gen)
                y.backward(g)
                c = {"in": i, "out": o, "bias": bias, "weight": enc(m.weight), "input": enc(x), "output": enc(y), "gradOutput": enc(g),
                     "gradInput": enc(x.grad), "gradWeight": enc(m.weight.grad)}
                if bias:
                    c["biasValue"] = enc(m.bias)
                    c["gradBias"] = enc(m.bias.grad)
                cases.append(c)
    return cases


def embedding_cases():
    cases = []
    gen = torch.Generator().manual_seed(77)
    idx_sets = [
        [1, 3, 0, 3, 9],
        [[0, 2, 2, 4], [4, 4, 1, 7]],
        [[[1, 1], [2, 0]], [[9, 8], [1, 1]]],
        5,
    ]
    cfgs = [
        {},
        {"padding_idx": 1},
        {"padding_idx": -1},
        {"padding_idx": 4, "scale_grad_by_freq": True},
        {"scale_grad_by_freq": True},
        {"max_norm": 1.0},
        {"max_norm": 2.5, "norm_type": 1.0},
        {"max_norm": 0.5, "norm_type": float("inf")},
        {"max_norm": 1.2, "norm_type": 3.0, "padding_idx": 2},
        {"max_norm": 100.0},
    ]
    for cfg in cfgs:
        for idx in idx_sets:
            w0 = torch.randn(10, 4, generator=gen) * 1.5
            for pretrained in (None, "frozen", "trainable"):
                if pretrained is not None and cfg.get("scale_grad_by_freq"):
                    continue
                if pretrained is None:
                    m = nn.Embedding(10, 4, **cfg)
                    with torch.no_grad():
                        m.weight.copy_(w0)
                else:
                    m = nn.Embedding.from_pretrained(w0.clone(), freeze=(pretrained == "frozen"), **cfg)
                ix = torch.tensor(idx, dtype=torch.long)
                y = m(ix)
                g = torch.randn(*y.shape, generator=gen)
                if m.weight.requires_grad:
                    y.backward(g)
                opts = {"paddingIdx": cfg.get("padding_idx"), "maxNorm": cfg.get("max_norm"),
                        "normType": cfg.get("norm_type"), "scaleGradByFreq": cfg.get("scale_grad_by_freq")}
                if opts["normType"] == float("inf"):
                    opts["normType"] = "Infinity"
                cases.append({
                    "opts": opts, "pretrained": pretrained, "weightBefore": enc(w0), "indices": enc(ix),
                    "output": enc(y), "weightAfter": enc(m.weight), "gradOutput": enc(g),
                    "gradWeight": enc(m.weight.grad) if m.weight.grad is not None else None,
                })
    return cases


def dropout_cases():
    cases = []
    gen = torch.Generator().manual_seed(5)
    for seed in (0, 1, 31):
        for p in (0.0, 0.1, 0.5, 0.8, 1.0):
            for shape in ((7,), (3, 5), (2, 3, 4)):
                x = torch.randn(*shape, generator=gen, requires_grad=True)
                torch.manual_seed(seed)
                y = F.dropout(x, p=p, training=True)
                after = torch.rand(3)
                g = torch.randn(*shape, generator=gen)
                y.backward(g)
                cases.append({"seed": seed, "p": p, "input": enc(x), "output": enc(y), "gradOutput": enc(g),
                              "gradInput": enc(x.grad), "nextRand": enc(after)})
    return cases


def functional_cases():
    gen = torch.Generator().manual_seed(8)
    x0 = torch.randn(3, 5, generator=gen) * 3
    out = []

    def act(name, fn, **opts):
        x = x0.clone().requires_grad_(True)
        y = fn(x)
        g = torch.randn(*y.shape, generator=gen)
        y.backward(g)
        out.append({"fn": name, "opts": opts, "input": enc(x), "output": enc(y), "gradOutput": enc(g), "gradInput": enc(x.grad)})

    act("relu", F.relu)
    act("relu6", F.relu6)
    act("tanh", torch.tanh)
    act("sigmoid", torch.sigmoid)
    act("leakyRelu", F.leaky_relu)
    act("leakyRelu", lambda t: F.leaky_relu(t, 0.2), negativeSlope=0.2)
    act("elu", F.elu)
    act("elu", lambda t: F.elu(t, alpha=0.5), alpha=0.5)
    act("selu", F.selu)
    act("celu", lambda t: F.celu(t, alpha=2.0), alpha=2.0)
    act("gelu", F.gelu)
    act("gelu", lambda t: F.gelu(t, approximate="tanh"), approximate="tanh")
    act("silu", F.silu)
    act("mish", F.mish)
    act("softplus", F.softplus)
    act("softplus", lambda t: F.softplus(t, beta=2.0, threshold=3.0), beta=2.0, threshold=3.0)
    act("softsign", F.softsign)
    act("hardtanh", F.hardtanh)
    act("hardtanh", lambda t: F.hardtanh(t, -2.0, 0.5), minVal=-2.0, maxVal=0.5)
    act("hardsigmoid", F.hardsigmoid)
    act("hardswish", F.hardswish)
    act("logsigmoid", F.logsigmoid)
    act("tanhshrink", F.tanhshrink)
    act("softshrink", F.softshrink)
    act("hardshrink", F.hardshrink)
    act("threshold", lambda t: F.threshold(t, 0.5, -1.0), threshold=0.5, value=-1.0)
    for d in (0, 1, -1):
        act("softmax", lambda t: F.softmax(t, dim=d), dim=d)
        act("logSoftmax", lambda t: F.log_softmax(t, dim=d), dim=d)
        act("softmin", lambda t: F.softmin(t, dim=d), dim=d)
    act("normalize", F.normalize)
    act("normalize", lambda t: F.normalize(t, p=1.0, dim=0), p=1.0, dim=0)
    act("normalize", lambda t: F.normalize(t, p=3.0, dim=-1), p=3.0, dim=-1)
    act("pad", lambda t: F.pad(t, (1, 2)), pad=[1, 2])
    act("pad", lambda t: F.pad(t, (0, 1, 2, 0), value=-3.0), pad=[0, 1, 2, 0], value=-3.0)
    act("pad", lambda t: F.pad(t, (-1, 1)), pad=[-1, 1])

    onehot = []
    for idx, n in (([0, 2, 1], -1), ([[1, 0], [3, 3]], 5), (2, 4)):
        onehot.append({"indices": enc(torch.tensor(idx)), "numClasses": n, "output": enc(F.one_hot(torch.tensor(idx), n))})

    bil = []
    for shape, bias in (((4,), True), ((3, 4), True), ((2, 3, 4), False)):
        x1 = torch.randn(*shape, generator=gen, requires_grad=True)
        x2 = torch.randn(*shape[:-1], 2, generator=gen, requires_grad=True)
        w = torch.randn(5, 4, 2, generator=gen, requires_grad=True)
        b = torch.randn(5, generator=gen, requires_grad=True) if bias else None
        y = F.bilinear(x1, x2, w, b)
        g = torch.randn(*y.shape, generator=gen)
        y.backward(g)
        c = {"x1": enc(x1), "x2": enc(x2), "weight": enc(w), "output": enc(y), "gradOutput": enc(g),
             "gradX1": enc(x1.grad), "gradX2": enc(x2.grad), "gradWeight": enc(w.grad)}
        if bias:
            c["bias"] = enc(b)
            c["gradBias"] = enc(b.grad)
        bil.append(c)
    return out, onehot, bil


def model_cases():
    """A small composed model, built and run under one seed: init order, dropout stream, gradients."""
    cases = []
    for seed in (3, 8):
        torch.manual_seed(seed)
        emb = nn.Embedding(7, 5, padding_idx=0)
        seq = nn.Sequential(nn.Linear(5, 6), nn.Tanh(), nn.Dropout(0.3), nn.Linear(6, 4), nn.LogSoftmax(-1))
        idx = torch.tensor([[0, 3, 6], [2, 2, 1]])
        target = torch.tensor([[1], [0], [3], [2], [2], [1]])
        out = seq(emb(idx))
        loss = -out.reshape(6, 4).gather(1, target).mean()
        loss.backward()
        params = list(emb.named_parameters()) + [("seq." + k, p) for k, p in seq.named_parameters()]
        cases.append({
            "seed": seed, "indices": enc(idx), "target": enc(target), "output": enc(out), "loss": loss.item(),
            "names": [k for k, _ in params], "params": [enc(p) for _, p in params], "grads": [enc(p.grad) for _, p in params],
        })
    return cases


def main():
    activations, onehot, bilinear = functional_cases()
    payload = {
        "defaultInit": default_init(),
        "init": init_cases(),
        "gains": gains(),
        "linear": linear_cases(),
        "embedding": embedding_cases(),
        "dropout": dropout_cases(),
        "activations": activations,
        "oneHot": onehot,
        "bilinear": bilinear,
        "model": model_cases(),
    }
    print(write_fixture("nn", "nn_layers", payload))


if __name__ == "__main__":
    main()
