import { pyLiteral, type PyValue } from "../pyLiteral.js";
import type { ClassifierProjectSpec } from "../spec.js";

const BODY = String.raw`def parse_args(argv=None):
    p = argparse.ArgumentParser(description="Continue (or start) this rnnkit word classifier in PyTorch, "
                                "on one process or many with DistributedDataParallel. See README.md.")
    p.add_argument("--init", default=DEFAULT_INIT, help="rnnkit classifier checkpoint to start from (default: init.safetensors of this export, when present)")
    p.add_argument("--scratch", action="store_true", help="start from freshly initialised weights instead of --init")
    p.add_argument("--train-data", default=os.path.join(HERE, "data", "train.csv"), help="text,label training examples")
    p.add_argument("--val-data", default=os.path.join(HERE, "data", "val.csv"), help="text,label validation examples")
    p.add_argument("--out", default="runs/classifier.safetensors", help="checkpoint to write after every epoch (rnnkit's format)")
    p.add_argument("--epochs", type=int, default=OPTIONS["epochs"], help="passes over the training examples")
    p.add_argument("--batch-size", type=int, default=OPTIONS["batchSize"], help="examples per step over all ranks")
    p.add_argument("--lr", type=float, default=OPTIONS["lr"], help="Adam learning rate")
    p.add_argument("--seed", type=int, default=OPTIONS["seed"], help="seeds initialisation and the shuffle")
    p.add_argument("--spawn", type=int, default=0, metavar="N", help="start N local ranks without torchrun")
    p.add_argument("--cpu", action="store_true", help="train on the CPU (gloo) even when CUDA is available")
    p.add_argument("--json", action="store_true", help="one JSON object per log line")
    args = p.parse_args(argv)
    if args.epochs < 1 or args.batch_size < 1:
        p.error(f"--epochs and --batch-size must be positive integers, got {args.epochs} and {args.batch_size}")
    if not args.lr > 0:
        p.error(f"--lr must be positive, got {args.lr}")
    if args.spawn < 0:
        p.error(f"--spawn must be >= 0, got {args.spawn}")
    if args.init is not None and not args.scratch and not os.path.isfile(args.init):
        p.error(f"--init {args.init} does not exist (use --scratch to start from fresh weights)")
    for flag, path in (("--train-data", args.train_data), ("--val-data", args.val_data)):
        if not os.path.isfile(path):
            p.error(f"{flag} {path} does not exist")
    return args


def fail(message):
    raise SystemExit(f"train.py: {message}")


def main(args):
    d = setup(args.cpu)
    try:
        train(args, d)
    finally:
        teardown(d)


def accuracy(model, examples, device):
    model.eval()
    correct = 0
    with torch.no_grad():
        for s in range(0, len(examples), 256):
            chunk = examples[s:s + 256]
            x, lengths = pad_batch([e[0] for e in chunk])
            pred = model(x.to(device), lengths).argmax(1).cpu()
            correct += sum(int(p) == e[1] for p, e in zip(pred, chunk))
    model.train()
    return correct / max(1, len(examples))


def train(args, d):
    def log(event, fields, text):
        if d.is_main:
            print(json.dumps({"event": event, **fields}) if args.json else text, flush=True)

    try:
        train_set, val_set = read_csv(args.train_data), read_csv(args.val_data)
    except ValueError as e:
        fail(str(e))
    torch.manual_seed(args.seed)
    model = build_model().to(d.device)
    init = None if args.scratch else args.init
    if init is not None:
        try:
            tensors, meta = ck.read_checkpoint(init)
        except (OSError, ValueError) as e:
            fail(f"cannot read --init {init}: {e}")
        if meta.get("format") != FORMAT:
            fail(f"--init {init} is a {meta.get('format')!r} checkpoint, expected {FORMAT!r}")
        if rf.meta_json(meta, "config", init) != CONFIG or rf.meta_json(meta, "vocab", init) != VOCAB or rf.meta_json(meta, "labels", init) != LABELS:
            fail(f"--init {init} is not the model of this export (config, vocabulary or labels differ)")
        try:
            model.load_state_dict(ck.model_tensors(tensors))
        except RuntimeError as e:
            fail(f"--init {init}: the tensors do not fit the model: {e}")
    per_rank = max(1, args.batch_size // d.world)
    net = DDP(model, device_ids=[d.device.index] if d.device.type == "cuda" else None) if d.world > 1 else model
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    # Each rank reads its share of every epoch's shuffle; all ranks see the same number of batches.
    sampler = DistributedSampler(range(len(train_set)), num_replicas=d.world, rank=d.rank, shuffle=True, seed=args.seed)
    log("start", {"worldSize": d.world, "device": str(d.device), "train": len(train_set), "val": len(val_set)},
        f"{CONFIG['model'].upper()} classifier on {d.world} rank(s) ({d.device}): {len(train_set)} training and "
        f"{len(val_set)} validation examples, {per_rank} per rank per step; " + (f"starting from {init}" if init else "fresh weights"))
    started = time.time()
    for epoch in range(1, args.epochs + 1):
        sampler.set_epoch(epoch)
        order = list(sampler)
        loss_sum, batches = 0.0, 0
        for s in range(0, len(order), per_rank):
            chunk = [train_set[i] for i in order[s:s + per_rank]]
            x, lengths = pad_batch([e[0] for e in chunk])
            y = torch.tensor([e[1] for e in chunk], dtype=torch.long, device=d.device)
            optimizer.zero_grad()
            loss = F.cross_entropy(net(x.to(d.device), lengths), y)
            value = all_mean(loss.item(), d)
            if not math.isfinite(value):
                fail(f"loss became {value} in epoch {epoch}; stopped (the last checkpoint is kept). Try a lower --lr.")
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), OPTIONS["clip"])
            optimizer.step()
            loss_sum += value
            batches += 1
        acc = accuracy(model, val_set, d.device)
        log("epoch", {"epoch": epoch, "trainLoss": loss_sum / batches, "valAccuracy": acc},
            f"epoch {epoch}/{args.epochs}: train loss {loss_sum / batches:.4f}, validation accuracy {100 * acc:.1f}%")
        if d.is_main:
            ck.write_checkpoint(args.out, model.state_dict(), {
                "format": FORMAT,
                "config": rf.dumps(CONFIG),
                "vocab": rf.dumps(VOCAB),
                "labels": rf.dumps(LABELS),
                "summary": rf.dumps({"data": SOURCE, "epochs": epoch, "valAccuracy": acc, "seconds": round(time.time() - started),
                                     "trainedWith": f"PyTorch {torch.__version__}, DDP over {d.world} rank(s)"}),
            })
            log("checkpoint", {"path": args.out, "epoch": epoch}, f"saved {args.out}")
    log("done", {"out": args.out}, f"done; {args.out} is an rnnkit classifier (rnnkit classify predict / info)")


if __name__ == "__main__":
    launch(main, parse_args())
`;

