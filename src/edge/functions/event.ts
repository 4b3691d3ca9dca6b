/**
 * CloudFront Functions' event object and what a handler's result means, in plain data: the request (and for
 * viewer-response the response) in CloudFront's multi-value shape (`{ value, multiValue? }` per header, cookie and
 * query parameter; header names lower case), built from and applied back to Fetch API objects. Shared by the edge
 * and TestFunction, so both read a result the same way.
 */

export interface FnValue {
  value: string;
  multiValue?: { value: string }[];
}
export interface FnCookie extends FnValue {
  attributes?: string;
  multiValue?: { value: string; attributes?: string }[];
}
export type FnValues = Record<string, FnValue>;

export interface FnRequest {
  method: string;
  uri: string;
  querystring: FnValues;
  headers: FnValues;
  cookies: FnValues;
}

export interface FnResponse {
  statusCode: number;
  statusDescription?: string;
  headers: FnValues;
  cookies: Record<string, FnCookie>;
  /** cloudfront-js-2.0: a string, or `{ data, encoding: "text" | "base64" }`. */
  body?: string | { data: string; encoding?: string };
}

export type FnEventType = "viewer-request" | "viewer-response";

export interface FnEvent {
  version: "1.0";
  context: { distributionDomainName: string; distributionId: string; eventType: FnEventType; requestId: string };
  viewer: { ip: string };
  request: FnRequest;
  response?: FnResponse;
}

/** Adds one value under `name`, keeping the first as `value` and all of them in `multiValue` once there are two. */
function add(into: FnValues, name: string, value: string): void {
  const have = into[name];
  if (have === undefined) into[name] = { value };
  else if (have.multiValue === undefined) have.multiValue = [{ value: have.value }, { value }];
  else have.multiValue.push({ value });
}

/** Every value of an entry: `multiValue` when present, else `value`. */
function valuesOf(v: FnValue): string[] {
  if (Array.isArray(v.multiValue) && v.multiValue.length > 0) return v.multiValue.map((m) => String(m?.value ?? ""));
  return [String(v.value ?? "")];
}

/** Query parameters as received (still percent-encoded), in order. */
export function parseQuery(search: string): FnValues {
  const out: FnValues = {};
  if (search.length <= 1) return out;
  for (const part of search.slice(1).split("&")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    add(out, eq < 0 ? part : part.slice(0, eq), eq < 0 ? "" : part.slice(eq + 1));
  }
  return out;
}

export function parseCookies(header: string | null): FnValues {
  const out: FnValues = {};
  if (header === null) return out;
  for (const part of header.split(";")) {
    const s = part.trim();
    if (s === "") continue;
    const eq = s.indexOf("=");
    add(out, eq < 0 ? s : s.slice(0, eq), eq < 0 ? "" : s.slice(eq + 1));
  }
  return out;
}

/**
 * Headers in CloudFront's shape; the Cookie header is given as `cookies` instead, as CloudFront does. The
 * runtime's own `cf-*` headers are not part of what a CloudFront viewer sent.
 */
export function headersOf(headers: Headers, skipCookie: boolean): FnValues {
  const out: FnValues = {};
  for (const [name, value] of headers) {
    if (skipCookie && name === "cookie") continue;
    if (name === "set-cookie" || name.startsWith("cf-")) continue;
    add(out, name, value);
  }
  return out;
}

export function requestEvent(
  request: Request,
  pathname: string,
  search: string,
  context: FnEvent["context"],
  viewerIp: string,
): FnEvent {
  return {
    version: "1.0",
    context,
    viewer: { ip: viewerIp },
    request: {
      method: request.method,
      uri: pathname,
      querystring: parseQuery(search),
      headers: headersOf(request.headers, true),
      cookies: parseCookies(request.headers.get("cookie")),
    },
  };
}

/** The response part of a viewer-response event; Set-Cookie headers become `cookies`, as CloudFront gives them. */
export function responseOf(response: Response): FnResponse {
  const cookies: Record<string, FnCookie> = {};
  for (const line of response.headers.getSetCookie()) {
    const semi = line.indexOf(";");
    const pair = semi < 0 ? line : line.slice(0, semi);
    const eq = pair.indexOf("=");
    const name = (eq < 0 ? pair : pair.slice(0, eq)).trim();
    const value = eq < 0 ? "" : pair.slice(eq + 1).trim();
    const attributes = semi < 0 ? undefined : line.slice(semi + 1).trim();
    const entry: { value: string; attributes?: string } = attributes === undefined ? { value } : { value, attributes };
    const have = cookies[name];
    if (have === undefined) cookies[name] = { ...entry };
    else {
      const first =
        have.attributes === undefined ? { value: have.value } : { value: have.value, attributes: have.attributes };
      have.multiValue = [...(have.multiValue ?? [first]), entry];
    }
  }
  return {
    statusCode: response.status,
    statusDescription: response.statusText,
    headers: headersOf(response.headers, false),
    cookies,
  };
}

