/**
 * AWS managed origin request policies that send the origin every viewer query string and cookie (CloudFront
 * Developer Guide, "Use managed origin request policies"). Without an origin request policy, or with one of the
 * header-only managed policies (CORS-*, UserAgentRefererHeaders, HostHeaderOnly), CloudFront sends the origin only
 * the query strings and cookies in the cache key, so for every other id the edge forwards the cache key's lists.
 */
const ALL_VIEWER_POLICIES: ReadonlySet<string> = new Set([
  "216adef6-5c7f-47e4-b989-5492eafa07d3", // AllViewer
  "33f36d7e-f396-46d9-90e0-52428a34d9dc", // AllViewerAndCloudFrontHeaders-2022-06
  "b689b0a8-53d0-40ab-baf2-68738e2966ac", // AllViewerExceptHostHeader
]);

export function forwardsAllViewerValues(originRequestPolicyId: string | undefined): boolean {
  return originRequestPolicyId !== undefined && ALL_VIEWER_POLICIES.has(originRequestPolicyId);
}
