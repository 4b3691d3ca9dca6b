/**
 * The console in a real browser (headless Chromium, helpers/browser.ts) against the real `npm start`: sign-in with
 * the local keys (by keyboard) and with wrong ones, both demo arms' counts growing as this test sends traffic,
 * a preview link, a promote, a rollout started, paused, resumed, approved and aborted from the page (the policy
 * switched off, viewers back on primary), and a restore from the config history. Promote, restore and the rollout's
 * actions are checked to send If-Match with the ETags (the rollout's id) the page showed; destructive actions to
 * ask first, by keyboard too. Every control has an accessible name, and the page fits 1280 and 390 px wide.
 * Screenshots go to a temporary directory, or to docs/ with SPLITFRONT_SCREENSHOTS=docs (`npm run screenshots`),
 * which is how docs/console*.png are made.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Browser, launchBrowser } from "./helpers/browser.js";
import { type NpmStart, npmStart, repoRoot } from "./helpers/npm-start.js";

const shotsDir =
  process.env.SPLITFRONT_SCREENSHOTS === "docs" ? join(repoRoot, "docs") : mkdtempSync(join(tmpdir(), "sf-shots-"));

async function screenshot(page: Page, name: string): Promise<void> {
  const path = join(shotsDir, name);
  await page.screenshot({ path, fullPage: true });
  expect(readFileSync(path).subarray(1, 4).toString()).toBe("PNG");
  expect(statSync(path).size).toBeGreaterThan(10_000);
}

interface Viewer {
  status: number;
  servedBy: string;
  location: string;
  cookie: string;
}

/** A viewer request to the edge for `host` (fetch() cannot set Host, and *.localhost need not resolve here). */
function viewer(port: number, host: string, path = "/", cookie = ""): Promise<Viewer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { host: `${host}:${port}` };
    if (cookie !== "") headers.cookie = cookie;
    const req = request({ host: "127.0.0.1", port, path, headers }, (res) => {
      res.resume();
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          servedBy: String(res.headers["x-splitfront-served-by"] ?? ""),
          location: String(res.headers.location ?? ""),
          cookie: (res.headers["set-cookie"] ?? []).map((c) => c.split(";")[0]).join("; "),
        }),
      );
    });
    req.on("error", reject).end();
  });
}

let run: NpmStart;
let browser: Browser;
let page: Page;
let base: string;
/** The rollout the tests start from the page (its id is its ETag). */
let rolloutId = "";
const pageErrors: string[] = [];

beforeAll(async () => {
  // The browser first: a missing chromium fails here, at once, saying how to install it.
  browser = await launchBrowser();
  run = await npmStart();
  await run.waitFor("Ctrl-C");
  base = `http://127.0.0.1:${run.ports.port}`;
  page = await browser.context.newPage();
  page.on("pageerror", (e) => pageErrors.push(e.message));
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await run?.cleanup();
  if (process.env.SPLITFRONT_SCREENSHOTS !== "docs") rmSync(shotsDir, { recursive: true, force: true });
});

const cell = (metric: string, arm: string) => page.locator(`#totals tr[data-metric="${metric}"] td[data-arm="${arm}"]`);
const siteCard = (name: string) => page.locator("li.site", { has: page.getByRole("link", { name, exact: true }) });
/** What a site's card says of its policy: "enabled SingleWeight", "disabled SingleHeader", "none: …". */
const policyShown = async (name: string) =>
  (await siteCard(name).locator("dt:text-is('Policy') + dd").textContent()) ?? "";
const requestsShown = async () => ({
  primary: Number(await cell("requests", "primary").textContent()),
  staging: Number(await cell("requests", "staging").textContent()),
});

async function select(name: string): Promise<void> {
  await page.getByRole("link", { name, exact: true }).click();
  await page.getByRole("heading", { level: 2, name: new RegExp(`^${name.replace(".", "\\.")}: primary`) }).waitFor();
}

/**
 * What keeps the page from being readable at `width` px: elements reaching past the right edge (other than inside
 * a box that scrolls or clips on its own, like the tables'), text smaller than 12 px, and a page wider than the
 * screen. Empty when it reads well.
 */
