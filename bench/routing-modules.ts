/** src/routing for the micro-benchmarks: the real modules, re-exported under the names the suite uses. */
import { decide, type RouteInput } from "../src/routing/decide.js";
import { importSessionKey, type SessionClaims, signSession, verifySession } from "../src/routing/session-cookie.js";

export type Claims = SessionClaims;
export type { RouteInput };

export interface Routing {
  decide: typeof decide;
  importSessionKey: typeof importSessionKey;
  signSession: typeof signSession;
  verifySession: typeof verifySession;
}

export async function loadRouting(): Promise<Routing> {
  return { decide, importSessionKey, signSession, verifySession };
}
