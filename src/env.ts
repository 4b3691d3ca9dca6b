/**
 * The worker's environment: bindings and vars come from `wrangler types` (worker-configuration.d.ts); the
 * secrets are declared there too because .dev.vars names them. Settings are parsed once per isolate per env
 * object, not on every request.
 */
/** What handlers need of the ExecutionContext: background work after the response. */
export interface BackgroundTasks {
  waitUntil(promise: Promise<unknown>): void;
}

export interface Settings {
  controlPathPrefix: string;
  controlHostnames: ReadonlySet<string>;
  configMemoMs: number;
  kvCacheTtlS: number;
  /** How far KV itself may lag behind a write (KV_STALENESS_S), in ms. */
  kvStalenessMs: number;
  sessionCookieName: string;
  servedByHeader: string;
  forcePrimary: boolean;
  /**
   * Which viewer requests write an access-log record: those of distributions whose `Logging` is enabled (the
   * default, as CloudFront's standard logs), every one, or none.
   */
  accessLog: AccessLogMode;
  domainSuffix: string;
  accountId: string;
  /** Per-arm telemetry: the longest an isolate holds its counts before flushing them (METRICS_FLUSH_S); 0 = off. */
  metricsFlushMs: number;
  /** How long the metrics store keeps per-minute rows (METRICS_RETENTION_DAYS). */
  metricsRetentionMs: number;
  /** The highest staging weight a rollout step may set (MAX_STAGING_WEIGHT: default 0.15, at most 1). */
  maxStagingWeight: number;
  /** Real milliseconds per rollout second (ROLLOUT_SECOND_MS: 1000; tests shorten the rollout clock with it). */
  rolloutSecondMs: number;
}

declare global {
  interface Env {
    /** Optional Workers Analytics Engine dataset: one data point per viewer request when bound (docs/extensions-api.md). */
    METRICS_AE?: AnalyticsEngineDataset;
  }
}

/** workerd keeps a waitUntil'd promise at most 30 s after the response: the flush timer must fit in it. */
const MAX_METRICS_FLUSH_S = 25;

export type AccessLogMode = "distribution" | "all" | "none";

const parsed = new WeakMap<Env, Settings>();

function accessLogMode(value: string | undefined): AccessLogMode {
  switch ((value ?? "").trim().toLowerCase()) {
    case "all":
    case "true":
      return "all";
    case "none":
    case "false":
      return "none";
    default:
      return "distribution";
  }
}

function intOr(value: string | undefined, fallback: number, min: number): number {
  const n = Number.parseInt(value ?? "", 10);
  return Number.isFinite(n) && n >= min ? n : fallback;
}

/** A weight in (0, 1]: above 1 is 1; anything else unparsable or out of range is the fallback. */
function weightOr(value: string | undefined, fallback: number): number {
  const n = Number.parseFloat(value ?? "");
  return Number.isFinite(n) && n > 0 ? Math.min(1, n) : fallback;
}

export function settings(env: Env): Settings {
  let s = parsed.get(env);
  if (s === undefined) {
    const prefix = (env.CONTROL_PATH_PREFIX || "/_cd").replace(/\/+$/, "");
    s = {
      controlPathPrefix: prefix.startsWith("/") ? prefix : `/${prefix}`,
      controlHostnames: new Set(
        (env.CONTROL_HOSTNAMES ?? "")
          .split(",")
          .map((h) => h.trim().toLowerCase())
          .filter(Boolean),
      ),
      configMemoMs: intOr(env.CONFIG_MEMO_MS, 5000, 0),
      // Cloudflare rejects a KV cacheTtl below 30 s.
      kvCacheTtlS: Math.max(30, intOr(env.KV_CACHE_TTL_S, 30, 30)),
      kvStalenessMs: intOr(env.KV_STALENESS_S, 0, 0) * 1000,
      sessionCookieName: env.SESSION_COOKIE_NAME || "sf-cd-session",
      servedByHeader: (env.SERVED_BY_HEADER ?? "").trim().toLowerCase(),
      forcePrimary: (env.FORCE_PRIMARY ?? "").trim().toLowerCase() === "true",
      accessLog: accessLogMode(env.ACCESS_LOG),
      domainSuffix: (env.DOMAIN_SUFFIX || "splitfront.localhost").replace(/^\.+/, "").toLowerCase(),
      accountId: env.ACCOUNT_ID || "123456789012",
      metricsFlushMs: Math.min(MAX_METRICS_FLUSH_S, intOr(env.METRICS_FLUSH_S, 10, 0)) * 1000,
      metricsRetentionMs: intOr(env.METRICS_RETENTION_DAYS, 7, 1) * 86_400_000,
      maxStagingWeight: weightOr(env.MAX_STAGING_WEIGHT, 0.15),
      rolloutSecondMs: intOr(env.ROLLOUT_SECOND_MS, 1000, 1),
    };
    parsed.set(env, s);
  }
  return s;
}

/**
 * The propagation bound: how long after a commit a viewer request may still be decided on an older record. The
 * isolate's memo bound (CONFIG_MEMO_MS) plus what KV itself may lag (KV_STALENESS_S). The control plane reports a
 * changed distribution `InProgress` for this long, then `Deployed`.
 */
export const propagationBoundMs = (s: Settings): number => s.configMemoMs + s.kvStalenessMs;
