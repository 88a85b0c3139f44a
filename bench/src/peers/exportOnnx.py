"""Writes the ONNX file of a W4 / W6 network for the ONNX Runtime peers: argv = <workload JSON> <out.onnx>.

torch.onnx.export at opset 14, from the same modules as the PyTorch peer (nn.GRU / nn.LSTM,
seed 0). W4: input x (seq, batch, in) -> output. W6: x (1, 1, in) and the state (h0, and c0 for
LSTM) -> output and the next state, so a caller can carry the state from step to step.
Run with /usr/bin/python3 (torch 1.13); needs no `onnx` package.
"""
import json
import sys

import torch


def main():
    w = json.loads(sys.argv[1])
    out = sys.argv[2]
    torch.manual_seed(0)
    if w["kind"] == "infer":
        model = torch.nn.GRU(w["inputSize"], w["hidden"]).eval()
        x = torch.randn(w["seq"], w["batch"], w["inputSize"])

        class Wrap(torch.nn.Module):
            def __init__(self, rnn):
                super().__init__()
                self.rnn = rnn

            def forward(self, x):
                return self.rnn(x)[0]

        torch.onnx.export(Wrap(model), (x,), out, opset_version=14, input_names=["x"], output_names=["y"])
        return
    L, H, I = w["layers"], w["hidden"], w["inputSize"]
    x = torch.randn(1, 1, I)
    h0 = torch.zeros(L, 1, H)
    if w["cell"] == "gru":
        model = torch.nn.GRU(I, H, num_layers=L).eval()
        torch.onnx.export(model, (x, h0), out, opset_version=14, input_names=["x", "h0"], output_names=["y", "hn"])
    else:
        model = torch.nn.LSTM(I, H, num_layers=L).eval()
        c0 = torch.zeros(L, 1, H)
        torch.onnx.export(model, (x, (h0, c0)), out, opset_version=14, input_names=["x", "h0", "c0"], output_names=["y", "hn", "cn"])


if __name__ == "__main__":
    main()
