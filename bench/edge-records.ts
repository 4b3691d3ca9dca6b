/**
 * The compiled EdgeConfig records the benchmark seeds into KV (until it can create them through the control
 * API), mirroring test/support/worker/fixtures.ts. Every distribution has the shape of a typical site: a default
 * behaviour with caching disabled (dynamic pages, the case the split must not slow) and a cached /static/*.
 */

import { managedPolicy } from "../src/domain/behavior-policies/managed.js";
import type { PolicyKind } from "../src/domain/behavior-policies/types.js";
import {
  type EdgeBehavior,
  type EdgeDistribution,
  type EdgePolicy,
  hostKey,
  type ViewerHostConfig,
} from "../src/model/edge-config.js";
import { compileForwarded, compileResponseHeadersPolicy } from "../src/store/compile-policies.js";
import type { WorkerInstance } from "./instances.js";

export const HOSTS = {
  noPolicy: "nopolicy.bench.localhost",
  header: "header.bench.localhost",
  sticky: "sticky.bench.localhost",
  /** Header mode whose staging behaviour forwards an allow-list (CachingDisabled, no origin request policy). */
  allowList: "allowlist.bench.localhost",
  /** Header mode whose staging behaviour also has the managed SecurityHeadersPolicy. */
  securityHeaders: "security.bench.localhost",
  /** No policy; the default behaviour runs a viewer-request CloudFront Function. */
  fn: "function.bench.localhost",
} as const;

/**
 * A typical viewer-request function (the Developer Guide's URL-rewrite example plus a header): what the
 * "sf-function" scenario pays for, against "sf-no-policy" (the same host record without it).
 */
export const BENCH_FUNCTION_CODE = `function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri.endsWith('/')) { request.uri += 'index.html'; }
  request.headers['x-bench-function'] = { value: 'ran' };
  return request;
}`;

/** The header policy's header and value: requests that carry it go to staging. */
export const STAGING_HEADER = { name: "aws-cf-cd-bench", value: "staging" } as const;

function behavior(pathPattern: string | null, ttl: number): EdgeBehavior {
  return {
    pathPattern,
    targetOriginId: "origin",
    viewerProtocolPolicy: "allow-all",
    allowedMethods: ["GET", "HEAD"],
    cachedMethods: ["GET", "HEAD"],
    minTTL: 0,
    defaultTTL: ttl,
    maxTTL: ttl === 0 ? 0 : 31_536_000,
    cacheKey: { queryStrings: { mode: "none" }, cookies: { mode: "none" }, headers: { mode: "none" } },
    // A dynamic site's usual pairing: the managed AllViewer origin request policy (which forwards Host too).
    forwarded: { queryStrings: { mode: "all" }, cookies: { mode: "all" }, viewerHost: true, viewerProto: false },
  };
}

export function benchDistribution(id: string, port: number): EdgeDistribution {
  return {
    id,
    domainName: `${id.toLowerCase()}.splitfront.localhost`,
    enabled: true,
    defaultRootObject: "",
    origins: {
      origin: {
        id: "origin",
        domainName: "127.0.0.1",
        originPath: "",
        customHeaders: [],
        protocolPolicy: "http-only",
        httpPort: port,
        httpsPort: 443,
        readTimeoutMs: 30_000,
        connectionAttempts: 3,
        connectionTimeoutMs: 10_000,
      },
    },
    originGroups: {},
    defaultBehavior: behavior(null, 0),
    behaviors: [behavior("/static/*", 86_400)],
    customErrorResponses: [],
    geoRestriction: { type: "none", countries: [] },
  };
}

function withFunction(d: EdgeDistribution): EdgeDistribution {
  const viewerRequest = {
    name: "bench-rewrite",
    etag: "EBENCHFUNCTION",
    runtime: "cloudfront-js-1.0",
    code: BENCH_FUNCTION_CODE,
  };
  return { ...d, defaultBehavior: { ...d.defaultBehavior, functions: { viewerRequest } } };
}

function viewerHost(
  host: string,
  primary: EdgeDistribution,
  policy: EdgePolicy | null,
  staging: EdgeDistribution | null,
): ViewerHostConfig {
  return { schema: 1, kind: "viewer", host, version: 1, primary, policy, staging };
}

function managedConfig<K extends PolicyKind>(kind: K, id: string) {
  const p = managedPolicy(kind, id);
  if (p === undefined) throw new Error(`no managed ${kind} policy ${id}`);
  return p.config;
}

