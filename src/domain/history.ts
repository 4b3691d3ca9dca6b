/**
 * Config history: every committed version of a distribution's config, numbered per distribution, with what made
 * it; the Durable Object records one for each distribution a commit writes (src/store/history-store.ts) and keeps
 * the last MAX_HISTORY_VERSIONS. A restore makes an old version current again as a new commit, never a rewrite,
 * and goes through UpdateDistribution's own rules, so a restore that would be illegal now fails as that update
 * would. Pure.
 */

import { type DistributionOutcome, updateDistribution } from "./distribution/operations.js";
import { cloneConfig, type DistributionConfig } from "./distribution/types.js";
import { findDistribution } from "./lookup.js";
import { checkIfMatch } from "./preconditions.js";
import { fail, type Result } from "./result.js";
import type { ControlState, OpContext } from "./state.js";

export const MAX_HISTORY_VERSIONS = 50;

/** What made a version. */
export type HistoryCause =
  /** A CloudFront API call or an extension call (operation names it). */
  | { madeBy: "api"; operation: string }
  /** UpdateDistributionWithStagingConfig: the staging config promoted into this primary. */
  | { madeBy: "promote"; operation: string; stagingDistributionId: string }
  /** A rollout's onSuccess "promote". */
  | { madeBy: "rollout"; operation: "promote"; rolloutId: string; stagingDistributionId: string }
  /** POST .../history/{version}/restore. */
  | { madeBy: "restore"; restoredFrom: number }
  /** The config as it was when history began for a distribution created before history existed. */
  | { madeBy: "baseline" };

export interface HistoryVersion {
  distributionId: string;
  version: number;
  etag: string;
  /** ISO-8601. */
  at: string;
  cause: HistoryCause;
  config: DistributionConfig;
}

/**
 * The config of `version`, made current as a new commit. History configs are normalised (as stored and as read),
 * so every member is present as written: the attachment is part of the config (restoring a version from before a
 * policy was attached detaches it, its ContinuousDeploymentPolicyId being ""), and Staging is spelt as the
 * current config spells it (it never changes).
 */
export function restoreVersion(
  s: ControlState,
  id: string,
  ifMatch: string | undefined,
  target: HistoryVersion | undefined,
  version: number,
  ctx: OpContext,
): Result<DistributionOutcome> {
  const current = findDistribution(s, id);
  if (current === undefined) return fail({ tag: "no-such-distribution", id });
  const pre = checkIfMatch(ifMatch, current.etag);
  if (!pre.ok) return pre;
  if (target === undefined || target.distributionId !== id) return fail({ tag: "no-such-version", id, version });
  return updateDistribution(s, id, current.etag, cloneConfig(target.config), ctx);
}

/** The operation a cause names, for the reason a superseded rollout records. */
export function operationOf(cause: HistoryCause): string {
  switch (cause.madeBy) {
    case "api":
    case "promote":
      return cause.operation;
    case "rollout":
      return "rollout promote";
    case "restore":
      return `restore of version ${cause.restoredFrom}`;
    case "baseline":
      return "baseline";
    default:
      return cause satisfies never;
  }
}
