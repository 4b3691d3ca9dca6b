/**
 * AWS managed origin request policies (CloudFront Developer Guide, "Use managed origin request policies"): which
 * of them send the origin every viewer query string and cookie, the viewer's Host header, and CloudFront's own
 * headers. Without an origin request policy, or with one of the header-only managed policies (CORS-*,
 * UserAgentRefererHeaders, HostHeaderOnly), CloudFront sends the origin only the query strings and cookies in the
 * cache key, so for every other id the edge forwards the cache key's lists.
 */
const ALL_VIEWER = "216adef6-5c7f-47e4-b989-5492eafa07d3";
const ALL_VIEWER_AND_CLOUDFRONT_HEADERS = "33f36d7e-f396-46d9-90e0-52428a34d9dc"; // -2022-06
const ALL_VIEWER_EXCEPT_HOST = "b689b0a8-53d0-40ab-baf2-68738e2966ac";

const ALL_VIEWER_POLICIES: ReadonlySet<string> = new Set([
  ALL_VIEWER,
  ALL_VIEWER_AND_CLOUDFRONT_HEADERS,
  ALL_VIEWER_EXCEPT_HOST,
]);

export function forwardsAllViewerValues(originRequestPolicyId: string | undefined): boolean {
  return originRequestPolicyId !== undefined && ALL_VIEWER_POLICIES.has(originRequestPolicyId);
}

/** The policy sends the origin the viewer's Host header. */
export function forwardsViewerHost(originRequestPolicyId: string | undefined): boolean {
  return originRequestPolicyId === ALL_VIEWER || originRequestPolicyId === ALL_VIEWER_AND_CLOUDFRONT_HEADERS;
}

/** The policy adds CloudFront's own headers, CloudFront-Forwarded-Proto among them. */
export function forwardsCloudFrontHeaders(originRequestPolicyId: string | undefined): boolean {
  return originRequestPolicyId === ALL_VIEWER_AND_CLOUDFRONT_HEADERS;
}
