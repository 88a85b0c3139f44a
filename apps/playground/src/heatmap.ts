import type { Heatmap } from "./inspect.js";

/** Diverging blue–white–red colour for a value scaled into [-1, 1], as RGB bytes. */
export function divergingRgb(v: number): [number, number, number] {
  const t = Math.max(-1, Math.min(1, Number.isFinite(v) ? v : 0));
  const a = Math.round(255 * (1 - Math.abs(t)));
  return t >= 0 ? [255, a, a] : [a, a, 255];
}

/**
 * Display size `[width, height]` of one cell in CSS pixels, between 2 and 28, so the map fits
 * ~340 × 260 px: square where that fits, else wider than tall (at least 8 px wide while room
 * allows), so a tall matrix over a few time steps never shrinks to a thin strip.
 */
export function cellSize(rows: number, cols: number): [number, number] {
  const clamp = (v: number) => Math.max(2, Math.min(28, Math.floor(v)));
  const w = clamp(340 / Math.max(cols, 1));
  const h = clamp(260 / Math.max(rows, 1));
  return [Math.min(w, Math.max(h, 8)), Math.min(h, w)];
}

function fmt(v: number): string {
  return Math.abs(v) >= 100 || (v !== 0 && Math.abs(v) < 0.01) ? v.toExponential(1) : v.toFixed(2);
}

/**
 * One heatmap on the page, kept across refreshes (so focus, the keyboard cursor and the readout
 * survive): the matrix is painted from an ImageData of one pixel per cell, scaled by CSS, with a
 * colour scale stating its range.
 */
export class HeatmapView {
  readonly el: HTMLElement;
  private readonly title = document.createElement("h4");
  private readonly canvas = document.createElement("canvas");
  private readonly legend = document.createElement("div");
  private readonly cols = document.createElement("div");
  private readonly note = document.createElement("p");
  private readonly readout = document.createElement("div");
  private map: Heatmap | null = null;
  private cur = { i: 0, j: 0 };
  /** Focused or hovered: only then does a refresh rewrite the (live) readout. */
  private active = false;

  constructor() {
    this.el = document.createElement("figure");
    this.el.className = "map";
    this.canvas.tabIndex = 0;
    this.canvas.className = "heatmap";
    this.canvas.setAttribute("role", "img");
    this.legend.className = "legend";
    this.cols.className = "collabels";
    this.cols.setAttribute("aria-hidden", "true");
    this.note.className = "note";
    this.readout.className = "readout";
    this.readout.setAttribute("aria-live", "polite");
    this.readout.textContent = "Hover, or focus and use the arrow keys, to read values.";
    this.canvas.addEventListener("mousemove", (e) => {
      const m = this.map;
      if (!m) return;
      const r = this.canvas.getBoundingClientRect();
      this.show(Math.floor(((e.clientY - r.top) / r.height) * m.rows), Math.floor(((e.clientX - r.left) / r.width) * m.cols));
    });
    this.canvas.addEventListener("keydown", (e) => {
      const d: Record<string, [number, number]> = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
      const step = d[e.key];
      if (!step) return;
      e.preventDefault();
      this.show(this.cur.i + step[0], this.cur.j + step[1]);
    });
    this.canvas.addEventListener("focus", () => {
      this.active = true;
      this.show(this.cur.i, this.cur.j);
    });
    this.canvas.addEventListener("mouseenter", () => (this.active = true));
    for (const ev of ["blur", "mouseleave"]) this.canvas.addEventListener(ev, () => (this.active = document.activeElement === this.canvas && ev === "mouseleave"));
    this.el.append(this.title, this.canvas, this.cols, this.legend, this.note, this.readout);
  }

  private show(i: number, j: number): void {
    const m = this.map;
    if (!m) return;
    i = Math.max(0, Math.min(m.rows - 1, i));
    j = Math.max(0, Math.min(m.cols - 1, j));
    this.cur = { i, j };
    const v = m.values[i * m.cols + j];
    if (v !== undefined) this.readout.textContent = `${m.rowLabels[i] ?? i} × ${m.colLabels[j] ?? j}: ${v.toFixed(4)}`;
  }

  /** Shows `m`, keeping the element (and its focus and cursor). */
  update(m: Heatmap): void {
    const sameShape = this.map?.rows === m.rows && this.map.cols === m.cols;
    this.map = m;
    const [cellW, cellH] = cellSize(m.rows, m.cols);
    this.title.textContent = m.title;
    if (!sameShape) {
      this.canvas.width = m.cols;
      this.canvas.height = m.rows;
      this.canvas.style.width = `${m.cols * cellW}px`;
      this.canvas.style.height = `${m.rows * cellH}px`;
      this.cols.replaceChildren();
      // Step labels only where each fits its column.
      if (cellW >= 12 && m.cols <= 40) {
        for (const label of m.colLabels) {
          const span = document.createElement("span");
          span.style.width = `${cellW}px`;
          span.textContent = label;
          this.cols.append(span);
        }
      }
    }
    this.canvas.setAttribute("aria-label", `${m.title}: ${m.rows} by ${m.cols} values from ${fmt(-m.maxAbs)} (blue) to ${fmt(m.maxAbs)} (red); use the arrow keys to read them`);
    const g = this.canvas.getContext("2d");
    if (g) {
      const img = g.createImageData(m.cols, m.rows);
      const scale = m.maxAbs > 0 ? 1 / m.maxAbs : 1;
      for (let k = 0; k < m.rows * m.cols; k++) {
        const [r, gr, b] = divergingRgb(m.values[k]! * scale);
        img.data[4 * k] = r;
        img.data[4 * k + 1] = gr;
        img.data[4 * k + 2] = b;
        img.data[4 * k + 3] = 255;
      }
      g.putImageData(img, 0, 0);
    }
    this.legend.replaceChildren(
      Object.assign(document.createElement("span"), { textContent: fmt(-m.maxAbs) }),
      Object.assign(document.createElement("span"), { className: "scale", title: "colour scale: blue negative, white 0, red positive" }),
      Object.assign(document.createElement("span"), { textContent: `+${fmt(m.maxAbs)}` }),
    );
    this.note.textContent = m.note ?? "";
    this.note.hidden = !m.note;
    if (this.active) this.show(this.cur.i, this.cur.j);
  }
}

/** A group of heatmaps in one host; views are reused by position so refreshes keep focus. */
export class HeatmapGroup {
  private views: HeatmapView[] = [];
  constructor(private readonly host: HTMLElement) {}

  update(maps: readonly Heatmap[]): void {
    while (this.views.length > maps.length) this.views.pop()!.el.remove();
    maps.forEach((m, i) => {
      let v = this.views[i];
      if (!v) {
        v = new HeatmapView();
        this.views.push(v);
        this.host.append(v.el);
      }
      v.update(m);
    });
  }
}
