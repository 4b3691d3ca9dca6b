/**
 * splitfront's deployment extensions under <prefix>/splitfront/v1/distributions/{id} (docs/extensions-api.md):
 * config history and restore, attach/detach shortcuts, preview links, rollouts. Signed with SigV4 like the
 * CloudFront API (the control app's middleware runs first); errors are JSON `{"error":{"code","message"}}`.
 */
import { type Context, Hono } from "hono";
import { MAX_HISTORY_VERSIONS } from "../../domain/history.js";
import { settings } from "../../env.js";
import { PREVIEW_PARAM, signPreviewToken } from "../../routing/preview-token.js";
import { importSessionKey, MIN_SECRET_LENGTH } from "../../routing/session-cookie.js";
import type { VersionedRecord } from "../../store/control-plane.js";
import { type ControlEnv, errorResponse, plane } from "../context.js";
import { jsonBody } from "../extensions/json.js";
import { historyView, previewLinkView, rolloutView, versionView } from "../extensions/views.js";
import { methodNotAllowed } from "./method-not-allowed.js";

const BASE = "/distributions/:id";

type C = Context<ControlEnv>;

/** A history version in the path: a positive integer, else InvalidArgument. */
function versionParam(c: C): number | null {
  const text = c.req.param("version") ?? "";
  return /^[1-9][0-9]{0,9}$/.test(text) ? Number(text) : null;
}

const badVersion = (c: C) =>
  errorResponse(c, { tag: "invalid-argument", message: "The version must be a positive integer." });

function attachmentView(v: VersionedRecord) {
  const policyId = v.record.config.ContinuousDeploymentPolicyId ?? "";
  return {
    distributionId: v.record.id,
    policyId: policyId === "" ? null : policyId,
    etag: v.record.etag,
    version: v.version === 0 ? null : v.version,
    lastModified: v.record.lastModified,
  };
}

function rolloutJson(c: C, status: 200 | 201, r: Parameters<typeof rolloutView>[0]) {
  // The rollout's id is its ETag: If-Match on an action names the rollout it is meant for.
  return c.json(rolloutView(r, settings(c.env).rolloutSecondMs, Date.now()), status, { ETag: r.id });
}

