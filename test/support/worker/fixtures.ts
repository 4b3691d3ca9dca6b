/**
 * Fixture builders for compiled edge records: tests state only what they care about and override the rest.
 */
import type {
  EdgeBehavior,
  EdgeDistribution,
  EdgeOrigin,
  EdgePolicy,
  StagingHostConfig,
  ViewerHostConfig,
} from "../../../src/model/edge-config.js";

export function origin(overrides: Partial<EdgeOrigin> & Pick<EdgeOrigin, "id">): EdgeOrigin {
  return {
    domainName: "127.0.0.1",
    originPath: "",
    customHeaders: [],
    protocolPolicy: "http-only",
    httpPort: 80,
    httpsPort: 443,
    readTimeoutMs: 30_000,
    connectionAttempts: 3,
    connectionTimeoutMs: 10_000,
    ...overrides,
  };
}

export function behavior(overrides: Partial<EdgeBehavior> = {}): EdgeBehavior {
  return {
    pathPattern: null,
    targetOriginId: "origin",
    viewerProtocolPolicy: "allow-all",
    allowedMethods: ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"],
    cachedMethods: ["GET", "HEAD"],
    minTTL: 0,
    defaultTTL: 86_400,
    maxTTL: 31_536_000,
    cacheKey: { queryStrings: { mode: "all" }, cookies: { mode: "none" }, headers: { mode: "none" } },
    // As under the managed AllViewer origin request policy: the origin sees every query string and cookie, and the
    // viewer's Host (as X-Forwarded-Host).
    forwarded: { queryStrings: { mode: "all" }, cookies: { mode: "all" }, viewerHost: true, viewerProto: false },
    ...overrides,
  };
}

/** A distribution whose single origin "origin" is 127.0.0.1:<port>. */
export function distribution(id: string, port: number, overrides: Partial<EdgeDistribution> = {}): EdgeDistribution {
  return {
    id,
    domainName: `d${id.slice(1).toLowerCase()}.splitfront.localhost`,
    enabled: true,
    defaultRootObject: "",
    origins: { origin: origin({ id: "origin", httpPort: port }) },
    originGroups: {},
    defaultBehavior: behavior(),
    behaviors: [],
    customErrorResponses: [],
    geoRestriction: { type: "none", countries: [] },
    ...overrides,
  };
}

export function weightPolicy(weight: number, sticky: { idleTTL: number; maximumTTL: number } | null): EdgePolicy {
  return { id: "policy-1", enabled: true, epoch: 1, traffic: { type: "SingleWeight", weight, stickiness: sticky } };
}

export function headerPolicy(header: string, value: string): EdgePolicy {
  return { id: "policy-1", enabled: true, epoch: 1, traffic: { type: "SingleHeader", header, value } };
}

export function viewerHost(
  host: string,
  primary: EdgeDistribution,
  policy: EdgePolicy | null = null,
  staging: EdgeDistribution | null = null,
): ViewerHostConfig {
  return { schema: 1, kind: "viewer", host, version: 1, primary, policy, staging };
}

export function stagingHost(host: string, stagingDistributionId: string): StagingHostConfig {
  return { schema: 1, kind: "staging", host, version: 1, stagingDistributionId };
}
