/**
 * A behaviour's functions around serving a request: the viewer-request function before the cache and the origin
 * (it may rewrite the request or answer from the edge), the viewer-response function on whatever is sent back
 * (cache hit or origin). A function that throws, returns something unusable or overruns its limits answers 503,
 * as CloudFront does, and no other request notices: its runtime is discarded. Its console.log lines are written
 * as one log record per run.
 */
import type { EdgeFunction, EdgeFunctions } from "../../model/edge-config.js";
import { errorPage } from "../error-pages.js";
import { type ResultType, type ServeContext, type Served, withRequest } from "../serve.js";
import {
  type FnEvent,
  type FnEventType,
  type HandlerOutcome,
  headersFrom,
  readOutcome,
  requestEvent,
  responseFrom,
  responseOf,
  searchOf,
} from "./event.js";
import { runAtEdge } from "./run.js";
import type { RunResult } from "./sandbox.js";

export interface FunctionSite {
  distributionId: string;
  distributionDomainName: string;
}

type Next = (cx: ServeContext) => Served | Promise<Served>;

/** Serves through `next`, with the behaviour's functions around it. */
export function serveWithFunctions(fns: EdgeFunctions, site: FunctionSite, cx: ServeContext, next: Next) {
  const event = requestEvent(cx.request, cx.url.pathname, cx.url.search, context(site, cx, "viewer-request"), ip(cx));
  const after = (served: Served | Promise<Served>, request: FnEvent["request"]) => {
    const onResponse = fns.viewerResponse;
    if (onResponse === undefined) return served;
    const respond = (s: Served) => viewerResponse(onResponse, site, cx, request, s);
    return served instanceof Promise ? served.then(respond) : respond(served);
  };
  const onRequest = fns.viewerRequest;
  if (onRequest === undefined) return after(next(cx), event.request);
  const ran = runAtEdge(onRequest, JSON.stringify(event));
  const decide = (r: RunResult): Served | Promise<Served> => {
    const outcome = outcomeOf(r, onRequest, site, cx, "viewer-request");
    switch (outcome.kind) {
      case "failed":
        return outcome.served;
      case "response":
        return after(
          { response: responseFrom(outcome.response, null), result: "FunctionGeneratedResponse", fromOrigin: false },
          event.request,
        );
      case "request": {
        const req = outcome.request;
        const href = `${cx.url.protocol}//${cx.url.host}${req.uri}${searchOf(req.querystring)}`;
        const headers = headersFrom(req);
        // The runtime's own cf-* headers are not the function's to see or change (event.ts): they stay, so the
        // origin still gets the viewer's address in X-Forwarded-For.
        for (const [name, value] of cx.headers) if (name.startsWith("cf-")) headers.set(name, value);
        const request = new Request(href, { method: cx.method, headers, body: cx.request.body });
        return after(next(withRequest(cx, request)), req);
      }
      default:
        return outcome satisfies never;
    }
  };
  return ran instanceof Promise ? ran.then(decide) : decide(ran);
}

function viewerResponse(
  fn: EdgeFunction,
  site: FunctionSite,
  cx: ServeContext,
  request: FnEvent["request"],
  served: Served,
): Served | Promise<Served> {
  const event: FnEvent = {
    version: "1.0",
    context: context(site, cx, "viewer-response"),
    viewer: { ip: ip(cx) },
    request,
    response: responseOf(served.response),
  };
  const ran = runAtEdge(fn, JSON.stringify(event));
  const apply = (r: RunResult): Served => {
    const outcome = outcomeOf(r, fn, site, cx, "viewer-response");
    if (outcome.kind === "failed") {
      served.response.body?.cancel().catch(() => undefined);
      return outcome.served;
    }
    if (outcome.kind !== "response") return served;
    // The body stays the one served (a viewer-response function changes status and headers, not the body).
    const response = responseFrom(outcome.response, served.response.body);
    if (response.body === null) served.response.body?.cancel().catch(() => undefined);
    return { ...served, response, fromOrigin: false };
  };
  return ran instanceof Promise ? ran.then(apply) : apply(ran);
}

type Outcome = Exclude<HandlerOutcome, { kind: "invalid" }> | { kind: "failed"; served: Served };

function outcomeOf(r: RunResult, fn: EdgeFunction, site: FunctionSite, cx: ServeContext, type: FnEventType): Outcome {
  if (r.logs.length > 0 || !r.ok) logRun(fn, site, cx, type, r);
  if (!r.ok) return failed(cx, r.failure === "compute" ? "FunctionThrottledError" : "FunctionExecutionError");
  let outcome: HandlerOutcome;
  try {
    outcome = readOutcome(JSON.parse(r.output), type);
  } catch {
    outcome = { kind: "invalid", message: "The function's result is not JSON" };
  }
  if (outcome.kind === "invalid") {
    logRun(fn, site, cx, type, { ok: false, failure: "error", message: outcome.message, ticks: r.ticks, logs: [] });
    return failed(cx, "FunctionExecutionError");
  }
  return outcome;
}

function failed(cx: ServeContext, result: ResultType): Outcome {
  return {
    kind: "failed",
    served: {
      response: errorPage("function-failed", cx.requestId),
      result,
      fromOrigin: false,
      edgeError: "function-failed",
    },
  };
}

function context(site: FunctionSite, cx: ServeContext, eventType: FnEventType): FnEvent["context"] {
  return {
    distributionDomainName: site.distributionDomainName,
    distributionId: site.distributionId,
    eventType,
    requestId: cx.requestId(),
  };
}

const ip = (cx: ServeContext) => cx.headers.get("cf-connecting-ip") ?? "";

/** The function's console.log lines (and its error), as CloudFront sends them to the function's log group. */
function logRun(fn: EdgeFunction, site: FunctionSite, cx: ServeContext, eventType: FnEventType, r: RunResult): void {
  console.log(
    JSON.stringify({
      functionLog: true,
      requestId: cx.requestId(),
      distributionId: site.distributionId,
      functionName: fn.name,
      eventType,
      lines: r.logs,
      ...(r.ok ? {} : { error: r.message, failure: r.failure }),
    }),
  );
}