export const deploymentRoutes = new Hono<ControlEnv>()
  // History and restore.
  .get(`${BASE}/history`, async (c) => {
    const r = await plane(c).listHistory(c.req.param("id"));
    if (!r.ok) return errorResponse(c, r.error);
    return c.json(historyView(r.value.current, r.value.versions, MAX_HISTORY_VERSIONS), 200, {
      ETag: r.value.current.etag,
    });
  })
  .all(`${BASE}/history`, methodNotAllowed)
  .get(`${BASE}/history/:version`, async (c) => {
    const version = versionParam(c);
    if (version === null) return badVersion(c);
    const r = await plane(c).getHistoryVersion(c.req.param("id"), version);
    if (!r.ok) return errorResponse(c, r.error);
    return c.json({ distributionId: r.value.distributionId, ...versionView(r.value, null), config: r.value.config });
  })
  .all(`${BASE}/history/:version`, methodNotAllowed)
  .post(`${BASE}/history/:version/restore`, async (c) => {
    const version = versionParam(c);
    if (version === null) return badVersion(c);
    const r = await plane(c).restoreVersion(c.req.param("id"), version, c.req.header("if-match"));
    if (!r.ok) return errorResponse(c, r.error);
    return c.json({ ...attachmentView(r.value), restoredFrom: version }, 200, { ETag: r.value.record.etag });
  })
  .all(`${BASE}/history/:version/restore`, methodNotAllowed)
  // Attach and detach.
  .put(`${BASE}/policy`, async (c) => {
    const body = jsonBody(c.get("body"), true);
    if (!body.ok) return errorResponse(c, body.error);
    const raw = body.value;
    const policyId =
      typeof raw === "object" && raw !== null && !Array.isArray(raw)
        ? (raw as Record<string, unknown>).policyId
        : undefined;
    if (typeof policyId !== "string" || Object.keys(raw as object).length !== 1) {
      return errorResponse(c, { tag: "invalid-argument", message: 'The body must be {"policyId": "<policy id>"}.' });
    }
    const r = await plane(c).attachPolicy(c.req.param("id"), c.req.header("if-match"), policyId);
    if (!r.ok) return errorResponse(c, r.error);
    return c.json(attachmentView(r.value), 200, { ETag: r.value.record.etag });
  })
  .delete(`${BASE}/policy`, async (c) => {
    const r = await plane(c).detachPolicy(c.req.param("id"), c.req.header("if-match"));
    if (!r.ok) return errorResponse(c, r.error);
    return c.json(attachmentView(r.value), 200, { ETag: r.value.record.etag });
  })
  .all(`${BASE}/policy`, methodNotAllowed)
  // Preview links.
  .post(`${BASE}/preview-links`, async (c) => {
    const secret = c.env.SESSION_SECRET;
    if (secret === undefined || secret.length < MIN_SECRET_LENGTH) {
      return errorResponse(c, {
        tag: "not-configured",
        message: `SESSION_SECRET is not set (or shorter than ${MIN_SECRET_LENGTH} characters): preview links cannot be signed.`,
      });
    }
    const body = jsonBody(c.get("body"), true);
    if (!body.ok) return errorResponse(c, body.error);
    const r = await plane(c).grantPreviewLink(c.req.param("id"), body.value);
    if (!r.ok) return errorResponse(c, r.error);
    const g = r.value;
    const token = await signPreviewToken(
      { arm: g.arm, primaryId: g.primaryId, expiresAt: g.expiresAt },
      await importSessionKey(secret),
    );
    // The link uses the control request's scheme and port: the same worker serves both faces.
    const control = new URL(c.req.url);
    const url = `${control.protocol}//${g.host}${control.port === "" ? "" : `:${control.port}`}${g.path}?${PREVIEW_PARAM}=${token}`;
    return c.json(previewLinkView(url, g), 201);
  })
  .all(`${BASE}/preview-links`, methodNotAllowed)
  // Rollouts.
  .put(`${BASE}/rollout`, async (c) => {
    const body = jsonBody(c.get("body"), true);
    if (!body.ok) return errorResponse(c, body.error);
    const r = await plane(c).startRollout(c.req.param("id"), body.value);
    if (!r.ok) return errorResponse(c, r.error);
    return rolloutJson(c, 201, r.value);
  })
  .get(`${BASE}/rollout`, async (c) => {
    const r = await plane(c).getRollout(c.req.param("id"));
    if (!r.ok) return errorResponse(c, r.error);
    return rolloutJson(c, 200, r.value);
  })
  .all(`${BASE}/rollout`, methodNotAllowed)
  .post(`${BASE}/rollout/:action{approve|pause|resume|abort}`, async (c) => {
    const action = c.req.param("action") as "approve" | "pause" | "resume" | "abort";
    const body = jsonBody(c.get("body"), false);
    if (!body.ok) return errorResponse(c, body.error);
    const raw = body.value as Record<string, unknown> | null;
    const given = typeof raw === "object" && raw !== null ? raw.reason : undefined;
    if (given !== undefined && (typeof given !== "string" || given.length > 500)) {
      return errorResponse(c, {
        tag: "invalid-argument",
        message: "reason must be a string of at most 500 characters.",
      });
    }
    const reason = given === undefined || given.trim() === "" ? "aborted by the operator" : given.trim();
    const r = await plane(c).rolloutAction(c.req.param("id"), action, reason, c.req.header("if-match"));
    if (!r.ok) return errorResponse(c, r.error);
    return rolloutJson(c, 200, r.value);
  })
  .all(`${BASE}/rollout/:action{approve|pause|resume|abort}`, methodNotAllowed);
