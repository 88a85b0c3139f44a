import { Command, Option } from "commander";
import { intArg, numArg, seedArg } from "./argParsers.js";
import { benchCommand } from "./bench.js";
import { classifyPredictCommand, classifyTrainCommand } from "./classify.js";
import { CELL_KINDS, type CellKind } from "./charModel.js";
import { commandOf, reportError, wantsDebug, type ReportIO } from "./errorReport.js";
import pkg from "../package.json" with { type: "json" };
import { evalCommand } from "./evalCommand.js";
import { registerExport } from "./export/registerExport.js";
import { infoCommand } from "./info.js";
import { defaultLr, OPTIMIZERS, SCHEDULERS, type OptimizerName, type SchedulerName } from "./optimSetup.js";
import { sampleCommand } from "./sample.js";
import { trainCommand } from "./train.js";
import type { TrainOptions } from "./trainOptions.js";
import { TUTORIAL_MODELS, tutorialCommand, type TutorialModel } from "./tutorial.js";

const ALLOW_LARGE = "lift the parameter and memory ceilings checked before allocating";

function registerTutorial(program: Command): void {
  program
    .command("tutorial")
    .description("the hello → ohlol exercises: RNNCell, RNN, Embedding+RNN, hand-written LSTM, LSTM, GRU")
    .addOption(new Option("--model <model>", "which exercise").choices([...TUTORIAL_MODELS]).default("all"))
    .option("--seed <n>", "random seed (0 ≤ n < 2^64)", seedArg, 0)
    .action((o: { model: TutorialModel; seed: number }) => tutorialCommand(o.model, o.seed));
}

function registerTrain(program: Command): void {
  const train = program
    .command("train")
    .description("train a character-level language model (default: an LSTM on the bundled corpus)")
    .option("--data <file>", "training text (UTF-8); default: the bundled corpus")
    .addOption(new Option("--model <kind>", "recurrent layer").choices([...CELL_KINDS]).default("lstm"))
    .option("--embedding <n>", "embedding size", intArg, 32)
    .option("--hidden <n>", "hidden size", intArg, 128)
    .option("--layers <n>", "stacked recurrent layers", intArg, 1)
    .option("--dropout <p>", "dropout between layers and before the output layer", numArg, 0)
    .option("--seq-len <n>", "characters per truncated-BPTT chunk", intArg, 64)
    .option("--batch-size <n>", "parallel streams per step", intArg, 32)
    .option("--epochs <n>", "passes over the training text (default 2, unless --steps is given)", intArg)
    .option("--steps <n>", "stop after this many optimizer steps", intArg)
    .option("--lr <lr>", "learning rate (default 0.003; 0.5 for sgd)", numArg)
    .addOption(new Option("--optimizer <name>", "optimizer").choices([...OPTIMIZERS]).default("adam"))
    .addOption(new Option("--scheduler <name>", "learning-rate schedule (plateau needs --val-split > 0)").choices([...SCHEDULERS]).default("none"))
    .option("--clip <norm>", "clip the gradient norm (0: off)", numArg, 1)
    .option("--val-split <fraction>", "fraction of the text held out for validation (its end)", numArg, 0.05)
    .option("--seed <n>", "random seed (0 ≤ n < 2^64)", seedArg, 0)
    .option("--out <file>", "checkpoint path (checked before training starts)", "runs/charlm.safetensors")
    .option("--resume [checkpoint]", "continue training from a checkpoint (default: --out)")
    .option("--json", "one JSON object per log line", false)
    .option("--sample-length <n>", "characters sampled after each epoch", intArg, 200)
    .option("--allow-large", ALLOW_LARGE, false)
    .action(async (o: Record<string, unknown>) => {
      const optimizer = o["optimizer"] as OptimizerName;
      const options: TrainOptions = {
        data: (o["data"] as string | undefined) ?? null,
        model: o["model"] as TrainOptions["model"],
        embedding: o["embedding"] as number,
        hidden: o["hidden"] as number,
        layers: o["layers"] as number,
        dropout: o["dropout"] as number,
        seqLen: o["seqLen"] as number,
        batchSize: o["batchSize"] as number,
        epochs: (o["epochs"] as number | undefined) ?? null,
        steps: (o["steps"] as number | undefined) ?? null,
        lr: (o["lr"] as number | undefined) ?? defaultLr(optimizer),
        optimizer,
        scheduler: o["scheduler"] as SchedulerName,
        clip: o["clip"] as number,
        valSplit: o["valSplit"] as number,
        seed: o["seed"] as number,
        sampleLength: o["sampleLength"] as number,
      };
      const explicit = new Set<keyof TrainOptions>();
      for (const k of Object.keys(options) as (keyof TrainOptions)[]) if (train.getOptionValueSource(k) === "cli") explicit.add(k);
      const resume = o["resume"];
      await trainCommand({
        options, explicit, out: o["out"] as string, json: o["json"] as boolean, allowLarge: o["allowLarge"] as boolean,
        resume: resume === undefined ? null : resume === true ? (o["out"] as string) : (resume as string),
      });
    });
}

