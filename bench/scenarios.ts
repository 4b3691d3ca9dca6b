/**
 * The load scenarios: which worker, which Host/path/headers, and what a correct answer looks like. prepare()
 * makes the per-run parts (a returning viewer's signed cookie, a warmed cache entry) and checks one response
 * per scenario, so a fast figure for a wrong answer is flagged instead of reported as a win.
 */
import { HOSTS, STAGING_HEADER } from "./edge-records.js";
import { cookieFrom, get, type SimpleResponse } from "./http.js";

/**
 * "splitfront-log" is the same bundle with ACCESS_LOG=all (every request logged, as a distribution with Logging
 * enabled would be), to price the access log; "splitfront-b" is a second
 * bundle (BENCH_COMPARE_SCRIPT) measured in the same alternating rounds, to try a hot-path change.
 */
export type TargetName =
  | "origin"
  | "passthrough"
  | "faithful"
  | "naive"
  | "splitfront"
  | "splitfront-log"
  | "splitfront-b";

export interface Scenario {
  id: string;
  label: string;
  target: TargetName;
  path: string;
  headers: Record<string, string>;
  /** "cache" scenarios use the (smaller) cache connection count: Miniflare's cache path times out under load. */
  load: "normal" | "cache";
  /** Which origin must answer (x-origin), or "either" for a random draw. */
  expectOrigin: "primary" | "staging" | "either";
  /** Whether the load requests carry the viewer's cookie (taken from one earlier response). */
  returningViewer: null | "splitfront" | "naive";
  /** A new viewer must be issued a cookie on every response. */
  expectCookieIssued: boolean;
  /** The worker appends the viewer's address to X-Forwarded-For (checked on the probe response). */
  forwardsViewerIp: boolean;
}

export interface PreparedScenario extends Scenario {
  url: string;
  /** Headers actually sent, including any cookie. */
  sendHeaders: Record<string, string>;
  /** null when the probe response looked right, else what was wrong. */
  problem: string | null;
  /** The cache status header of the probe response, when the worker sends one. */
  cacheStatus: string | null;
  /** Whether the probe response carried Set-Cookie (for a returning viewer: the session was re-signed). */
  setsCookie: boolean;
}

/**
 * The viewer's address, sent as CF-Connecting-IP with every request, as Cloudflare's edge does in production: the
 * bench reaches workerd's own socket, which adds none, and without it a worker never pays for X-Forwarded-For.
 */
export const VIEWER_IP = "203.0.113.7";
/**
 * A request whose path starts with this is answered with what the origin received as X-Forwarded-For (the path
 * reaches the origin whatever the behaviour forwards; a header or query string may not, under an allow-list).
 */
export const XFF_PROBE_PATH = "/__bench-xff";

/** The group cookie of bench/workers/naive-ab.js. */
const NAIVE_COOKIE = "ab-group";
const PAGE = "/products/42?ref=bench";
const ASSET = "/static/app.js";

const SF_HEADER = s(
  "sf-header",
  "splitfront header mode",
  "splitfront",
  PAGE,
  { host: HOSTS.header, [STAGING_HEADER.name]: STAGING_HEADER.value },
  "staging",
);
const SF_STICKY: Scenario = {
  ...s("sf-sticky", "splitfront sticky (returning)", "splitfront", PAGE, { host: HOSTS.sticky }, "either"),
  returningViewer: "splitfront",
};

/** The same requests against another instance: the id gets `suffix`. */
function onTarget(sc: Scenario, target: TargetName, suffix: string, label: string): Scenario {
  return { ...sc, id: `${sc.id}${suffix}`, label, target };
}

