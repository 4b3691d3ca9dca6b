/**
 * A distribution's CustomErrorResponses (DG "Generating custom error responses"): for an error status from the
 * origin, the optional page to serve instead (ResponsePagePath, fetched through the distribution's own cache
 * behaviours), the status to send with it (ResponseCode, 0 = the origin's), and how long to cache the error
 * (ErrorCachingMinTTL, see ttl.ts). CloudFront allows one entry per ErrorCode.
 */
import type { EdgeErrorResponse } from "../model/edge-config.js";

/**
 * The entry for `status`, if any. A distribution has at most a dozen entries (one per error code CloudFront lets
 * you customise), so a scan is cheaper than building and consulting an index.
 */
export function findErrorResponse(list: readonly EdgeErrorResponse[], status: number): EdgeErrorResponse | undefined {
  for (const entry of list) if (entry.errorCode === status) return entry;
  return undefined;
}

/** Whether the entry replaces the origin's body with a page of the distribution's own. */
export function servesErrorPage(entry: EdgeErrorResponse): boolean {
  return entry.responsePagePath !== "";
}

/** The status sent to the viewer with the error page: ResponseCode when set, else the origin's status. */
export function errorResponseStatus(entry: EdgeErrorResponse, originStatus: number): number {
  return entry.responseCode > 0 ? entry.responseCode : originStatus;
}
