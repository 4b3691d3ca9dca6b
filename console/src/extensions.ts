/**
 * splitfront's JSON extensions the console calls (docs/extensions-api.md): per-arm metrics, config history and
 * restore, preview links, and rollouts. The documents' types are the worker's own (src/control/extensions/views.ts),
 * so a change there that the console does not follow fails its typecheck.
 */
import type {
  HistoryJson as History,
  PreviewLinkJson as PreviewLink,
  RolloutJson as Rollout,
} from "../../src/control/extensions/views.js";
import { type Api, ApiError } from "./api.js";
import type { MetricsReport } from "./model.js";
import type { Step } from "./steps.js";

export type { History, PreviewLink, Rollout };

const base = (id: string) => `/splitfront/v1/distributions/${encodeURIComponent(id)}`;

export async function metrics(api: Api, primaryId: string, windowSeconds: number): Promise<MetricsReport> {
  return (await api.json<MetricsReport>("GET", `${base(primaryId)}/metrics?window=${windowSeconds}`)).value;
}

// ---- history ----

export async function history(api: Api, id: string): Promise<History> {
  return (await api.json<History>("GET", `${base(id)}/history`)).value;
}

/** Makes `version` current again as a new commit; If-Match is the distribution's current ETag. */
export async function restore(api: Api, id: string, version: number, ifMatch: string): Promise<void> {
  await api.json("POST", `${base(id)}/history/${version}/restore`, undefined, { ifMatch });
}

// ---- preview links ----

export async function previewLink(
  api: Api,
  id: string,
  req: { arm: "primary" | "staging"; path: string; expiresInSeconds: number },
): Promise<PreviewLink> {
  return (await api.json<PreviewLink>("POST", `${base(id)}/preview-links`, req)).value;
}

// ---- rollouts ----

export type Analysis = Rollout["analyses"][number];
export type AnalysisSettings = Rollout["analysis"];

export interface RolloutRequest {
  steps: Step[];
  analysis?: Partial<AnalysisSettings>;
  onSuccess: "promote" | "hold";
}

/** The primary's latest rollout, or null when it never had one. */
export async function getRollout(api: Api, id: string): Promise<Rollout | null> {
  try {
    return (await api.json<Rollout>("GET", `${base(id)}/rollout`)).value;
  } catch (e) {
    if (e instanceof ApiError && e.code === "NoSuchRollout") return null;
    throw e;
  }
}

export async function startRollout(api: Api, id: string, req: RolloutRequest): Promise<Rollout> {
  return (await api.json<Rollout>("PUT", `${base(id)}/rollout`, req)).value;
}

export type RolloutAction = "approve" | "pause" | "resume" | "abort";

/** Acts on the rollout the page showed: If-Match is its id (its ETag), so the action never lands on a newer one. */
export async function rolloutAction(api: Api, id: string, action: RolloutAction, rolloutId: string): Promise<Rollout> {
  return (await api.json<Rollout>("POST", `${base(id)}/rollout/${action}`, undefined, { ifMatch: rolloutId })).value;
}
