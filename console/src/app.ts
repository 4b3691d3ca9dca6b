/**
 * The signed-in view: every primary with its policy and staging distribution, and for the selected one (the URL's
 * #<id>, else the first with a policy) its per-arm metrics and charts, rollout, config history, preview links and
 * recent events, refreshed every few seconds. Actions ask the API and refresh at once; destructive ones ask for
 * confirmation first. Promote and restore send If-Match with the ETags the view showed, and rollout actions the id of
 * the rollout it showed, so a change made meanwhile by someone else fails with PreconditionFailed instead of being
 * overwritten.
 */
import { type Api, ApiError, accessDeniedText } from "./api.js";
import { Charts } from "./charts.js";
import { getDistribution, listDistributions, listPolicies, promote } from "./cloudfront.js";
import { confirmAction } from "./confirm.js";
import { byId, h, timeEl, update } from "./dom.js";
import {
  getRollout,
  type History,
  history,
  metrics,
  previewLink,
  type Rollout,
  type RolloutAction,
  restore,
  rolloutAction,
  startRollout,
} from "./extensions.js";
import { chartData, type MetricsReport, type Site, siteName, sitesOf } from "./model.js";
import { parseSteps } from "./steps.js";
import {
  analysesTable,
  eventsList,
  historyTable,
  isLive,
  rolloutStatus,
  siteCard,
  siteSummary,
  totalsTable,
} from "./views.js";

const REFRESH_MS = 5000;

/** What the selected site's extension calls answered; null where the worker has no such data (yet). */
interface Detail {
  metrics: MetricsReport | null;
  rollout: Rollout | null;
  history: History | null;
}

/** An extension the worker does not serve (an older deployment) answers NotFound: show nothing rather than fail. */
async function optional<T>(p: Promise<T>): Promise<T | null> {
  try {
    return await p;
  } catch (e) {
    if (e instanceof ApiError && e.code === "NotFound") return null;
    throw e;
  }
}

/** `changed`: what PreconditionFailed means someone changed meanwhile. */
function messageOf(e: unknown, changed = "Someone changed this distribution meanwhile"): string {
  if (!(e instanceof ApiError)) return e instanceof Error ? e.message : String(e);
  if (e.code === "PreconditionFailed") {
    return `${changed} (PreconditionFailed): the view is refreshed; check it and try again.`;
  }
  return `${e.code}: ${e.message}`;
}

export class App {
  private readonly events = new AbortController();
  private readonly charts: Charts;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running: Promise<void> | null = null;
  private stopped = false;
  private sites: Site[] = [];
  private site: Site | null = null;
  private detail: Detail = { metrics: null, rollout: null, history: null };

  constructor(
    private readonly api: Api,
    private readonly signOut: (message: string) => void,
  ) {
    const chartsRoot = byId("charts");
    chartsRoot.replaceChildren();
    this.charts = new Charts(chartsRoot);
    const signal = this.events.signal;
    window.addEventListener("hashchange", () => void this.refreshNow(), { signal });
    // A tab in the background asks nothing; it catches up when shown again.
    document.addEventListener("visibilitychange", () => !document.hidden && void this.refreshNow(), { signal });
    byId("window").addEventListener("change", () => void this.refreshNow(), { signal });
    byId("detail").addEventListener("click", (e) => void this.onClick(e), { signal });
    byId("rollout-form").addEventListener("submit", (e) => void this.onStartRollout(e), { signal });
    byId("preview-form").addEventListener("submit", (e) => void this.onPreview(e), { signal });
  }

  start(): void {
    void this.refreshNow();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.events.abort();
    this.charts.destroy();
  }

