import { Command, InvalidArgumentError, Option } from "commander";
import { benchCommand } from "./bench.js";
import { classifyPredictCommand, classifyTrainCommand } from "./classify.js";
import { CELL_KINDS, type CellKind } from "./charModel.js";
import { CliError } from "./errors.js";
import pkg from "../package.json" with { type: "json" };
import { evalCommand } from "./evalCommand.js";
import { registerExport } from "./export/registerExport.js";
import { infoCommand } from "./info.js";
import { defaultLr, OPTIMIZERS, SCHEDULERS, type OptimizerName, type SchedulerName } from "./optimSetup.js";
import { sampleCommand } from "./sample.js";
import { trainCommand } from "./train.js";
import type { TrainOptions } from "./trainOptions.js";
import { TUTORIAL_MODELS, tutorialCommand, type TutorialModel } from "./tutorial.js";

function int(value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isInteger(n)) throw new InvalidArgumentError(`expected an integer, got "${value}"`);
  return n;
}
function num(value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n)) throw new InvalidArgumentError(`expected a number, got "${value}"`);
  return n;
}

/** The `rnnkit` program: every command, parsed by commander. */
export function buildProgram(): Command {
  const program = new Command("rnnkit")
    .description("Recurrent networks with PyTorch's semantics, in TypeScript: tutorials, character models, classifiers.")
    .version(pkg.version, "-V, --version", "print the version")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride();

  program
    .command("tutorial")
    .description('the hello → ohlol exercises: RNNCell, RNN, Embedding+RNN, hand-written LSTM, LSTM, GRU')
    .addOption(new Option("--model <model>", "which exercise").choices([...TUTORIAL_MODELS]).default("all"))
    .option("--seed <n>", "random seed", int, 0)
    .action((o: { model: TutorialModel; seed: number }) => tutorialCommand(o.model, o.seed));

  const train = program
    .command("train")
    .description("train a character-level language model (default: an LSTM on the bundled corpus)")
    .option("--data <file>", "training text (UTF-8); default: the bundled corpus")
    .addOption(new Option("--model <kind>", "recurrent layer").choices([...CELL_KINDS]).default("lstm"))
    .option("--embedding <n>", "embedding size", int, 32)
    .option("--hidden <n>", "hidden size", int, 128)
    .option("--layers <n>", "stacked recurrent layers", int, 1)
    .option("--dropout <p>", "dropout between layers and before the output layer", num, 0)
    .option("--seq-len <n>", "characters per truncated-BPTT chunk", int, 64)
    .option("--batch-size <n>", "parallel streams per step", int, 32)
    .option("--epochs <n>", "passes over the training text (default 2, unless --steps is given)", int)
    .option("--steps <n>", "stop after this many optimizer steps", int)
    .option("--lr <lr>", "learning rate (default 0.003; 0.5 for sgd)", num)
    .addOption(new Option("--optimizer <name>", "optimizer").choices([...OPTIMIZERS]).default("adam"))
    .addOption(new Option("--scheduler <name>", "learning-rate schedule").choices([...SCHEDULERS]).default("none"))
    .option("--clip <norm>", "clip the gradient norm (0: off)", num, 1)
    .option("--val-split <fraction>", "fraction of the text held out for validation (its end)", num, 0.05)
    .option("--seed <n>", "random seed", int, 0)
    .option("--out <file>", "checkpoint path", "runs/charlm.safetensors")
    .option("--resume [checkpoint]", "continue training from a checkpoint (default: --out)")
    .option("--json", "one JSON object per log line", false)
    .option("--sample-length <n>", "characters sampled after each epoch", int, 200)
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
        options, explicit, out: o["out"] as string, json: o["json"] as boolean,
        resume: resume === undefined ? null : resume === true ? (o["out"] as string) : (resume as string),
      });
    });

  const classify = program.command("classify").description("classify words by language (or a CSV of text,label) with Embedding + GRU/LSTM");
  classify
    .command("train")
    .description("train a classifier on the word-origin dataset or --data CSV")
    .option("--data <csv>", "CSV of text,label lines; default: the bundled word-origin set")
    .addOption(new Option("--model <kind>", "recurrent layer").choices(["gru", "lstm", "rnn"]).default("gru"))
    .option("--embedding <n>", "embedding size", int, 16)
    .option("--hidden <n>", "hidden size", int, 64)
    .option("--layers <n>", "stacked recurrent layers", int, 1)
    .option("--epochs <n>", "passes over the training words", int, 5)
    .option("--batch-size <n>", "words per batch", int, 64)
    .option("--lr <lr>", "Adam learning rate", num, 0.005)
    .option("--val-split <fraction>", "fraction held out for accuracy", num, 0.1)
    .option("--seed <n>", "random seed", int, 0)
    .option("--out <file>", "checkpoint path", "runs/classifier.safetensors")
    .option("--json", "one JSON object per log line", false)
    .action((o: Parameters<typeof classifyTrainCommand>[0]) => classifyTrainCommand(o));
  classify
    .command("predict")
    .description("top-3 labels of a word")
    .argument("<model>", "classifier checkpoint")
    .argument("<text>", "the word to classify")
    .option("--top <k>", "how many labels", int, 3)
    .action((model: string, text: string, o: { top: number }) => classifyPredictCommand(model, text, o.top));

  program
    .command("sample")
    .description("generate text from a character model")
    .argument("<model>", "checkpoint written by rnnkit train")
    .option("--prime <text>", "text the sample continues")
    .option("--length <n>", "characters to generate", int, 200)
    .option("--temperature <t>", "divide logits by t (0: greedy)", num, 0.8)
    .option("--top-k <k>", "sample among the k most likely (0: all)", int, 0)
    .option("--seed <n>", "random seed", int, 0)
    .action((model: string, o: { prime?: string; length: number; temperature: number; topK: number; seed: number }) =>
      sampleCommand(model, { prime: o.prime ?? null, length: o.length, temperature: o.temperature, topK: o.topK, seed: o.seed }));

  program
    .command("eval")
    .description("loss, perplexity and bits per character of a character model on a text file")
    .argument("<model>", "checkpoint written by rnnkit train")
    .option("--data <file>", "text to evaluate on")
    .option("--seq-len <n>", "characters per chunk", int, 64)
    .option("--batch-size <n>", "parallel streams", int, 32)
    .option("--json", "print one JSON object", false)
    .action((model: string, o: { data?: string; seqLen: number; batchSize: number; json: boolean }) =>
      evalCommand(model, { data: o.data, seqLen: o.seqLen, batchSize: o.batchSize, json: o.json }));

  program
    .command("info")
    .description("configuration, vocabulary, parameter count and tensors of any safetensors file")
    .argument("<model>", "a .safetensors file")
    .action((model: string) => infoCommand(model));

  program
    .command("bench")
    .description("training and inference speed of the character model, in tokens per second")
    .addOption(new Option("--model <kind>", "recurrent layer, or all").choices([...CELL_KINDS, "all"]).default("all"))
    .option("--hidden <n>", "hidden size", int, 128)
    .option("--layers <n>", "stacked recurrent layers", int, 1)
    .option("--batch-size <n>", "sequences per step", int, 32)
    .option("--seq-len <n>", "characters per sequence", int, 64)
    .option("--steps <n>", "timed steps", int, 5)
    .option("--json", "one JSON object per model", false)
    .action((o: { model: CellKind | "all"; hidden: number; layers: number; batchSize: number; seqLen: number; steps: number; json: boolean }) =>
      benchCommand({ ...o, models: o.model === "all" ? [...CELL_KINDS] : [o.model] }));

  registerExport(program);

  return program;
}

/** Runs the program on `argv`; returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (e) {
    if (e instanceof CliError) {
      process.stderr.write(`${e.message}\n`);
      return e.exitCode;
    }
    const ce = e as { code?: unknown; exitCode?: unknown };
    if (typeof ce.code === "string" && ce.code.startsWith("commander.") && typeof ce.exitCode === "number") {
      // commander already printed the message (or the help / version text).
      return ce.exitCode;
    }
    process.stderr.write(`rnnkit: ${(e as Error).stack ?? String(e)}\n`);
    return 1;
  }
}

// A closed pipe (`rnnkit sample m | head`) ends the command quietly, as other tools do.
process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  if (e.code === "EPIPE") process.exit(0);
  throw e;
});
process.exitCode = await main(process.argv);
