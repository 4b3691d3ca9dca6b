/**
 * A behaviour's FunctionAssociations compiled for the edge: each names a function whose LIVE stage is resolved
 * here, at publish time, into the record (name, LIVE ETag, runtime, source text). Publishing a new LIVE version
 * therefore changes the records of exactly the hosts that use it, and the publisher rewrites those.
 */
import type { CacheBehavior, DefaultCacheBehavior } from "../domain/distribution/types.js";
import { FUNCTION_ARN, type FunctionRecord } from "../domain/functions/types.js";
import type { EdgeBehavior, EdgeFunction, EdgeFunctions } from "../model/edge-config.js";

const decoder = new TextDecoder();

function decodeBase64(b64: string): string {
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return decoder.decode(bytes);
}

function liveFunction(arn: string, functions: readonly FunctionRecord[]): EdgeFunction | undefined {
  const name = FUNCTION_ARN.exec(arn)?.[2];
  const live = functions.find((f) => f.name === name)?.live;
  if (name === undefined || live === undefined || live === null) return undefined;
  return { name, etag: live.etag, runtime: live.config.Runtime ?? "cloudfront-js-1.0", code: decodeBase64(live.code) };
}

/** `compiled` with its functions added; unchanged (no `functions` member) when it associates none. */
export function withFunctions(
  compiled: EdgeBehavior,
  source: DefaultCacheBehavior | CacheBehavior,
  functions: readonly FunctionRecord[],
): EdgeBehavior {
  const items = source.FunctionAssociations?.Items ?? [];
  if (items.length === 0) return compiled;
  const fns: EdgeFunctions = {};
  for (const a of items) {
    // Validation let only published functions in; one deleted or unpublished since is skipped, never half-run.
    const fn = liveFunction(a.FunctionARN ?? "", functions);
    if (fn === undefined) continue;
    if (a.EventType === "viewer-request") fns.viewerRequest = fn;
    else if (a.EventType === "viewer-response") fns.viewerResponse = fn;
  }
  return fns.viewerRequest === undefined && fns.viewerResponse === undefined
    ? compiled
    : { ...compiled, functions: fns };
}
