/**
 * Per-arm telemetry under `<prefix>/splitfront/v1` (docs/extensions-api.md, "Metrics"): a primary's report as
 * JSON and every distribution's counters for Prometheus. SigV4-signed like the CloudFront operations (the Prometheus
 * path also takes METRICS_TOKEN, src/control/app.ts), JSON errors `{"error":{"code","message"}}`. The rules (windows,
 * merging, percentiles) are in src/domain/metrics; this file reads the stores and writes the wire format.
 */
import { Hono } from "hono";
import { type ArmTotals, mergeTotals } from "../../domain/metrics/counters.js";
import { type ArmReport, armReport, type MinuteRange, parseWindow, windowOf } from "../../domain/metrics/report.js";
import { MINUTE_MS } from "../../domain/metrics/tally.js";
import { settings } from "../../env.js";
import { metricsShard } from "../../store/metrics-store.js";
import { type ControlEnv, EXTENSIONS_PATH, errorResponse, plane } from "../context.js";
import { PROMETHEUS_CONTENT_TYPE, renderPrometheus } from "../prometheus.js";
import { methodNotAllowed } from "./method-not-allowed.js";

/** The Prometheus endpoint, below the control prefix: the one path that also accepts METRICS_TOKEN. */
export const PROMETHEUS_PATH = `${EXTENSIONS_PATH}/metrics`;

const iso = (minute: number): string => new Date(minute * MINUTE_MS).toISOString();

function armJson(report: ArmReport | null): unknown {
  if (report === null) return null;
  const { series, ...totals } = report;
  return { ...totals, series: series.map(({ minute, ...figures }) => ({ start: iso(minute), ...figures })) };
}

const METRICS = "/distributions/:id/metrics";

export const metricsRoutes = new Hono<ControlEnv>()
  .get(METRICS, async (c) => {
    const s = settings(c.env);
    const window = parseWindow(c.req.query("window"), s.metricsRetentionMs / 1000);
    if (!window.ok) return errorResponse(c, window.error);
    const arms = await plane(c).metricsArms(c.req.param("id"));
    if (!arms.ok) return errorResponse(c, arms.error);
    const { primaryId, policyId, stagingId } = arms.value;
    const range: MinuteRange = windowOf(Date.now(), window.value);
    const rows = await metricsShard(c.env.METRICS, primaryId).minutes(range.fromMinute, range.toMinute);
    return c.json({
      distributionId: primaryId,
      policyId,
      stagingDistributionId: stagingId,
      window: { seconds: window.value, from: iso(range.fromMinute), to: iso(range.toMinute + 1) },
      flushIntervalSeconds: s.metricsFlushMs / 1000,
      primary: armJson(armReport(rows, primaryId, "primary", range)),
      staging: stagingId === null ? null : armJson(armReport(rows, stagingId, "staging", range)),
    });
  })
  .all(METRICS, methodNotAllowed)
  .get("/metrics", async (c) => {
    const shards = await plane(c).metricsShards();
    const ns = c.env.METRICS;
    const perShard = await Promise.all(shards.map((id): Promise<ArmTotals[]> => metricsShard(ns, id).totals()));
    return c.body(renderPrometheus(mergeTotals(perShard.flat())), 200, { "content-type": PROMETHEUS_CONTENT_TYPE });
  })
  .all("/metrics", methodNotAllowed);
