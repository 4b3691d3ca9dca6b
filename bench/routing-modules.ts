/**
 * src/routing loaded for the micro-benchmarks without putting it in tsconfig.node.json's program: under the Node
 * tsconfig (lib DOM), session-cookie.ts fails to type-check (`Uint8Array<ArrayBufferLike>` is not a DOM
 * `BufferSource`; it is fine under workers types). A non-literal import() keeps tsc out of those files, and the
 * shapes the benchmark uses are restated here. Once decodeBase64url returns `Uint8Array<ArrayBuffer>`, this can
 * become plain static imports.
 */

export interface Claims {
  arm: "primary" | "staging";
  policyId: string;
  epoch: number;
  sid: string;
  startedAt: number;
  lastSeenAt: number;
}

export interface RouteInput {
  policy: unknown;
  stagingEnabled: boolean;
  forcePrimary: boolean;
  header: (lowerCaseName: string) => string | null;
  session: Claims | null;
  nowS: number;
  random: () => number;
}

export interface Routing {
  decide(input: RouteInput): { arm: "primary" | "staging"; issue: Claims | null };
  importSessionKey(secret: string): Promise<CryptoKey>;
  signSession(claims: Claims, key: CryptoKey): Promise<string>;
  verifySession(value: string, key: CryptoKey): Promise<Claims | null>;
}

const DECIDE: string = "../src/routing/decide.js";
const SESSION_COOKIE: string = "../src/routing/session-cookie.js";

export async function loadRouting(): Promise<Routing> {
  const [d, s] = (await Promise.all([import(DECIDE), import(SESSION_COOKIE)])) as [
    Pick<Routing, "decide">,
    Omit<Routing, "decide">,
  ];
  return {
    decide: d.decide,
    importSessionKey: s.importSessionKey,
    signSession: s.signSession,
    verifySession: s.verifySession,
  };
}
