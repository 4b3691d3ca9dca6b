/** The printed tables (stdout) of a benchmark run; the same figures go to bench/results/<timestamp>.json. */
import type { MicroResult } from "./micro-timer.js";
import type { ColdStart, StorageCounts } from "./probes.js";
import type { Propagation } from "./propagation.js";
import { type BudgetVerdict, median, type ScenarioSummary } from "./report.js";

export interface BenchReport {
  when: string;
  machine: { cpus: number; model: string; node: string };
  bundle: { bytes: number; gzipBytes: number };
  compareScript: string;
  scenarios: ScenarioSummary[];
  budget: BudgetVerdict[];
  /** The fixed-rate latency rounds (same shape; req/s is the offered rate, met or not). */
  fixedRate: ScenarioSummary[];
  storageCounts: StorageCounts[];
  coldStart: ColdStart[];
  propagation: Propagation;
  micro: MicroResult[];
}

const fx = (n: number, d = 2): string => (Number.isFinite(n) ? n.toFixed(d) : "-");

export function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[0] ?? 0) : c.padStart(widths[i] ?? 0))).join("  ");
  return [line(head), ...rows.map(line)].join("\n");
}

export function formatSummary(summaries: ScenarioSummary[]): string {
  const head = [
    "scenario",
    "conns",
    "req/s",
    "p50 ms",
    "p99 ms",
    "errors",
    "x pass per round",
    "x faithful",
    "x naive",
    "CPU us/req",
    "CPU x pass",
    "note",
  ];
  const rows = summaries.map((s) => [
    s.label,
    String(s.connections),
    fx(s.rps, 0),
    fx(s.p50, 0),
    fx(s.p99, 0),
    String(s.errors),
    s.ratioPerRound.map((r) => fx(r)).join(" "),
    fx(median(s.vsFaithfulPerRound)),
    fx(median(s.vsNaivePerRound)),
    s.cpuUs === null ? "-" : fx(s.cpuUs, 0),
    fx(median(s.cpuRatioPerRound)),
    [s.problem ?? "", s.cacheStatus === null ? "" : `cache: ${s.cacheStatus}`].filter(Boolean).join("; "),
  ]);
  return table(head, rows);
}

export function formatFixedRate(summaries: ScenarioSummary[]): string {
  const head = [
    "fixed rate",
    "req/s",
    "p50 ms",
    "p99 ms",
    "errors",
    "p50 - pass",
    "p99 - pass",
    "p50 - faithful",
    "p99 - faithful",
  ];
  const rows = summaries.map((s) => [
    s.label,
    fx(s.rps, 0),
    fx(s.p50, 0),
    fx(s.p99, 0),
    String(s.errors),
    fx(median(s.p50DeltaPerRound), 1),
    fx(median(s.p99DeltaPerRound), 1),
    fx(median(s.p50VsFaithfulPerRound), 1),
    fx(median(s.p99VsFaithfulPerRound), 1),
  ]);
  return table(head, rows);
}

export function formatBudget(verdicts: BudgetVerdict[]): string {
  const head = ["budget (fixed rate, vs faithful)", "p50 delta ms (<=1)", "p99 delta ms (<=1)", "verdict"];
  const rows = verdicts.map((v) => [v.id, fx(v.p50DeltaMs, 1), fx(v.p99DeltaMs, 1), v.pass ? "PASS" : "FAIL"]);
  return table(head, rows);
}

export function formatMicro(results: MicroResult[]): string {
  const rows = results.map((r) => [r.name, fx(r.nsPerOp / 1000, 2), fx(r.opsPerSec, 0), String(r.batches)]);
  return table(["micro-benchmark (Node)", "us/op", "ops/s", "batches"], rows);
}

function formatCounts(counts: StorageCounts[]): string {
  const rows = counts.map((c) => [
    c.id,
    String(c.requests),
    String(c.kvReads),
    fx(c.kvReadsPerRequest, 5),
    String(c.doCalls),
    String(c.kvWrites),
  ]);
  return table(["steady state", "requests", "KV reads", "KV reads/req", "DO calls", "KV writes"], rows);
}

function formatCold(cold: ColdStart[]): string {
  const rows = cold.map((c) => [
    c.worker,
    fx(median(c.startupMs), 0),
    fx(median(c.firstRequestMs), 1),
    fx(median(c.warmRequestMs), 1),
    c.firstRequestMs.map((x) => fx(x, 1)).join(" "),
  ]);
  return table(["cold isolate", "startup ms", "1st request ms", "warm request ms", "1st request samples"], rows);
}

function formatPropagation(p: Propagation): string {
  if (!p.available) return `propagation: not measured (${p.reason})`;
  return `propagation (UpdateContinuousDeploymentPolicy -> edge, CONFIG_MEMO_MS=${p.configMemoMs}): median ${fx(
    p.medianMs,
    0,
  )} ms, max ${fx(p.maxMs, 0)} ms, samples ${p.samplesMs.map((x) => fx(x, 0)).join(" ")}`;
}

export function printReport(r: BenchReport, file: string): void {
  const sections = [
    `splitfront bench, ${r.when}, ${r.machine.cpus} CPUs (${r.machine.model}), Node ${r.machine.node}, loopback`,
    formatSummary(r.scenarios),
    r.fixedRate.length > 0 ? formatFixedRate(r.fixedRate) : "fixed-rate latency: skipped",
    r.budget.length > 0
      ? `${formatBudget(r.budget)}\n(instructions, the other half of the budget: npm run bench:instructions)`
      : "budget: needs the fixed-rate rounds",
    formatCounts(r.storageCounts),
    formatCold(r.coldStart),
    formatPropagation(r.propagation),
    `bundle: ${r.bundle.bytes} B, ${r.bundle.gzipBytes} B gzip`,
    r.micro.length > 0 ? formatMicro(r.micro) : "micro-benchmarks: skipped",
    `results: ${file}`,
  ];
  console.log(sections.join("\n\n"));
}