/** `train.py` of a classifier project: rnnkit classify train's loop (Adam, clipping at 5, padded packed batches) under DDP. */
export function trainClassifierPy(spec: ClassifierProjectSpec, hasInit: boolean): string {
  return `#!/usr/bin/env python3
"""rnnkit classify train's loop in PyTorch, under DistributedDataParallel.

One process:       python3 train.py --epochs 5
One machine, GPUs: torchrun --standalone --nproc_per_node=4 train.py --epochs 5
No torchrun:       python3 train.py --spawn 2
The checkpoints it writes are rnnkit's (format rnnkit.classifier); see README.md.
"""
import argparse
import json
import math
import os
import time

import torch
import torch.nn.functional as F
from torch.nn.parallel import DistributedDataParallel as DDP
from torch.utils.data import DistributedSampler

import checkpoint as ck
import rnnkit_format as rf
from data import LABELS, VOCAB, pad_batch, read_csv
from distributed import all_mean, launch, setup, teardown
from model import CONFIG, build_model

HERE = os.path.dirname(os.path.abspath(__file__))
FORMAT = "rnnkit.classifier"
DEFAULT_INIT = ${hasInit ? 'os.path.join(HERE, "init.safetensors")' : "None"}
# rnnkit classify train's options for this model.
OPTIONS = ${pyLiteral(spec.options as unknown as PyValue)}
SOURCE = ${pyLiteral(spec.source ?? "exported data")}

${BODY}`;
}
