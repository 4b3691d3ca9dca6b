/**
 * The two demo origins `npm start` runs: plain HTTP servers whose pages say, in large letters, whether the
 * primary or the staging origin served them, so a person sees the split at a glance. Each page also names the
 * site and policy the request came through: the demo's distributions send their site's name in an origin custom
 * header (DEMO_SITE_HEADER, as CloudFront's origin CustomHeaders do), and `sites` (filled by `npm start` once the
 * demo is seeded) says what that site's policy is.
 */
import { createServer, type Server } from "node:http";

export type Side = "primary" | "staging";

/** The origin custom header naming the demo site a request came through. */
export const DEMO_SITE_HEADER = "x-splitfront-demo-site";

/** What a demo origin knows of a site, to name it on its pages. */
export interface DemoSiteInfo {
  /** The site's viewer hostname (its primary distribution's alias). */
  host: string;
  primaryId: string;
  policyId: string;
  /** The kind of policy, in words ("a sticky weight policy"). */
  policy: string;
  /** What a viewer does to land on the other side, per side that served them. */
  hint: Record<Side, string>;
}

const COLOURS: Record<Side, string> = { primary: "#1f4e9c", staging: "#1d7a3a" };

function page(
  side: Side,
  site: DemoSiteInfo | undefined,
  method: string,
  url: string,
  headers: NodeJS.Dict<string | string[]>,
): string {
  const e = escapeHtml;
  const rows = Object.entries(headers)
    .map(([k, v]) => `<tr><td>${e(k)}</td><td>${e(String(v))}</td></tr>`)
    .join("");
  const about =
    site === undefined
      ? "<p>This request did not come through a demo site of splitfront (or the demo is still being set up).</p>"
      : `<p>Site <strong>${e(site.host)}</strong>: distribution ${e(site.primaryId)} with ${e(site.policy)}
${e(site.policyId)}.</p><p>${e(site.hint[side])}</p>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${side.toUpperCase()} origin${site === undefined ? "" : ` · ${e(site.host)}`}</title>
<style>body{font-family:system-ui,sans-serif;margin:0}header{background:${COLOURS[side]};color:#fff;padding:2rem}
h1{margin:0;font-size:3rem}main{padding:1rem 2rem}td{padding:2px 8px;font-family:monospace;font-size:.85rem}</style>
</head><body><header><h1>Served by the ${side.toUpperCase()} origin</h1>
<p>splitfront demo &middot; ${e(method)} ${e(url)}</p></header>
<main>${about}<h2>Request headers the origin received</h2><table>${rows}</table></main></body></html>
`;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** `sites`: by the value of DEMO_SITE_HEADER; read on every request, so it may be filled after the start. */
export function startDemoOrigin(
  side: Side,
  port: number,
  sites: ReadonlyMap<string, DemoSiteInfo> = new Map(),
): Promise<Server> {
  const server = createServer((req, res) => {
    const common = { "cache-control": "no-store", "x-demo-origin": side };
    // Browsers ask every site for an icon; the demo has none, and a page would be the wrong answer.
    if (req.url === "/favicon.ico" || req.url?.startsWith("/favicon.ico?")) {
      res.writeHead(404, { ...common, "content-type": "text/plain; charset=utf-8" });
      res.end(req.method === "HEAD" ? undefined : "No icon here.\n");
      return;
    }
    const siteHeader = req.headers[DEMO_SITE_HEADER];
    const site = typeof siteHeader === "string" ? sites.get(siteHeader) : undefined;
    res.writeHead(200, { ...common, "content-type": "text/html; charset=utf-8" });
    res.end(req.method === "HEAD" ? undefined : page(side, site, req.method ?? "GET", req.url ?? "/", req.headers));
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve(server));
  });
}