function registerClassify(program: Command): void {
  const classify = program.command("classify").description("classify words by language (or a CSV of text,label) with Embedding + GRU/LSTM");
  classify
    .command("train")
    .description("train a classifier on the word-origin dataset or --data CSV")
    .option("--data <csv>", "CSV of text,label lines; default: the bundled word-origin set")
    .addOption(new Option("--model <kind>", "recurrent layer").choices(["gru", "lstm", "rnn"]).default("gru"))
    .option("--embedding <n>", "embedding size", intArg, 16)
    .option("--hidden <n>", "hidden size", intArg, 64)
    .option("--layers <n>", "stacked recurrent layers", intArg, 1)
    .option("--epochs <n>", "passes over the training words", intArg, 5)
    .option("--batch-size <n>", "words per batch", intArg, 64)
    .option("--lr <lr>", "Adam learning rate", numArg, 0.005)
    .option("--val-split <fraction>", "fraction held out for accuracy", numArg, 0.1)
    .option("--seed <n>", "random seed (0 ≤ n < 2^64)", seedArg, 0)
    .option("--out <file>", "checkpoint path (checked before training starts)", "runs/classifier.safetensors")
    .option("--json", "one JSON object per log line", false)
    .option("--allow-large", ALLOW_LARGE, false)
    .action((o: Parameters<typeof classifyTrainCommand>[0]) => classifyTrainCommand(o));
  classify
    .command("predict")
    .description("top-3 labels of a word")
    .argument("<model>", "classifier checkpoint")
    .argument("<text>", "the word to classify")
    .option("--top <k>", "how many labels", intArg, 3)
    .option("--strict", "refuse characters outside the model's vocabulary (default: skip them)")
    .action((model: string, text: string, o: { top: number; strict?: boolean }) => classifyPredictCommand(model, text, o.top, o.strict === true));
}

function registerSample(program: Command): void {
  program
    .command("sample")
    .description("generate text from a character model")
    .argument("<model>", "checkpoint written by rnnkit train")
    .option("--prime <text>", "text the sample continues")
    .option("--length <n>", "characters to generate", intArg, 200)
    .option("--temperature <t>", "divide logits by t (0: greedy)", numArg, 0.8)
    .option("--top-k <k>", "sample among the k most likely (0: all)", intArg, 0)
    .option("--seed <n>", "random seed (0 ≤ n < 2^64)", seedArg, 0)
    .option("--strict", "refuse prime characters outside the model's vocabulary (default: skip and count them)")
    .action((model: string, o: { prime?: string; length: number; temperature: number; topK: number; seed: number; strict?: boolean }) =>
      sampleCommand(model, { prime: o.prime ?? null, length: o.length, temperature: o.temperature, topK: o.topK, seed: o.seed, strict: o.strict === true }));
}

