import { pyLiteral, type PyValue } from "../pyLiteral.js";
import type { CharLMProjectSpec } from "../spec.js";
import { RNNKIT_GROUP_KEYS, RNNKIT_SCHEDULE_KEYS, SCHEDULE_GROUP_KEYS } from "./stateLayout.js";

const LAYOUT = `RNNKIT_GROUP_KEYS = ${pyLiteral(RNNKIT_GROUP_KEYS)}
RNNKIT_SCHEDULE_KEYS = ${pyLiteral(RNNKIT_SCHEDULE_KEYS)}
# Entries the schedules add to a parameter group (torch's and rnnkit's alike).
SCHEDULE_GROUP_KEYS = ${pyLiteral(SCHEDULE_GROUP_KEYS)}
`;

const BODY = String.raw`DEFAULT_EPOCHS = 2  # rnnkit train's default when neither --epochs nor --steps is given


def parse_args(argv=None):
    p = argparse.ArgumentParser(description="Continue (or start) this rnnkit character-model run in PyTorch, "
                                "on one process or many with DistributedDataParallel. See README.md.")
    p.add_argument("--init", default=DEFAULT_INIT, help="rnnkit checkpoint to start from: weights, optimizer, schedule, "
                   "counters and carried state (default: init.safetensors of this export, when present)")
    p.add_argument("--scratch", action="store_true", help="start from freshly initialised weights instead of --init")
    p.add_argument("--data", default=DEFAULT_DATA, help="the UTF-8 training text (default: data/train.txt of this export)")
    p.add_argument("--out", default="runs/charlm.safetensors", help="checkpoint to write (rnnkit's format)")
    p.add_argument("--epochs", type=int, help="stop after this many epochs in all (counting the rnnkit ones)")
    p.add_argument("--steps", type=int, help="stop at this global optimizer step (counting the rnnkit ones)")
    p.add_argument("--spawn", type=int, default=0, metavar="N", help="start N local ranks (gloo/nccl on 127.0.0.1) without torchrun")
    p.add_argument("--cpu", action="store_true", help="train on the CPU (gloo) even when CUDA is available")
    p.add_argument("--log-every", type=int, default=10, metavar="N", help="print the loss every N steps")
    p.add_argument("--json", action="store_true", help="one JSON object per log line")
    args = p.parse_args(argv)
    for name in ("epochs", "steps"):
        v = getattr(args, name)
        if v is not None and v < 1:
            p.error(f"--{name} must be a positive integer, got {v}")
    if args.spawn < 0 or args.log_every < 1:
        p.error("--spawn must be >= 0 and --log-every >= 1")
    if args.init is not None and not args.scratch and not os.path.isfile(args.init):
        p.error(f"--init {args.init} does not exist (use --scratch to start from fresh weights)")
    if not os.path.isfile(args.data):
        p.error(f"--data {args.data} does not exist")
    return args


def make_optimizer(name, params, lr):
    """rnnkit train's optimizers: torch defaults, SGD with momentum 0.9."""
    if name == "sgd":
        return torch.optim.SGD(params, lr=lr, momentum=0.9)
    if name == "adam":
        return torch.optim.Adam(params, lr=lr)
    if name == "adamw":
        return torch.optim.AdamW(params, lr=lr)
    if name == "rmsprop":
        return torch.optim.RMSprop(params, lr=lr)
    raise ValueError(f"unknown optimizer {name!r}")


class Schedule:
    """rnnkit train's schedules: step halves the lr each epoch, cosine and onecycle run over total_steps
    steps, plateau halves it when the validation loss stops falling."""

    def __init__(self, name, optimizer, lr, total_steps):
        S = torch.optim.lr_scheduler
        self.name = name
        self.sched = {
            "none": lambda: None,
            "step": lambda: S.StepLR(optimizer, 1, gamma=0.5),
            "cosine": lambda: S.CosineAnnealingLR(optimizer, total_steps),
            "onecycle": lambda: S.OneCycleLR(optimizer, max_lr=lr, total_steps=total_steps),
            "plateau": lambda: S.ReduceLROnPlateau(optimizer, factor=0.5, patience=0),
        }[name]()

    def after_step(self):
        if self.name in ("cosine", "onecycle"):
            self.sched.step()

    def after_epoch(self, val_loss):
        if self.name == "step":
            self.sched.step()
        elif self.name == "plateau":
            self.sched.step(val_loss)

    def state_dict(self):
        return {} if self.sched is None else self.sched.state_dict()

    def load_state_dict(self, sd):
        if self.sched is not None and sd:
            self.sched.load_state_dict(sd)


# rnnkit's checkpoints hold optimizer and schedule state in torch 1.13's layout; rnnkit train --resume
# checks it key by key. Other torch versions name a few entries differently (OneCycleLR keeps its
# phases and anneal function where rnnkit keeps anneal_strategy; newer optimizers add options), so
# the state is written with exactly rnnkit's keys.
${LAYOUT}FLAGS = ("capturable", "differentiable", "fused")


def rnnkit_optimizer_state(name, optimizer):
    sd = optimizer.state_dict()
    groups = []
    for g in sd["param_groups"]:
        group = {}
        for k in RNNKIT_GROUP_KEYS[name]:
            if k == "foreach":
                group[k] = None  # an execution detail; rnnkit keeps it unset
            elif k in FLAGS:
                group[k] = bool(g.get(k) or False)
            elif k not in g:
                raise RuntimeError(f"this torch's {name} parameter group has no {k!r}, which rnnkit's checkpoint needs")
            else:
                group[k] = list(g[k]) if isinstance(g[k], tuple) else g[k]
        for k in SCHEDULE_GROUP_KEYS:
            if k in g:
                group[k] = g[k]
        groups.append(group)
    return {"state": sd["state"], "param_groups": groups}


def rnnkit_schedule_state(schedule, optimizer):
    sd = schedule.state_dict()
    out = {}
    for k in RNNKIT_SCHEDULE_KEYS[schedule.name]:
        if k in sd:
            out[k] = sd[k]
        elif k == "_last_lr":
            out[k] = [g["lr"] for g in optimizer.param_groups]
        elif k == "anneal_strategy":
            out[k] = "cos"
        elif k in ("verbose", "_get_lr_called_within_step"):
            out[k] = False
        else:
            raise RuntimeError(f"this torch's {schedule.name} schedule state has no {k!r}, which rnnkit's checkpoint needs")
    return out


def detach(state):
    return tuple(s.detach() for s in state) if isinstance(state, tuple) else state.detach()


class Log:
    def __init__(self, d, as_json):
        self.d, self.as_json = d, as_json

    def __call__(self, event, fields, text):
        if not self.d.is_main:
            return
        print(json.dumps({"event": event, **fields}) if self.as_json else text, flush=True)


def fail(message):
    raise SystemExit(f"train.py: {message}")


def main(args):
    d = setup(args.cpu)
    try:
        train(args, d)
    finally:
        teardown(d)


def train(args, d):
    log = Log(d, args.json)
    init = None if args.scratch else args.init
    tensors, meta = {}, {}
    opts = dict(OPTIONS)
    if init is not None:
        try:
            tensors, meta = ck.read_checkpoint(init)
        except (OSError, ValueError) as e:
            fail(f"cannot read --init {init}: {e}")
        if meta.get("format") != FORMAT:
            fail(f"--init {init} is a {meta.get('format')!r} checkpoint, expected {FORMAT!r}")
        if rf.meta_json(meta, "config", init) != CONFIG:
            fail(f"--init {init} has config {meta['config']}, this export is for {json.dumps(CONFIG)}")
        if rf.meta_json(meta, "vocab", init) != VOCAB:
            fail(f"--init {init} has a different vocabulary from this export's data.py")
        if "train.options" in meta:
            opts = rf.meta_json(meta, "train.options", init)
    # The stopping point, as rnnkit train --resume takes it: --epochs alone drops the saved --steps and back.
    if args.epochs is not None:
        opts["epochs"] = args.epochs
        if args.steps is None:
            opts["steps"] = None
    if args.steps is not None:
        opts["steps"] = args.steps
        if args.epochs is None:
            opts["epochs"] = None

    with open(args.data, encoding="utf-8") as fh:
        text = fh.read()
    expected = rf.meta_json(meta, "train.data", init)["dataHash"] if "train.data" in meta else TEXT_HASH
    got = rf.text_hash(text)
    if expected is not None and got != expected:
        fail(f"--data {args.data} is not the text this run was trained on (hash {got}, expected {expected})")
    try:
        ids = encode(text, f"--data {args.data}")
    except ValueError as e:
        fail(str(e))
    train_ids, val_ids = split(ids, opts["valSplit"])
    seq_len = opts["seqLen"]
    fitting = (len(train_ids) - 1) // seq_len
    if fitting < 1:
        fail(f"the training text has {len(train_ids)} characters, too few for seqLen {seq_len}")
    if fitting < opts["batchSize"]:
        opts["batchSize"] = fitting
    batch = opts["batchSize"]
    if batch % d.world != 0:
        fail(f"the batch of {batch} streams does not split evenly over {d.world} ranks; use a world size that divides {batch} "
             "(or export a run trained with a larger --batch-size)")
    rows = range(d.rank * batch // d.world, (d.rank + 1) * batch // d.world)
    streams = Streams(train_ids, batch)
    steps_per_epoch = streams.windows(seq_len)

    torch.manual_seed(opts["seed"])
    model = build_model().to(d.device)
    max_steps = opts["steps"] if opts["steps"] is not None else math.inf
    max_epochs = opts["epochs"] if opts["epochs"] is not None else (DEFAULT_EPOCHS if opts["steps"] is None else math.inf)
    total_steps = min(max_steps, max_epochs * steps_per_epoch)
    optimizer = make_optimizer(opts["optimizer"], model.parameters(), opts["lr"])
    saved_progress = rf.meta_json(meta, "train.progress", init) if "train.progress" in meta else None
    if saved_progress is not None:
        schedule_steps = saved_progress["scheduleSteps"]
    else:
        schedule_steps = int(opts["epochs"] * steps_per_epoch if opts["epochs"] is not None else total_steps)
    if opts["scheduler"] == "onecycle" and total_steps > schedule_steps:
        fail(f"the onecycle schedule was planned over {schedule_steps} steps; this run would reach step {total_steps}")
    schedule = Schedule(opts["scheduler"], optimizer, opts["lr"], schedule_steps)

    progress = {"epoch": 0, "stepInEpoch": 0, "globalStep": 0, "epochLossSum": 0.0, "epochLossCount": 0,
                "history": [], "seconds": 0.0, "scheduleSteps": schedule_steps}
    state = None
    if init is not None:
        try:
            model.load_state_dict(ck.model_tensors(tensors))
        except RuntimeError as e:
            fail(f"--init {init}: the tensors do not fit the model: {e}")
        if "train.optim" in meta:
            optimizer.load_state_dict(ck.optimizer_state(meta, tensors, init))
        if "train.scheduler" in meta:
            schedule.load_state_dict(rf.unpack(rf.meta_json(meta, "train.scheduler", init), tensors))
        if saved_progress is not None:
            progress = dict(saved_progress, scheduleSteps=schedule_steps)
        h, c = tensors.get("train.state.h"), tensors.get("train.state.c")
        if h is not None and progress["stepInEpoch"] > 0:
            h = h[:, rows].to(d.device)
            state = (h, c[:, rows].to(d.device)) if c is not None else h
    rng = meta.get("train.rng", RNG)
    # Dropout masks differ per rank (each rank sees other streams).
    torch.manual_seed(opts["seed"] + 1 + d.rank + progress["globalStep"])
    net = DDP(model, device_ids=[d.device.index] if d.device.type == "cuda" else None) if d.world > 1 else model

    log("start", {"worldSize": d.world, "device": str(d.device), "stepsPerEpoch": steps_per_epoch, "totalSteps": total_steps,
                  "resumedAtStep": progress["globalStep"], "init": init},
        f"{opts['model'].upper()} char model on {d.world} rank(s) ({d.device}, "
        f"{'nccl' if d.device.type == 'cuda' else 'gloo'} when distributed); {steps_per_epoch} steps per epoch of "
        f"{batch}x{seq_len} characters ({batch // d.world} streams per rank); "
        + (f"continuing {init} at step {progress['globalStep']}" if init else "fresh weights"))

    interrupted = [False]

    def on_sigint(*_):
        # The first Ctrl-C finishes the step and saves; a second one exits at once.
        if interrupted[0]:
            os._exit(130)
        interrupted[0] = True

    signal.signal(signal.SIGINT, on_sigint)
    started = time.time()
    seconds_before = progress["seconds"]
    last = {"trainLoss": None, "valLoss": None}

    def save(with_state):
        full = None
        if with_state and state is not None:
            full = tuple(gather_batch(s, d) for s in state) if isinstance(state, tuple) else gather_batch(state, d)
        if not d.is_main:
            return
        progress["seconds"] = seconds_before + time.time() - started
        out = dict(model.state_dict())
        metadata = {
            "format": FORMAT,
            "config": rf.dumps(CONFIG),
            "vocab": rf.dumps(VOCAB),
            "summary": rf.dumps({"data": opts["data"] or "bundled", "epochs": progress["epoch"], "steps": progress["globalStep"],
                                 "trainLoss": last["trainLoss"], "valLoss": last["valLoss"], "unigramValLoss": None,
                                 "seconds": round(progress["seconds"]),
                                 "trainedWith": f"PyTorch {torch.__version__}, DDP over {d.world} rank(s)"}),
            "train.options": rf.dumps(opts),
            "train.data": rf.dumps({"dataHash": got}),
            "train.progress": rf.dumps(progress),
            "train.optim": rf.dumps(ck.pack_state(rnnkit_optimizer_state(opts["optimizer"], optimizer), rf.OPTIM_PREFIX, out)),
            "train.scheduler": rf.dumps(ck.pack_state(rnnkit_schedule_state(schedule, optimizer), rf.TRAIN_PREFIX + "scheduler.", out)),
        }
        if rng is not None:
            metadata["train.rng"] = rng
        if full is not None:
            if isinstance(full, tuple):
                out["train.state.h"], out["train.state.c"] = full
            else:
                out["train.state.h"] = full
        ck.write_checkpoint(args.out, out, metadata)
        log("checkpoint", {"path": args.out, "step": progress["globalStep"]}, f"saved {args.out}")

    def end_of_epoch(full):
        train_loss = progress["epochLossSum"] / max(1, progress["epochLossCount"])
        val_loss = evaluate_loss(model, val_ids, batch, seq_len, d.device) if len(val_ids) >= 2 else None
        if full:
            schedule.after_epoch(val_loss if val_loss is not None else train_loss)
            progress["history"].append({"epoch": progress["epoch"] + 1, "steps": progress["epochLossCount"], "trainLoss": train_loss,
                                        "valLoss": val_loss if val_loss is not None else train_loss})
        last.update(trainLoss=train_loss, valLoss=val_loss)
        lr = optimizer.param_groups[0]["lr"]
        log("epoch", {"epoch": progress["epoch"] + 1, "complete": full, "steps": progress["epochLossCount"],
                      "globalStep": progress["globalStep"], "trainLoss": train_loss, "valLoss": val_loss, "lr": lr},
            f"epoch {progress['epoch'] + 1}{'' if full else ' (partial)'}: train loss {train_loss:.4f}"
            + (f", validation loss {val_loss:.4f} (perplexity {math.exp(val_loss):.2f})" if val_loss is not None else "")
            + f", lr {lr:.3g}")

    while progress["epoch"] < max_epochs and progress["globalStep"] < max_steps:
        model.train()
        while progress["stepInEpoch"] < steps_per_epoch and progress["globalStep"] < max_steps:
            x, y = streams.window(progress["stepInEpoch"], seq_len, rows=rows)
            x, y = x.to(d.device), y.to(d.device)
            optimizer.zero_grad()
            logits, nxt = net(x, state)
            loss = F.cross_entropy(logits.reshape(-1, len(VOCAB)), y.reshape(-1))
            value = all_mean(loss.item(), d)  # the loss of the whole batch, as one process would see it
            if not math.isfinite(value):
                fail(f"loss became {value} at epoch {progress['epoch'] + 1}, step {progress['globalStep'] + 1}; stopped "
                     f"(the last checkpoint is kept). Try a lower lr or clip.")
            loss.backward()  # DDP averages the gradients over the ranks
            if opts["clip"] > 0:
                torch.nn.utils.clip_grad_norm_(model.parameters(), opts["clip"])
            optimizer.step()
            schedule.after_step()
            state = detach(nxt)
            progress["stepInEpoch"] += 1
            progress["globalStep"] += 1
            progress["epochLossSum"] += value
            progress["epochLossCount"] += 1
            if progress["globalStep"] % args.log_every == 0 or progress["stepInEpoch"] == 1:
                log("step", {"epoch": progress["epoch"] + 1, "step": progress["globalStep"], "loss": value,
                             "lr": optimizer.param_groups[0]["lr"]},
                    f"step {progress['globalStep']}: loss {value:.4f}, lr {optimizer.param_groups[0]['lr']:.3g}")
            if any_rank(interrupted[0], d):
                save(True)
                log("interrupted", {"step": progress["globalStep"]}, f"interrupted at step {progress['globalStep']}")
                raise SystemExit(130)
        if progress["stepInEpoch"] < steps_per_epoch:
            break
        end_of_epoch(True)
        progress["epoch"] += 1
        progress["stepInEpoch"] = 0
        progress["epochLossSum"] = 0.0
        progress["epochLossCount"] = 0
        state = None
        save(False)
    if progress["stepInEpoch"] > 0:
        # Stopped by --steps inside an epoch: save with the carried state so rnnkit train --resume continues exactly.
        end_of_epoch(False)
        save(True)
    log("done", {"steps": progress["globalStep"], "epochs": progress["epoch"], "out": args.out},
        f"done: step {progress['globalStep']}; {args.out} is an rnnkit checkpoint (rnnkit sample / eval / info / train --resume)")


if __name__ == "__main__":
    launch(main, parse_args())
`;

