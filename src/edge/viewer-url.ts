/**
 * The parts of a viewer request's URL the edge reads, sliced out of `request.url`. That string is already a URL
 * serialised by the runtime (scheme and host lower case, default port dropped, path percent-encoded), so slicing
 * it gives exactly what `new URL()` would, for a fraction of the cost: a URL object is a call into the runtime
 * that costs as much as copying the request's headers (bench/README.md). A `URL` satisfies this interface too.
 */
export interface ViewerUrl {
  readonly href: string;
  /** "http:" or "https:". */
  readonly protocol: string;
  /** Host and port, as in the Host header ("example.com", "example.com:8787", "[::1]:8787"). */
  readonly host: string;
  /** Host without the port ("example.com", "[::1]"). */
  readonly hostname: string;
  readonly pathname: string;
  /** "" or "?" followed by a non-empty query. */
  readonly search: string;
}

/**
 * `href` must be a serialised absolute http(s) URL, as `request.url` always is. Read by character code, not by
 * `indexOf`/`lastIndexOf` on the sliced host: on a sliced string each of those is a call into V8's runtime that
 * costs a few hundred instructions, per request.
 */
export function viewerUrl(href: string): ViewerUrl {
  // "https://" or "http://": the fifth character tells them apart.
  const secure = href.charCodeAt(4) === 115; /* s */
  const authority = secure ? 8 : 7;
  let pathAt = href.indexOf("/", authority);
  if (pathAt < 0) pathAt = href.length;
  let end = href.indexOf("#", pathAt);
  if (end < 0) end = href.length;
  const queryAt = href.indexOf("?", pathAt);
  const hasQuery = queryAt >= 0 && queryAt < end;
  // The port's colon, scanning back from the path; an IPv6 literal's colons sit before its "]".
  let colon = pathAt - 1;
  while (colon > authority) {
    const c = href.charCodeAt(colon);
    if (c === 58 /* : */ || c === 93 /* ] */) break;
    colon--;
  }
  const host = href.slice(authority, pathAt);
  return {
    href,
    protocol: secure ? "https:" : "http:",
    host,
    hostname: href.charCodeAt(colon) === 58 ? href.slice(authority, colon) : host,
    pathname: pathAt === href.length ? "/" : href.slice(pathAt, hasQuery ? queryAt : end),
    search: hasQuery && queryAt + 1 < end ? href.slice(queryAt, end) : "",
  };
}
