/**
 * What may change on a primary or staging distribution while a continuous deployment policy is attached
 * (reference §5). Placeholder: every update is allowed until the §5 rules land.
 */
import { ok, type Result } from "../control/errors.js";
import type { ControlState, DistributionRecord } from "../store/state.js";
import type { DistributionConfig } from "./types.js";

export function checkContinuousDeploymentUpdate(
  _s: ControlState,
  _current: DistributionRecord,
  _next: DistributionConfig,
): Result<true> {
  return ok(true);
}
