/**
 * The operator's console (docs/console.md): the static files of build/console/ (wrangler.toml `[assets]`, binding
 * CONSOLE_ASSETS), served under <CONTROL_PATH_PREFIX>/console/ on the control hostnames, before and without
 * SigV4: the page holds no secret. It asks the operator for a key pair and signs its own API requests in the
 * browser. Only GET and HEAD; a strict Content-Security-Policy (scripts, styles and requests from this origin
 * only), and no caching without revalidation, so a deploy shows at once.
 */
import type { Context } from "hono";
import { settings } from "../../env.js";

export const CONSOLE_PATH = "/console";

const HEADERS: Record<string, string> = {
  "content-security-policy":
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; " +
    "form-action 'none'; frame-ancestors 'none'; base-uri 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "cache-control": "no-cache",
};

function plain(status: number, text: string, extra: Record<string, string> = {}): Response {
  return new Response(text, {
    status,
    headers: { ...HEADERS, "content-type": "text/plain; charset=utf-8", ...extra },
  });
}

export async function serveConsole(c: Context<{ Bindings: Env }>): Promise<Response> {
  const base = `${settings(c.env).controlPathPrefix}${CONSOLE_PATH}`;
  const url = new URL(c.req.url);
  const rest = url.pathname.slice(base.length);
  if (rest === "") return new Response(null, { status: 308, headers: { location: `${base}/${url.search}` } });
  const method = c.req.method;
  if (method !== "GET" && method !== "HEAD") return plain(405, "Method not allowed.\n", { allow: "GET, HEAD" });
  // A worker built without the [assets] section (a bundle run by hand) has no binding: say so instead of a 500.
  const assets: Fetcher | undefined = c.env.CONSOLE_ASSETS;
  if (assets === undefined) return plain(404, "The console is not part of this deployment (no CONSOLE_ASSETS).\n");
  const file = rest === "/" ? "/index.html" : rest;
  const res = await assets.fetch(
    new Request(`https://console.assets${file}`, { method, headers: c.req.raw.headers, redirect: "manual" }),
  );
  if (res.status === 404) return plain(404, "Not found.\n");
  const out = new Response(res.body, res);
  for (const [k, v] of Object.entries(HEADERS)) out.headers.set(k, v);
  return out;
}