/** What a handler returned, as data the edge can act on; anything else is the function's error. */
export type HandlerOutcome =
  | { kind: "request"; request: FnRequest }
  | { kind: "response"; response: FnResponse }
  | { kind: "invalid"; message: string };

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object";

/**
 * A viewer-request handler returns the request (to continue) or a response (to answer from the edge: anything with
 * a statusCode); a viewer-response handler returns the response.
 */
export function readOutcome(output: unknown, eventType: FnEventType): HandlerOutcome {
  if (!isObject(output)) return { kind: "invalid", message: "The function returned no object" };
  if (eventType === "viewer-request" && output.statusCode === undefined) {
    if (typeof output.uri !== "string" || !output.uri.startsWith("/")) {
      return { kind: "invalid", message: "The request's uri must be a string starting with /" };
    }
    return {
      kind: "request",
      request: {
        method: String(output.method ?? "GET"),
        uri: output.uri,
        querystring: valuesRecord(output.querystring),
        headers: valuesRecord(output.headers),
        cookies: valuesRecord(output.cookies),
      },
    };
  }
  const status = Number(output.statusCode);
  if (!Number.isInteger(status) || status < 200 || status > 599) {
    return { kind: "invalid", message: `The response's statusCode ${String(output.statusCode)} is not valid` };
  }
  const body = output.body;
  return {
    kind: "response",
    response: {
      statusCode: status,
      ...(typeof output.statusDescription === "string" ? { statusDescription: output.statusDescription } : {}),
      headers: valuesRecord(output.headers),
      cookies: valuesRecord(output.cookies) as Record<string, FnCookie>,
      ...(typeof body === "string" || isObject(body) ? { body: body as FnResponse["body"] } : {}),
    },
  };
}

function valuesRecord(v: unknown): FnValues {
  if (!isObject(v)) return {};
  const out: FnValues = {};
  for (const [k, x] of Object.entries(v)) if (isObject(x)) out[k] = x as unknown as FnValue;
  return out;
}

/** The query string a request object stands for: "" or "?a=1&b=2" (values as given, already encoded). */
export function searchOf(q: FnValues): string {
  const parts: string[] = [];
  for (const [name, v] of Object.entries(q)) for (const value of valuesOf(v)) parts.push(`${name}=${value}`);
  return parts.length === 0 ? "" : `?${parts.join("&")}`;
}

/** The request's headers, with the Cookie header rebuilt from `cookies`. */
export function headersFrom(r: FnRequest): Headers {
  const h = new Headers();
  for (const [name, v] of Object.entries(r.headers)) {
    if (name.toLowerCase() === "cookie") continue;
    for (const value of valuesOf(v)) h.append(name, value);
  }
  const cookies: string[] = [];
  for (const [name, v] of Object.entries(r.cookies)) for (const value of valuesOf(v)) cookies.push(`${name}=${value}`);
  if (cookies.length > 0) h.set("cookie", cookies.join("; "));
  return h;
}

/** A response from a handler's response object (headers, Set-Cookie from `cookies`, the 2.0 body). */
export function responseFrom(r: FnResponse, fallbackBody: BodyInit | null): Response {
  const h = new Headers();
  for (const [name, v] of Object.entries(r.headers)) for (const value of valuesOf(v)) h.append(name, value);
  for (const [name, c] of Object.entries(r.cookies)) {
    const all = Array.isArray(c.multiValue) && c.multiValue.length > 0 ? c.multiValue : [c];
    for (const m of all) {
      const attributes = typeof m.attributes === "string" && m.attributes !== "" ? `; ${m.attributes}` : "";
      h.append("set-cookie", `${name}=${String(m.value ?? "")}${attributes}`);
    }
  }
  const body = bodyOf(r.body, fallbackBody);
  const status = r.statusCode;
  const nullBody = status === 204 || status === 304 || (status >= 100 && status < 200);
  return new Response(nullBody ? null : body, {
    status,
    ...(r.statusDescription !== undefined ? { statusText: r.statusDescription } : {}),
    headers: h,
    // A body kept from the response served (the origin's or the cache's) goes on as it was sent, maybe compressed
    // (origin.ts fetches with encodeResponseBody: manual): the runtime must not compress it again.
    ...(r.body === undefined && fallbackBody !== null ? { encodeBody: "manual" as const } : {}),
  });
}

function bodyOf(body: FnResponse["body"], fallback: BodyInit | null): BodyInit | null {
  if (body === undefined) return fallback;
  if (typeof body === "string") return body;
  const data = String(body.data ?? "");
  if (body.encoding === "base64") {
    const bin = atob(data);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return bytes;
  }
  return data;
}
