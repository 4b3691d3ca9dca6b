/**
 * Which viewer headers the origin receives when a behaviour forwards only some (an origin request policy's or a
 * cache policy's list, legacy ForwardedValues' list): the listed ones, plus those CloudFront always passes on
 * (Developer Guide, "HTTP request headers and CloudFront behavior"): the body's framing and type, the conditional
 * and range headers, Cache-Control and Pragma, the viewer's X-Forwarded-For (to append to), Authorization on
 * methods other than GET and HEAD, and a WebSocket handshake's headers. A viewer's User-Agent that is not
 * forwarded becomes `Amazon CloudFront`, as CloudFront sends it.
 */

/** Lower case. Hop-by-hop and proxy headers are not here: they are never forwarded. */
const ALWAYS_FORWARDED: ReadonlySet<string> = new Set([
  "cache-control",
  "content-encoding",
  "content-length",
  "content-md5",
  "content-type",
  "date",
  "if-match",
  "if-modified-since",
  "if-none-match",
  "if-range",
  "if-unmodified-since",
  "max-forwards",
  "pragma",
  "range",
  "x-forwarded-for",
  // A WebSocket handshake (the runtime needs Upgrade to make one).
  "upgrade",
  "sec-websocket-key",
  "sec-websocket-version",
  "sec-websocket-extensions",
  "sec-websocket-protocol",
]);

/** Per compiled list: the allowed set for GET/HEAD, and for other methods (with Authorization). */
const allowSets = new WeakMap<readonly string[], [ReadonlySet<string>, ReadonlySet<string>]>();

/** The allow-list and the always-forwarded headers as one set, made once per compiled list. */
function allowSet(names: readonly string[], withAuthorization: boolean): ReadonlySet<string> {
  let sets = allowSets.get(names);
  if (sets === undefined) {
    const safe = new Set([...ALWAYS_FORWARDED, ...names]);
    sets = [safe, new Set([...safe, "authorization"])];
    allowSets.set(names, sets);
  }
  return sets[withAuthorization ? 1 : 0];
}

/**
 * Copies into `out` (the outbound request's empty headers) the viewer headers an allow-list lets through: one pass
 * over the viewer's headers, which is cheaper than a lookup per allowed name (`npm run bench:runtime-ops`,
 * fetch-allow-*).
 */
export function copyAllowed(viewer: Headers, out: Headers, names: readonly string[], method: string): void {
  const allowed = allowSet(names, method !== "GET" && method !== "HEAD");
  // A header the viewer's Connection header names is hop-by-hop, even when the list allows it.
  const connection = viewer.get("connection");
  const hop =
    connection === null
      ? null
      : connection
          .toLowerCase()
          .split(",")
          .map((n) => n.trim());
  for (const [name, value] of viewer) {
    if (allowed.has(name) && (hop === null || !hop.includes(name))) out.append(name, value);
  }
  if (!allowed.has("user-agent")) out.set("user-agent", "Amazon CloudFront");
}
