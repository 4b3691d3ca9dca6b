/**
 * The CloudFront REST-XML control API (2020-05-31), mounted by src/index.ts under CONTROL_PATH_PREFIX. Every
 * request gets an x-amz-request-id; the body is read once (at most 1 MiB) and the SigV4 signature verified
 * before anything else; then the operation routes run. Unknown paths and unexpected errors still answer with a
 * CloudFront error body, never with internals. The console's static files (routes/console.ts) come first, unsigned.
 */
import { Hono } from "hono";
import { settings } from "../env.js";
import { requestId } from "../store/ids.js";
import { bearerAllowed } from "./bearer.js";
import { MAX_BODY_BYTES, readLimitedBody } from "./body.js";
import { type ControlEnv, EXTENSIONS_PATH, errorResponse } from "./context.js";
import { behaviorPolicyRoutes } from "./routes/behavior-policies.js";
import { CONSOLE_PATH, serveConsole } from "./routes/console.js";
import { deploymentRoutes } from "./routes/deployments.js";
import { distributionRoutes } from "./routes/distributions.js";
import { functionRoutes } from "./routes/functions.js";
import { metricsRoutes, PROMETHEUS_PATH } from "./routes/metrics.js";
import { policyRoutes } from "./routes/policies.js";
import { taggingRoutes } from "./routes/tagging.js";
import { parseAccessKeys, verifySigV4 } from "./sigv4.js";

const keyCache = new WeakMap<Env, ReadonlyMap<string, string>>();

function accessKeys(env: Env): ReadonlyMap<string, string> {
  let keys = keyCache.get(env);
  if (keys === undefined) {
    keys = parseAccessKeys(env.CONTROL_ACCESS_KEYS ?? "");
    keyCache.set(env, keys);
  }
  return keys;
}

function buildApi(prefix: string): Hono<ControlEnv> {
  const api = new Hono<ControlEnv>().basePath(prefix);
  // The console's static files, before the SigV4 check: the page signs its own API requests (docs/console.md).
  api.all(CONSOLE_PATH, serveConsole);
  api.all(`${CONSOLE_PATH}/*`, serveConsole);
  api.use("*", async (c, next) => {
    c.set("requestId", requestId());
    c.header("x-amz-request-id", c.get("requestId"));
    const url = new URL(c.req.url);
    const path = url.pathname.slice(prefix.length);
    c.set("json", path === EXTENSIONS_PATH || path.startsWith(`${EXTENSIONS_PATH}/`));
    const body = await readLimitedBody(c.req.raw);
    if (!body.ok) return errorResponse(c, { tag: "body-too-large", limit: MAX_BODY_BYTES });
    // Prometheus cannot sign SigV4: its endpoint also takes the METRICS_TOKEN secret as a Bearer token.
    if (path === PROMETHEUS_PATH && (await bearerAllowed(c.req.header("authorization"), c.env.METRICS_TOKEN))) {
      c.set("body", body.bytes);
      return next();
    }
    const auth = await verifySigV4(
      { method: c.req.method, url, headers: c.req.raw.headers, body: body.bytes },
      accessKeys(c.env),
      Date.now(),
    );
    if (!auth.ok) return errorResponse(c, { tag: "access-denied", reason: auth.reason });
    c.set("body", body.bytes);
    return next();
  });
  api.route("/2020-05-31", policyRoutes);
  api.route("/2020-05-31", distributionRoutes);
  api.route("/2020-05-31", behaviorPolicyRoutes);
  api.route("/2020-05-31", taggingRoutes);
  api.route("/2020-05-31", functionRoutes);
  // splitfront's JSON extensions (docs/extensions-api.md): per-arm metrics, and history, attach/detach, preview
  // links and rollouts. Unknown paths under them get api.notFound's JSON 404 (the `json` flag above).
  api.route(EXTENSIONS_PATH, metricsRoutes);
  api.route(EXTENSIONS_PATH, deploymentRoutes);
  api.notFound((c) => errorResponse(c, { tag: "not-found", path: new URL(c.req.url).pathname }));
  api.onError((e, c) => {
    console.error("control API: unexpected error", e);
    return errorResponse(c, { tag: "internal" });
  });
  return api;
}

const apis = new Map<string, Hono<ControlEnv>>();

export const controlApp = new Hono<{ Bindings: Env }>();
controlApp.all("*", (c) => {
  const prefix = settings(c.env).controlPathPrefix;
  let api = apis.get(prefix);
  if (api === undefined) {
    api = buildApi(prefix);
    apis.set(prefix, api);
  }
  return api.fetch(c.req.raw, c.env, c.executionCtx);
});
