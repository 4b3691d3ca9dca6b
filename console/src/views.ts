/**
 * The signed-in view's parts, built from plain data as DOM nodes (text only, never HTML from the API). Buttons
 * carry `data-action` and the app handles them by delegation, reading the state current at the click, so a
 * re-render never leaves a button bound to an old ETag. `data-key` lets dom.update() give the focus back.
 */
import { type Child, h, timeEl } from "./dom.js";
import type { Analysis, History, Rollout } from "./extensions.js";
import {
  ARMS,
  type Arm,
  type ArmTotals,
  describeTraffic,
  fixed,
  type MetricsReport,
  ms,
  pct,
  percent,
  type Site,
  siteName,
  totals,
} from "./model.js";

const badge = (on: boolean, yes = "enabled", no = "disabled") =>
  h("span", { class: `badge ${on ? "on" : "off"}` }, on ? yes : no);

function row(term: string, ...value: Child[]): Child[] {
  return [h("dt", {}, term), h("dd", {}, ...value)];
}

/** A primary's card; `rollout` (the selected site's) shows the weight the edge really uses while one drives it. */
export function siteCard(site: Site, selected: boolean, rollout: Rollout | null): HTMLLIElement {
  const { primary, staging, policy } = site;
  const t = policy?.traffic;
  const rows: Child[] = [
    ...row("Primary", `${primary.id} `, badge(primary.enabled), ` ${primary.status}`),
    ...(staging === null
      ? row("Staging", "none")
      : [...row("Staging", `${staging.id} `, badge(staging.enabled)), ...row("Staging domain", staging.domainName)]),
  ];
  if (policy === null || t === undefined) rows.push(...row("Policy", "none: every viewer is served by the primary"));
  else {
    rows.push(...row("Policy", badge(policy.enabled), ` ${t.type}`));
    if (t.type === "SingleHeader") rows.push(...row("Header", `${t.header}: ${t.value}`));
    else {
      const edge = rollout?.weightSource === "rollout" ? rollout.effectiveWeight : null;
      rows.push(...row("Weight", percent(t.weight), edge === null ? "" : ` (${percent(edge)} at the edge: rollout)`));
      rows.push(
        ...row(
          "Stickiness",
          t.stickiness === null ? "none" : `idle ${t.stickiness.idleTTL} s, at most ${t.stickiness.maximumTTL} s`,
        ),
      );
    }
  }
  const aliases = primary.aliases.length > 1 ? ` (also ${primary.aliases.slice(1).join(", ")})` : "";
  return h(
    "li",
    { class: "site", "data-site": primary.id },
    h(
      "h3",
      {},
      h(
        "a",
        { href: `#${primary.id}`, "aria-current": selected ? "page" : null, "data-key": `site-${primary.id}` },
        siteName(site),
      ),
      aliases,
    ),
    h("dl", {}, ...rows),
  );
}

export function siteSummary(site: Site): string {
  const { policy, staging } = site;
  if (policy === null) return "No continuous deployment policy is attached: every viewer is served by the primary.";
  const state = policy.enabled ? "enabled" : "disabled (every viewer to primary)";
  const where = staging === null ? "a staging distribution this account does not have" : `staging ${staging.id}`;
  return `Policy ${policy.id}, ${state}: ${describeTraffic(policy.traffic)} go to ${where}.`;
}

const METRIC_ROWS: { key: keyof ArmTotals; label: string; format: (t: ArmTotals) => string }[] = [
  { key: "requests", label: "Requests", format: (t) => String(t.requests) },
  { key: "requestsPerSecond", label: "Requests/s", format: (t) => fixed(t.requestsPerSecond, 2) },
  { key: "errorRate", label: "5xx rate", format: (t) => pct(t.errorRate) },
  { key: "p50", label: "Latency p50", format: (t) => ms(t.p50) },
  { key: "p99", label: "Latency p99", format: (t) => ms(t.p99) },
  { key: "cacheHitRatio", label: "Cache hit ratio", format: (t) => pct(t.cacheHitRatio) },
];

const minutes = (s: number) => (s % 3600 === 0 ? `${s / 3600} h` : `${Math.round(s / 60)} min`);

export function totalsTable(r: MetricsReport, nowMs: number): Child[] {
  const t: Record<Arm, ArmTotals> = { primary: totals(r, "primary", nowMs), staging: totals(r, "staging", nowMs) };
  const ids: Record<Arm, string> = { primary: r.distributionId, staging: r.stagingDistributionId ?? "none" };
  return [
    h("caption", {}, `Last ${minutes(r.window.seconds)}; counts arrive within ${r.flushIntervalSeconds} s`),
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        h("th", { scope: "col" }, "Figure"),
        ...ARMS.map((arm) =>
          h(
            "th",
            { scope: "col", class: `arm-${arm} num` },
            arm === "primary" ? "Primary" : "Staging",
            h("br"),
            h("span", { class: "id" }, ids[arm]),
          ),
        ),
      ),
    ),
    h(
      "tbody",
      {},
      ...METRIC_ROWS.map((m) =>
        h(
          "tr",
          { "data-metric": m.key },
          h("th", { scope: "row" }, m.label),
          ...ARMS.map((arm) => h("td", { class: "num", "data-arm": arm }, m.format(t[arm]))),
        ),
      ),
    ),
  ];
}

