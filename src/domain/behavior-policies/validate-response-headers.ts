/**
 * A response headers policy's rules (Developer Guide, "Understand response headers policies"; the error shapes of
 * CreateResponseHeadersPolicy): CORS origins, methods and headers (no `*` origin with credentials), the security
 * headers (Content-Security-Policy length, X-XSS-Protection's combinations), the Server-Timing sampling rate, and
 * the custom and removed headers (quotas, and the headers a policy may not touch). Pure.
 */
import type {
  ResponseHeadersPolicyCorsConfig,
  ResponseHeadersPolicySecurityHeadersConfig,
} from "@aws-sdk/client-cloudfront";
import { charLength, isFieldValue, isToken } from "../distribution/syntax.js";
import { invalid, ok, type Result, refuse } from "../result.js";
import {
  hasReservedPrefix,
  MAX_CSP_LENGTH,
  MAX_CUSTOM_RESPONSE_HEADERS,
  MAX_CUSTOM_RESPONSE_HEADERS_TOTAL,
  MAX_REMOVE_HEADERS,
  MAX_RESPONSE_HEADER_VALUE,
  SECTION_RESPONSE_HEADERS,
  UNREMOVABLE_RESPONSE_HEADERS,
} from "./limits.js";
import type { ResponseHeadersPolicyConfig } from "./types.js";
import { itemsOf, nameAndComment } from "./validate-names.js";

export function validateResponseHeadersPolicy(cfg: ResponseHeadersPolicyConfig): Result<ResponseHeadersPolicyConfig> {
  const named = nameAndComment(cfg);
  if (!named.ok) return named;
  const checks: Result<true>[] = [
    cfg.CorsConfig === undefined ? ok(true) : cors(cfg.CorsConfig),
    cfg.SecurityHeadersConfig === undefined ? ok(true) : security(cfg.SecurityHeadersConfig),
    serverTiming(cfg),
    customHeaders(cfg),
    removeHeaders(cfg),
  ];
  for (const r of checks) if (!r.ok) return r;
  return ok(cfg);
}

/** `*`, or scheme://host[:port] with an optional leading `*.` label (DG: not in the TLD, not mid-name). */
const ORIGIN_VALUE =
  /^(?:https?:\/\/)?(?:\*\.)?(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)*[A-Za-z0-9-]+(?::\d{1,5})?$/;
const isAllowOrigin = (o: string): boolean => o === "*" || (ORIGIN_VALUE.test(o) && !/\.\*|\*[^.]/.test(o));

function cors(c: ResponseHeadersPolicyCorsConfig): Result<true> {
  const origins = itemsOf(c.AccessControlAllowOrigins);
  if (origins.length === 0) return invalid("AccessControlAllowOrigins must list at least one origin (or *).");
  const badOrigin = origins.find((o) => !isAllowOrigin(o));
  if (badOrigin !== undefined) {
    return invalid(
      `AccessControlAllowOrigins: ${badOrigin.slice(0, 64)} is not an origin (scheme://host[:port]) or *.`,
    );
  }
  const headers = [...itemsOf(c.AccessControlAllowHeaders), ...itemsOf(c.AccessControlExposeHeaders)];
  const badHeader = headers.find((h) => h !== "*" && !isToken(h));
  if (badHeader !== undefined) return invalid(`${badHeader.slice(0, 64)} is not a valid header name (or *).`);
  if (itemsOf(c.AccessControlAllowMethods).length === 0) {
    return invalid("AccessControlAllowMethods must list at least one method (or ALL).");
  }
  if (c.AccessControlMaxAgeSec !== undefined && c.AccessControlMaxAgeSec < 0) {
    return invalid("AccessControlMaxAgeSec must not be negative.");
  }
  // The CORS protocol forbids a wildcard origin on a credentialed response; browsers would refuse it.
  if (c.AccessControlAllowCredentials === true && origins.includes("*")) {
    return invalid("AccessControlAllowOrigins cannot be * when AccessControlAllowCredentials is true.");
  }
  return ok(true);
}

