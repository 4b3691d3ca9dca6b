/**
 * The metrics report over a window, with an injected clock: which minutes a window covers across minute
 * boundaries, and an arm's totals, series and derived figures.
 */
import { describe, expect, it } from "vitest";
import { emptyCounters, type MinuteRow } from "../../../../src/domain/metrics/counters.js";
import { bucketOf } from "../../../../src/domain/metrics/histogram.js";
import { armReport, parseWindow, summarise, windowOf } from "../../../../src/domain/metrics/report.js";
import { MINUTE_MS, minuteOf } from "../../../../src/domain/metrics/tally.js";
import type { Arm } from "../../../../src/model/edge-config.js";

const at = (hh: number, mm: number, ss = 0, ms = 0) => Date.UTC(2026, 10, 30, hh, mm, ss, ms);

function row(minute: number, distributionId: string, arm: Arm, requests: number, latency: number[] = []): MinuteRow {
  const c = emptyCounters();
  c.requests = requests;
  c.status[1] = requests;
  for (const ms of latency) {
    const b = bucketOf(ms);
    c.latency[b] = (c.latency[b] ?? 0) + 1;
    c.latencySumMs += ms;
  }
  return { minute, distributionId, arm, ...c };
}

describe("window", () => {
  it("covers every minute that overlaps the last `window` seconds, the current one included", () => {
    expect(windowOf(at(10, 5, 30), 300)).toEqual({ fromMinute: minuteOf(at(10, 0)), toMinute: minuteOf(at(10, 5)) });
    // On a boundary the window starts with the minute that begins exactly `window` ago.
    expect(windowOf(at(10, 5), 300)).toEqual({ fromMinute: minuteOf(at(10, 0)), toMinute: minuteOf(at(10, 5)) });
    expect(windowOf(at(10, 5, 59, 999), 300)).toEqual({
      fromMinute: minuteOf(at(10, 0)),
      toMinute: minuteOf(at(10, 5)),
    });
    // Across midnight.
    expect(windowOf(at(0, 0, 20), 120)).toEqual({
      fromMinute: minuteOf(at(0, 0, 20)) - 2,
      toMinute: minuteOf(at(0, 0, 20)),
    });
  });

  it("sees a request counted at 10:04:59.999 in a 60 s window until 10:05:59.999, and no longer", () => {
    const rows = [row(minuteOf(at(10, 4, 59, 999)), "EP", "primary", 1)];
    const seen = (now: number) => armReport(rows, "EP", "primary", windowOf(now, 60))?.requests ?? 0;
    expect(seen(at(10, 4, 0))).toBe(1);
    expect(seen(at(10, 5, 0, 1))).toBe(1);
    expect(seen(at(10, 5, 59, 999))).toBe(1);
    expect(seen(at(10, 6, 0))).toBe(0);
    // A request in the current minute is seen at once, whatever the second.
    expect(seen(at(10, 4, 59, 999))).toBe(1);
  });

  it("takes whole seconds from 60 to the retention, 300 by default, and refuses anything else", () => {
    const week = 7 * 86_400;
    expect(parseWindow(undefined, week)).toEqual({ ok: true, value: 300 });
    expect(parseWindow("3600", week)).toEqual({ ok: true, value: 3600 });
    expect(parseWindow(String(week), week)).toEqual({ ok: true, value: week });
    for (const bad of ["59", String(week + 1), "-60", "1e3", "60.5", "abc", " 60"]) {
      const r = parseWindow(bad, week);
      expect(r.ok, bad).toBe(false);
      if (!r.ok) expect(r.error.tag).toBe("invalid-argument");
    }
  });
});

describe("arm report", () => {
  const m = minuteOf(at(10, 0));
  const range = { fromMinute: m, toMinute: m + 4 };

  it("totals an arm's rows in the window, lists its minutes with traffic, and ignores other arms", () => {
    const rows = [
      row(m - 1, "EP", "primary", 100),
      row(m, "EP", "primary", 10, [10, 20]),
      row(m, "EP", "primary", 5, [30]),
      row(m, "ES", "staging", 2, [500]),
      row(m + 2, "EP", "primary", 7),
      row(m + 5, "EP", "primary", 100),
    ];
    const report = armReport(rows, "EP", "primary", range);
    expect(report?.requests).toBe(22);
    expect(report?.status["2xx"]).toBe(22);
    expect(report?.series.map((s) => [s.minute - m, s.requests])).toEqual([
      [0, 15],
      [2, 7],
    ]);
    expect(armReport(rows, "ES", "staging", range)?.requests).toBe(2);
    expect(armReport(rows, "ES", "primary", range)).toBeNull();
    expect(armReport(rows, "EX", "staging", range)).toBeNull();
  });

  it("keeps an arm whose only figure is dropped requests", () => {
    const r = row(m, "EP", "primary", 0);
    r.dropped = 4;
    expect(armReport([r], "EP", "primary", range)?.dropped).toBe(4);
  });

  it("derives the error rate (5xx / requests) and latency percentiles", () => {
    const c = emptyCounters();
    c.requests = 8;
    c.status = [0, 5, 0, 1, 2];
    expect(summarise(c).errorRate).toBe(0.25);
    expect(summarise(c).latencyMs).toBeNull();
    expect(summarise(emptyCounters()).errorRate).toBe(0);
    const timed = row(
      m,
      "EP",
      "primary",
      100,
      Array.from({ length: 100 }, (_, i) => i + 1),
    );
    const latency = summarise(timed).latencyMs;
    expect(latency?.p50).toBeGreaterThanOrEqual(50 * 0.8);
    expect(latency?.p50).toBeLessThanOrEqual(50 * 1.2);
    expect(latency?.p99).toBeGreaterThanOrEqual(99 * 0.8);
    expect(latency?.p99).toBeLessThanOrEqual(99 * 1.2);
  });

  it("spans at least the window and less than a minute more, at any second of the minute", () => {
    for (let second = 0; second < 60; second += 7) {
      const now = at(10, 5, second);
      const w = windowOf(now, 300);
      const covered = now - w.fromMinute * MINUTE_MS;
      expect(covered).toBeGreaterThanOrEqual(300_000);
      expect(covered).toBeLessThan(360_000);
      expect(w.toMinute).toBe(minuteOf(now));
    }
  });
});
