import type { PlaygroundConfig } from "./config.js";

/**
 * Why the model of `c` cannot continue as a PyTorch project, or null when it can. The project
 * trains rnnkit's char model (text task) or classifier (word origin): embedded characters into a
 * unidirectional tanh RNN, LSTM or GRU.
 */
export function torchExportProblem(c: PlaygroundConfig): string | null {
  if (c.task !== "text" && c.task !== "wordOrigin") return `the PyTorch project covers the text and word-origin tasks, not "${c.task}"`;
  if (c.input !== "embedding") return "the PyTorch project embeds its characters: choose input \"embedding\"";
  if (c.cell === "rnn-relu") return "the PyTorch project's RNN uses tanh: choose rnn-tanh, lstm or gru";
  if (c.bidirectional) return "the PyTorch project's models are unidirectional";
  return null;
}
