"""PyTorch recurrent checkpoints as .safetensors files, and a check that rnnkit's files load in PyTorch.

Writes packages/nn/test/fixtures/:
  rnn_ckpt_<name>.safetensors  a torch state_dict (LSTM 2-layer bidirectional, GRU batch_first,
                               RNN relu, LSTM proj_size) in the safetensors layout: 8-byte
                               little-endian header length, compact JSON header with the keys
                               sorted (`__metadata__` first, holding the rnnkit configuration),
                               padded with spaces to a multiple of 8, then raw little-endian data
  rnn_checkpoints.json         per file: the module kind and camelCase options, an input, h0/c0,
                               and torch's output and final states

Then reads packages/nn/test/fixtures/rnn_rnnkit_written.safetensors (written by rnnkit: from
packages/nn run `node --conditions=@rnnkit/source --import tsx test/recurrentCheckpointWriter.ts`),
loads it into the torch module its metadata describes with strict=True, and checks that its
values equal torch's own initialization for the same seed and that torch's output on the
recorded input equals rnnkit's (rnn_rnnkit_written.json). Any mismatch is an error.

Run: /usr/bin/python3 tools/parity/rnn_checkpoints.py
"""

import json
import os
import struct
import sys

import numpy as np
import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(__file__))
from common import REPO, enc, write_fixture  # noqa: E402

OUT = os.path.join(REPO, "packages", "nn", "test", "fixtures")
CLASSES = {"RNN": nn.RNN, "LSTM": nn.LSTM, "GRU": nn.GRU}
TORCH_KW = {
    "numLayers": "num_layers", "bias": "bias", "batchFirst": "batch_first", "dropout": "dropout",
    "bidirectional": "bidirectional", "projSize": "proj_size", "nonlinearity": "nonlinearity",
}


def build(kind, input_size, hidden_size, options):
    return CLASSES[kind](input_size, hidden_size, **{TORCH_KW[k]: v for k, v in options.items()})


def write_safetensors(path, tensors, metadata):
    header = {"__metadata__": metadata}
    blobs = []
    offset = 0
    for name in sorted(tensors):
        t = tensors[name].detach().contiguous()
        assert t.dtype == torch.float32, name
        b = t.numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(b)]}
        offset += len(b)
        blobs.append(b)
    hb = json.dumps(header, separators=(",", ":")).encode("utf-8")
    hb += b" " * ((8 - len(hb) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(hb)) + hb + b"".join(blobs))


def read_safetensors(path):
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n].decode("utf-8"))
    body = raw[8 + n:]
    metadata = header.pop("__metadata__", {})
    tensors = {}
    for name, info in header.items():
        if info["dtype"] != "F32":
            raise ValueError(f"{path}: {name} has dtype {info['dtype']}, expected F32")
        start, end = info["data_offsets"]
        arr = np.frombuffer(body[start:end], dtype="<f4").reshape(info["shape"])
        tensors[name] = torch.from_numpy(arr.astype(np.float32))
    return tensors, metadata


def write_checkpoints():
    cfgs = [
        ("lstm2bi", "LSTM", 5, 6, {"numLayers": 2, "bidirectional": True}, 7, 3),
        ("gru_batchfirst", "GRU", 4, 5, {"numLayers": 2, "batchFirst": True}, 6, 2),
        ("rnn_relu", "RNN", 3, 4, {"nonlinearity": "relu"}, 5, 2),
        ("lstm_proj", "LSTM", 4, 6, {"projSize": 3, "numLayers": 2}, 5, 2),
    ]
    cases = []
    for i, (name, kind, ins, hid, opts, steps, batch) in enumerate(cfgs):
        torch.manual_seed(2000 + i)
        m = build(kind, ins, hid, opts)
        # Move away from the default init so a silently skipped load would show.
        with torch.no_grad():
            for p in m.parameters():
                p.add_(torch.randn_like(p) * 0.1)
        m.eval()
        dirs = 2 if opts.get("bidirectional") else 1
        layers = opts.get("numLayers", 1)
        real_h = opts.get("projSize", 0) or hid
        x = torch.randn(batch, steps, ins) if opts.get("batchFirst") else torch.randn(steps, batch, ins)
        h0 = torch.randn(layers * dirs, batch, real_h) * 0.5
        c0 = torch.randn(layers * dirs, batch, hid) * 0.5 if kind == "LSTM" else None
        with torch.no_grad():
            if kind == "LSTM":
                out, (hn, cn) = m(x, (h0, c0))
            else:
                out, hn = m(x, h0)
                cn = None
        config = {"kind": kind, "inputSize": ins, "hiddenSize": hid, "options": opts}
        path = os.path.join(OUT, f"rnn_ckpt_{name}.safetensors")
        write_safetensors(path, m.state_dict(), {"format": "pt", "rnnkit": json.dumps(config, sort_keys=True)})
        # The file must read back to exactly the state dict.
        back, meta = read_safetensors(path)
        assert set(back) == set(m.state_dict()) and json.loads(meta["rnnkit"]) == config
        for k, v in m.state_dict().items():
            assert torch.equal(back[k], v), k
        cases.append({
            "name": name, "file": os.path.basename(path), **config, "keys": sorted(m.state_dict()),
            "input": enc(x), "h0": enc(h0), "c0": enc(c0) if c0 is not None else None,
            "output": enc(out), "hn": enc(hn), "cn": enc(cn) if cn is not None else None,
        })
    print("wrote", write_fixture("nn", "rnn_checkpoints", {"cases": cases}))


def check_rnnkit_file():
    path = os.path.join(OUT, "rnn_rnnkit_written.safetensors")
    if not os.path.exists(path):
        raise SystemExit(f"{path} is missing: from packages/nn run `node --conditions=@rnnkit/source --import tsx test/recurrentCheckpointWriter.ts` first")
    tensors, metadata = read_safetensors(path)
    config = json.loads(metadata["rnnkit"])
    with open(os.path.join(OUT, "rnn_rnnkit_written.json")) as f:
        expected = json.load(f)
    torch.manual_seed(config["seed"])
    reference = build(config["kind"], config["inputSize"], config["hiddenSize"], config["options"])
    m = build(config["kind"], config["inputSize"], config["hiddenSize"], config["options"])
    m.load_state_dict(tensors, strict=True)
    for k, v in reference.state_dict().items():
        if not torch.equal(m.state_dict()[k], v):
            raise SystemExit(f"rnnkit-written {k} differs from torch's init for seed {config['seed']}")

    def tensor_of(t):
        return torch.tensor(t["data"], dtype=torch.float32).reshape(t["shape"])

    with torch.no_grad():
        out, hn = m(tensor_of(expected["input"]))
    if config["kind"] == "LSTM":
        hn = hn[0]
    for what, got in [("output", out), ("hn", hn)]:
        want = tensor_of(expected[what])
        if not torch.allclose(got, want, atol=1e-5, rtol=1e-4):
            raise SystemExit(f"torch's {what} on the rnnkit checkpoint differs from rnnkit's: {(got - want).abs().max()}")
    print(f"ok: {os.path.basename(path)} loads into torch ({len(tensors)} tensors) and reproduces rnnkit's outputs")


def main():
    write_checkpoints()
    check_rnnkit_file()


if __name__ == "__main__":
    main()
