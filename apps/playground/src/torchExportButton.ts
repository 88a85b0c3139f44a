import type { PlaygroundConfig } from "./config.js";
import { downloadBytes, el } from "./dom.js";
import { torchExportProblem } from "./torchExportProblem.js";

/** What the "Download PyTorch project (zip)" button needs from the page. */
export interface TorchExportHooks {
  /** Asks the worker for the running model's checkpoint (it answers with a `file` message). */
  requestCheckpoint: () => void;
  /** The running model's config (with its text), or null before a model is built. */
  activeConfig: () => PlaygroundConfig | null;
  onError: (message: string) => void;
}

/**
 * The button that downloads `rnnkit export torch`'s DDP project for the running model as a zip:
 * it asks the worker for a checkpoint, takes the answer (`takeFile`) and zips the project, whose
 * writer is loaded on demand. `refresh()` disables it, with the reason as its tooltip, for models
 * the project does not cover.
 */
export function torchExportButton(hooks: TorchExportHooks): { button: HTMLButtonElement; takeFile: (m: { bytes: Uint8Array; name: string }) => boolean; refresh: () => void } {
  const button = el("button", { type: "button", id: "torch-zip" }, "Download PyTorch project (zip)");
  let pending: PlaygroundConfig | null = null;
  button.addEventListener("click", () => {
    pending = hooks.activeConfig();
    if (pending) hooks.requestCheckpoint();
  });
  const takeFile = (m: { bytes: Uint8Array; name: string }): boolean => {
    if (pending === null || !m.name.endsWith(".safetensors")) return false;
    const config = pending;
    pending = null;
    import("./torchExportZip.js")
      .then(({ torchProjectZip }) => {
        const zip = torchProjectZip(m.bytes, config);
        downloadBytes(zip.bytes, zip.name, "application/zip");
      })
      .catch((e: unknown) => hooks.onError((e as Error).message));
    return true;
  };
  const refresh = (): void => {
    const c = hooks.activeConfig();
    const problem = c ? torchExportProblem(c) : "train a model first";
    button.disabled = problem !== null;
    button.title = problem ?? "model.py, data.py, a DistributedDataParallel train.py, these weights and the data, for torchrun";
  };
  return { button, takeFile, refresh };
}
