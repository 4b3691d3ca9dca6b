/**
 * Composition root: the CloudFront control API (a Hono app) under CONTROL_PATH_PREFIX, on CONTROL_HOSTNAMES when
 * set; the edge for everything else. The split is one prefix test on the request's URL, so a viewer request
 * goes straight to the edge without a router or a per-request context object. workerd refuses named exports other
 * than handlers and Durable Object classes, so this module exports only those (test/integration/entry.test.ts
 * keeps it so).
 */
import { controlApp } from "./control/app.js";
import { containFailure, handleViewerRequest } from "./edge/handler.js";
import { type ViewerUrl, viewerUrl } from "./edge/viewer-url.js";
import { type Settings, settings } from "./env.js";

function isControlRequest(url: ViewerUrl, s: Settings): boolean {
  const path = url.pathname;
  const prefix = s.controlPathPrefix;
  if (path !== prefix && !path.startsWith(`${prefix}/`)) return false;
  return s.controlHostnames.size === 0 || s.controlHostnames.has(url.hostname);
}

export default {
  // Any Request, not only an incoming one: tests and benchmarks call this entry point directly.
  fetch(request: Request, env: Env, ctx: ExecutionContext): Response | Promise<Response> {
    try {
      const s = settings(env);
      const url = viewerUrl(request.url);
      if (isControlRequest(url, s)) return controlApp.fetch(request, env, ctx);
      return handleViewerRequest(request, env, ctx, url, s);
    } catch (err) {
      // The viewer path contains its own failures (and the control API has its onError): this is the last resort.
      return containFailure(err, request, () => request.headers.get("cf-ray") ?? "-");
    }
  },
} satisfies ExportedHandler<Env>;

export { ControlPlane } from "./store/control-plane.js";
export { MetricsStore } from "./store/metrics-store.js";