/** `train.py` of a char-LM project: rnnkit train's loop (TBPTT, optimizer, schedule, clipping, checkpoints) under DDP. */
export function trainCharLMPy(spec: CharLMProjectSpec, hasInit: boolean, hasData: boolean): string {
  return `#!/usr/bin/env python3
"""rnnkit train's character-model loop in PyTorch, under DistributedDataParallel.

One process:       python3 train.py --steps 500
One machine, GPUs: torchrun --standalone --nproc_per_node=4 train.py --steps 5000
No torchrun:       python3 train.py --spawn 2 --steps 500
The checkpoints it writes are rnnkit's (format rnnkit.charlm); see README.md.
"""
import argparse
import json
import math
import os
import signal
import time

import torch
import torch.nn.functional as F
from torch.nn.parallel import DistributedDataParallel as DDP

import checkpoint as ck
import rnnkit_format as rf
from data import TEXT_HASH, VOCAB, Streams, encode, evaluate_loss, split
from distributed import all_mean, any_rank, gather_batch, launch, setup, teardown
from model import CONFIG, build_model

HERE = os.path.dirname(os.path.abspath(__file__))
FORMAT = "rnnkit.charlm"
DEFAULT_INIT = ${hasInit ? 'os.path.join(HERE, "init.safetensors")' : "None"}
DEFAULT_DATA = ${hasData ? 'os.path.join(HERE, "data", "train.txt")' : '"train.txt"'}
# rnnkit train's hyper-parameters for this run (its train.options metadata).
OPTIONS = ${pyLiteral(spec.options as unknown as PyValue)}
# rnnkit's random-generator state (train.rng), kept so rnnkit train --resume takes the checkpoints.
RNG = ${pyLiteral(spec.rng ?? null)}

${BODY}`;
}
