/**
 * A cache behaviour's ViewerProtocolPolicy applied to the scheme the viewer used (DG "Viewer protocol policy"):
 * - allow-all: HTTP and HTTPS both pass.
 * - redirect-to-https: an HTTP request is redirected to the same URL over HTTPS; `httpsRedirectStatus` gives the
 *   status (301 for GET/HEAD; 307 for other methods, so the viewer resends the same method and body).
 * - https-only: an HTTP request is refused with 403.
 */
import type { EdgeBehavior } from "../model/edge-config.js";

export type ViewerProtocolAction = "pass" | "redirect" | "forbid";

export function viewerProtocolAction(
  policy: EdgeBehavior["viewerProtocolPolicy"],
  scheme: "http" | "https",
  _method: string,
): ViewerProtocolAction {
  if (scheme === "https") return "pass";
  switch (policy) {
    case "allow-all":
      return "pass";
    case "redirect-to-https":
      return "redirect";
    case "https-only":
      return "forbid";
    default:
      return policy satisfies never;
  }
}

/**
 * CloudFront answers GET and HEAD with 301 (Moved Permanently); for POST, PUT, DELETE, OPTIONS and PATCH over
 * HTTP/1.1 or later it answers 307 (Temporary Redirect), which obliges the client to keep method and body.
 */
export function httpsRedirectStatus(method: string): 301 | 307 {
  const m = method.toUpperCase();
  return m === "GET" || m === "HEAD" ? 301 : 307;
}
