"""torch's repr (print(model)) and parameter / child order of nn modules, for
packages/optim/test/moduleRepr.test.ts: every built-in layer with default and non-default
options, containers, and user-defined modules whose attributes are assigned in an order that
differs from how a TypeScript class would declare them (torch registers in assignment order).
Run: /usr/bin/python3 tools/parity/module_repr.py
"""
import torch
from torch import nn

from common import write_fixture


class Net(nn.Module):
    """Assigned emb, rnn, fc, drop, scale; the TypeScript twin declares fc first."""

    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(4, 10)
        self.rnn = nn.LSTM(10, 8, num_layers=2, batch_first=True)
        self.fc = nn.Linear(8, 4)
        self.drop = nn.Dropout(0.2)
        self.scale = nn.Parameter(torch.ones(1))


class Tied(nn.Module):
    """word_language_model's RNNModel shape: the decoder shares the encoder's weight."""

    def __init__(self):
        super().__init__()
        self.drop = nn.Dropout(0.5)
        self.encoder = nn.Embedding(50, 16)
        self.rnn = nn.LSTM(16, 16, 2, dropout=0.5)
        self.decoder = nn.Linear(16, 50)
        self.decoder.weight = self.encoder.weight


class Outer(nn.Module):
    """Nesting: a container inside a custom module inside a custom module."""

    def __init__(self):
        super().__init__()
        self.head = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Sequential(nn.Linear(4, 2), nn.LogSoftmax(dim=1)))
        self.body = Net()
        self.layers = nn.ModuleList([nn.GRUCell(2, 3), nn.RNNCell(3, 3, nonlinearity="relu")])
        self.bias = nn.Parameter(torch.zeros(2))


CASES = {
    "Linear": lambda: nn.Linear(8, 4),
    "LinearNoBias": lambda: nn.Linear(8, 4, bias=False),
    "Bilinear": lambda: nn.Bilinear(3, 4, 5),
    "Identity": lambda: nn.Identity(),
    "Embedding": lambda: nn.Embedding(4, 10),
    "EmbeddingOpts": lambda: nn.Embedding(4, 10, padding_idx=0, max_norm=1.5, norm_type=1.0, scale_grad_by_freq=True),
    "Dropout": lambda: nn.Dropout(0.5),
    "Dropout02": lambda: nn.Dropout(0.2),
    "RNN": lambda: nn.RNN(3, 4),
    "RNNRelu": lambda: nn.RNN(3, 4, nonlinearity="relu", num_layers=3, bias=False),
    "LSTM": lambda: nn.LSTM(10, 20, num_layers=2, batch_first=True),
    "LSTMAll": lambda: nn.LSTM(10, 20, num_layers=2, bias=False, batch_first=True, dropout=0.25, bidirectional=True, proj_size=5),
    "GRU": lambda: nn.GRU(5, 6, bidirectional=True),
    "GRUDropout": lambda: nn.GRU(5, 6, num_layers=2, dropout=0.5),
    "RNNCell": lambda: nn.RNNCell(3, 4),
    "RNNCellRelu": lambda: nn.RNNCell(3, 4, bias=False, nonlinearity="relu"),
    "LSTMCell": lambda: nn.LSTMCell(3, 4),
    "GRUCellNoBias": lambda: nn.GRUCell(3, 4, bias=False),
    "ReLU": lambda: nn.ReLU(),
    "ReLU6": lambda: nn.ReLU6(),
    "Tanh": lambda: nn.Tanh(),
    "Sigmoid": lambda: nn.Sigmoid(),
    "LeakyReLU": lambda: nn.LeakyReLU(),
    "LeakyReLU02": lambda: nn.LeakyReLU(0.2),
    "ELU": lambda: nn.ELU(),
    "CELU": lambda: nn.CELU(0.5),
    "SELU": lambda: nn.SELU(),
    "GELU": lambda: nn.GELU(),
    "GELUTanh": lambda: nn.GELU(approximate="tanh"),
    "SiLU": lambda: nn.SiLU(),
    "Mish": lambda: nn.Mish(),
    "Softplus": lambda: nn.Softplus(),
    "Softplus2": lambda: nn.Softplus(beta=2, threshold=10),
    "Softsign": lambda: nn.Softsign(),
    "Hardtanh": lambda: nn.Hardtanh(),
    "Hardtanh2": lambda: nn.Hardtanh(-2.0, 2.0),
    "Hardsigmoid": lambda: nn.Hardsigmoid(),
    "Hardswish": lambda: nn.Hardswish(),
    "LogSigmoid": lambda: nn.LogSigmoid(),
    "Tanhshrink": lambda: nn.Tanhshrink(),
    "Softshrink": lambda: nn.Softshrink(),
    "Hardshrink": lambda: nn.Hardshrink(0.3),
    "Threshold": lambda: nn.Threshold(0.1, 20),
    "Softmax": lambda: nn.Softmax(dim=1),
    "SoftmaxNone": lambda: nn.Softmax(),
    "LogSoftmax": lambda: nn.LogSoftmax(dim=-1),
    "Softmin": lambda: nn.Softmin(dim=0),
    "Flatten": lambda: nn.Flatten(),
    "Flatten2": lambda: nn.Flatten(0, 2),
    "Sequential": lambda: nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1)),
    "SequentialEmpty": lambda: nn.Sequential(),
    "ModuleList": lambda: nn.ModuleList([nn.Linear(2, 2), nn.Dropout(0.1)]),
    "CrossEntropyLoss": lambda: nn.CrossEntropyLoss(),
    "CrossEntropyLossOpts": lambda: nn.CrossEntropyLoss(ignore_index=0, label_smoothing=0.1),
    "NLLLoss": lambda: nn.NLLLoss(),
    "MSELoss": lambda: nn.MSELoss(),
    "L1Loss": lambda: nn.L1Loss(),
    "SmoothL1Loss": lambda: nn.SmoothL1Loss(),
    "HuberLoss": lambda: nn.HuberLoss(),
    "BCELoss": lambda: nn.BCELoss(),
    "BCEWithLogitsLoss": lambda: nn.BCEWithLogitsLoss(),
    "Net": Net,
    "Tied": Tied,
    "Outer": Outer,
}


def main():
    out = {}
    for name, make in CASES.items():
        m = make()
        out[name] = {
            "repr": repr(m),
            "parameters": [n for n, _ in m.named_parameters()],
            "children": [n for n, _ in m.named_children()],
            "stateDict": list(m.state_dict().keys()),
        }
    print(write_fixture("optim", "module_repr", {"cases": out}))


if __name__ == "__main__":
    main()
