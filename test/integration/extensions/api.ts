/**
 * Helpers for the extension tests: a JSON client for /_cd/splitfront/v1 whose requests are signed with smithy's
 * SignatureV4 (the AWS SDK's own signer, test/support/shared/signing.ts) and sent through the real worker, and a
 * primary/staging pair built through the CloudFront API on the loopback test origins.
 */
import { exports } from "cloudflare:workers";
import { expect, inject } from "vitest";
import { signCloudFrontRequest } from "../../support/shared/signing.js";
import { uniqueHost } from "../../support/worker/edge.js";
import { call, ORIGIN, tagText } from "../control/client.js";
import { distributionConfigXml, headerPolicyXml, weightPolicyXml } from "../control/documents.js";

export const EXT = "/_cd/splitfront/v1/distributions";

export interface ExtOptions {
  headers?: Record<string, string>;
  unsigned?: boolean;
  /** A raw body instead of JSON.stringify(body). */
  raw?: string;
}

/** A signed JSON request to `${EXT}${path}`. */
export async function ext(method: string, path: string, body?: unknown, opts: ExtOptions = {}): Promise<Response> {
  const url = new URL(`${ORIGIN}${EXT}${path}`);
  const text = opts.raw ?? (body === undefined ? undefined : JSON.stringify(body));
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  if (text !== undefined) headers["content-type"] = "application/json";
  const signed = opts.unsigned
    ? { host: url.host, ...headers }
    : await signCloudFrontRequest(method, url, headers, text);
  return exports.default.fetch(new Request(url, { method, headers: signed, body: text }));
}

/** The JSON body, with the status checked (the body in the message when it is not the one expected). */
export async function expectJson<T = Record<string, unknown>>(res: Response, status: number): Promise<T> {
  const text = await res.text();
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${text}`);
  return JSON.parse(text) as T;
}

/** The error code of a JSON error response with this status: exactly `{"error":{"code","message"}}`. */
export async function expectError(res: Response, status: number): Promise<string> {
  expect(res.headers.get("x-amz-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  const body = await expectJson<{ error: { code: string; message: string } }>(res, status);
  expect(Object.keys(body)).toEqual(["error"]);
  expect(Object.keys(body.error).sort()).toEqual(["code", "message"]);
  return body.error.code;
}

export interface Pair {
  /** The primary's alias: where viewers go. */
  host: string;
  primaryId: string;
  primaryEtag: string;
  stagingId: string;
  stagingDomain: string;
  policyId: string;
  ref: string;
}

let counter = 0;

async function created(res: Response, what: string): Promise<{ xml: string; etag: string }> {
  const xml = await res.text();
  if (res.status !== 200 && res.status !== 201) throw new Error(`${what}: ${res.status} ${xml.slice(0, 300)}`);
  return { xml, etag: res.headers.get("etag") ?? "" };
}

/**
 * The analysis the rollout tests use: a verdict from 10 requests per arm, one failed analysis aborts, and latency
 * never fails (loopback timings on a shared machine are noise; the pure simulations judge latency).
 */
export const TEST_ANALYSIS = {
  intervalSeconds: 60,
  minRequests: 10,
  maxErrorRateIncrease: 0.05,
  maxLatencyP99Ratio: 100,
  confidence: 0.99,
  failureLimit: 1,
};

export interface PairOptions {
  /** The policy: sticky weight (default), or a header. */
  policy?: { weight: number; enabled?: boolean; sticky?: boolean } | { header: string; value: string };
  /** Staging's origin: the "staging" echo (default), or the switchable one under this key. */
  stagingOrigin?: { switchableKey: string };
  /** Attach the policy (default true), through PUT .../policy. */
  attach?: boolean;
}

/**
 * A primary with a unique alias on the "primary" origin, its staging copy moved to the "staging" origin (or the
 * switchable one), and a policy naming it, attached through PUT .../policy.
 */
export async function pair(label: string, o: PairOptions = {}): Promise<Pair> {
  const ports = inject("origins");
  const ref = `${label}-${++counter}-${Date.now()}`;
  const host = uniqueHost(label);
  const p = await created(
    await call("POST", "/distribution", {
      body: distributionConfigXml({ callerReference: ref, port: ports.primary, aliases: [host] }),
    }),
    "create primary",
  );
  const primaryId = tagText(p.xml, "Id") ?? "";
  const copy = await created(
    await call("POST", `/distribution/${primaryId}/copy`, {
      body: `<CopyDistributionRequest xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><CallerReference>${ref}-s</CallerReference></CopyDistributionRequest>`,
      headers: { staging: "true", "if-match": p.etag },
    }),
    "copy",
  );
  const stagingId = tagText(copy.xml, "Id") ?? "";
  const stagingDomain = tagText(copy.xml, "DomainName") ?? "";
  const key = o.stagingOrigin?.switchableKey;
  await created(
    await call("PUT", `/distribution/${stagingId}/config`, {
      body: distributionConfigXml({
        callerReference: `${ref}-s`,
        port: key === undefined ? ports.staging : ports.switchable,
        ...(key === undefined ? {} : { originPath: `/${key}` }),
        staging: true,
      }),
      headers: { "if-match": copy.etag },
    }),
    "update staging",
  );
  const policy = o.policy ?? { weight: 0.05 };
  const policyXml =
    "header" in policy
      ? headerPolicyXml(stagingDomain, policy.header, policy.value)
      : weightPolicyXml(stagingDomain, policy.weight, policy.enabled ?? true, policy.sticky ?? true);
  const pol = await created(await call("POST", "/continuous-deployment-policy", { body: policyXml }), "policy");
  const policyId = tagText(pol.xml, "Id") ?? "";
  let primaryEtag = p.etag;
  if (o.attach ?? true) {
    const attachedRes = await ext("PUT", `/${primaryId}/policy`, { policyId });
    const attached = await expectJson<{ etag: string }>(attachedRes, 200);
    primaryEtag = attached.etag;
  }
  return { host, primaryId, primaryEtag, stagingId, stagingDomain, policyId, ref };
}

/** Polls `check` (doing `meanwhile` between polls) until it returns a value, or fails after `timeoutMs`. */
export async function until<T>(
  what: string,
  check: () => Promise<T | undefined>,
  meanwhile: () => Promise<unknown> = () => new Promise((r) => setTimeout(r, 50)),
  timeoutMs = 20_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await meanwhile();
  }
}
