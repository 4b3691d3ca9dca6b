/**
 * Composition root: the CloudFront control API under CONTROL_PATH_PREFIX (on CONTROL_HOSTNAMES when set), the
 * edge for everything else. workerd refuses named exports other than handlers and Durable Object classes, so
 * this module exports only those (test/integration/entry.test.ts keeps it so).
 */
import { Hono } from "hono";
import { controlApp } from "./control/app.js";
import { handleViewerRequest } from "./edge/handler.js";
import { settings } from "./env.js";

const app = new Hono<{ Bindings: Env }>();

app.all("*", (c) => {
  const s = settings(c.env);
  if (isControlRequest(c.req.path, c.req.url, s.controlPathPrefix, s.controlHostnames)) {
    return controlApp.fetch(c.req.raw, c.env, c.executionCtx);
  }
  return handleViewerRequest(c.req.raw, c.env, c.executionCtx);
});

/** Cheap for viewer requests: a string prefix test on the path; the URL is parsed only under the prefix. */
function isControlRequest(path: string, url: string, prefix: string, hosts: ReadonlySet<string>): boolean {
  if (path !== prefix && !path.startsWith(`${prefix}/`)) return false;
  return hosts.size === 0 || hosts.has(new URL(url).hostname);
}

export default app;
export { ControlPlane } from "./store/control-plane.js";
