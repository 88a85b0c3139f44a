"""`rnnkit export torch` end to end: rnnkit trains, PyTorch DDP continues, rnnkit reads the result.

For every recurrent cell, each optimizer and each schedule (over a few configurations):
  1. `rnnkit train` trains a small char model for STEPS steps (stopping inside an epoch, so the
     checkpoint carries the hidden state);
  2. `rnnkit export torch` writes the PyTorch project;
  3. `rnnkit train --resume` runs MORE further steps: the reference losses;
  4. a 1-process `train.py` from the same checkpoint runs the same steps: its next-step loss must
     equal rnnkit's to 1e-4 (dropout 0; later steps are reported);
  5. 2 CPU ranks (gloo, env:// launch: MASTER_ADDR/MASTER_PORT/RANK/WORLD_SIZE) continue for
     DDP_STEPS steps: the first loss continues from rnnkit's (no jump back to the untrained
     level), and `rnnkit eval`, `rnnkit sample` and `rnnkit train --resume` take the result.
The classifier: `rnnkit classify train` one epoch, export, 2 ranks one epoch, `rnnkit classify
predict` on the result; the accuracy does not fall back to chance.

Not run by CI (needs torch). Run: /usr/bin/python3 tools/parity/export_torch.py
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CLI = os.environ.get("RNNKIT_CLI", os.path.join(ROOT, "apps", "cli", "dist", "cli.js"))
PY = "/usr/bin/python3"
STEPS, MORE, DDP_STEPS = 40, 3, 12

CONFIGS = [
    dict(model="lstm", optimizer="adam", scheduler="onecycle", layers=1, dropout=0),
    dict(model="gru", optimizer="sgd", scheduler="cosine", layers=2, dropout=0),
    dict(model="rnn", optimizer="rmsprop", scheduler="none", layers=1, dropout=0),
    dict(model="lstm", optimizer="adamw", scheduler="plateau", layers=2, dropout=0),
    dict(model="gru", optimizer="adam", scheduler="step", layers=1, dropout=0),
    dict(model="lstm", optimizer="adam", scheduler="none", layers=2, dropout=0.2),
]


def run(cmd, cwd=None, env=None):
    r = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit(f"failed ({r.returncode}): {' '.join(cmd)}\n{r.stdout}\n{r.stderr}")
    return r.stdout


def events(out, kind):
    return [e for e in (json.loads(line) for line in out.splitlines() if line.startswith("{")) if e["event"] == kind]


def free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def two_ranks(project, args):
    port = str(free_port())
    procs = []
    for rank in range(2):
        env = dict(os.environ, MASTER_ADDR="127.0.0.1", MASTER_PORT=port, RANK=str(rank), WORLD_SIZE="2")
        procs.append(subprocess.Popen([PY, "train.py", *args], cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    outs = [p.communicate() for p in procs]
    for p, (o, e) in zip(procs, outs):
        if p.returncode != 0:
            raise SystemExit(f"rank failed ({p.returncode}): {args}\n{o}\n{e}")
    return outs[0][0]


def charlm(tmp, text_path, i, cfg):
    name = f"{cfg['model']}-{cfg['optimizer']}-{cfg['scheduler']}-l{cfg['layers']}-d{cfg['dropout']}"
    ckpt = os.path.join(tmp, f"{name}.safetensors")
    train = ["node", CLI, "train", "--data", text_path, "--model", cfg["model"], "--optimizer", cfg["optimizer"],
             "--scheduler", cfg["scheduler"], "--layers", str(cfg["layers"]), "--dropout", str(cfg["dropout"]),
             "--embedding", "16", "--hidden", "32", "--seq-len", "24", "--batch-size", "8", "--epochs", "3",
             "--steps", str(STEPS), "--seed", str(i), "--sample-length", "0", "--json", "--out", ckpt]
    first = events(run(train), "step")
    project = os.path.join(tmp, name)
    run(["node", CLI, "export", "torch", ckpt, "--out", project])
    ref_ckpt = os.path.join(tmp, f"{name}-ref.safetensors")
    shutil.copy(ckpt, ref_ckpt)
    ref = [e["loss"] for e in events(run(["node", CLI, "train", "--resume", ref_ckpt, "--out", ref_ckpt, "--steps", str(STEPS + MORE),
                                          "--data", text_path, "--json"]), "step")]
    one = [e["loss"] for e in events(run([PY, "train.py", "--steps", str(STEPS + MORE), "--json", "--log-every", "1",
                                          "--out", "runs/one.safetensors", "--data", text_path], cwd=project), "step")]
    ddp_out = two_ranks(project, ["--steps", str(STEPS + DDP_STEPS), "--json", "--log-every", "1", "--out", "runs/ddp.safetensors", "--data", text_path])
    ddp = [e["loss"] for e in events(ddp_out, "step")]
    result = os.path.join(project, "runs", "ddp.safetensors")
    ev = json.loads(run(["node", CLI, "eval", result, "--data", text_path, "--json"]))
    ev_before = json.loads(run(["node", CLI, "eval", ckpt, "--data", text_path, "--json"]))
    sample = run(["node", CLI, "sample", result, "--length", "60"])
    back = events(run(["node", CLI, "train", "--resume", result, "--out", os.path.join(tmp, f"{name}-back.safetensors"),
                       "--steps", str(STEPS + DDP_STEPS + 2), "--data", text_path, "--json"]), "step")
    row = {
        "config": name, "firstLoss": first[0]["loss"], "rnnkitLast": first[-1]["loss"],
        "rnnkitNext": ref, "torchNext": one, "nextStepDiff": abs(ref[0] - one[0]),
        "maxDiff": max(abs(a - b) for a, b in zip(ref, one)), "ddpFirst": ddp[0], "ddpLast": ddp[-1],
        "evalBefore": ev_before["loss"], "evalAfterDdp": ev["loss"], "resumedInRnnkit": [e["loss"] for e in back],
        "sample": sample.strip()[:60],
    }
    exact = cfg["dropout"] == 0
    row["ok"] = (not exact or row["nextStepDiff"] <= 1e-4) and ddp[0] < row["firstLoss"] - 0.1 and abs(ddp[0] - ref[0]) < (1e-3 if exact else 0.3) and len(back) == 2
    return row


def classifier(tmp):
    ckpt = os.path.join(tmp, "cls.safetensors")
    acc0 = events(run(["node", CLI, "classify", "train", "--epochs", "1", "--hidden", "32", "--model", "gru", "--json", "--out", ckpt]), "done")[0]["accuracy"]
    project = os.path.join(tmp, "cls")
    run(["node", CLI, "export", "torch", ckpt, "--out", project])
    out = two_ranks(project, ["--epochs", "1", "--json"])
    acc = events(out, "epoch")[-1]["valAccuracy"]
    pred = run(["node", CLI, "classify", "predict", os.path.join(project, "runs", "classifier.safetensors"), "schmidt"])
    return {"config": "classifier gru", "rnnkitAccuracy": acc0, "ddpAccuracy": acc, "predict": pred.split("\n")[0], "ok": acc > 0.5 and acc >= acc0 - 0.05}


def main():
    if not os.path.exists(CLI):
        raise SystemExit(f"{CLI} is missing: run pnpm build first")
    tmp = tempfile.mkdtemp(prefix="rnnkit-export-")
    text_path = os.path.join(tmp, "text.txt")
    with open(os.path.join(ROOT, "apps", "cli", "README.md"), encoding="utf-8") as fh:
        text = fh.read()
    with open(text_path, "w", encoding="utf-8") as fh:
        fh.write(text)
    rows = [charlm(tmp, text_path, i, cfg) for i, cfg in enumerate(CONFIGS)]
    rows.append(classifier(tmp))
    for r in rows:
        print(json.dumps(r))
    shutil.rmtree(tmp)
    bad = [r["config"] for r in rows if not r["ok"]]
    if bad:
        raise SystemExit(f"failed: {bad}")
    print(f"all {len(rows)} checks passed")


if __name__ == "__main__":
    sys.exit(main())