const stepText = (s: Rollout["steps"][number]) =>
  `${percent(s.weight)} ${s.approval === true ? "until approved" : `for ${s.pauseSeconds ?? 0} s`}`;

const LIVE = new Set(["progressing", "paused", "awaiting-approval"]);
export const isLive = (r: Rollout | null): boolean => r !== null && LIVE.has(r.state);

export function rolloutStatus(r: Rollout | null): Child[] {
  if (r === null) return [h("p", {}, "No rollout has run for this distribution.")];
  const step = r.currentStep;
  const facts = [
    step === null ? null : `step ${step.number} of ${r.stepCount}`,
    r.effectiveWeight === null ? null : `weight at the edge ${percent(r.effectiveWeight)} (${r.weightSource})`,
    `failed analyses ${r.failures} of ${r.analysis.failureLimit}`,
    `then ${r.onSuccess}`,
  ].filter((x): x is string => x !== null);
  const current = step?.index ?? -1;
  return [
    h(
      "p",
      { id: "rollout-state" },
      "State: ",
      h("strong", {}, r.state),
      r.holding ? " (holding)" : "",
      ` · ${facts.join(" · ")}`,
    ),
    r.nextTransitionAt === null ? null : h("p", { class: "muted" }, "Next step: ", timeEl(r.nextTransitionAt)),
    h("p", { class: "muted" }, r.edge),
    r.abort === null
      ? null
      : h(
          "p",
          { class: "error" },
          `Aborted by ${r.abort.by}: ${r.abort.reason}`,
          r.abort.policyDisabled ? " The policy was switched off." : "",
        ),
    h(
      "ol",
      { class: "steps", "aria-label": "Steps" },
      ...r.steps.map((s, i) => h("li", { "aria-current": i === current && isLive(r) ? "step" : null }, stepText(s))),
    ),
  ];
}

const arm = (a: Analysis["primary"]) => `${a.requests} req, 5xx ${pct(a.errorRate)}, p99 ${ms(a.p99Ms)}`;

export function analysesTable(r: Rollout | null): Child[] {
  const list = (r?.analyses ?? []).slice(-10).reverse();
  if (list.length === 0) return [];
  return [
    h(
      "div",
      { class: "scroll" },
      h(
        "table",
        { id: "analyses-table" },
        h("caption", {}, "Latest analyses, staging against primary"),
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            ...["At", "Step", "Verdict", "Primary", "Staging", "Why"].map((c) => h("th", { scope: "col" }, c)),
          ),
        ),
        h(
          "tbody",
          {},
          ...list.map((a) =>
            h(
              "tr",
              {},
              h("td", {}, timeEl(a.at)),
              h("td", {}, `${a.step} (${percent(a.weight)})`),
              h("td", { class: `verdict-${a.verdict}` }, a.verdict),
              h("td", {}, arm(a.primary)),
              h("td", {}, arm(a.staging)),
              h("td", {}, a.reasons.join("; ")),
            ),
          ),
        ),
      ),
    ),
  ];
}

const madeBy = (v: History["versions"][number]) =>
  v.madeBy === "api"
    ? (v.operation ?? "API")
    : v.madeBy === "restore"
      ? `restore of version ${v.restoredFrom ?? "?"}`
      : v.madeBy === "promote"
        ? `promote of ${v.stagingDistributionId ?? "staging"}`
        : v.madeBy;

export function historyTable(hist: History | null): Child[] {
  if (hist === null) return [h("p", { class: "muted" }, "No history is available.")];
  const versions = hist.versions.slice(0, 15);
  return [
    h(
      "table",
      { id: "history-table" },
      h("caption", {}, `The last ${versions.length} of up to ${hist.kept} versions kept; a restore is a new version`),
      h(
        "thead",
        {},
        h("tr", {}, ...["Version", "When", "Made by", "ETag", ""].map((c) => h("th", { scope: "col" }, c))),
      ),
      h(
        "tbody",
        {},
        ...versions.map((v) =>
          h(
            "tr",
            {},
            h("td", {}, String(v.version)),
            h("td", {}, timeEl(v.at, true)),
            h("td", {}, madeBy(v)),
            h("td", {}, h("code", {}, v.etag)),
            h(
              "td",
              {},
              v.current
                ? "current"
                : h(
                    "button",
                    {
                      type: "button",
                      "data-action": "restore",
                      "data-version": v.version,
                      "data-key": `restore-${v.version}`,
                    },
                    `Restore version ${v.version}`,
                  ),
            ),
          ),
        ),
      ),
    ),
  ];
}

interface Event {
  at: string;
  text: string;
}

/** Rollout events and config versions together, newest first. */
export function eventsList(r: Rollout | null, hist: History | null, max = 20): Child[] {
  const events: Event[] = [
    ...(r?.events ?? []).map((e) => ({ at: e.at, text: `Rollout ${e.type}: ${e.message}` })),
    ...(hist?.versions ?? []).map((v) => ({ at: v.at, text: `Config version ${v.version}: ${madeBy(v)}` })),
  ];
  events.sort((a, b) => b.at.localeCompare(a.at));
  if (events.length === 0)
    return [h("li", { class: "muted" }, "Nothing yet: rollout events and config changes show here.")];
  return events.slice(0, max).map((e) => h("li", {}, timeEl(e.at), ` ${e.text}`));
}
