/**
 * The Cache API key of a viewer request under a cache behaviour's cache key settings (ForwardedValues or a cache
 * policy, resolved at publish time into `EdgeBehavior["cacheKey"]`).
 *
 * Shape: `https://<host><path>` then, only when something else is in the key, `?<query>` and `;<extras>`. The
 * scheme is not part of the key: http and https viewers share entries, as on CloudFront (the URL's scheme is a
 * constant only because the Cache API keys on URLs).
 * - query: `none` drops it; `all` keeps every parameter; `allow` keeps the listed names, `allExcept` all but the
 *   listed (case-sensitive, as CloudFront's lists). Parameters are sorted by name (stable, so repeated names keep
 *   their order) and re-serialised, so `?b=2&a=1` and `?a=1&b=2` share an entry.
 * - extras: the selected request headers (names case-insensitive), the normalised Accept-Encoding when the cache
 *   policy enables compression, and cookies (names case-sensitive), as `h:<name>=<value>` / `c:<name>=<value>`
 *   pairs, sorted. An absent header or cookie contributes nothing, an empty one contributes `name=`, so the two
 *   never collide.
 *
 * Injectivity: both parts are application/x-www-form-urlencoded, which percent-encodes `;`, `&`, `=` and `:`
 * inside names and values, and a URL path never holds a raw `?`. So the first raw `?` and the first raw `;`
 * split a key unambiguously: different inputs give different keys, equal inputs equal keys.
 *
 * The settings are compiled once per settings object (WeakMap); with everything `none` a key is one template
 * string.
 */
import type { CacheKeyList, EdgeCacheKey } from "../model/edge-config.js";
import type { ViewerUrl } from "./viewer-url.js";

export type CacheKeySettings = EdgeCacheKey;

interface Compiled {
  /** Everything is `none`: the key is host and path. */
  readonly bare: boolean;
  readonly query: CacheKeyList["mode"];
  readonly queryNames: ReadonlySet<string>;
  /** Lower-cased, sorted header names; null = all headers. */
  readonly headers: readonly string[] | null;
  readonly cookies: CacheKeyList["mode"];
  readonly cookieNames: ReadonlySet<string>;
  readonly encodings: EdgeCacheKey["encodings"];
}

const compiledKeys = new WeakMap<CacheKeySettings, Compiled>();

function compile(key: CacheKeySettings): Compiled {
  let c = compiledKeys.get(key);
  if (c === undefined) {
    const { queryStrings, headers, cookies } = key;
    c = {
      bare:
        queryStrings.mode === "none" &&
        headers.mode === "none" &&
        cookies.mode === "none" &&
        key.encodings === undefined,
      query: queryStrings.mode,
      queryNames: new Set(listed(queryStrings)),
      headers: headers.mode === "all" ? null : [...new Set(listed(headers).map((n) => n.toLowerCase()))].sort(),
      cookies: cookies.mode,
      cookieNames: new Set(listed(cookies)),
      encodings: key.encodings,
    };
    compiledKeys.set(key, c);
  }
  return c;
}

const listed = (l: CacheKeyList): string[] => (l.mode === "allow" || l.mode === "allExcept" ? l.names : []);

/** Whether a name is in the key under a list's mode (`names` holds the listed names). */
function inKey(mode: CacheKeyList["mode"], names: ReadonlySet<string>, name: string): boolean {
  return mode === "all" || (mode === "allow" ? names.has(name) : mode === "allExcept" && !names.has(name));
}

/**
 * CloudFront never caches when every header is forwarded (DG "Caching content based on request headers"); the
 * shell should bypass the cache for such a behaviour rather than store one entry per header combination.
 */
export function keyDisablesCaching(key: CacheKeySettings): boolean {
  return key.headers.mode === "all";
}

export function cacheKey(url: ViewerUrl, headers: Headers, key: CacheKeySettings): string {
  const base = `https://${url.host}${url.pathname}`;
  const c = compile(key);
  if (c.bare) return base;

  const query = queryPart(url, c);
  const extras = extrasPart(headers, c);
  if (extras === "") return query === "" ? base : `${base}?${query}`;
  return `${base}?${query};${extras}`;
}

function queryPart(url: ViewerUrl, c: Compiled): string {
  if (c.query === "none" || url.search === "") return "";
  const params =
    c.query === "all"
      ? new URLSearchParams(url.search)
      : keptQuery(url.search, (name) => inKey(c.query, c.queryNames, name));
  params.sort();
  return params.toString();
}

/**
 * The query string's parameters whose names `keep` accepts, in their order: the cache key sorts them, the origin
 * request (serve.ts) sends them as they came.
 */
export function keptQuery(search: string, keep: (name: string) => boolean): URLSearchParams {
  const kept = new URLSearchParams();
  for (const [name, value] of new URLSearchParams(search)) if (keep(name)) kept.append(name, value);
  return kept;
}

function extrasPart(headers: Headers, c: Compiled): string {
  const out = new URLSearchParams();
  if (c.headers === null) {
    // Headers iterate lower-cased and sorted by name (Fetch standard "sort and combine").
    for (const [name, value] of headers) out.append(`h:${name}`, value);
  } else {
    for (const name of c.headers) {
      const value = headers.get(name);
      if (value !== null) out.append(`h:${name}`, value);
    }
  }
  if (c.encodings !== undefined) {
    const normalized = normalizedAcceptEncoding(headers.get("accept-encoding"), c.encodings);
    if (normalized !== null) out.append("h:accept-encoding", normalized);
  }
  if (c.cookies !== "none") {
    const cookie = headers.get("cookie");
    if (cookie !== null) {
      const pairs = parseCookies(cookie).filter(([name]) => inKey(c.cookies, c.cookieNames, name));
      pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      for (const [name, value] of pairs) out.append(`c:${name}`, value);
    }
  }
  return out.toString();
}

/**
 * `Cookie: a=1; b=2` → [["a","1"],["b","2"]]. Values stay raw (equal raw values match, others never collide).
 * A pair without `=` is a nameless cookie whose value is the whole pair, as browsers read it (RFC 6265bis §5.6).
 */
export function parseCookies(header: string): [name: string, value: string][] {
  const pairs: [string, string][] = [];
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    const pair: [string, string] =
      eq === -1 ? ["", part.trim()] : [part.slice(0, eq).trim(), part.slice(eq + 1).trim()];
    if (pair[0] !== "" || pair[1] !== "") pairs.push(pair);
  }
  return pairs;
}

/**
 * CloudFront's normalised Accept-Encoding (DG "Cache compressed objects"): the enabled encodings among those the
 * viewer accepts (`br,gzip`, `gzip` or `br`), or null when it accepts neither. An encoding with `q=0` is refused,
 * not accepted.
 */
export function normalizedAcceptEncoding(
  header: string | null,
  enabled: { gzip: boolean; br: boolean },
): "br,gzip" | "gzip" | "br" | null {
  if (header === null) return null;
  let gzip = false;
  let br = false;
  for (const part of header.split(",")) {
    const [coding = "", ...params] = part.split(";");
    const name = coding.trim().toLowerCase();
    const refused = params.some((p) => /^\s*q\s*=\s*0(?:\.0*)?\s*$/i.test(p));
    if (refused) continue;
    if (name === "gzip") gzip = enabled.gzip;
    else if (name === "br") br = enabled.br;
  }
  return br && gzip ? "br,gzip" : gzip ? "gzip" : br ? "br" : null;
}
