/**
 * The rules a policy config must meet on its own (reference §3): weight, TTLs, header name and value, the type
 * and its matching sub-config, at least one staging DNS name. Rules that need the rest of the state (does the
 * staging distribution exist, is it already in use) live in operations.ts. Pure: config in, Result out.
 */
import { invalid, ok, type Result } from "../result.js";
import { POLICY_LIMITS as L, type NormalizedPolicy, type PolicyConfig, type Traffic } from "./types.js";

/** RFC 9110 token characters: what a header field name may contain. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

export function normalizePolicy(cfg: PolicyConfig): Result<NormalizedPolicy> {
  const names = cfg.StagingDistributionDnsNames?.Items ?? [];
  if (names.length === 0) return invalid("StagingDistributionDnsNames must name at least one staging distribution.");
  const traffic = normalizeTraffic(cfg);
  if (!traffic.ok) return traffic;
  return ok({
    stagingDnsNames: names.map((n) => n.toLowerCase()),
    enabled: cfg.Enabled === true,
    traffic: traffic.value,
  });
}

function normalizeTraffic(cfg: PolicyConfig): Result<Traffic> {
  const t = cfg.TrafficConfig;
  if (t === undefined) return invalid("TrafficConfig is required.");
  const type = t.Type;
  switch (type) {
    case "SingleWeight": {
      const w = t.SingleWeightConfig;
      if (w === undefined || t.SingleHeaderConfig !== undefined) {
        return invalid("TrafficConfig of type SingleWeight must contain exactly a SingleWeightConfig.");
      }
      const weight = w.Weight ?? Number.NaN;
      if (!(weight >= 0 && weight <= L.maxWeight)) {
        return invalid(`Weight must be between 0 and ${L.maxWeight} (got ${weight}).`);
      }
      const s = w.SessionStickinessConfig;
      if (s === undefined) return ok({ type, weight, stickiness: null });
      const idle = s.IdleTTL ?? Number.NaN;
      const max = s.MaximumTTL ?? Number.NaN;
      if (!(L.minTTL <= idle && idle <= max && max <= L.maxTTL)) {
        return invalid(`SessionStickinessConfig needs ${L.minTTL} <= IdleTTL <= MaximumTTL <= ${L.maxTTL}.`);
      }
      return ok({ type, weight, stickiness: { idleTTL: idle, maximumTTL: max } });
    }
    case "SingleHeader": {
      const h = t.SingleHeaderConfig;
      if (h === undefined || t.SingleWeightConfig !== undefined) {
        return invalid("TrafficConfig of type SingleHeader must contain exactly a SingleHeaderConfig.");
      }
      const header = h.Header ?? "";
      const value = h.Value ?? "";
      if (!header.toLowerCase().startsWith(L.headerPrefix) || header.length > L.maxHeaderLength) {
        return invalid(`Header must start with ${L.headerPrefix} and be at most ${L.maxHeaderLength} characters.`);
      }
      if (!TOKEN.test(header)) return invalid("Header must be a valid HTTP header name.");
      if (value.length < 1 || value.length > L.maxValueLength) {
        return invalid(`Value must be 1 to ${L.maxValueLength} characters.`);
      }
      return ok({ type, header, value });
    }
    case undefined:
      return invalid("TrafficConfig.Type is required.");
    default:
      // The parser already refuses values outside the model's enum; a newer enum member is not supported here.
      return invalid(`Unsupported TrafficConfig.Type ${String(type satisfies never)}.`);
  }
}