export const SCENARIOS: Scenario[] = [
  s("origin-direct", "origin direct", "origin", PAGE, {}, "primary"),
  s("passthrough", "pass-through worker", "passthrough", PAGE, {}, "primary"),
  // The limit row: what CloudFront itself must do on the way to an origin, and nothing else. It gets header mode's
  // request, aws-cf-cd-* header included (CloudFront forwards it to the origin like any viewer header): the rows
  // it judges then differ from it by what the worker does, not by what the viewer sent. (Sticky's returning
  // viewer sends one header more than none too: its cookie.)
  s(
    "faithful",
    "CloudFront-faithful pass-through",
    "faithful",
    PAGE,
    { host: HOSTS.header, [STAGING_HEADER.name]: STAGING_HEADER.value },
    "primary",
  ),
  { ...s("naive-ab", "naive A/B (returning)", "naive", PAGE, {}, "either"), returningViewer: "naive" },
  s("sf-no-policy", "splitfront no policy", "splitfront", PAGE, { host: HOSTS.noPolicy }, "primary"),
  s("sf-function", "splitfront no policy, viewer-request function", "splitfront", PAGE, { host: HOSTS.fn }, "primary"),
  SF_HEADER,
  SF_STICKY,
  {
    ...s("sf-new-viewer", "splitfront new viewer", "splitfront", PAGE, { host: HOSTS.sticky }, "either"),
    expectCookieIssued: true,
  },
  onTarget(SF_HEADER, "splitfront-log", "-log", "splitfront header, access log on"),
  onTarget(SF_STICKY, "splitfront-log", "-log", "splitfront sticky, access log on"),
  {
    ...s("sf-cache-hit", "splitfront cache hit", "splitfront", ASSET, { host: HOSTS.noPolicy }, "primary"),
    load: "cache",
  },
  // The policies' paths: staging forwards an allow-list of headers; staging adds the managed security headers.
  s(
    "sf-header-allowlist",
    "splitfront header mode, allow-list forwarding",
    "splitfront",
    PAGE,
    { host: HOSTS.allowList, [STAGING_HEADER.name]: STAGING_HEADER.value },
    "staging",
  ),
  s(
    "sf-header-security",
    "splitfront header mode, SecurityHeadersPolicy",
    "splitfront",
    PAGE,
    { host: HOSTS.securityHeaders, [STAGING_HEADER.name]: STAGING_HEADER.value },
    "staging",
  ),
];

/** The deployed-settings splitfront scenarios again, against bundle B (ids and labels marked "B"). */
export function compareScenarios(): Scenario[] {
  const ids = new Set(["sf-no-policy", "sf-header", "sf-sticky", "sf-new-viewer"]);
  return SCENARIOS.filter((sc) => ids.has(sc.id)).map((sc) => onTarget(sc, "splitfront-b", "-b", `B: ${sc.label}`));
}

function s(
  id: string,
  label: string,
  target: TargetName,
  path: string,
  headers: Record<string, string>,
  expectOrigin: Scenario["expectOrigin"],
): Scenario {
  return {
    id,
    label,
    target,
    path,
    headers,
    load: "normal",
    expectOrigin,
    returningViewer: null,
    expectCookieIssued: false,
    forwardsViewerIp: target === "faithful" || target.startsWith("splitfront"),
  };
}

export interface PrepareContext {
  /** The base URL a target answers on. */
  urlOf: (target: TargetName) => string;
  sessionCookieName: string;
}

export async function prepare(scenario: Scenario, ctx: PrepareContext): Promise<PreparedScenario> {
  const url = ctx.urlOf(scenario.target) + scenario.path;
  const sendHeaders: Record<string, string> = { "cf-connecting-ip": VIEWER_IP, ...scenario.headers };
  let problem: string | null = null;
  if (scenario.returningViewer !== null) {
    const name = scenario.returningViewer === "splitfront" ? ctx.sessionCookieName : NAIVE_COOKIE;
    const first = await get(url, sendHeaders);
    const cookie = cookieFrom(first, name);
    if (cookie === null) problem = `no ${name} cookie issued (status ${first.status})`;
    else sendHeaders.cookie = cookie;
  }
  // Two probes: the first warms any cache entry, the second is what the load will see.
  await get(url, sendHeaders);
  const probe = await get(url, sendHeaders);
  problem ??= check(scenario, probe);
  // Every worker that does what CloudFront must tells the origin the viewer's address (asked on a path no
  // behaviour caches, so the origin answers).
  if (problem === null && scenario.forwardsViewerIp) {
    const seen = header(
      await get(ctx.urlOf(scenario.target) + XFF_PROBE_PATH + scenario.path, sendHeaders),
      "x-bench-seen-xff",
    );
    if (!seen?.endsWith(VIEWER_IP))
      problem = `the origin got X-Forwarded-For ${seen ?? "(none)"}, expected it to end with ${VIEWER_IP}`;
  }
  const cacheStatus = header(probe, "x-cache") ?? header(probe, "cf-cache-status");
  const setsCookie = probe.headers["set-cookie"] !== undefined;
  return { ...scenario, url, sendHeaders, problem, cacheStatus, setsCookie };
}

function header(res: SimpleResponse, name: string): string | null {
  const v = res.headers[name];
  return v === undefined ? null : Array.isArray(v) ? v.join(", ") : v;
}

function check(scenario: Scenario, res: SimpleResponse): string | null {
  if (res.status !== 200) return `status ${res.status}: ${res.body.slice(0, 80)}`;
  const origin = header(res, "x-origin");
  if (scenario.expectOrigin !== "either" && origin !== scenario.expectOrigin) {
    return `served by ${origin ?? "?"}, expected ${scenario.expectOrigin}`;
  }
  if (scenario.expectCookieIssued && res.headers["set-cookie"] === undefined) return "no cookie issued to a new viewer";
  return null;
}