async function unreadableAt(width: number): Promise<string[]> {
  await page.setViewportSize({ width, height: width > 800 ? 900 : 844 });
  await page.waitForTimeout(300);
  return page.evaluate((w) => {
    const problems: string[] = [];
    if (document.documentElement.scrollWidth > w) problems.push(`page ${document.documentElement.scrollWidth} px wide`);
    const clipped = (el: Element): boolean => {
      for (let p = el.parentElement; p !== null && p !== document.body; p = p.parentElement) {
        if (getComputedStyle(p).overflowX !== "visible") return true;
      }
      return false;
    };
    const name = (el: Element) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""}.${el.className}`;
    for (const el of Array.from(document.querySelectorAll("body *"))) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0 || el.closest("[hidden], dialog:not([open])") !== null) continue;
      if (r.right > w + 0.5 && !clipped(el)) problems.push(`${name(el)} reaches ${Math.round(r.right)} px`);
      const hasText = Array.from(el.childNodes).some(
        (n: Node) => n.nodeType === 3 && (n.textContent ?? "").trim() !== "",
      );
      const size = Number.parseFloat(getComputedStyle(el).fontSize);
      if (hasText && size < 12) problems.push(`${name(el)} text at ${size} px`);
    }
    return problems;
  }, width);
}

/** The page's visible form controls and buttons without an accessible name (a label, aria-label(ledby) or text). */
function unlabelled(): Promise<string[]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll("input, select, textarea, button"))
      .filter((el) => el.closest("[hidden], dialog:not([open])") === null && (el as HTMLInputElement).type !== "hidden")
      .filter((el) => {
        const labels = (el as HTMLInputElement).labels;
        const text =
          el.getAttribute("aria-label") ??
          el.getAttribute("aria-labelledby") ??
          (labels !== null && labels.length > 0 ? labels[0]?.textContent : null) ??
          (el.tagName === "BUTTON" ? el.textContent : null) ??
          "";
        return text.trim() === "";
      })
      .map((el) => el.outerHTML.slice(0, 120)),
  );
}

/** The next request to the rollout action `action`'s endpoint. */
const rolloutRequest = (action: string) => page.waitForRequest((r) => r.url().endsWith(`/rollout/${action}`));

/** Clicks the page's button, then the confirmation dialog's button of the same name. */
async function confirmed(name: string): Promise<void> {
  await page.locator("#detail").getByRole("button", { name, exact: true }).click();
  const dialog = page.getByRole("dialog");
  await dialog.waitFor();
  // Cancel has the focus: Enter alone never confirms.
  expect(await page.evaluate(() => document.activeElement?.id)).toBe("confirm-cancel");
  await dialog.getByRole("button", { name, exact: true }).click();
}

describe("console", () => {
  it("is where npm start and the landing page say", async () => {
    expect(run.output()).toContain(`${base}/_cd/console/`);
    const landing = await (await fetch(`${base}/`)).text();
    expect(landing).toContain(`<a href="${base}/_cd/console/">`);
  });

  it("tells a wrong secret, and an unknown access key, apart in a clear message", async () => {
    await page.goto(`${base}/_cd/console/`);
    expect(await unlabelled()).toEqual([]);
    await page.getByLabel("Access key ID", { exact: true }).fill("test");
    await page.getByLabel("Secret access key", { exact: true }).fill("not-the-secret");
    await page.getByRole("button", { name: "Sign in" }).click();
    const alert = page.getByRole("alert").filter({ hasText: "Wrong secret access key" });
    await alert.waitFor();
    expect(await page.getByLabel("Secret access key", { exact: true }).getAttribute("aria-invalid")).toBe("true");
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    await screenshot(page, "console-sign-in.png");

    await page.getByLabel("Access key ID", { exact: true }).fill("AKIDNOBODY");
    await page.getByLabel("Secret access key", { exact: true }).fill("whatever");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("alert").filter({ hasText: "Unknown access key ID" }).waitFor();
  });

  it("signs in with the local keys by keyboard, keeps them in this tab only, and lists every primary", async () => {
    await page.goto(`${base}/_cd/console/`);
    await page.getByLabel("Access key ID", { exact: true }).focus();
    await page.keyboard.press("ControlOrMeta+a");
    await page.keyboard.type("test");
    await page.keyboard.press("Tab");
    await page.keyboard.type("test");
    await page.keyboard.press("Enter");
    await page.getByText("Signed in as test").waitFor();
    const stored = await page.evaluate(() => ({
      session: sessionStorage.getItem("splitfront.console.credentials"),
      local: localStorage.length,
      cookie: document.cookie,
    }));
    expect(JSON.parse(stored.session ?? "null")).toEqual({ accessKeyId: "test", secretAccessKey: "test" });
    expect(stored).toMatchObject({ local: 0, cookie: "" });

    const sticky = siteCard("localhost");
    await sticky.waitFor();
    const stickyText = (await sticky.textContent()) ?? "";
    expect(stickyText).toMatch(/Staging\s*E[A-Z0-9]{13}/);
    expect(stickyText).toContain("SingleWeight");
    expect(stickyText).toContain("10 %");
    expect(stickyText).toContain("idle 300 s, at most 600 s");
    expect(stickyText).toContain("enabled");
    const headerText = (await siteCard("header.localhost").textContent()) ?? "";
    expect(headerText).toContain("SingleHeader");
    expect(headerText).toContain("aws-cf-cd-demo: staging");
    await page.getByText("Start a rollout").click();
    expect(await unlabelled()).toEqual([]);
    await page.getByText("Start a rollout").click();
  });

  it("shows both demo arms' counts grow as traffic flows, as figures and charts", async () => {
    await select("localhost");
    await cell("requests", "primary").waitFor();
    const before = await requestsShown();
    // New sessions (no cookie) until both arms have served some: 10 % of them land on staging.
    const sent = { primary: 0, staging: 0 };
    for (let i = 0; i < 2000 && (sent.primary < 20 || sent.staging < 5); i++) {
      const r = await viewer(run.ports.port, "localhost");
      expect(r.status).toBe(200);
      if (r.servedBy === "primary" || r.servedBy === "staging") sent[r.servedBy]++;
    }
    expect(sent.staging).toBeGreaterThanOrEqual(5);
    // Counts reach the store within METRICS_FLUSH_S (10 s); the page refreshes every 5 s.
    await expect
      .poll(requestsShown, { timeout: 45_000, interval: 1000 })
      .toEqual({ primary: before.primary + sent.primary, staging: before.staging + sent.staging });
    expect(await cell("requestsPerSecond", "staging").textContent()).not.toBe("0.00");
    expect(await cell("p50", "primary").textContent()).toMatch(/ms$/);
    expect(await page.locator("#chart-requestsPerSecond-text").textContent()).toMatch(
      /primary \d+(\.\d+)?\/s, staging \d+(\.\d+)?\/s/,
    );
    expect(await page.locator("#charts canvas").count()).toBe(4);
    await screenshot(page, "console.png");

    // Readable at 1280 and 390 px: nothing wider than the screen but the tables' own scrolling boxes.
    expect(await unreadableAt(1280)).toEqual([]);
    expect(await unreadableAt(390)).toEqual([]);
    // The arms' figures side by side without scrolling: the comparison is what the page is for.
    expect(await page.locator("#totals").evaluate((t) => t.getBoundingClientRect().right)).toBeLessThanOrEqual(390);
    await screenshot(page, "console-narrow.png");
    await page.setViewportSize({ width: 1280, height: 900 });
  }, 120_000);

  it("makes a preview link that pins its opener to staging", async () => {
    await select("header.localhost");
    await page.getByLabel("Arm", { exact: true }).selectOption("staging");
    await page.getByRole("button", { name: "Make link" }).click();
    const url = new URL(await page.getByLabel("Preview URL", { exact: true }).inputValue());
    expect(url.hostname).toBe("header.localhost");
    expect(url.searchParams.get("sf-preview")).toMatch(/^pt1\./);
    // The first link of a primary works everywhere within the propagation bound (5 s under npm start).
    await expect
      .poll(
        async () => {
          const open = await viewer(run.ports.port, "header.localhost", `${url.pathname}${url.search}`);
          if (open.status !== 302) return `status ${open.status}`;
          return (await viewer(run.ports.port, "header.localhost", "/", open.cookie)).servedBy;
        },
        { timeout: 20_000, interval: 1000 },
      )
      .toBe("staging");
  }, 60_000);

  it("promotes staging with the If-Match of both distributions, and the policy goes off", async () => {
    await select("header.localhost");
    const sent = page.waitForRequest((r) => r.url().includes("/promote-staging-config"));
    await confirmed("Promote staging");
    const ifMatch = (await sent).headers()["if-match"] ?? "";
    expect(ifMatch).toMatch(/^E[A-Z0-9]{13}, E[A-Z0-9]{13}$/);
    await page.getByRole("status").filter({ hasText: "Promoted" }).waitFor();
    await expect.poll(() => policyShown("header.localhost"), { timeout: 15_000 }).toMatch(/^disabled/);
  }, 60_000);

  it("starts a rollout, pauses, resumes and approves it, each with If-Match: the rollout's id", async () => {
    await select("localhost");
    await page.getByText("Start a rollout").click();
    await page.getByLabel("Steps", { exact: true }).fill("15% approval, 15% 10m");
    const started = page.waitForResponse((r) => r.url().endsWith("/rollout") && r.request().method() === "PUT");
    await page.getByRole("button", { name: "Start rollout" }).click();
    rolloutId = ((await (await started).json()) as { id: string }).id;
    await page.locator("#rollout-state").filter({ hasText: "awaiting-approval" }).waitFor();

    const act = async (button: string, action: string, state: string) => {
      const sent = rolloutRequest(action);
      await page.locator("#detail").getByRole("button", { name: button, exact: true }).click();
      expect((await sent).headers()["if-match"]).toBe(rolloutId);
      await page.locator("#rollout-state").filter({ hasText: state }).waitFor();
    };
    await act("Pause", "pause", "paused");
    expect(await page.getByRole("button", { name: "Approve next step" }).isDisabled()).toBe(true);
    await act("Resume", "resume", "awaiting-approval");
    await act("Approve next step", "approve", "progressing");
    expect(await page.locator('ol.steps li[aria-current="step"]').textContent()).toBe("15 % for 600 s");
    const events = (await page.locator("#events").textContent()) ?? "";
    for (const e of ["started", "paused", "resumed", "approved"]) expect(events).toContain(`Rollout ${e}`);
  }, 90_000);

  it("aborts the rollout by keyboard after asking: the policy is disabled and viewers are back on primary", async () => {
    const sides = async (n: number) =>
      new Set(
        (await Promise.all(Array.from({ length: n }, () => viewer(run.ports.port, "localhost")))).map(
          (s) => s.servedBy,
        ),
      );
    // Staging serves new sessions (15 %: 60 sessions all on primary would happen once in 17,000 tries).
    await expect.poll(async () => (await sides(60)).has("staging"), { timeout: 20_000, interval: 500 }).toBe(true);
    // Readable at both widths with the most on the page: steps, analyses, history, events.
    expect(await unreadableAt(390)).toEqual([]);
    expect(await unreadableAt(1280)).toEqual([]);
    await screenshot(page, "console-rollout.png");

    // Escape cancels: nothing is sent, the rollout goes on, and the focus is back on the button.
    const abort = page.locator("#detail").getByRole("button", { name: "Abort rollout", exact: true });
    let aborts = 0;
    const count = (r: { url(): string }) => {
      if (r.url().endsWith("/rollout/abort")) aborts++;
    };
    page.on("request", count);
    await abort.focus();
    await page.keyboard.press("Enter");
    await page.getByRole("dialog").waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("confirm-cancel");
    await page.keyboard.press("Escape");
    await page.getByRole("dialog").waitFor({ state: "hidden" });
    expect(await abort.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(aborts).toBe(0);
    expect(await page.locator("#rollout-state").textContent()).toContain("progressing");

    // Enter on the button, Tab to the dialog's "Abort rollout", Enter: sent with If-Match.
    const sent = rolloutRequest("abort");
    await page.keyboard.press("Enter");
    await page.getByRole("dialog").waitFor();
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("confirm-ok");
    await page.keyboard.press("Enter");
    expect((await sent).headers()["if-match"]).toBe(rolloutId);
    page.off("request", count);
    expect(aborts).toBe(1);
    await page.locator("#rollout-state").filter({ hasText: "aborted" }).waitFor();
    await page.getByText("The policy was switched off.").waitFor();
    await expect.poll(() => policyShown("localhost"), { timeout: 15_000 }).toMatch(/^disabled/);
    // Within the propagation bound (CONFIG_MEMO_MS, 5 s), every new viewer is on primary (100 of them, where 15 %
    // on staging would leave all 100 on primary once in ten million tries).
    await expect.poll(() => sides(100), { timeout: 20_000, interval: 1000 }).toEqual(new Set(["primary"]));
    const events = (await page.locator("#events").textContent()) ?? "";
    expect(events).toContain("Rollout started");
    expect(events).toContain("Rollout aborted");
  }, 90_000);

  it("restores a config version, sending the current ETag as If-Match", async () => {
    await select("localhost");
    const current = page.locator("#history-table tbody tr", { hasText: "current" });
    const etag = (await current.locator("code").textContent()) ?? "";
    expect(etag).toMatch(/^E[A-Z0-9]{13}$/);
    // Version 1 is the primary as created, before its policy was attached: restoring it detaches the policy.
    const sent = page.waitForRequest((r) => r.url().endsWith("/history/1/restore"));
    await confirmed("Restore version 1");
    expect((await sent).headers()["if-match"]).toBe(etag);
    await page.getByRole("status").filter({ hasText: "Restored version 1" }).waitFor();
    await expect
      .poll(async () => (await siteCard("localhost").textContent()) ?? "", { timeout: 15_000 })
      .toContain("none: every viewer is served by the primary");
  }, 60_000);

  it("stays signed in across a reload of the tab; Sign out forgets the keys", async () => {
    await page.reload();
    await page.getByText("Signed in as test").waitFor();
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    expect(await page.getByRole("button", { name: "Sign out" }).isVisible()).toBe(false);
    await page.reload();
    await page.getByLabel("Access key ID", { exact: true }).waitFor();
  });

  it("threw no error in the page", () => {
    expect(pageErrors).toEqual([]);
  });
});
