/**
 * The worker's own front door: what a person sees opening the worker's address rather than a site's
 * (`http://127.0.0.1:8787/` under `npm start`), instead of "404 Unknown host". It links to the console, names the
 * CloudFront API endpoint and how to sign for it and, locally, lists the sites this edge serves with their policies.
 *
 * Only for a host that has no distribution, asked for `/` with GET or HEAD, and that serves the control API: a
 * host listed in CONTROL_HOSTNAMES or, with that list empty (every host serves the API, as in local development),
 * a loopback name (127.0.0.1, [::1], localhost, *.localhost). Any other unknown host keeps the plain 404, so a
 * stray Host header learns nothing. The site list is shown on loopback hosts only: on a production control
 * hostname it stays behind SigV4 (ListDistributions). A request for a known host never gets here.
 */
import type { Settings } from "../env.js";
import { EDGE_CONFIG_SCHEMA, type EdgeConfig, type EdgePolicy, HOST_KEY_PREFIX } from "../model/edge-config.js";
import type { ViewerUrl } from "./viewer-url.js";

/** At most this many hostname records are read for the list (one KV read each). */
const MAX_HOSTS = 100;

export function isLoopback(hostname: string): boolean {
  return (
    hostname === "127.0.0.1" || hostname === "[::1]" || hostname === "localhost" || hostname.endsWith(".localhost")
  );
}

/** Whether an unknown host's request gets the landing page rather than the 404 page. */
export function wantsLandingPage(request: Request, url: ViewerUrl, s: Settings): boolean {
  if (url.pathname !== "/" || (request.method !== "GET" && request.method !== "HEAD")) return false;
  // With CONTROL_HOSTNAMES empty every host serves the API (src/index.ts); only loopback names get the page.
  return s.controlHostnames.size === 0 ? isLoopback(url.hostname) : s.controlHostnames.has(url.hostname);
}

/** One primary distribution and what this edge knows of it, from its hostname records. */
export interface SiteSummary {
  primaryId: string;
  hosts: string[];
  policy: EdgePolicy | null;
  stagingId: string | null;
}

/** The sites behind the hostname records in KV, one per primary distribution, by first hostname. */
export async function listSites(kv: KVNamespace): Promise<SiteSummary[]> {
  const keys = await kv.list({ prefix: HOST_KEY_PREFIX, limit: MAX_HOSTS });
  const records = await Promise.all(keys.keys.map((k) => kv.get<EdgeConfig>(k.name, { type: "json" })));
  const sites = new Map<string, SiteSummary>();
  for (const r of records) {
    if (r === null || r.schema !== EDGE_CONFIG_SCHEMA || r.kind !== "viewer") continue;
    const site = sites.get(r.primary.id);
    if (site !== undefined) site.hosts.push(r.host);
    else
      sites.set(r.primary.id, {
        primaryId: r.primary.id,
        hosts: [r.host],
        policy: r.policy,
        stagingId: r.staging?.id ?? null,
      });
  }
  for (const site of sites.values()) site.hosts.sort(byAliasFirst);
  return [...sites.values()].sort((a, b) => byAliasFirst(a.hosts[0] ?? "", b.hosts[0] ?? ""));
}

/** Aliases (what a person types) before generated distribution domain names (d + 13 characters). */
function byAliasFirst(a: string, b: string): number {
  const generated = (h: string) => (/^d[a-z0-9]{13}\./.test(h) ? 1 : 0);
  return generated(a) - generated(b) || a.localeCompare(b);
}

/** What the policy sends to staging, in words. */
export function describePolicy(policy: EdgePolicy | null): string {
  if (policy === null) return "no continuous deployment policy: every viewer is served by the primary";
  const t = policy.traffic;
  const what =
    t.type === "SingleHeader"
      ? `requests carrying the header ${t.header}: ${t.value} go to staging`
      : t.stickiness === null
        ? `${percent(t.weight)} of requests go to staging`
        : `${percent(t.weight)} of new sessions go to staging and stay there (sticky: idle ${t.stickiness.idleTTL} s, at most ${t.stickiness.maximumTTL} s)`;
  return policy.enabled
    ? `policy ${policy.id}: ${what}`
    : `policy ${policy.id} (disabled: every viewer to primary): ${what}`;
}

const percent = (weight: number): string => `${Math.round(weight * 1000) / 10} %`;

export async function landingPage(request: Request, url: ViewerUrl, s: Settings, kv: KVNamespace): Promise<Response> {
  const origin = `${url.protocol}//${url.host}`;
  const endpoint = `${origin}${s.controlPathPrefix}`;
  const local = isLoopback(url.hostname);
  // A failed list leaves the rest of the page; the 503 for a site whose record cannot be read is the edge's job.
  const sites = local ? await listSites(kv).catch(() => null) : [];
  const body = render({ endpoint, port: portOf(url), local, sites });
  return new Response(request.method === "HEAD" ? null : body, {
    headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" },
  });
}

/** ":8787", or "" for the scheme's default port. */
function portOf(url: ViewerUrl): string {
  return url.host.slice(url.hostname.length);
}

function render(p: { endpoint: string; port: string; local: boolean; sites: SiteSummary[] | null }): string {
  const e = escapeHtml;
  const siteRows = (p.sites ?? [])
    .map((site) => {
      const links = site.hosts.map((h) => `<a href="http://${e(h)}${e(p.port)}/">${e(h)}</a>`).join("<br>");
      const staging = site.stagingId === null ? "" : `, staging ${e(site.stagingId)}`;
      return `<tr><td>${links}</td><td>distribution ${e(site.primaryId)}${staging}<br>${e(describePolicy(site.policy))}</td></tr>`;
    })
    .join("");
  const sitesSection = !p.local
    ? ""
    : `<h2>Sites on this edge</h2>${
        p.sites === null
          ? "<p>The sites could not be listed (Workers KV did not answer); try again shortly.</p>"
          : siteRows === ""
            ? "<p>None yet: create a distribution through the API below.</p>"
            : `<table><tr><th>Open</th><th>Distribution and policy</th></tr>${siteRows}</table>`
      }`;
  const keys = p.local
    ? "the keys in CONTROL_ACCESS_KEYS (locally access key <code>test</code>, secret <code>test</code>, from .dev.vars)"
    : "a key pair from the worker's CONTROL_ACCESS_KEYS secret";
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>splitfront</title>
<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.4}
table{border-collapse:collapse}td,th{border-top:1px solid #ccc;padding:.4rem .8rem .4rem 0;text-align:left;vertical-align:top}
code,pre{font-family:ui-monospace,monospace;font-size:.9rem}pre{background:#f4f4f4;padding:.6rem;overflow-x:auto}</style>
</head><body>
<h1>splitfront</h1>
<p>CloudFront continuous deployment on a Cloudflare Worker: each site's primary distribution sends a slice of its
viewers to a staging distribution, as its continuous deployment policy says.</p>
${sitesSection}
<h2>The console</h2>
<p><a href="${e(p.endpoint)}/console/">${e(p.endpoint)}/console/</a>: each site's policy, both arms' traffic side by
side, rollouts, config history and preview links, in the browser. Sign in with ${keys}.</p>
<h2>The CloudFront API</h2>
<p>Endpoint URL for the AWS CLI, boto3, the AWS SDKs and Terraform: <code>${e(p.endpoint)}</code>, signed with
AWS Signature Version 4 (service <code>cloudfront</code>, region <code>us-east-1</code>) by ${keys}.</p>
<pre>aws cloudfront list-distributions --endpoint-url ${e(p.endpoint)}</pre>
</body></html>
`;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
