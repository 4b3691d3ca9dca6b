/**
 * Routes of the distribution operations (reference §2): the eight of continuous deployment, including copy to
 * staging and promotion, and CreateDistributionWithTags.
 */
import { Hono } from "hono";
import type { DistributionView } from "../../domain/distribution/status.js";
import type { Result } from "../../domain/result.js";
import { settings } from "../../env.js";
import { bodyText, type ControlEnv, errorResponse, locationOf, plane, xmlResponse } from "../context.js";
import { parseCopyRequest, parseDistributionConfig, parseDistributionConfigWithTags } from "../documents.js";
import type { ControlError } from "../errors.js";
import { distributionConfigXml, paginate, renderDistribution, renderDistributionList } from "../render.js";
import { parseListQuery } from "./list-query.js";
import { methodNotAllowed } from "./method-not-allowed.js";

const ROOT = "/distribution";

export const distributionRoutes = new Hono<ControlEnv>()
  .post(ROOT, async (c) => {
    // CreateDistributionWithTags is the same path with a bare `?WithTags` (the Terraform provider's create).
    const withTags = new URL(c.req.url).searchParams.has("WithTags");
    let r: Result<DistributionView, ControlError>;
    if (withTags) {
      const doc = parseDistributionConfigWithTags(bodyText(c));
      if (!doc.ok) return errorResponse(c, doc.error);
      r = await plane(c).createDistributionWithTags(doc.value.config, doc.value.tags);
    } else {
      const cfg = parseDistributionConfig(bodyText(c));
      if (!cfg.ok) return errorResponse(c, cfg.error);
      r = await plane(c).createDistribution(cfg.value);
    }
    if (!r.ok) return errorResponse(c, r.error);
    const s = settings(c.env);
    return xmlResponse(c, 201, "Distribution", renderDistribution(r.value, s.accountId), {
      Location: locationOf(c, "distribution", r.value.id, s.controlPathPrefix),
      ETag: r.value.etag,
    });
  })
  .get(ROOT, async (c) => {
    const q = parseListQuery(c);
    if (!q.ok) return errorResponse(c, q.error);
    const all = await plane(c).listDistributions();
    const page = paginate(all, q.value.marker, q.value.maxItems);
    const body = renderDistributionList(page, q.value.marker, q.value.maxItems, settings(c.env).accountId);
    return xmlResponse(c, 200, "DistributionList", body);
  })
  .all(ROOT, methodNotAllowed)
  .get(`${ROOT}/:id`, async (c) => {
    const r = await plane(c).getDistribution(c.req.param("id"));
    if (!r.ok) return errorResponse(c, r.error);
    return xmlResponse(c, 200, "Distribution", renderDistribution(r.value, settings(c.env).accountId), {
      ETag: r.value.etag,
    });
  })
  .delete(`${ROOT}/:id`, async (c) => {
    const r = await plane(c).deleteDistribution(c.req.param("id"), c.req.header("if-match"));
    if (!r.ok) return errorResponse(c, r.error);
    return c.body(null, 204);
  })
  .all(`${ROOT}/:id`, methodNotAllowed)
  .get(`${ROOT}/:id/config`, async (c) => {
    const r = await plane(c).getDistribution(c.req.param("id"));
    if (!r.ok) return errorResponse(c, r.error);
    return xmlResponse(c, 200, "DistributionConfig", distributionConfigXml(r.value), {
      ETag: r.value.etag,
    });
  })
  .put(`${ROOT}/:id/config`, async (c) => {
    const cfg = parseDistributionConfig(bodyText(c));
    if (!cfg.ok) return errorResponse(c, cfg.error);
    const r = await plane(c).updateDistribution(c.req.param("id"), c.req.header("if-match"), cfg.value);
    if (!r.ok) return errorResponse(c, r.error);
    return xmlResponse(c, 200, "Distribution", renderDistribution(r.value, settings(c.env).accountId), {
      ETag: r.value.etag,
    });
  })
  .all(`${ROOT}/:id/config`, methodNotAllowed)
  .post(`${ROOT}/:id/copy`, async (c) => {
    const body = parseCopyRequest(bodyText(c));
    if (!body.ok) return errorResponse(c, body.error);
    const r = await plane(c).copyDistribution({
      primaryId: c.req.param("id"),
      staging: (c.req.header("staging") ?? "").trim().toLowerCase() === "true",
      ifMatch: c.req.header("if-match"),
      callerReference: body.value.CallerReference ?? "",
      enabled: body.value.Enabled,
    });
    if (!r.ok) return errorResponse(c, r.error);
    const s = settings(c.env);
    return xmlResponse(c, 201, "Distribution", renderDistribution(r.value, s.accountId), {
      Location: locationOf(c, "distribution", r.value.id, s.controlPathPrefix),
      ETag: r.value.etag,
    });
  })
  .all(`${ROOT}/:id/copy`, methodNotAllowed)
  .put(`${ROOT}/:id/promote-staging-config`, async (c) => {
    const r = await plane(c).promoteStaging(
      c.req.param("id"),
      c.req.query("StagingDistributionId"),
      c.req.header("if-match"),
    );
    if (!r.ok) return errorResponse(c, r.error);
    return xmlResponse(c, 200, "Distribution", renderDistribution(r.value, settings(c.env).accountId), {
      ETag: r.value.etag,
    });
  })
  .all(`${ROOT}/:id/promote-staging-config`, methodNotAllowed);
