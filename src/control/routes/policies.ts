/** Routes of the six continuous deployment policy operations (reference §2). */
import { Hono } from "hono";
import { settings } from "../../env.js";
import { bodyText, type ControlEnv, errorResponse, locationOf, plane, xmlResponse } from "../context.js";
import { parsePolicyConfig } from "../documents.js";
import { paginate, policyConfigXml, renderPolicy, renderPolicyList } from "../render.js";
import { parseListQuery } from "./list-query.js";
import { methodNotAllowed } from "./method-not-allowed.js";

const ROOT = "/continuous-deployment-policy";

export const policyRoutes = new Hono<ControlEnv>()
  .post(ROOT, async (c) => {
    const cfg = parsePolicyConfig(bodyText(c));
    if (!cfg.ok) return errorResponse(c, cfg.error);
    const r = await plane(c).createPolicy(cfg.value);
    if (!r.ok) return errorResponse(c, r.error);
    const location = locationOf(c, "continuous-deployment-policy", r.value.id, settings(c.env).controlPathPrefix);
    return xmlResponse(c, 201, "ContinuousDeploymentPolicy", renderPolicy(r.value), {
      Location: location,
      ETag: r.value.etag,
    });
  })
  .get(ROOT, async (c) => {
    const q = parseListQuery(c);
    if (!q.ok) return errorResponse(c, q.error);
    const all = await plane(c).listPolicies();
    const page = paginate(all, q.value.marker, q.value.maxItems);
    return xmlResponse(c, 200, "ContinuousDeploymentPolicyList", renderPolicyList(page, all.length, q.value.maxItems));
  })
  .all(ROOT, methodNotAllowed)
  .get(`${ROOT}/:id`, async (c) => {
    const r = await plane(c).getPolicy(c.req.param("id"));
    if (!r.ok) return errorResponse(c, r.error);
    return xmlResponse(c, 200, "ContinuousDeploymentPolicy", renderPolicy(r.value), { ETag: r.value.etag });
  })
  .put(`${ROOT}/:id`, async (c) => {
    const cfg = parsePolicyConfig(bodyText(c));
    if (!cfg.ok) return errorResponse(c, cfg.error);
    const r = await plane(c).updatePolicy(c.req.param("id"), c.req.header("if-match"), cfg.value);
    if (!r.ok) return errorResponse(c, r.error);
    return xmlResponse(c, 200, "ContinuousDeploymentPolicy", renderPolicy(r.value), { ETag: r.value.etag });
  })
  .delete(`${ROOT}/:id`, async (c) => {
    const r = await plane(c).deletePolicy(c.req.param("id"), c.req.header("if-match"));
    if (!r.ok) return errorResponse(c, r.error);
    return c.body(null, 204);
  })
  .all(`${ROOT}/:id`, methodNotAllowed)
  .get(`${ROOT}/:id/config`, async (c) => {
    const r = await plane(c).getPolicy(c.req.param("id"));
    if (!r.ok) return errorResponse(c, r.error);
    return xmlResponse(c, 200, "ContinuousDeploymentPolicyConfig", policyConfigXml(r.value), {
      ETag: r.value.etag,
    });
  })
  .all(`${ROOT}/:id/config`, methodNotAllowed);
