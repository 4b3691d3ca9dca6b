/**
 * CloudFront Functions in the styles of CloudFront's documented examples (the Developer Guide's example functions
 * and aws-samples/amazon-cloudfront-functions): a redirect, a URL rewrite to index.html, security headers on the
 * response, cookie-based routing, query string normalisation. Each comes with the viewer request that exercises
 * it, so one entry runs both through TestFunction and through the worker.
 */

export interface CorpusFunction {
  name: string;
  runtime: "cloudfront-js-1.0" | "cloudfront-js-2.0";
  eventType: "viewer-request" | "viewer-response";
  code: string;
  /** The cache behaviour it is associated with (`/<name>/*`), and the viewer request sent there. */
  path: string;
  headers: Record<string, string>;
}

export const CORPUS: CorpusFunction[] = [
  {
    name: "redirect-to-new-site",
    runtime: "cloudfront-js-1.0",
    eventType: "viewer-request",
    code: `function handler(event) {
    var newurl = 'https://example.com/index.html';
    var response = {
        statusCode: 302,
        statusDescription: 'Found',
        headers: { "location": { "value": newurl } }
    };
    return response;
}`,
    path: "/redirect-to-new-site/old/page",
    headers: {},
  },
  {
    name: "url-rewrite-single-page-apps",
    runtime: "cloudfront-js-2.0",
    eventType: "viewer-request",
    code: `async function handler(event) {
    const request = event.request;
    const uri = request.uri;
    // Check whether the URI is missing a file name.
    if (uri.endsWith('/')) {
        request.uri += 'index.html';
    }
    // Check whether the URI is missing a file extension.
    else if (!uri.includes('.')) {
        request.uri += '/index.html';
    }
    return request;
}`,
    path: "/url-rewrite-single-page-apps/docs",
    headers: {},
  },
  {
    name: "add-security-headers",
    runtime: "cloudfront-js-1.0",
    eventType: "viewer-response",
    code: `function handler(event) {
    var response = event.response;
    var headers = response.headers;
    headers['strict-transport-security'] = { value: 'max-age=63072000; includeSubdomains; preload'};
    headers['content-security-policy'] = { value: "default-src 'none'; img-src 'self'; script-src 'self'; style-src 'self'; object-src 'none'"};
    headers['x-content-type-options'] = { value: 'nosniff'};
    headers['x-frame-options'] = {value: 'DENY'};
    headers['x-xss-protection'] = {value: '1; mode=block'};
    headers['referrer-policy'] = {value: 'same-origin'};
    return response;
}`,
    path: "/add-security-headers/page",
    headers: {},
  },
  {
    name: "cookie-based-routing",
    runtime: "cloudfront-js-2.0",
    eventType: "viewer-request",
    code: `function handler(event) {
    const request = event.request;
    const group = request.cookies['experiment'] ? request.cookies['experiment'].value : 'control';
    console.log('experiment group: ' + group);
    if (group === 'b') {
        request.uri = '/variant-b' + request.uri;
        request.headers['x-experiment'] = { value: 'b' };
    } else {
        request.headers['x-experiment'] = { value: 'control' };
    }
    return request;
}`,
    path: "/cookie-based-routing/home",
    headers: { cookie: "experiment=b; other=1" },
  },
  {
    name: "normalize-query-string",
    runtime: "cloudfront-js-1.0",
    eventType: "viewer-request",
    code: `function handler(event) {
    var request = event.request;
    var qs = request.querystring;
    var keys = Object.keys(qs).sort();
    var normalized = {};
    for (var i = 0; i < keys.length; i++) {
        var key = keys[i].toLowerCase();
        if (key.indexOf('utm_') === 0) continue;
        var entry = qs[keys[i]];
        normalized[key] = entry.multiValue ? { value: entry.multiValue[0].value, multiValue: entry.multiValue } : { value: entry.value };
    }
    request.querystring = normalized;
    return request;
}`,
    path: "/normalize-query-string/search?Size=10&utm_source=mail&color=red&color=blue&A=1",
    headers: {},
  },
];

/** Functions that must not harm anyone but the request that runs them. */
export const HOSTILE: { name: string; code: string }[] = [
  { name: "hostile-loop", code: "function handler(event) { while (true) {} }" },
  { name: "hostile-throw", code: "function handler(event) { throw new Error('deliberate failure'); }" },
  {
    name: "hostile-alloc",
    code: "function handler(event) { var a = []; for (;;) a.push({ n: a.length, s: 'x' + a.length }); }",
  },
];

/** The event object CloudFront would give the function for `path` (and, for viewer-response, this response). */
export function eventFor(
  f: CorpusFunction,
  response?: { statusCode: number; headers: Record<string, string> },
): Record<string, unknown> {
  const url = new URL(f.path, "http://viewer.test");
  const querystring: Record<string, { value: string; multiValue?: { value: string }[] }> = {};
  for (const part of url.search.slice(1).split("&")) {
    if (part === "") continue;
    const [k = "", v = ""] = part.split("=");
    const have = querystring[k];
    if (have === undefined) querystring[k] = { value: v };
    else have.multiValue = [...(have.multiValue ?? [{ value: have.value }]), { value: v }];
  }
  const cookies: Record<string, { value: string }> = {};
  for (const c of (f.headers.cookie ?? "").split(";")) {
    const [k = "", v = ""] = c.trim().split("=");
    if (k !== "") cookies[k] = { value: v };
  }
  const headers: Record<string, { value: string }> = { host: { value: "viewer.test" } };
  for (const [k, v] of Object.entries(f.headers)) if (k !== "cookie") headers[k] = { value: v };
  const event: Record<string, unknown> = {
    version: "1.0",
    context: { eventType: f.eventType },
    viewer: { ip: "198.51.100.11" },
    request: { method: "GET", uri: url.pathname, querystring, headers, cookies },
  };
  if (response !== undefined) {
    const rh: Record<string, { value: string }> = {};
    for (const [k, v] of Object.entries(response.headers)) rh[k] = { value: v };
    event.response = { statusCode: response.statusCode, statusDescription: "OK", headers: rh, cookies: {} };
  }
  return event;
}
