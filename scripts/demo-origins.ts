/**
 * The two demo origins `npm start` runs: plain HTTP servers whose pages say, in large letters, whether the
 * primary or the staging origin served them, so a person sees the split at a glance.
 */
import { createServer, type Server } from "node:http";

export type Side = "primary" | "staging";

const COLOURS: Record<Side, string> = { primary: "#1f4e9c", staging: "#1d7a3a" };

function page(side: Side, method: string, url: string, headers: NodeJS.Dict<string | string[]>): string {
  const rows = Object.entries(headers)
    .map(([k, v]) => `<tr><td>${escapeHtml(k)}</td><td>${escapeHtml(String(v))}</td></tr>`)
    .join("");
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>${side.toUpperCase()} origin</title>
<style>body{font-family:system-ui,sans-serif;margin:0}header{background:${COLOURS[side]};color:#fff;padding:2rem}
h1{margin:0;font-size:3rem}main{padding:1rem 2rem}td{padding:2px 8px;font-family:monospace;font-size:.85rem}</style>
</head><body><header><h1>Served by the ${side.toUpperCase()} origin</h1>
<p>splitfront demo &middot; ${escapeHtml(method)} ${escapeHtml(url)}</p></header>
<main><p>${
    side === "staging"
      ? "You are in the staging slice of the continuous deployment policy."
      : "You are on the primary distribution. Clear the sf-cd-session cookie for a new draw."
  }</p><h2>Request headers the origin received</h2><table>${rows}</table></main></body></html>
`;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function startDemoOrigin(side: Side, port: number): Promise<Server> {
  const server = createServer((req, res) => {
    res.writeHead(200, {
      "content-type": "text/html; charset=utf-8",
      "cache-control": "no-store",
      "x-demo-origin": side,
    });
    res.end(req.method === "HEAD" ? undefined : page(side, req.method ?? "GET", req.url ?? "/", req.headers));
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve(server));
  });
}
