"""Writes test/fixtures/torch-lstm-hello.safetensors: a PyTorch state dict (no rnnkit metadata)
of the playground's hello model as torch builds it (one-hot input, LSTM hidden 5, 2 layers), and
torch-lstm-hello.json with torch's logits for "hello", so the tests check the playground loads
it with settings read from the shapes and computes what torch computes.

Run with a Python that has torch: /usr/bin/python3 apps/playground/scripts/torch-fixture.py
"""
import json
import struct
from pathlib import Path

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(3)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = nn.LSTM(4, 5, num_layers=2, batch_first=True)
        self.fc = nn.Linear(5, 4)

    def forward(self, x):
        out, _ = self.rnn(F.one_hot(x, 4).float())
        return self.fc(out)


def save_safetensors(tensors, path):
    # The safetensors layout: u64 header length, JSON header, raw little-endian data.
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        data = t.detach().contiguous().to(torch.float32).numpy().tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    head = json.dumps(header).encode()
    head += b" " * ((8 - len(head) % 8) % 8)
    path.write_bytes(struct.pack("<Q", len(head)) + head + b"".join(blobs))


model = Net()
x = torch.tensor([[2, 0, 1, 1, 3]])  # "hello" with idx2char e, l, h, o
with torch.no_grad():
    logits = model(x)[0]
out = Path(__file__).resolve().parent.parent / "test" / "fixtures"
out.mkdir(parents=True, exist_ok=True)
save_safetensors(model.state_dict(), out / "torch-lstm-hello.safetensors")
(out / "torch-lstm-hello.json").write_text(json.dumps({"torch": torch.__version__, "logits": logits.tolist()}) + "\n")
print("wrote", out)
