import type { Heatmap } from "./inspect.js";

/** Diverging blue–white–red color for a value scaled into [-1, 1]. */
export function divergingColor(v: number): string {
  const t = Math.max(-1, Math.min(1, v));
  const a = Math.round(255 * (1 - Math.abs(t)));
  return t >= 0 ? `rgb(255,${a},${a})` : `rgb(${a},${a},255)`;
}

/**
 * Draws a heatmap on a canvas inside `host`, with a readout that shows the value under the
 * pointer, or under a keyboard cursor (arrow keys) when the canvas has focus.
 */
export function renderHeatmap(host: HTMLElement, map: Heatmap): void {
  host.replaceChildren();
  const rows = map.values.length;
  const cols = map.values[0]?.length ?? 0;
  const title = document.createElement("h4");
  title.textContent = map.title;
  const cell = Math.max(2, Math.min(28, Math.floor(420 / Math.max(cols, 1)), Math.floor(260 / Math.max(rows, 1))));
  const canvas = document.createElement("canvas");
  canvas.width = cols * cell;
  canvas.height = rows * cell;
  canvas.tabIndex = 0;
  canvas.className = "heatmap";
  canvas.setAttribute("role", "img");
  canvas.setAttribute("aria-label", `${map.title}: ${rows} by ${cols} values; use arrow keys to read them`);
  const readout = document.createElement("div");
  readout.className = "readout";
  readout.setAttribute("aria-live", "polite");
  readout.textContent = "Hover or focus and use arrow keys to read values.";
  let max = 0;
  for (const r of map.values) for (const v of r) max = Math.max(max, Math.abs(v));
  const scale = max > 0 ? 1 / max : 1;
  const g = canvas.getContext("2d");
  if (g) {
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        g.fillStyle = divergingColor(map.values[i]![j]! * scale);
        g.fillRect(j * cell, i * cell, cell, cell);
      }
    }
  }
  let cur = { i: 0, j: 0 };
  const show = (i: number, j: number) => {
    cur = { i, j };
    const v = map.values[i]?.[j];
    if (v === undefined) return;
    readout.textContent = `${map.rowLabels[i] ?? i} × ${map.colLabels[j] ?? j}: ${v.toFixed(4)}`;
  };
  canvas.addEventListener("mousemove", (e) => {
    const r = canvas.getBoundingClientRect();
    const j = Math.floor(((e.clientX - r.left) / r.width) * cols);
    const i = Math.floor(((e.clientY - r.top) / r.height) * rows);
    show(i, j);
  });
  canvas.addEventListener("keydown", (e) => {
    const d: Record<string, [number, number]> = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
    const step = d[e.key];
    if (!step) return;
    e.preventDefault();
    show(Math.max(0, Math.min(rows - 1, cur.i + step[0])), Math.max(0, Math.min(cols - 1, cur.j + step[1])));
  });
  canvas.addEventListener("focus", () => show(cur.i, cur.j));
  const cols_ = document.createElement("div");
  cols_.className = "collabels";
  cols_.textContent = map.colLabels.length <= 40 ? map.colLabels.join(" ") : "";
  host.append(title, canvas, cols_, readout);
}
