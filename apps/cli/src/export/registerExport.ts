import { Option, type Command } from "commander";
import { intArg as int, numArg as num } from "../argParsers.js";
import { CELL_KINDS } from "../charModel.js";
import { OPTIMIZERS, SCHEDULERS } from "../optimSetup.js";
import { exportTorchCommand } from "./exportTorch.js";
import type { ExportFlags } from "./exportFlags.js";


/** Adds `rnnkit export torch [CHECKPOINT] --out DIR` to the program. */
export function registerExport(program: Command): void {
  const exp = program.command("export").description("write a project that continues an rnnkit model elsewhere");
  const torch = exp
    .command("torch")
    .description("a PyTorch DDP project (model.py, data.py, train.py, README.md) for a checkpoint's exact configuration, or for training options")
    .argument("[checkpoint]", "rnnkit.charlm or rnnkit.classifier checkpoint to continue from (omit to start from fresh weights)")
    .option("--out <dir>", "folder to write the project to (new or empty)")
    .option("--force", "write into a folder that is not empty", false)
    .addOption(new Option("--task <task>", "without a checkpoint: what to train").choices(["charlm", "classifier"]))
    .option("--data <file>", "training text (char model) or text,label CSV (classifier); default: what the checkpoint was trained on, or the bundled data")
    .addOption(new Option("--model <kind>", "recurrent layer").choices([...CELL_KINDS]))
    .option("--embedding <n>", "embedding size", int)
    .option("--hidden <n>", "hidden size", int)
    .option("--layers <n>", "stacked recurrent layers", int)
    .option("--dropout <p>", "dropout (char model)", num)
    .option("--seq-len <n>", "characters per truncated-BPTT chunk (char model)", int)
    .option("--batch-size <n>", "streams (char model) or words (classifier) per step, over all ranks", int)
    .option("--epochs <n>", "passes over the training data", int)
    .option("--steps <n>", "stop after this many optimizer steps (char model)", int)
    .option("--lr <lr>", "learning rate", num)
    .addOption(new Option("--optimizer <name>", "optimizer (char model)").choices([...OPTIMIZERS]))
    .addOption(new Option("--scheduler <name>", "learning-rate schedule (char model)").choices([...SCHEDULERS]))
    .option("--clip <norm>", "clip the gradient norm, 0: off (char model)", num)
    .option("--val-split <fraction>", "fraction held out for validation", num)
    .option("--seed <n>", "random seed", int);
  torch.action((checkpoint: string | undefined, o: Omit<ExportFlags, "given">) => {
    const given = Object.keys(o).filter((k) => torch.getOptionValueSource(k) === "cli");
    exportTorchCommand(checkpoint, { ...o, given });
  });
}
