/**
 * The Prometheus text exposition format (version 0.0.4) of the metrics store's cumulative totals: counters with
 * `_total`, labelled by distribution_id and arm (and status_class for requests), and a histogram of the
 * edge-measured origin latency in seconds. https://prometheus.io/docs/instrumenting/exposition_formats/
 */
import { type ArmTotals, STATUS_CLASSES } from "../domain/metrics/counters.js";
import { cumulativeAt, EXPORT_UPPER_MS, sampleCount } from "../domain/metrics/histogram.js";

export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

/** A label value with backslash, double quote and line feed escaped, as the format requires. */
const escapeLabel = (v: string): string => v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");

const labels = (pairs: [string, string][]): string =>
  `{${pairs.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(",")}}`;

/** Seconds, without float noise (0.0025 rather than 0.0025000000000000005). */
const seconds = (ms: number): string => String(Number((ms / 1000).toPrecision(12)));

interface Family {
  name: string;
  help: string;
  value: (t: ArmTotals) => number;
}

const COUNTERS: Family[] = [
  {
    name: "splitfront_edge_errors_total",
    help: "Responses the edge made itself (502/504 for the origin, 403 geo, method or https refusals).",
    value: (t) => t.edgeErrors,
  },
  {
    name: "splitfront_cache_hits_total",
    help: "Responses served from the edge cache (X-Cache: Hit).",
    value: (t) => t.cacheHits,
  },
  {
    name: "splitfront_cache_misses_total",
    help: "Responses for which the edge consulted its cache and asked the origin (X-Cache: Miss).",
    value: (t) => t.cacheMisses,
  },
  {
    name: "splitfront_response_bytes_total",
    help: "Sum of the Content-Length of responses that declared one.",
    value: (t) => t.bytes,
  },
  {
    name: "splitfront_dropped_requests_total",
    help: "Requests counted at the edge whose details were lost because their flush to the store kept failing.",
    value: (t) => t.dropped,
  },
];

export function renderPrometheus(totals: readonly ArmTotals[]): string {
  const out: string[] = [];
  const arm = (t: ArmTotals): [string, string][] => [
    ["distribution_id", t.distributionId],
    ["arm", t.arm],
  ];

  out.push("# HELP splitfront_requests_total Viewer requests answered, by serving distribution, arm and status class.");
  out.push("# TYPE splitfront_requests_total counter");
  for (const t of totals) {
    STATUS_CLASSES.forEach((cls, i) => {
      out.push(`splitfront_requests_total${labels([...arm(t), ["status_class", cls]])} ${t.status[i] ?? 0}`);
    });
  }
  for (const f of COUNTERS) {
    out.push(`# HELP ${f.name} ${f.help}`);
    out.push(`# TYPE ${f.name} counter`);
    for (const t of totals) out.push(`${f.name}${labels(arm(t))} ${f.value(t)}`);
  }

  const h = "splitfront_origin_latency_seconds";
  out.push(`# HELP ${h} Edge-measured time from a viewer request's arrival to the origin's response headers.`);
  out.push(`# TYPE ${h} histogram`);
  for (const t of totals) {
    const cumulative = cumulativeAt(t.latency, EXPORT_UPPER_MS);
    EXPORT_UPPER_MS.forEach((upper, i) => {
      out.push(`${h}_bucket${labels([...arm(t), ["le", seconds(upper)]])} ${cumulative[i] ?? 0}`);
    });
    const count = sampleCount(t.latency);
    out.push(`${h}_bucket${labels([...arm(t), ["le", "+Inf"]])} ${count}`);
    out.push(`${h}_sum${labels(arm(t))} ${seconds(t.latencySumMs)}`);
    out.push(`${h}_count${labels(arm(t))} ${count}`);
  }
  return `${out.join("\n")}\n`;
}
