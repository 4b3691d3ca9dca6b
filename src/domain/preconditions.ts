/**
 * If-Match handling shared by every write (reference §2): a missing or malformed header is InvalidIfMatchVersion,
 * a stale one PreconditionFailed. ETags are compared as opaque strings; quotes are tolerated because some HTTP
 * tools add them.
 */
import { fail, ok, type Result } from "./result.js";

const unquote = (s: string): string =>
  s
    .trim()
    .replace(/^W\//, "")
    .replace(/^"(.*)"$/, "$1");

export function checkIfMatch(ifMatch: string | undefined, etag: string): Result<true> {
  if (ifMatch === undefined || ifMatch.trim() === "") {
    return fail({ tag: "invalid-if-match", message: "The If-Match version is missing or not valid for the resource." });
  }
  return unquote(ifMatch) === etag ? ok(true) : fail({ tag: "precondition-failed" });
}

/** `If-Match: <primary ETag>, <staging ETag>` of UpdateDistributionWithStagingConfig (with or without the space). */
export function parseEtagPair(ifMatch: string | undefined): Result<[string, string]> {
  const parts = (ifMatch ?? "").split(",").map(unquote);
  const [a, b] = parts;
  if (parts.length !== 2 || a === undefined || b === undefined || a === "" || b === "") {
    return fail({
      tag: "invalid-if-match",
      message: "If-Match must hold the primary's and the staging distribution's ETags, separated by a comma.",
    });
  }
  return ok([a, b]);
}
