"""pytorch/examples word_language_model, run with torch on the bundled King James text, for
examples/word_language_model/test/parity.test.ts: the first 20 training losses of a small tied
2-layer LSTM (dropout 0.2, plain SGD at lr 20, clipping off) from torch.manual_seed(1111), and
its validation loss after those steps. The model, data pipeline and training step follow
word_language_model/{model,data,main}.py; the text is split into train/valid/test by lines
(80/10/10 %) and punctuation is split off as its own token, as the rnnkit port does.

rnnkit reproduces torch's initialization and dropout streams, so both start from the same
weights and draw the same masks from the same seed; the fixture also records a checksum of the
initial weights to show that.
Run: /usr/bin/python3 tools/parity/word_language_model.py
"""
import json
import math
import os
import re

import torch
import torch.nn as nn
import torch.nn.functional as F

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(REPO, "examples", "word_language_model", "test", "fixtures", "wlm_steps.json")
CONFIG = {"model": "LSTM", "emsize": 32, "nhid": 32, "nlayers": 2, "dropout": 0.2, "tied": True,
          "lr": 20.0, "bptt": 12, "batchSize": 8, "steps": 20, "seed": 1111, "evalBatchSize": 10}


def kjv_text():
    src = open(os.path.join(REPO, "packages", "data", "datasets", "kjvText.ts")).read()
    return json.loads(re.search(r'export const KJV_TEXT: string = (".*");', src, re.S).group(1))


def tokenize(line):
    return re.sub(r"([.,;:?!()])", r" \1 ", line).split() + ["<eos>"]


class Corpus:
    def __init__(self, text):
        lines = text.split("\n")
        if lines[-1] == "":
            lines.pop()
        a, b = int(len(lines) * 0.8), int(len(lines) * 0.9)
        self.idx2word, self.word2idx = [], {}
        self.train = self.encode(lines[:a])
        self.valid = self.encode(lines[a:b])
        self.test = self.encode(lines[b:])

    def encode(self, lines):
        ids = []
        for line in lines:
            for w in tokenize(line):
                if w not in self.word2idx:
                    self.word2idx[w] = len(self.idx2word)
                    self.idx2word.append(w)
                ids.append(self.word2idx[w])
        return torch.tensor(ids, dtype=torch.int64)


class RNNModel(nn.Module):
    def __init__(self, ntoken, ninp, nhid, nlayers, dropout, tie):
        super().__init__()
        self.ntoken = ntoken
        self.drop = nn.Dropout(dropout)
        self.encoder = nn.Embedding(ntoken, ninp)
        self.rnn = nn.LSTM(ninp, nhid, nlayers, dropout=dropout)
        self.decoder = nn.Linear(nhid, ntoken)
        if tie:
            self.decoder.weight = self.encoder.weight
        self.nhid, self.nlayers = nhid, nlayers
        nn.init.uniform_(self.encoder.weight, -0.1, 0.1)
        nn.init.zeros_(self.decoder.bias)
        nn.init.uniform_(self.decoder.weight, -0.1, 0.1)

    def forward(self, input, hidden):
        emb = self.drop(self.encoder(input))
        output, hidden = self.rnn(emb, hidden)
        output = self.drop(output)
        decoded = self.decoder(output).view(-1, self.ntoken)
        return F.log_softmax(decoded, dim=1), hidden

    def init_hidden(self, bsz):
        w = next(self.parameters())
        return (w.new_zeros(self.nlayers, bsz, self.nhid), w.new_zeros(self.nlayers, bsz, self.nhid))


def batchify(data, bsz):
    nbatch = data.size(0) // bsz
    return data.narrow(0, 0, nbatch * bsz).view(bsz, -1).t().contiguous()


def get_batch(source, i, bptt):
    seq_len = min(bptt, len(source) - 1 - i)
    return source[i:i + seq_len], source[i + 1:i + 1 + seq_len].reshape(-1)


def main():
    c = CONFIG
    torch.manual_seed(c["seed"])
    corpus = Corpus(kjv_text())
    train_data = batchify(corpus.train, c["batchSize"])
    val_data = batchify(corpus.valid, c["evalBatchSize"])[:200]
    model = RNNModel(len(corpus.idx2word), c["emsize"], c["nhid"], c["nlayers"], c["dropout"], c["tied"])
    init_sum = {n: float(p.detach().double().sum()) for n, p in model.named_parameters()}
    criterion = nn.NLLLoss()
    model.train()
    hidden = model.init_hidden(c["batchSize"])
    losses = []
    for batch, i in enumerate(range(0, train_data.size(0) - 1, c["bptt"])):
        if batch >= c["steps"]:
            break
        data, targets = get_batch(train_data, i, c["bptt"])
        hidden = tuple(h.detach() for h in hidden)
        model.zero_grad()
        output, hidden = model(data, hidden)
        loss = criterion(output, targets)
        loss.backward()
        for p in model.parameters():
            p.data.add_(p.grad, alpha=-c["lr"])
        losses.append(loss.item())
    model.eval()
    total = 0.0
    hidden = model.init_hidden(c["evalBatchSize"])
    with torch.no_grad():
        for i in range(0, val_data.size(0) - 1, c["bptt"]):
            data, targets = get_batch(val_data, i, c["bptt"])
            output, hidden = model(data, hidden)
            total += len(data) * criterion(output, targets).item()
    val_loss = total / (len(val_data) - 1)
    payload = {"config": c, "ntokens": len(corpus.idx2word), "trainTokens": len(corpus.train),
               "initSums": init_sum, "losses": losses, "valLoss": val_loss, "valRows": 200}
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump(payload, f, indent=1)
        f.write("\n")
    print(OUT, "losses", [round(l, 4) for l in losses], "val", round(val_loss, 4), "ppl", round(math.exp(val_loss), 1))


if __name__ == "__main__":
    main()
