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
  sessionCookieName: string;
  servedByHeader: string;
  forcePrimary: boolean;
  accessLog: boolean;
  domainSuffix: string;
  accountId: string;
}

const parsed = new WeakMap<Env, Settings>();

function intOr(value: string | undefined, fallback: number, min: number): number {
  const n = Number.parseInt(value ?? "", 10);
  return Number.isFinite(n) && n >= min ? n : fallback;
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
      sessionCookieName: env.SESSION_COOKIE_NAME || "sf-cd-session",
      servedByHeader: (env.SERVED_BY_HEADER ?? "").trim().toLowerCase(),
      forcePrimary: (env.FORCE_PRIMARY ?? "").trim().toLowerCase() === "true",
      accessLog: (env.ACCESS_LOG ?? "true").trim().toLowerCase() !== "false",
      domainSuffix: (env.DOMAIN_SUFFIX || "splitfront.localhost").replace(/^\.+/, "").toLowerCase(),
      accountId: env.ACCOUNT_ID || "123456789012",
    };
    parsed.set(env, s);
  }
  return s;
}
