import { pyLiteral } from "../pyLiteral.js";
import type { CharLMProjectSpec, ClassifierProjectSpec } from "../spec.js";

const VOCAB_HELPERS = String.raw`INDEX = {c: i for i, c in enumerate(VOCAB)}


def check_known(text, what):
    unknown = sorted({c for c in text if c not in INDEX})
    if unknown:
        shown = ", ".join(repr(c) for c in unknown[:10])
        raise ValueError(f"{what} has {len(unknown)} character(s) outside the model's vocabulary of {len(VOCAB)}: {shown}")
`;

const CHARLM_DATA = String.raw`

def encode(text, what="text"):
    """Character ids (int64) of text; a character outside VOCAB is an error naming it."""
    check_known(text, what)
    return torch.tensor([INDEX[c] for c in text], dtype=torch.long)


def decode(ids):
    return "".join(VOCAB[i] for i in ids)


def split(ids, val_split):
    """rnnkit train's split: the last floor(n * val_split) characters are the validation text."""
    n_val = math.floor(len(ids) * val_split)
    return ids[:len(ids) - n_val], ids[len(ids) - n_val:]


class Streams:
    """The ids laid out as batch contiguous streams (stream b starts at b * stream_length), the layout of
    truncated BPTT with the state carried: window i of a stream follows window i - 1 of the same stream.
    A DDP rank reads only its rows (its share of the streams), so the global batch is rnnkit's."""

    def __init__(self, ids, batch):
        self.ids = ids
        self.batch = batch
        self.stream_length = (len(ids) - 1) // batch

    def windows(self, seq_len):
        """Number of full seq_len windows per stream (steps per epoch)."""
        return self.stream_length // seq_len

    def window(self, i, seq_len, length=None, rows=None):
        """Inputs and next-character targets of window i, each (len(rows), length) int64."""
        length = seq_len if length is None else length
        rows = range(self.batch) if rows is None else rows
        starts = torch.tensor([b * self.stream_length + i * seq_len for b in rows], dtype=torch.long)
        index = starts[:, None] + torch.arange(length, dtype=torch.long)[None, :]
        return self.ids[index], self.ids[index + 1]


def evaluate_loss(model, ids, batch, seq_len, device):
    """Mean next-character cross-entropy (nats per character) over ids, read as up to batch streams in
    seq_len windows with the state carried, in eval mode without gradients (rnnkit's evaluateLoss)."""
    b = max(1, min(batch, (len(ids) - 1) // seq_len))
    streams = Streams(ids, b)
    was_training = model.training
    model.eval()
    total, count, state, start = 0.0, 0, None, 0
    with torch.no_grad():
        while start < streams.stream_length:
            length = min(seq_len, streams.stream_length - start)
            x, y = streams.window(start // seq_len, seq_len, length)
            logits, state = model(x.to(device), state)
            total += F.cross_entropy(logits.reshape(-1, logits.shape[2]), y.to(device).reshape(-1), reduction="sum").item()
            count += y.numel()
            start += seq_len
    model.train(was_training)
    return total / count
`;

const CLASSIFIER_DATA = String.raw`

def encode(text, what="text"):
    """Ids of text's characters (VOCAB index + 1; 0 pads), lower-cased first when LOWERCASE."""
    text = text.lower() if LOWERCASE else text
    check_known(text, what)
    return [INDEX[c] + 1 for c in text]


def read_csv(path):
    """[(text, label index)] of a text,label file: the label follows the last comma, a text,label header
    is skipped, a quoted text may hold commas ("" is a quote) -- rnnkit classify train --data's rules."""
    label_index = {name: i for i, name in enumerate(LABELS)}
    examples = []
    with open(path, encoding="utf-8") as fh:
        lines = fh.read().split("\n")
    for i, raw in enumerate(lines):
        line = raw.rstrip("\r").strip()
        if line == "" or (i == 0 and line.lower() == "text,label"):
            continue
        comma = line.rfind(",")
        if comma <= 0 or comma == len(line) - 1:
            raise ValueError(f"{path} line {i + 1}: expected \"text,label\", got {raw!r}")
        text = line[:comma].strip()
        if len(text) >= 2 and text.startswith('"') and text.endswith('"'):
            text = text[1:-1].replace('""', '"')
        label = line[comma + 1:].strip()
        if label not in label_index:
            raise ValueError(f"{path} line {i + 1}: label {label!r} is not one of the model's {len(LABELS)} labels")
        examples.append((encode(text, f"{path} line {i + 1}"), label_index[label]))
    if not examples:
        raise ValueError(f"{path} has no text,label lines")
    return examples


def pad_batch(seqs):
    """Id lists -> padded (batch, longest) int64 (pad id 0) and their lengths (batch,) int64."""
    lengths = torch.tensor([len(s) for s in seqs], dtype=torch.long)
    padded = torch.zeros(len(seqs), int(lengths.max()), dtype=torch.long)
    for b, s in enumerate(seqs):
        padded[b, :len(s)] = torch.tensor(s, dtype=torch.long)
    return padded, lengths
`;

/** `data.py` of a char-LM project: the checkpoint's vocabulary and rnnkit train's TBPTT streams. */
export function charLMDataPy(spec: CharLMProjectSpec): string {
  return `"""The data side of rnnkit train: the checkpoint's character vocabulary, its validation split and
truncated-BPTT streams."""
import math

import torch
import torch.nn.functional as F

# The characters in id order: the checkpoint's "vocab" metadata.
VOCAB = ${pyLiteral(spec.vocab)}
# train.data's hash of the text this run trains on (None: any text in VOCAB).
TEXT_HASH = ${pyLiteral(spec.dataHash ?? null)}
${VOCAB_HELPERS}${CHARLM_DATA}`;
}

/** `data.py` of a classifier project: vocabulary (id = index + 1), labels, CSV reading and padded batches. */
export function classifierDataPy(spec: ClassifierProjectSpec): string {
  return `"""The data side of rnnkit classify train: the checkpoint's characters (id = index + 1, 0 pads), its
labels, text,label files and padded batches."""
import torch

# The characters in id order (id = index + 1): the checkpoint's "vocab" metadata.
VOCAB = ${pyLiteral(spec.vocab)}
# Label names in class order: the checkpoint's "labels" metadata.
LABELS = ${pyLiteral(spec.labels)}
LOWERCASE = ${pyLiteral(spec.config.lowercase)}
${VOCAB_HELPERS}${CLASSIFIER_DATA}`;
}
