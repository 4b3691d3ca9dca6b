/**
 * The edge's own answers when it cannot serve a viewer: a small page that says what happened in words a viewer
 * can pass on, with a request id for the operator's logs, and never a secret, an origin address or a stack trace.
 */

export type EdgeError =
  | "unknown-host"
  | "staging-host"
  | "config-unavailable"
  | "origin-unreachable"
  | "origin-timeout"
  | "method-not-allowed"
  | "geo-blocked"
  | "https-required"
  | "function-failed"
  /** Anything unexpected on the viewer path (a bad record, a bug): contained to the request, logged. */
  | "edge-failure";

const PAGES: Record<EdgeError, { status: number; title: string; detail: string }> = {
  "unknown-host": { status: 404, title: "Unknown host", detail: "No distribution serves this hostname." },
  "staging-host": {
    status: 403,
    title: "Staging distribution",
    detail: "This is a staging distribution. Viewers reach it only through its primary distribution.",
  },
  "config-unavailable": {
    status: 503,
    title: "Service unavailable",
    detail: "The configuration for this site could not be loaded. Please retry shortly.",
  },
  "origin-unreachable": { status: 502, title: "Bad gateway", detail: "The origin server could not be reached." },
  "origin-timeout": { status: 504, title: "Gateway timeout", detail: "The origin server did not answer in time." },
  "method-not-allowed": {
    status: 403,
    title: "Method not allowed",
    detail: "This distribution does not accept this request method for this path.",
  },
  "geo-blocked": {
    status: 403,
    title: "Forbidden",
    detail: "This site is not available in your country.",
  },
  "https-required": { status: 403, title: "Forbidden", detail: "This site is served over HTTPS only." },
  // CloudFront answers 503 when a function throws, returns an invalid result or exceeds its limits.
  "function-failed": {
    status: 503,
    title: "Service unavailable",
    detail: "The CloudFront function associated with this site could not run.",
  },
  "edge-failure": { status: 502, title: "Bad gateway", detail: "This request could not be served. Please retry." },
};

const encoder = new TextEncoder();

/** `requestId` is asked for only here, on the error path. */
export function errorPage(kind: EdgeError, requestId: () => string): Response {
  const page = PAGES[kind];
  const body = `<!doctype html><html><head><meta charset="utf-8"><title>${page.status} ${page.title}</title></head><body><h1>${page.status} ${page.title}</h1><p>${page.detail}</p><p><small>splitfront request id: ${requestId()}</small></p></body></html>\n`;
  const headers: Record<string, string> = {
    "content-type": "text/html; charset=utf-8",
    "cache-control": "no-store",
    // Known length, so the access log can report the bytes sent.
    "content-length": String(encoder.encode(body).byteLength),
  };
  if (kind === "config-unavailable") headers["retry-after"] = "5";
  return new Response(body, { status: page.status, headers });
}