/** The bench distribution with its default behaviour changed as `tweak` says (policies compiled as published). */
function variant(id: string, port: number, tweak: Partial<EdgeBehavior>): EdgeDistribution {
  const d = benchDistribution(id, port);
  return { ...d, defaultBehavior: { ...d.defaultBehavior, ...tweak } };
}

/** One record per benchmark host, keyed as the edge reads them. */
export function benchRecords(ports: { primary: number; staging: number }): [key: string, record: ViewerHostConfig][] {
  const primary = benchDistribution("EPRIMARYBENCH1", ports.primary);
  const staging = benchDistribution("ESTAGINGBENCH1", ports.staging);
  // CachingDisabled without an origin request policy: the origin gets only the headers CloudFront always sends.
  const allowListStaging = variant("ESTAGINGBENCH2", ports.staging, {
    forwarded: compileForwarded(staging.defaultBehavior.cacheKey, undefined),
  });
  const security = managedConfig("response-headers", "67f7725c-6f97-4210-82d7-5512b31e9d03");
  const securityStaging = variant("ESTAGINGBENCH3", ports.staging, {
    responseHeaders: compileResponseHeadersPolicy(security, staging.defaultBehavior.allowedMethods),
  });
  const header: EdgePolicy = {
    id: "policy-header",
    enabled: true,
    epoch: 1,
    traffic: { type: "SingleHeader", header: STAGING_HEADER.name, value: STAGING_HEADER.value },
  };
  const sticky: EdgePolicy = {
    id: "policy-sticky",
    enabled: true,
    epoch: 1,
    traffic: { type: "SingleWeight", weight: 0.1, stickiness: { idleTTL: 300, maximumTTL: 3600 } },
  };
  // BENCH_PREVIEW_LINKS=1: the header and sticky hosts have preview links open (docs/extensions-api.md), to price
  // what their hosts pay (the query-string check, and outside sticky mode the cookie read) when no token is sent.
  const links = process.env.BENCH_PREVIEW_LINKS === "1" ? { previewUntil: Math.floor(Date.now() / 1000) + 86_400 } : {};
  return [
    [hostKey(HOSTS.noPolicy), viewerHost(HOSTS.noPolicy, primary, null, null)],
    [hostKey(HOSTS.header), { ...viewerHost(HOSTS.header, primary, header, staging), ...links }],
    [hostKey(HOSTS.sticky), { ...viewerHost(HOSTS.sticky, primary, sticky, staging), ...links }],
    [hostKey(HOSTS.allowList), viewerHost(HOSTS.allowList, primary, header, allowListStaging)],
    [hostKey(HOSTS.securityHeaders), viewerHost(HOSTS.securityHeaders, primary, header, securityStaging)],
    [hostKey(HOSTS.fn), viewerHost(HOSTS.fn, withFunction(primary), null, null)],
  ];
}

/** Puts the bench's host records into a splitfront instance's KV, as the control plane would publish them. */
export async function seedRecords(inst: WorkerInstance, ports: { primary: number; staging: number }): Promise<void> {
  const kv = await inst.mf.getKVNamespace("EDGE_CONFIG");
  for (const [key, record] of benchRecords(ports)) await put(kv, key, record);
}

/**
 * Copies of `host`'s record under `n` other hostnames (`kv-<i>.<host>`), each a host the edge has not memoised
 * yet: bench:instructions prices a KV read with them. Returns the hostnames.
 */
export async function seedAliases(
  inst: WorkerInstance,
  ports: { primary: number; staging: number },
  host: string,
  n: number,
): Promise<string[]> {
  const record = benchRecords(ports).find(([key]) => key === hostKey(host))?.[1];
  if (record === undefined) throw new Error(`no bench record for ${host}`);
  const kv = await inst.mf.getKVNamespace("EDGE_CONFIG");
  const aliases = Array.from({ length: n }, (_, i) => `kv-${i}.${host}`);
  for (const alias of aliases) await put(kv, hostKey(alias), { ...record, host: alias });
  return aliases;
}

type KvNamespace = Awaited<ReturnType<WorkerInstance["mf"]["getKVNamespace"]>>;

async function put(kv: KvNamespace, key: string, record: ViewerHostConfig): Promise<void> {
  // Under callgrind on a loaded machine the first calls into a fresh workerd are sometimes reset: try again.
  for (let attempt = 1; ; attempt++) {
    try {
      await kv.put(key, JSON.stringify(record));
      return;
    } catch (err) {
      if (attempt >= 5) throw err;
      await new Promise((resolve) => setTimeout(resolve, 1000 * attempt));
    }
  }
}
