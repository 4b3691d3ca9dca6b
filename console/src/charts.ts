/**
 * The four per-arm time-series charts (uPlot: canvas, small and fast). Each is a <figure> with a caption and a
 * text alternative stating the latest minute's values, since a canvas says nothing to a screen reader. Charts
 * are made when first shown (uPlot needs a width) and follow their container's width.
 */
import uPlot from "uplot";
import { byId, h } from "./dom.js";
import { type ChartData, type Columns, lastValue, ms, pct } from "./model.js";

const PRIMARY = "#1d4ed8";
const STAGING = "#c2410c";

interface Line {
  /** "primary" or "staging", then what: the label shown in the legend. */
  label: string;
  color: string;
  dash?: number[];
}

interface Spec {
  key: keyof ChartData;
  title: string;
  lines: Line[];
  format: (v: number) => string;
  /** The y axis reaches at least this high, so a flat line near 0 is not blown up to fill the chart. */
  minTop: number;
}

const BOTH_ARMS: Line[] = [
  { label: "primary", color: PRIMARY },
  { label: "staging", color: STAGING, dash: [6, 4] },
];

const rate = (v: number) => `${v < 10 ? v.toFixed(2) : Math.round(v)}/s`;

// Staging is dashed as well as coloured, for whoever cannot tell the colours apart.
const SPECS: Spec[] = [
  {
    key: "requestsPerSecond",
    title: "Requests per second",
    lines: BOTH_ARMS,
    format: rate,
    minTop: 1,
  },
  {
    key: "errorRate",
    title: "5xx rate",
    lines: BOTH_ARMS,
    format: (v) => pct(v),
    minTop: 0.05,
  },
  {
    key: "latency",
    title: "Origin latency p50 / p99",
    lines: [
      { label: "primary p50", color: PRIMARY },
      { label: "primary p99", color: PRIMARY, dash: [2, 3] },
      { label: "staging p50", color: STAGING, dash: [6, 4] },
      { label: "staging p99", color: STAGING, dash: [2, 3] },
    ],
    format: (v) => ms(v),
    minTop: 10,
  },
  {
    key: "cacheHitRatio",
    title: "Cache hit ratio",
    lines: BOTH_ARMS,
    format: (v) => pct(v),
    minTop: 1,
  },
];

const HEIGHT = 150;

export class Charts {
  private readonly plots = new Map<string, uPlot>();
  private readonly observer = new ResizeObserver(() => this.resize());

  constructor(root: HTMLElement) {
    for (const s of SPECS) {
      root.append(
        h(
          "figure",
          { class: "chart", "aria-labelledby": `chart-${s.key}-title`, "aria-describedby": `chart-${s.key}-text` },
          h("figcaption", { id: `chart-${s.key}-title` }, s.title),
          h("div", { class: "plot", id: `chart-${s.key}`, "aria-hidden": "true" }),
          h("p", { class: "sr-only", id: `chart-${s.key}-text` }),
        ),
      );
    }
    this.observer.observe(root);
  }

  update(data: ChartData): void {
    for (const s of SPECS) {
      const cols = data[s.key];
      this.plot(s, cols);
      const latest = s.lines.map((l, i) => {
        const v = lastValue(cols[i + 1]);
        return `${l.label} ${v === null ? "no data" : s.format(v)}`;
      });
      byId(`chart-${s.key}-text`).textContent = `Latest minute: ${latest.join(", ")}.`;
    }
  }

  private plot(s: Spec, cols: Columns): void {
    const existing = this.plots.get(s.key);
    if (existing !== undefined) {
      existing.setData(cols);
      return;
    }
    const el = byId(`chart-${s.key}`);
    const width = el.clientWidth;
    if (width === 0) return; // not shown yet
    const plot = new uPlot(
      {
        width,
        height: HEIGHT,
        cursor: { drag: { x: false, y: false } },
        scales: { y: { range: (_u, _min, max) => [0, Math.max(s.minTop, max * 1.1)] } },
        axes: [{}, { size: 64, values: (_u, splits) => splits.map((v) => s.format(v)) }],
        series: [
          {},
          ...s.lines.map((l) => ({
            label: l.label,
            stroke: l.color,
            width: 2,
            dash: l.dash,
            value: (_u: uPlot, v: number | null) => (v === null ? "–" : s.format(v)),
          })),
        ],
      },
      cols,
      el,
    );
    this.plots.set(s.key, plot);
  }

  /** Stops following the container and frees the canvases (at sign-out). */
  destroy(): void {
    this.observer.disconnect();
    for (const plot of this.plots.values()) plot.destroy();
    this.plots.clear();
  }

  private resize(): void {
    for (const [key, plot] of this.plots) {
      const width = byId(`chart-${key}`).clientWidth;
      if (width > 0 && width !== plot.width) plot.setSize({ width, height: HEIGHT });
    }
  }
}