  /** Refreshes now (after the refresh in flight, if any), then every REFRESH_MS. */
  private async refreshNow(): Promise<void> {
    clearTimeout(this.timer);
    if (this.running !== null) await this.running;
    if (this.stopped) return;
    this.running = this.refresh();
    await this.running;
    this.running = null;
    if (!this.stopped) {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => !document.hidden && void this.refreshNow(), REFRESH_MS);
    }
  }

  private async refresh(): Promise<void> {
    const error = byId("refresh-error");
    try {
      await this.load();
      error.hidden = true;
      error.textContent = "";
      byId("updated").textContent = `Updated ${new Date().toLocaleTimeString()}`;
    } catch (e) {
      if (e instanceof ApiError && e.code === "AccessDenied") {
        this.stop();
        this.signOut(`Signed out: the API refused the keys. ${accessDeniedText(e)}`);
        return;
      }
      const text = `Could not refresh: ${messageOf(e)}`;
      // Unchanged text is not announced again every few seconds.
      if (error.textContent !== text) error.textContent = text;
      error.hidden = false;
    }
  }

  private async load(): Promise<void> {
    const [all, policies] = await Promise.all([listDistributions(this.api), listPolicies(this.api)]);
    const primaries = await Promise.all(all.filter((d) => !d.staging).map((d) => getDistribution(this.api, d.id)));
    this.sites = sitesOf(primaries, policies, all);
    const wanted = location.hash.slice(1);
    const previous = this.site?.primary.id;
    this.site =
      this.sites.find((s) => s.primary.id === wanted) ??
      this.sites.find((s) => s.policy !== null) ??
      this.sites[0] ??
      null;
    if (this.site?.primary.id !== previous) {
      // What was made or typed for another site does not stay beside this one.
      byId("preview-result").replaceChildren();
      byId("rollout-error").textContent = "";
      this.detail = { metrics: null, rollout: null, history: null };
    }
    if (this.site !== null) {
      const id = this.site.primary.id;
      const windowSeconds = Number(byId<HTMLSelectElement>("window").value);
      const [m, r, hist] = await Promise.all([
        optional(metrics(this.api, id, windowSeconds)),
        optional(getRollout(this.api, id)),
        optional(history(this.api, id)),
      ]);
      this.detail = { metrics: m, rollout: r, history: hist };
    }
    this.render();
  }

  private render(): void {
    const selected = this.site;
    update(
      byId("sites"),
      this.sites.length === 0
        ? [h("li", { class: "muted" }, "No distributions yet: create one through the CloudFront API.")]
        : this.sites.map((s) => siteCard(s, s === selected, s === selected ? this.detail.rollout : null)),
    );
    const detail = byId("detail");
    detail.hidden = selected === null;
    if (selected === null) return;
    const { metrics: m, rollout: r, history: hist } = this.detail;
    byId("detail-title").textContent = `${siteName(selected)}: primary ${selected.primary.id}`;
    byId("detail-summary").textContent = siteSummary(selected);

    const now = Date.now();
    update(byId("totals"), m === null ? [h("caption", {}, "No metrics on this worker.")] : totalsTable(m, now));
    if (m !== null) this.charts.update(chartData(m, now));

    update(byId("rollout"), rolloutStatus(r));
    update(byId("analyses"), analysesTable(r));
    this.enableActions(selected, r);
    update(byId("history"), historyTable(hist));
    update(byId("events"), eventsList(r, hist));
  }

  private enableActions(site: Site, r: Rollout | null): void {
    const state = r?.state;
    const allowed: Record<string, boolean> = {
      approve: state === "awaiting-approval",
      pause: state === "progressing" || state === "awaiting-approval",
      resume: state === "paused",
      abort: isLive(r) || (r?.holding ?? false),
      promote: site.policy !== null && site.staging !== null,
    };
    for (const button of byId("detail").querySelectorAll<HTMLButtonElement>(".toolbar button[data-action]")) {
      button.disabled = !(allowed[button.dataset.action ?? ""] ?? false);
    }
    const why = isLive(r)
      ? "A rollout is under way: abort it, or let it end, before starting another."
      : site.policy?.traffic.type !== "SingleWeight" || !site.policy.enabled || site.staging?.enabled !== true
        ? "A rollout needs an attached, enabled SingleWeight policy whose staging distribution is enabled."
        : "";
    byId("rollout-start-note").textContent = why;
    const submit = byId("rollout-form").querySelector<HTMLButtonElement>("button[type=submit]");
    if (submit !== null) submit.disabled = why !== "";
  }

  /** Runs an action, announcing what happened in the status line (or the error), then refreshes. */
  private async act(doing: string, done: string, fn: () => Promise<unknown>, changed?: string): Promise<void> {
    const status = byId("action-status");
    status.className = "status";
    status.textContent = `${doing}…`;
    try {
      await fn();
      status.textContent = done;
    } catch (e) {
      status.className = "status error";
      status.textContent = `${doing} failed: ${messageOf(e, changed)}`;
    }
    await this.refreshNow();
  }

  private async onClick(e: Event): Promise<void> {
    const target = e.target instanceof Element ? e.target.closest<HTMLButtonElement>("button[data-action]") : null;
    const site = this.site;
    if (target === null || site === null) return;
    const id = site.primary.id;
    // The rollout as shown when clicked: refreshes while the dialog is open do not change what is acted on.
    const shown = this.detail.rollout;
    const action = target.dataset.action;
    switch (action) {
      case "approve":
      case "pause":
      case "resume":
        await this.rolloutAction(id, action, shown);
        return;
      case "abort":
        if (
          await confirmAction(
            "Abort the rollout?",
            `The rollout of ${siteName(site)} ends and its policy is switched off: every viewer goes back to the primary (sticky sessions end).`,
            "Abort rollout",
          )
        ) {
          await this.rolloutAction(id, "abort", shown);
        }
        return;
      case "promote":
        await this.onPromote(site);
        return;
      case "restore":
        await this.onRestore(site, Number(target.dataset.version));
        return;
      default:
        return;
    }
  }

  private async rolloutAction(id: string, action: RolloutAction, shown: Rollout | null): Promise<void> {
    if (shown === null) return;
    const words: Record<RolloutAction, [string, string]> = {
      approve: ["Approving the next step", "Approved: the rollout goes on to its next step."],
      pause: ["Pausing the rollout", "Paused: the step clock stops; analyses go on."],
      resume: ["Resuming the rollout", "Resumed."],
      abort: ["Aborting the rollout", "Aborted: the policy is off, and viewers are back on the primary."],
    };
    const [doing, done] = words[action];
    await this.act(
      doing,
      done,
      () => rolloutAction(this.api, id, action, shown.id),
      "Another rollout has replaced the one shown",
    );
  }

  private async onPromote(site: Site): Promise<void> {
    const { primary, staging } = site;
    if (staging === null) return;
    const ok = await confirmAction(
      "Promote staging?",
      `The config of staging ${staging.id} becomes the config of primary ${primary.id} (${siteName(site)}), and the policy is switched off: every viewer then gets what staging served.`,
      "Promote staging",
    );
    if (!ok) return;
    await this.act("Promoting staging", `Promoted: ${primary.id} now has staging's config.`, () =>
      promote(this.api, primary, staging),
    );
  }

  private async onRestore(site: Site, version: number): Promise<void> {
    const current = this.detail.history;
    if (current === null || !Number.isInteger(version)) return;
    const ok = await confirmAction(
      `Restore version ${version}?`,
      `The config of ${siteName(site)} (${site.primary.id}) becomes what it was at version ${version}, as a new version. Viewers get it within seconds.`,
      `Restore version ${version}`,
    );
    if (!ok) return;
    await this.act(`Restoring version ${version}`, `Restored version ${version} as a new version.`, () =>
      restore(this.api, site.primary.id, version, current.etag),
    );
  }

  private async onStartRollout(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const site = this.site;
    if (site === null) return;
    const stepsInput = byId<HTMLInputElement>("rollout-steps");
    const error = byId("rollout-error");
    const parsed = parseSteps(stepsInput.value);
    stepsInput.setAttribute("aria-invalid", String(!parsed.ok));
    if (!parsed.ok) {
      error.textContent = parsed.message;
      stepsInput.focus();
      return;
    }
    error.textContent = "";
    const num = (id: string) => Number(byId<HTMLInputElement>(id).value);
    const onSuccess = byId<HTMLSelectElement>("rollout-on-success").value === "promote" ? "promote" : "hold";
    await this.act("Starting the rollout", "Rollout started.", async () => {
      // Closed once started: the status above shows the rollout.
      byId<HTMLDetailsElement>("rollout-start").open = false;
      try {
        await startRollout(this.api, site.primary.id, {
          steps: parsed.steps,
          onSuccess,
          analysis: {
            intervalSeconds: num("rollout-interval"),
            minRequests: num("rollout-min-requests"),
            failureLimit: num("rollout-failure-limit"),
          },
        });
      } catch (err) {
        error.textContent = messageOf(err);
        throw err;
      }
    });
  }

  private async onPreview(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const site = this.site;
    if (site === null) return;
    const result = byId("preview-result");
    const arm = byId<HTMLSelectElement>("preview-arm").value === "primary" ? "primary" : "staging";
    const path = byId<HTMLInputElement>("preview-path").value.trim() || "/";
    const expiresInSeconds = Number(byId<HTMLSelectElement>("preview-expires").value);
    try {
      const link = await previewLink(this.api, site.primary.id, { arm, path, expiresInSeconds });
      const input = h("input", { id: "preview-url", readonly: true, value: link.url, "aria-label": "Preview URL" });
      const copy = h("button", { type: "button" }, "Copy");
      copy.addEventListener("click", () => {
        input.select();
        void navigator.clipboard?.writeText(link.url).then(() => {
          copy.textContent = "Copied";
        });
      });
      result.replaceChildren(
        h("div", { class: "preview-url" }, input, copy),
        h(
          "p",
          { class: "muted" },
          `Opens ${siteName(site)} on ${arm} until `,
          timeEl(link.expiresAt, true),
          "; usable from ",
          timeEl(link.activeAt),
          ". Whoever has it can use it: share it like a password.",
        ),
      );
      input.focus();
    } catch (err) {
      result.replaceChildren(h("p", { class: "error", role: "alert" }, `No link: ${messageOf(err)}`));
    }
  }
}
