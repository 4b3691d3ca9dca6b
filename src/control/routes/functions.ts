/**
 * Routes of the eight CloudFront Functions operations (botocore's model, 2020-05-31): create, describe, get (the
 * code itself, application/octet-stream), update, publish, test, delete and list. ETags are per stage; UpdateFunction
 * answers with the model's misspelt `ETtag` header (what the SDKs read) as well as `ETag`.
 */
import { Hono } from "hono";
import { type FunctionStage, functionArn } from "../../domain/functions/types.js";
import { checkIfMatch } from "../../domain/preconditions.js";
import { invalid, ok, type Result } from "../../domain/result.js";
import { settings } from "../../env.js";
import { bodyText, type ControlContext, type ControlEnv, errorResponse, plane, xmlResponse } from "../context.js";
import { parseCreateFunction, parseTestFunction, parseUpdateFunction } from "../documents.js";
import { decodeBase64Text, parseEventObject, testFunction } from "../functions-test.js";
import { paginate } from "../render.js";
import { listKey, renderFunctionList, renderFunctionSummary } from "../render-functions.js";
import { parseListQuery } from "./list-query.js";
import { methodNotAllowed } from "./method-not-allowed.js";

const ROOT = "/function";

function stageOf(raw: string | undefined, fallback: FunctionStage | undefined): Result<FunctionStage | undefined> {
  if (raw === undefined || raw === "") return ok(fallback);
  if (raw === "DEVELOPMENT" || raw === "LIVE") return ok(raw);
  return invalid("Stage must be DEVELOPMENT or LIVE.");
}

const accountOf = (c: ControlContext) => settings(c.env).accountId;

export const functionRoutes = new Hono<ControlEnv>()
  .post(ROOT, async (c) => {
    const body = parseCreateFunction(bodyText(c));
    if (!body.ok) return errorResponse(c, body.error);
    const { Name, FunctionConfig, FunctionCode } = body.value;
    const r = await plane(c).createFunction(Name, { config: FunctionConfig, code: FunctionCode });
    if (!r.ok) return errorResponse(c, r.error);
    const staged = { record: r.value, stage: "DEVELOPMENT" as const, version: r.value.development, associated: false };
    const summary = renderFunctionSummary(staged, accountOf(c));
    const url = new URL(c.req.url);
    const prefix = settings(c.env).controlPathPrefix;
    return xmlResponse(c, 201, "FunctionSummary", summary, {
      Location: `${url.protocol}//${url.host}${prefix}/2020-05-31/function/${functionArn(accountOf(c), Name)}`,
      ETag: r.value.development.etag,
    });
  })
  .get(ROOT, async (c) => {
    const q = parseListQuery(c);
    if (!q.ok) return errorResponse(c, q.error);
    const stage = stageOf(c.req.query("Stage"), undefined);
    if (!stage.ok) return errorResponse(c, stage.error);
    const all = (await plane(c).listFunctions(stage.value)).map((f) => ({ ...f, id: listKey(f) }));
    const page = paginate(all, q.value.marker, q.value.maxItems);
    return xmlResponse(c, 200, "FunctionList", renderFunctionList(page, q.value.maxItems, accountOf(c)));
  })
  .all(ROOT, methodNotAllowed)
  .get(`${ROOT}/:name/describe`, async (c) => {
    const stage = stageOf(c.req.query("Stage"), "DEVELOPMENT");
    if (!stage.ok) return errorResponse(c, stage.error);
    const r = await plane(c).describeFunction(c.req.param("name"), stage.value ?? "DEVELOPMENT");
    if (!r.ok) return errorResponse(c, r.error);
    return xmlResponse(c, 200, "FunctionSummary", renderFunctionSummary(r.value, accountOf(c)), {
      ETag: r.value.version.etag,
    });
  })
  .all(`${ROOT}/:name/describe`, methodNotAllowed)
  .get(`${ROOT}/:name`, async (c) => {
    const stage = stageOf(c.req.query("Stage"), "DEVELOPMENT");
    if (!stage.ok) return errorResponse(c, stage.error);
    const r = await plane(c).describeFunction(c.req.param("name"), stage.value ?? "DEVELOPMENT");
    if (!r.ok) return errorResponse(c, r.error);
    const bin = atob(r.value.version.code);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return c.body(bytes, 200, { "content-type": "application/octet-stream", ETag: r.value.version.etag });
  })
  .put(`${ROOT}/:name`, async (c) => {
    const body = parseUpdateFunction(bodyText(c));
    if (!body.ok) return errorResponse(c, body.error);
    const { FunctionConfig, FunctionCode } = body.value;
    const r = await plane(c).updateFunction(c.req.param("name"), c.req.header("if-match"), {
      config: FunctionConfig,
      code: FunctionCode,
    });
    if (!r.ok) return errorResponse(c, r.error);
    const described = await plane(c).describeFunction(r.value.name, "DEVELOPMENT");
    if (!described.ok) return errorResponse(c, described.error);
    const etag = r.value.development.etag;
    return xmlResponse(c, 200, "FunctionSummary", renderFunctionSummary(described.value, accountOf(c)), {
      ETag: etag,
      ETtag: etag,
    });
  })
  .delete(`${ROOT}/:name`, async (c) => {
    const r = await plane(c).deleteFunction(c.req.param("name"), c.req.header("if-match"));
    if (!r.ok) return errorResponse(c, r.error);
    return c.body(null, 204);
  })
  .all(`${ROOT}/:name`, methodNotAllowed)
  .post(`${ROOT}/:name/publish`, async (c) => {
    const r = await plane(c).publishFunction(c.req.param("name"), c.req.header("if-match"));
    if (!r.ok) return errorResponse(c, r.error);
    const described = await plane(c).describeFunction(r.value.name, "LIVE");
    if (!described.ok) return errorResponse(c, described.error);
    return xmlResponse(c, 200, "FunctionSummary", renderFunctionSummary(described.value, accountOf(c)));
  })
  .all(`${ROOT}/:name/publish`, methodNotAllowed)
  .post(`${ROOT}/:name/test`, async (c) => {
    const body = parseTestFunction(bodyText(c));
    if (!body.ok) return errorResponse(c, body.error);
    const stage = stageOf(body.value.Stage, "DEVELOPMENT");
    if (!stage.ok) return errorResponse(c, stage.error);
    const r = await plane(c).describeFunction(c.req.param("name"), stage.value ?? "DEVELOPMENT");
    if (!r.ok) return errorResponse(c, r.error);
    const pre = checkIfMatch(c.req.header("if-match"), r.value.version.etag);
    if (!pre.ok) return errorResponse(c, pre.error);
    const text = decodeBase64Text(body.value.EventObject);
    if (text === null)
      return errorResponse(c, { tag: "invalid-argument", message: "The EventObject is not UTF-8 text." });
    const event = parseEventObject(text);
    if ("error" in event) return errorResponse(c, { tag: "invalid-argument", message: event.error });
    const code = decodeBase64Text(r.value.version.code);
    if (code === null)
      return errorResponse(c, { tag: "test-function-failed", message: "The function code is not UTF-8 text." });
    const t = await testFunction(code, event.json, event.eventType);
    return xmlResponse(c, 200, "TestResult", {
      FunctionSummary: renderFunctionSummary(r.value, accountOf(c)),
      ComputeUtilization: t.computeUtilization,
      FunctionExecutionLogs: t.logs,
      FunctionErrorMessage: t.errorMessage,
      FunctionOutput: t.output,
    });
  })
  .all(`${ROOT}/:name/test`, methodNotAllowed);
