/**
 * Routes of the cache, origin request and response headers policy operations: Create, Get, GetConfig, Update,
 * Delete and List (with `Type=managed|custom`) for each kind, built from one table of paths and XML root names
 * (the service model's shapes). Managed policies come back from Get and List like custom ones.
 */
import { Hono } from "hono";
import { isManaged } from "../../domain/behavior-policies/managed.js";
import { POLICY_OPERATION, type PolicyKind, type PolicyType } from "../../domain/behavior-policies/types.js";
import { invalid } from "../../domain/result.js";
import { settings } from "../../env.js";
import {
  bodyText,
  type ControlContext,
  type ControlEnv,
  errorResponse,
  locationOf,
  plane,
  xmlResponse,
} from "../context.js";
import { parseBehaviorPolicyConfig } from "../documents.js";
import { behaviorPolicyConfigXml, paginate, renderBehaviorPolicy, renderBehaviorPolicyList } from "../render.js";
import { parseListQuery } from "./list-query.js";
import { methodNotAllowed } from "./method-not-allowed.js";

interface KindWire {
  /** Path segment under /2020-05-31. */
  resource: string;
  /** `CachePolicy`: the resource's root element and its summary's member, as its operations name it. */
  root: string;
}

const WIRE: Record<PolicyKind, KindWire> = {
  cache: { resource: "cache-policy", root: POLICY_OPERATION.cache },
  "origin-request": { resource: "origin-request-policy", root: POLICY_OPERATION["origin-request"] },
  "response-headers": { resource: "response-headers-policy", root: POLICY_OPERATION["response-headers"] },
};

function parseType(c: ControlContext): ReturnType<typeof invalid> | { ok: true; value: PolicyType | undefined } {
  const type = c.req.query("Type");
  if (type === undefined || type === "") return { ok: true, value: undefined };
  if (type === "managed" || type === "custom") return { ok: true, value: type };
  return invalid("The parameter Type must be managed or custom.");
}

function routesFor(kind: PolicyKind): Hono<ControlEnv> {
  const { resource, root } = WIRE[kind];
  const configRoot = `${root}Config`;
  const path = `/${resource}`;
  return new Hono<ControlEnv>()
    .post(path, async (c) => {
      const cfg = parseBehaviorPolicyConfig(bodyText(c), configRoot);
      if (!cfg.ok) return errorResponse(c, cfg.error);
      const r = await plane(c).createBehaviorPolicy(kind, cfg.value);
      if (!r.ok) return errorResponse(c, r.error);
      const location = locationOf(c, resource, r.value.id, settings(c.env).controlPathPrefix);
      return xmlResponse(c, 201, root, renderBehaviorPolicy(r.value, configRoot), {
        Location: location,
        ETag: r.value.etag,
      });
    })
    .get(path, async (c) => {
      const q = parseListQuery(c);
      if (!q.ok) return errorResponse(c, q.error);
      const type = parseType(c);
      if (!type.ok) return errorResponse(c, type.error);
      const all = (await plane(c).listBehaviorPolicies(kind, type.value)).map((p) => ({
        ...p,
        type: isManaged(kind, p.id) ? ("managed" as const) : ("custom" as const),
      }));
      const page = paginate(all, q.value.marker, q.value.maxItems);
      return xmlResponse(c, 200, `${root}List`, renderBehaviorPolicyList(page, q.value.maxItems, root, configRoot));
    })
    .all(path, methodNotAllowed)
    .get(`${path}/:id`, async (c) => {
      const r = await plane(c).getBehaviorPolicy(kind, c.req.param("id"));
      if (!r.ok) return errorResponse(c, r.error);
      return xmlResponse(c, 200, root, renderBehaviorPolicy(r.value, configRoot), { ETag: r.value.etag });
    })
    .put(`${path}/:id`, async (c) => {
      const cfg = parseBehaviorPolicyConfig(bodyText(c), configRoot);
      if (!cfg.ok) return errorResponse(c, cfg.error);
      const r = await plane(c).updateBehaviorPolicy(kind, c.req.param("id"), c.req.header("if-match"), cfg.value);
      if (!r.ok) return errorResponse(c, r.error);
      return xmlResponse(c, 200, root, renderBehaviorPolicy(r.value, configRoot), { ETag: r.value.etag });
    })
    .delete(`${path}/:id`, async (c) => {
      const r = await plane(c).deleteBehaviorPolicy(kind, c.req.param("id"), c.req.header("if-match"));
      if (!r.ok) return errorResponse(c, r.error);
      return c.body(null, 204);
    })
    .all(`${path}/:id`, methodNotAllowed)
    .get(`${path}/:id/config`, async (c) => {
      const r = await plane(c).getBehaviorPolicy(kind, c.req.param("id"));
      if (!r.ok) return errorResponse(c, r.error);
      return xmlResponse(c, 200, configRoot, behaviorPolicyConfigXml(r.value), { ETag: r.value.etag });
    })
    .all(`${path}/:id/config`, methodNotAllowed);
}

export const behaviorPolicyRoutes = new Hono<ControlEnv>()
  .route("/", routesFor("cache"))
  .route("/", routesFor("origin-request"))
  .route("/", routesFor("response-headers"));
