"""PyTorch-written character models for `rnnkit sample` / `rnnkit eval` / `rnnkit info`.

Builds the CharLM of apps/cli/README.md in PyTorch (Embedding -> RNN/LSTM/GRU -> Dropout ->
Linear), saves its state_dict as safetensors (the layout `safetensors.torch.save_file` writes,
implemented here since the pip module is not installed) with the documented `__metadata__`
keys, and records what the reference sampler and evaluator of that README give:
samples for several (prime, temperature, top-k, seed) settings and the loss on a text.

Outputs (apps/cli/test/fixtures/): torch_charlm_<kind>.safetensors, torch_charlm.json
Run: /usr/bin/python3 tools/parity/cli_charlm.py
"""
import json
import math
import os
import struct

import torch
from torch import nn

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "apps", "cli", "test", "fixtures")

TEXT = (
    "In the beginning God created the heaven and the earth.\n"
    "And the earth was without form, and void; and darkness was upon the face of the deep.\n"
    "And God said, Let there be light: and there was light.\n"
)
EVAL_TEXT = "And God saw the light, that it was good: and God divided the light from the darkness.\n"


class CharLM(nn.Module):
    def __init__(self, kind, vocab_size, embedding, hidden, layers, dropout=0.0):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, embedding)
        cls = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}[kind]
        self.rnn = cls(embedding, hidden, num_layers=layers, batch_first=True, dropout=dropout if layers > 1 else 0.0)
        self.drop = nn.Dropout(dropout)
        self.head = nn.Linear(hidden, vocab_size)

    def forward(self, ids, state=None):
        out, state = self.rnn(self.embed(ids), state)
        return self.head(self.drop(out)), state


def sample(model, chars, prime, length, temperature, top_k, seed):
    """The reference sampler of apps/cli/README.md."""
    index = {c: i for i, c in enumerate(chars)}
    g = torch.Generator().manual_seed(seed)
    ids = torch.tensor([[index[c] for c in prime]])
    state = None
    out = []
    model.eval()
    with torch.no_grad():
        for _ in range(length):
            logits, state = model(ids, state)
            last = logits[0, -1]
            if temperature == 0:
                nxt = int(last.argmax())
            else:
                scaled = last / temperature
                if 0 < top_k < scaled.numel():
                    kth = torch.topk(scaled, top_k).values[-1]
                    scaled = scaled.masked_fill(scaled < kth, float("-inf"))
                p = torch.softmax(scaled, 0)
                u = torch.rand(1, generator=g).item()
                hits = (p.double().cumsum(0) > u).nonzero()
                nxt = int(hits[0]) if len(hits) else int((p > 0).nonzero()[-1])
            out.append(nxt)
            ids = torch.tensor([[nxt]])
    return "".join(chars[i] for i in out)


def evaluate(model, chars, text, batch, seq_len):
    """Mean next-character cross-entropy over `batch` contiguous streams read in windows."""
    index = {c: i for i, c in enumerate(chars)}
    ids = torch.tensor([index[c] for c in text])
    b = max(1, min(batch, (len(ids) - 1) // seq_len))
    stream = (len(ids) - 1) // b
    total, count, state = 0.0, 0, None
    model.eval()
    with torch.no_grad():
        for start in range(0, stream, seq_len):
            n = min(seq_len, stream - start)
            x = torch.stack([ids[k * stream + start: k * stream + start + n] for k in range(b)])
            y = torch.stack([ids[k * stream + start + 1: k * stream + start + n + 1] for k in range(b)])
            logits, state = model(x, state)
            total += float(nn.functional.cross_entropy(logits.reshape(-1, len(chars)), y.reshape(-1), reduction="sum"))
            count += y.numel()
    return total / count


def serialize(tensors, metadata):
    """safetensors bytes: F32 tensors sorted by name, compact JSON header padded to 8 bytes."""
    header = {"__metadata__": {k: metadata[k] for k in sorted(metadata)}}
    blobs, offset = [], 0
    for name in sorted(tensors):
        b = tensors[name].detach().contiguous().numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(tensors[name].shape), "data_offsets": [offset, offset + len(b)]}
        offset += len(b)
        blobs.append(b)
    hb = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    hb += b" " * ((8 - len(hb) % 8) % 8)
    return struct.pack("<Q", len(hb)) + hb + b"".join(blobs)


def main():
    os.makedirs(OUT, exist_ok=True)
    chars = sorted(set(TEXT + EVAL_TEXT))
    settings = [
        {"prime": "And ", "length": 60, "temperature": 0.8, "topK": 0, "seed": 7},
        {"prime": "the", "length": 40, "temperature": 1.0, "topK": 3, "seed": 3},
        {"prime": "G", "length": 30, "temperature": 0.0, "topK": 0, "seed": 0},
        {"prime": "light", "length": 50, "temperature": 1.5, "topK": 10, "seed": 123},
    ]
    fixtures = {"models": []}
    for kind, layers, seed in [("lstm", 2, 1), ("gru", 1, 2), ("rnn", 2, 3)]:
        torch.manual_seed(seed)
        config = {"model": kind, "vocabSize": len(chars), "embedding": 12, "hidden": 24, "layers": layers, "dropout": 0.0}
        model = CharLM(kind, len(chars), 12, 24, layers)
        # Scale the weights up so samples depend sharply on every parameter.
        with torch.no_grad():
            for p in model.parameters():
                p.mul_(3.0)
        metadata = {"format": "rnnkit.charlm", "config": json.dumps(config), "vocab": json.dumps(chars)}
        name = f"torch_charlm_{kind}.safetensors"
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(serialize(model.state_dict(), metadata))
        loss = evaluate(model, chars, EVAL_TEXT, 4, 16)
        fixtures["models"].append({
            "file": name,
            "config": config,
            "parameters": sum(p.numel() for p in model.parameters()),
            "samples": [dict(s, text=sample(model, chars, s["prime"], s["length"], s["temperature"], s["topK"], s["seed"])) for s in settings],
            "eval": {"loss": loss, "perplexity": math.exp(loss), "bitsPerChar": loss / math.log(2), "characters": len(EVAL_TEXT)},
        })
    fixtures["evalText"] = EVAL_TEXT
    with open(os.path.join(OUT, "torch_charlm.json"), "w") as f:
        json.dump(fixtures, f, indent=1, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    main()
