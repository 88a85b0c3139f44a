import type { TorchProjectSpec } from "./spec.js";

/** `README.md` of an exported project: what is in it, the exact launch commands, and what comes back. */
export function projectReadme(spec: TorchProjectSpec, hasInit: boolean, hasData: boolean): string {
  const charlm = spec.kind === "charlm";
  const c = spec.config;
  const what = charlm
    ? `a ${c.model.toUpperCase()} character language model (vocabulary ${c.vocabSize}, embedding ${c.embedding}, hidden ${c.hidden}, ${c.layers} layer(s))`
    : `a ${c.model.toUpperCase()} word classifier (${spec.labels.length} labels, embedding ${c.embedding}, hidden ${c.hidden}, ${c.layers} layer(s))`;
  const stop = charlm ? "--steps 2000" : "--epochs 5";
  const out = charlm ? "runs/charlm.safetensors" : "runs/classifier.safetensors";
  const batch = charlm ? spec.options.batchSize : spec.options.batchSize;
  const dataArgs = hasData ? "" : charlm ? " --data TEXT" : " --train-data TRAIN.csv --val-data VAL.csv";
  const args = `${stop}${dataArgs}`;
  const back = charlm
    ? [
      `rnnkit sample ${out} --prime "The " --length 300`,
      `rnnkit eval ${out} --data TEXT`,
      `rnnkit info ${out}`,
      `rnnkit train --resume ${out} --steps 5000   # back on one machine, exactly where PyTorch stopped`,
    ]
    : [`rnnkit classify predict ${out} someword`, `rnnkit info ${out}`];
  return `# ${what} — PyTorch DDP project

Written by \`rnnkit export torch\` for this exact configuration. Needs Python 3 and PyTorch
(1.13 or later); the \`safetensors\` package is used when installed, a built-in reader/writer
otherwise.

| file | what it holds |
|---|---|
| \`model.py\` | the same modules with the same parameter names as rnnkit's model (the state dict maps 1:1; checked at start) |
| \`data.py\` | the checkpoint's character vocabulary and ${charlm ? "rnnkit train's validation split and truncated-BPTT streams" : "rnnkit classify train's padded batches"} |
| \`train.py\` | the training loop under DistributedDataParallel: ${charlm ? `${spec.options.optimizer} (lr ${spec.options.lr}), schedule ${spec.options.scheduler}, gradient clipping ${spec.options.clip || "off"}, a checkpoint at every epoch end, at the stop and on Ctrl-C` : `Adam (lr ${spec.options.lr}), gradient clipping ${spec.options.clip}, a checkpoint after every epoch`} |
| \`distributed.py\` | process group: \`env://\` as torchrun sets it, nccl on GPUs, gloo on CPUs; \`--spawn N\` local launcher |
| \`checkpoint.py\`, \`rnnkit_format.py\` | rnnkit's safetensors checkpoints (same \`__metadata__\` layout) with or without the safetensors package |
${hasInit ? "| `init.safetensors` | the rnnkit checkpoint training starts from (weights" + (charlm ? ", optimizer, schedule, counters and carried state" : "") + ") |\n" : ""}${hasData ? `| \`data/\` | the training data (${charlm ? "train.txt: the whole text; the validation part is split off as rnnkit does" : "train.csv and val.csv: rnnkit's split"}) |\n` : ""}
${hasInit ? "Training continues from `init.safetensors`" + (charlm ? ": the loss picks up where rnnkit left it, and with dropout 0 a one-process run computes rnnkit's next-step loss" : "") + ". `--scratch` starts from fresh weights instead." : "Training starts from fresh weights (`--init CHECKPOINT` starts from an rnnkit checkpoint)."}
${charlm ? `\`--steps\` and \`--epochs\` count from the start of the rnnkit run (the checkpoint's step ${"counter"}), as \`rnnkit train --resume\` does.` : ""}

## Run it

Run the commands in this folder.

One process (CPU, or one GPU when CUDA is available):

\`\`\`
python3 train.py ${args}
\`\`\`

One machine with several GPUs (here 4):

\`\`\`
torchrun --standalone --nproc_per_node=4 train.py ${args}
\`\`\`

Several machines (here 2 with 8 GPUs each; run on every machine, \`--node_rank\` 0 on the first,
1 on the second, HOST0 being the first machine's address):

\`\`\`
torchrun --nnodes=2 --nproc_per_node=8 --node_rank=0 --master_addr=HOST0 --master_port=29500 train.py ${args}
torchrun --nnodes=2 --nproc_per_node=8 --node_rank=1 --master_addr=HOST0 --master_port=29500 train.py ${args}
\`\`\`

Without a working \`torchrun\` (Debian's torch 1.13 under Python 3.11 crashes in its elastic agent),
start the ranks yourself with the standard environment, one process per rank:

\`\`\`
MASTER_ADDR=127.0.0.1 MASTER_PORT=29533 RANK=0 WORLD_SIZE=2 python3 train.py ${args} &
MASTER_ADDR=127.0.0.1 MASTER_PORT=29533 RANK=1 WORLD_SIZE=2 python3 train.py ${args}
\`\`\`

or let \`train.py\` start them: \`python3 train.py --spawn 2 ${args}\`. \`--cpu\` keeps to the CPU (gloo).

${charlm ? `The global batch stays rnnkit's ${batch} streams: each of W ranks reads ${batch}/W of them, and DDP
averages the gradients, so W ranks compute the same steps as one process. W must divide ${batch}.` : `The batch of ${batch} examples is split over the ranks (${batch}/W each); a DistributedSampler gives
each rank its share of every epoch's shuffle.`} Only rank 0 writes checkpoints and logs.

## What comes back

\`${out}\` is an rnnkit checkpoint (format \`${charlm ? "rnnkit.charlm" : "rnnkit.classifier"}\`, the same \`__metadata__\` keys
rnnkit writes${charlm ? ", with the optimizer and schedule state and the carried hidden state" : ""}). On any machine with rnnkit:

\`\`\`
${back.join("\n")}
\`\`\`

The playground's loader reads it too.
`;
}
