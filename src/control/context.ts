/**
 * The Hono environment of the control API and the helpers every route uses: the request id, the already-read
 * body, XML and error responses, and the ControlPlane Durable Object stub.
 */
import type { Context } from "hono";
import type { ControlPlane } from "../store/control-plane.js";
import { requestId } from "../store/ids.js";
import { type ControlError, errorBody, toWire } from "./errors.js";
import { serializeDocument } from "./xml/serialize.js";
import type { XmlValue } from "./xml/value.js";

export type ControlEnv = {
  Bindings: Env;
  /** `json`: the request is for splitfront's JSON extensions (EXTENSIONS_PATH), whose errors are JSON. */
  Variables: { requestId: string; body: Uint8Array; json: boolean };
};

export type ControlContext = Context<ControlEnv>;

const XML = { "content-type": "text/xml" };

export function errorResponse(c: ControlContext, e: ControlError): Response {
  const w = toWire(e);
  // Requests that never reached the middleware (e.g. the bare prefix) still get a request id.
  let id = c.get("requestId") as string | undefined;
  if (id === undefined) {
    id = requestId();
    c.set("requestId", id);
  }
  // splitfront's JSON extensions answer in JSON, signature failures included (docs/extensions-api.md).
  if (c.get("json") === true) {
    return c.json({ error: { code: w.code, message: w.message } }, w.status, { "x-amz-request-id": id });
  }
  return c.body(errorBody(w, id), w.status, { ...XML, "x-amz-request-id": id });
}

/** Where splitfront's JSON extensions live, below the control prefix (routes/metrics.ts, routes/deployments.ts). */
export const EXTENSIONS_PATH = "/splitfront/v1";

export function xmlResponse(
  c: ControlContext,
  status: 200 | 201,
  root: string,
  value: XmlValue,
  headers: Record<string, string> = {},
): Response {
  return c.body(serializeDocument(root, root, value), status, { ...XML, ...headers });
}

/** The one ControlPlane instance: every write is serialised through it. */
export function plane(c: ControlContext): DurableObjectStub<ControlPlane> {
  const ns = c.env.CONTROL_PLANE as DurableObjectNamespace<ControlPlane>;
  return ns.get(ns.idFromName("global"));
}

/** The Location of a created resource: `<scheme>://<host><prefix>/2020-05-31/<resource>/<Id>`. */
export function locationOf(c: ControlContext, resource: string, id: string, prefix: string): string {
  const url = new URL(c.req.url);
  return `${url.protocol}//${url.host}${prefix}/2020-05-31/${resource}/${id}`;
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/**
 * The request body as text. Bytes that are not UTF-8 come back as U+FFFE, a character XML 1.0 cannot carry, so
 * the XML parser refuses the document (MalformedXML) instead of storing a silently repaired one.
 */
export function bodyText(c: ControlContext): string {
  const bytes = c.get("body");
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return new TextDecoder().decode(bytes).replaceAll("\uFFFD", "\uFFFE");
  }
}
