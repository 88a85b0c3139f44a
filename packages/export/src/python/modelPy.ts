import { pyLiteral, type PyValue } from "../pyLiteral.js";
import { stateDictShapes, type TorchProjectSpec } from "../spec.js";

const CHARLM = String.raw`class CharLM(nn.Module):
    """Embedding(V, E) -> RNN/LSTM/GRU(E, H, layers, batch_first) -> Dropout -> Linear(H, V), as rnnkit train builds it."""

    def __init__(self, model, vocabSize, embedding, hidden, layers, dropout=0.0):
        super().__init__()
        self.embed = nn.Embedding(vocabSize, embedding)
        self.rnn = RECURRENT[model](embedding, hidden, num_layers=layers, batch_first=True,
                                    dropout=dropout if layers > 1 else 0.0)
        self.drop = nn.Dropout(dropout)
        self.head = nn.Linear(hidden, vocabSize)

    def forward(self, ids, state=None):
        """ids (batch, time) int64 -> logits (batch, time, vocab), next state (h or (h, c), each (layers, batch, hidden))."""
        out, state = self.rnn(self.embed(ids), state)
        return self.head(self.drop(out)), state


def build_model():
    """The model of CONFIG, checked against rnnkit's state-dict names and shapes."""
    return check_state_dict(CharLM(**CONFIG))
`;

const CLASSIFIER = String.raw`class WordClassifier(nn.Module):
    """Embedding(V, E, padding_idx=0) -> RNN/LSTM/GRU(E, H, layers, batch_first) -> Linear(H, C) over packed
    variable-length words; the top layer's final hidden state gives the class scores (rnnkit classify train's model)."""

    def __init__(self, model, vocabSize, embedding, hidden, layers, numClasses, lowercase=False):
        super().__init__()
        self.embed = nn.Embedding(vocabSize, embedding, padding_idx=0)
        self.rnn = RECURRENT[model](embedding, hidden, num_layers=layers, batch_first=True)
        self.head = nn.Linear(hidden, numClasses)

    def forward(self, padded, lengths):
        """padded (batch, time) int64 ids (0 pads), lengths (batch,) -> class scores (batch, classes)."""
        packed = pack_padded_sequence(self.embed(padded), lengths.cpu(), batch_first=True, enforce_sorted=False)
        _, state = self.rnn(packed)
        h = state[0] if isinstance(state, tuple) else state
        return self.head(h[-1])


def build_model():
    """The model of CONFIG, checked against rnnkit's state-dict names and shapes."""
    return check_state_dict(WordClassifier(**CONFIG))
`;

/** `model.py`: the same modules with the same parameter names as rnnkit's model, so the state dict maps 1:1. */
export function modelPy(spec: TorchProjectSpec): string {
  const shapes = stateDictShapes(spec);
  return `"""The model of this export in PyTorch: the same modules and parameter names as rnnkit's, so
state dicts move between the two unchanged (rnnkit checkpoints load here, and back)."""
import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence

# The checkpoint's "config" metadata.
CONFIG = ${pyLiteral(spec.config as unknown as PyValue)}

# Every state-dict tensor rnnkit's model has, with its shape.
STATE_DICT_SHAPES = ${pyLiteral(shapes)}

RECURRENT = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}


def check_state_dict(model):
    got = {k: list(v.shape) for k, v in model.state_dict().items()}
    if got != STATE_DICT_SHAPES:
        missing = sorted(set(STATE_DICT_SHAPES) - set(got))
        extra = sorted(set(got) - set(STATE_DICT_SHAPES))
        raise RuntimeError(f"model.py: the torch model does not match rnnkit's state dict (missing {missing}, extra {extra}, or shapes differ)")
    return model


${spec.kind === "charlm" ? CHARLM : CLASSIFIER}`;
}