function registerEval(program: Command): void {
  program
    .command("eval")
    .description("loss, perplexity and bits per character of a character model on a text file")
    .argument("<model>", "checkpoint written by rnnkit train")
    .requiredOption("--data <file>", "text to evaluate on (required)")
    .option("--seq-len <n>", "characters per chunk", intArg, 64)
    .option("--batch-size <n>", "parallel streams", intArg, 32)
    .option("--strict", "refuse characters outside the model's vocabulary (default: skip and count them)")
    .option("--json", "print one JSON object", false)
    .action((model: string, o: { data: string; seqLen: number; batchSize: number; json: boolean; strict?: boolean }) => evalCommand(model, { ...o, strict: o.strict === true }));
}

function registerInfo(program: Command): void {
  program
    .command("info")
    .description("configuration, vocabulary, parameter count and tensors of any safetensors file")
    .argument("<model>", "a .safetensors file")
    .action((model: string) => infoCommand(model));
}

function registerBench(program: Command): void {
  program
    .command("bench")
    .description("training and inference speed of the character model, in tokens per second")
    .addOption(new Option("--model <kind>", "recurrent layer, or all").choices([...CELL_KINDS, "all"]).default("all"))
    .option("--hidden <n>", "hidden size", intArg, 128)
    .option("--layers <n>", "stacked recurrent layers", intArg, 1)
    .option("--batch-size <n>", "sequences per step", intArg, 32)
    .option("--seq-len <n>", "characters per sequence", intArg, 64)
    .option("--steps <n>", "timed steps", intArg, 5)
    .option("--json", "one JSON object per model", false)
    .option("--allow-large", ALLOW_LARGE, false)
    .action((o: { model: CellKind | "all"; hidden: number; layers: number; batchSize: number; seqLen: number; steps: number; json: boolean; allowLarge: boolean }) =>
      benchCommand({ ...o, models: o.model === "all" ? [...CELL_KINDS] : [o.model] }));
}

/** The `rnnkit` program: every command, parsed by commander; errors are left to `main`'s boundary. */
export function buildProgram(): Command {
  const program = new Command("rnnkit")
    .description("Recurrent networks with PyTorch's semantics, in TypeScript: tutorials, character models, classifiers.")
    .version(pkg.version, "-V, --version", "print the version")
    .option("--debug", "print the stack trace of a failure (also RNNKIT_DEBUG=1)")
    // Usage errors are reported by main's boundary, as one line like every other failure.
    .configureOutput({ outputError: () => undefined, writeErr: () => undefined })
    .exitOverride();
  // One line per command, in help order; a new command adds its own register function here.
  registerTutorial(program);
  registerTrain(program);
  registerClassify(program);
  registerSample(program);
  registerEval(program);
  registerInfo(program);
  registerBench(program);
  registerExport(program);
  return program;
}

/** Each command's name and its subcommands' names, for error messages. */
function commandTree(program: Command): Map<string, string[]> {
  return new Map(program.commands.map((c) => [c.name(), c.commands.map((s) => s.name())]));
}

/**
 * Runs the program on `argv` and returns the exit code; every failure — commander's usage
 * errors, CliErrors, library and system errors — goes through one boundary that prints
 * `rnnkit <command>: <what>` (plus a hint line), and the stack only with `--debug`.
 */
export async function main(argv: string[], io: ReportIO = { stderr: (t) => process.stderr.write(t) }): Promise<number> {
  const program = buildProgram();
  const command = commandOf(argv, commandTree(program));
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (e) {
    return reportError(e, command, wantsDebug(argv), io);
  }
}

/** The command `argv` names (for the process-level handlers, which have no program at hand). */
export function commandFromArgv(argv: string[]): string {
  return commandOf(argv, commandTree(buildProgram()));
}