function security(s: ResponseHeadersPolicySecurityHeadersConfig): Result<true> {
  const csp = s.ContentSecurityPolicy?.ContentSecurityPolicy;
  if (csp !== undefined) {
    if (charLength(csp) > MAX_CSP_LENGTH) {
      return refuse(
        "too-long-csp-in-response-headers-policy",
        `The Content-Security-Policy header value exceeds the maximum (${MAX_CSP_LENGTH} characters).`,
      );
    }
    if (csp === "" || !isFieldValue(csp)) return invalid("ContentSecurityPolicy must be a non-empty header value.");
  }
  const hsts = s.StrictTransportSecurity;
  if (hsts !== undefined && (hsts.AccessControlMaxAgeSec ?? -1) < 0) {
    return invalid("StrictTransportSecurity.AccessControlMaxAgeSec must not be negative.");
  }
  const xss = s.XSSProtection;
  if (xss !== undefined) {
    const report = xss.ReportUri ?? "";
    if (xss.ModeBlock === true && report !== "") {
      return invalid("XSSProtection cannot have both ModeBlock and ReportUri.");
    }
    if (xss.Protection !== true && (xss.ModeBlock === true || report !== "")) {
      return invalid("XSSProtection: ModeBlock and ReportUri need Protection true.");
    }
    if (report !== "" && (!/^https?:\/\/\S+$/.test(report) || !isFieldValue(report))) {
      return invalid("XSSProtection.ReportUri must be an http(s) URL.");
    }
  }
  return ok(true);
}

function serverTiming(cfg: ResponseHeadersPolicyConfig): Result<true> {
  const st = cfg.ServerTimingHeadersConfig;
  if (st === undefined) return ok(true);
  const rate = st.SamplingRate;
  if (st.Enabled === true && rate === undefined)
    return invalid("SamplingRate is required when Server-Timing is enabled.");
  // 0–100 with up to four decimal places (DG, "Sampling rate").
  if (rate !== undefined && !(rate >= 0 && rate <= 100 && Math.abs(rate * 10_000 - Math.round(rate * 10_000)) < 1e-6)) {
    return invalid("SamplingRate must be a number from 0 to 100 with at most four decimal places.");
  }
  return ok(true);
}

const unremovable = (lower: string): boolean => UNREMOVABLE_RESPONSE_HEADERS.has(lower) || hasReservedPrefix(lower);

function customHeaders(cfg: ResponseHeadersPolicyConfig): Result<true> {
  const items = cfg.CustomHeadersConfig?.Items ?? [];
  if (items.length > MAX_CUSTOM_RESPONSE_HEADERS) {
    return refuse(
      "too-many-custom-headers-in-response-headers-policy",
      `The number of custom headers in the response headers policy exceeds the maximum (${MAX_CUSTOM_RESPONSE_HEADERS}).`,
    );
  }
  const seen = new Set<string>();
  let total = 0;
  for (const h of items) {
    const name = h.Header ?? "";
    const value = h.Value ?? "";
    const lower = name.toLowerCase();
    if (!isToken(name) || name.length > 256) return invalid(`${name.slice(0, 64)} is not a valid header name.`);
    if (unremovable(lower)) return invalid(`The custom header ${name} cannot be added by a response headers policy.`);
    if (SECTION_RESPONSE_HEADERS.has(lower)) {
      return invalid(
        `The custom header ${name} is set through the policy's own CORS, security or Server-Timing settings.`,
      );
    }
    if (seen.has(lower)) return invalid(`The custom header ${name} is listed more than once.`);
    seen.add(lower);
    if (charLength(value) > MAX_RESPONSE_HEADER_VALUE || !isFieldValue(value)) {
      return invalid(
        `The value of the custom header ${name} must be a header value of at most ${MAX_RESPONSE_HEADER_VALUE} characters.`,
      );
    }
    total += name.length + charLength(value);
  }
  if (total > MAX_CUSTOM_RESPONSE_HEADERS_TOTAL) {
    return invalid(
      `The custom headers' names and values together exceed ${MAX_CUSTOM_RESPONSE_HEADERS_TOTAL} characters.`,
    );
  }
  return ok(true);
}

function removeHeaders(cfg: ResponseHeadersPolicyConfig): Result<true> {
  const items = cfg.RemoveHeadersConfig?.Items ?? [];
  if (items.length > MAX_REMOVE_HEADERS) {
    return refuse(
      "too-many-remove-headers-in-response-headers-policy",
      `The number of headers in RemoveHeadersConfig exceeds the maximum (${MAX_REMOVE_HEADERS}).`,
    );
  }
  const seen = new Set<string>();
  for (const h of items) {
    const name = h.Header ?? "";
    const lower = name.toLowerCase();
    if (!isToken(name) || name.length > 256) return invalid(`${name.slice(0, 64)} is not a valid header name.`);
    if (unremovable(lower)) return invalid(`The header ${name} cannot be removed by a response headers policy.`);
    if (seen.has(lower)) return invalid(`The header ${name} is listed more than once in RemoveHeadersConfig.`);
    seen.add(lower);
  }
  return ok(true);
}
