"""PyTorch peer: argv = <workload JSON> <threads> [--quick]. Prints one `RESULT {json}` line.

Same networks as the rnnkit peer (nn.Embedding -> nn.RNN/LSTM -> nn.Linear, CrossEntropyLoss,
Adam; nn.GRU forward under no_grad; torch.mm). Run with /usr/bin/python3 (torch 1.13).
"""
import json
import os
import resource
import sys
import time

import torch


def train_step(w):
    torch.manual_seed(0)
    emb = torch.nn.Embedding(w["vocab"], w["embedding"])
    cls = torch.nn.LSTM if w["cell"] == "lstm" else torch.nn.RNN
    batch_first = w["id"] == "W1"
    rnn = cls(w["embedding"], w["hidden"], num_layers=w["layers"], batch_first=batch_first)
    fc = torch.nn.Linear(w["hidden"], w["vocab"])
    params = list(emb.parameters()) + list(rnn.parameters()) + list(fc.parameters())
    opt = torch.optim.Adam(params, lr=w["lr"])
    loss_fn = torch.nn.CrossEntropyLoss()
    if w["id"] == "W1":
        x = torch.tensor([[2, 0, 1, 1, 3]])
        y = torch.tensor([3, 2, 1, 3, 1])
    else:
        x = torch.randint(0, w["vocab"], (w["seq"], w["batch"]))
        y = torch.randint(0, w["vocab"], (w["seq"] * w["batch"],))

    def step():
        opt.zero_grad()
        out, _ = rnn(emb(x))
        loss = loss_fn(fc(out.reshape(-1, w["hidden"])), y)
        loss.backward()
        opt.step()

    return step


def wordlm_step(w):
    """W7: pytorch/examples word_language_model's train() body, untied LSTM, shrunk."""
    import array

    torch.manual_seed(0)
    ids = array.array("i")
    with open(os.environ["RNNKIT_BENCH_TOKENS"], "rb") as f:
        ids.frombytes(f.read())
    tokens = torch.tensor(ids, dtype=torch.long)
    V, E, H, L, B, T = w["vocab"], w["embedding"], w["hidden"], w["layers"], w["batch"], w["seq"]
    encoder = torch.nn.Embedding(V, E)
    rnn = torch.nn.LSTM(E, H, L, dropout=w["dropout"])
    decoder = torch.nn.Linear(H, V)
    drop = torch.nn.Dropout(w["dropout"])
    params = list(encoder.parameters()) + list(rnn.parameters()) + list(decoder.parameters())
    criterion = torch.nn.NLLLoss()
    rows = tokens.numel() // B
    data = tokens[: rows * B].view(B, -1).t().contiguous()
    ctx = {"at": 0, "state": (torch.zeros(L, B, H), torch.zeros(L, B, H))}

    def step():
        if ctx["at"] + T + 1 > rows:
            ctx["at"] = 0
        at = ctx["at"]
        x = data[at : at + T]
        y = data[at + 1 : at + 1 + T].reshape(-1)
        ctx["at"] = at + T
        state = tuple(s.detach() for s in ctx["state"])
        for p in params:
            p.grad = None
        out, ctx["state"] = rnn(drop(encoder(x)), state)
        decoded = decoder(drop(out)).view(-1, V)
        loss = criterion(torch.nn.functional.log_softmax(decoded, dim=1), y)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, w["clip"])
        for p in params:
            p.data.add_(p.grad, alpha=-w["lr"])

    return step


def stream_step(w):
    """W6: one step of a 2-layer LSTM / GRU at batch 1 under no_grad, the state carried."""
    torch.manual_seed(0)
    L, H, I = w["layers"], w["hidden"], w["inputSize"]
    x = torch.randn(1, 1, I)
    if w["cell"] == "gru":
        rnn = torch.nn.GRU(I, H, num_layers=L)
        ctx = {"s": torch.zeros(L, 1, H)}
    else:
        rnn = torch.nn.LSTM(I, H, num_layers=L)
        ctx = {"s": (torch.zeros(L, 1, H), torch.zeros(L, 1, H))}

    def step():
        with torch.no_grad():
            ctx["s"] = rnn(x, ctx["s"])[1]

    return step


def sample_step(w):
    """W8: the CLI's default char-LM, one character per call: forward, softmax(logits / 0.8), draw."""
    torch.manual_seed(0)
    V = w["vocab"]
    embed = torch.nn.Embedding(V, w["embedding"])
    lstm = torch.nn.LSTM(w["embedding"], w["hidden"], batch_first=True)
    head = torch.nn.Linear(w["hidden"], V)
    ctx = {"s": None, "id": 0}

    def step():
        with torch.no_grad():
            out, ctx["s"] = lstm(embed(torch.tensor([[ctx["id"]]])), ctx["s"])
            p = torch.softmax(head(out.reshape(1, -1)).reshape(-1) / 0.8, 0)
            ctx["id"] = int(torch.multinomial(p, 1))

    return step


def infer_step(w):
    torch.manual_seed(0)
    gru = torch.nn.GRU(w["inputSize"], w["hidden"])
    x = torch.randn(w["seq"], w["batch"], w["inputSize"])

    def step():
        with torch.no_grad():
            gru(x)

    return step


def gemm_step(w):
    a = torch.randn(w["n"], w["n"])
    b = torch.randn(w["n"], w["n"])

    def step():
        torch.mm(a, b)

    return step


def measure(step, kind, quick):
    budget = float(os.environ.get("RNNKIT_BENCH_BUDGET_S") or (1.5 if quick else 6.0))
    warmup = 2 if kind == "gemm" or quick else 3
    min_reps = 5 if kind == "gemm" else (3 if quick else 5)
    max_reps = 50 if kind == "gemm" else 5000
    warmup_s = 0.3 if quick else 1.0
    warm_start = time.perf_counter()
    i = 0
    while i < warmup or time.perf_counter() - warm_start < warmup_s:
        t0 = time.perf_counter()
        step()
        i += 1
        if time.perf_counter() - t0 > 2.0:
            break
    times = []
    start = time.perf_counter()
    while True:
        t0 = time.perf_counter()
        step()
        times.append((time.perf_counter() - t0) * 1000.0)
        spent = time.perf_counter() - start
        if len(times) >= max_reps or (len(times) >= min_reps and spent >= budget) or spent >= 4 * budget:
            break
    return times


def main():
    w = json.loads(sys.argv[1])
    threads = int(sys.argv[2])
    quick = "--quick" in sys.argv
    torch.set_num_threads(threads)
    step = {"gemm": gemm_step, "infer": infer_step, "train": train_step, "wordlm": wordlm_step, "stream": stream_step, "sample": sample_step}[w["kind"]](w)
    times = measure(step, w["kind"], quick)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    note = None
    med = sorted(times)[len(times) // 2]
    if w["kind"] == "gemm":
        note = "%.1f GFLOP/s" % (2.0 * w["n"] ** 3 / (med * 1e6))
    elif w["kind"] == "sample":
        note = "%d chars/s" % round(1000.0 / med)
    out = {"peer": "", "workload": w["id"], "timesMs": times, "peakRssMB": rss_mb, "peakHeapMB": None}
    if note:
        out["note"] = note
    print("RESULT " + json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
