/**
 * Routes of the three tag operations (botocore model): `POST /tagging?Operation=Tag&Resource=<arn>` (TagResource,
 * body Tags, 204), `POST /tagging?Operation=Untag&Resource=<arn>` (UntagResource, body TagKeys, 204) and
 * `GET /tagging?Resource=<arn>` (ListTagsForResource, 200 Tags).
 */
import { Hono } from "hono";
import { bodyText, type ControlEnv, errorResponse, plane, xmlResponse } from "../context.js";
import { parseTagKeys, parseTags } from "../documents.js";
import { renderTags } from "../render.js";
import { methodNotAllowed } from "./method-not-allowed.js";

const ROOT = "/tagging";

export const taggingRoutes = new Hono<ControlEnv>()
  .post(ROOT, async (c) => {
    const arn = c.req.query("Resource");
    const operation = c.req.query("Operation");
    if (operation === "Tag") {
      const tags = parseTags(bodyText(c));
      if (!tags.ok) return errorResponse(c, tags.error);
      const r = await plane(c).tagResource(arn, tags.value);
      return r.ok ? c.body(null, 204) : errorResponse(c, r.error);
    }
    if (operation === "Untag") {
      const keys = parseTagKeys(bodyText(c));
      if (!keys.ok) return errorResponse(c, keys.error);
      const r = await plane(c).untagResource(arn, keys.value);
      return r.ok ? c.body(null, 204) : errorResponse(c, r.error);
    }
    return errorResponse(c, {
      tag: "invalid-argument",
      message: `Operation must be Tag or Untag, not ${JSON.stringify(operation ?? "")}.`,
    });
  })
  .get(ROOT, async (c) => {
    const r = await plane(c).listTags(c.req.query("Resource"));
    return r.ok ? xmlResponse(c, 200, "Tags", renderTags(r.value)) : errorResponse(c, r.error);
  })
  .all(ROOT, methodNotAllowed);
