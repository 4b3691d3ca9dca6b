/** Preview links in the routing core: the token codec, pinned session cookies, and decide() honouring them. */
import { beforeAll, describe, expect, it } from "vitest";
import { decide, type RouteInput } from "../../../src/routing/decide.js";
import { signPreviewToken, takePreviewParam, verifyPreviewToken } from "../../../src/routing/preview-token.js";
import {
  cookieMaxAge,
  importSessionKey,
  type SessionClaims,
  signSession,
  verifySession,
} from "../../../src/routing/session-cookie.js";
import { headerPolicy, weightPolicy } from "../../support/worker/fixtures.js";

const NOW = 1_800_000_000;
let key: CryptoKey;
let otherKey: CryptoKey;
beforeAll(async () => {
  key = await importSessionKey("test-session-secret-0123456789abcdef");
  otherKey = await importSessionKey("a-rotated-secret-0123456789abcdef");
});

const pinned = (over: Partial<SessionClaims> = {}): SessionClaims => ({
  arm: "staging",
  policyId: "policy-1",
  epoch: 1,
  sid: "Zm9vYmFyYmF6cXV4MTIzNA",
  startedAt: NOW - 10,
  lastSeenAt: NOW - 10,
  pinnedUntil: NOW + 600,
  ...over,
});

describe("preview token", () => {
  const claims = { arm: "staging" as const, primaryId: "E1PRIMARY00001", expiresAt: NOW + 600 };

  it("round-trips, and a rotated secret or any flipped character fails", async () => {
    const token = await signPreviewToken(claims, key);
    expect(token).toMatch(/^pt1\.s\.\d+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(await verifyPreviewToken(token, key)).toEqual(claims);
    expect(await verifyPreviewToken(token, otherKey)).toBeNull();
    for (let i = 0; i < token.length; i++) {
      const c = token.charCodeAt(i);
      const flipped = token.slice(0, i) + String.fromCharCode(c === 65 ? 66 : 65) + token.slice(i + 1);
      if (flipped !== token) expect(await verifyPreviewToken(flipped, key), `position ${i}`).toBeNull();
    }
  });

  it("cannot be extended: the expiry is signed", async () => {
    const token = await signPreviewToken(claims, key);
    const longer = token.replace(`.${claims.expiresAt}.`, `.${claims.expiresAt + 86_400}.`);
    expect(longer).not.toBe(token);
    expect(await verifyPreviewToken(longer, key)).toBeNull();
  });

  it("is not a session cookie, nor a cookie a token", async () => {
    const token = await signPreviewToken(claims, key);
    expect(await verifySession(token, key)).toBeNull();
    const cookie = await signSession(pinned(), key);
    expect(await verifyPreviewToken(cookie, key)).toBeNull();
  });

  it("takePreviewParam finds the token and keeps the rest of the query", () => {
    expect(takePreviewParam("")).toBeNull();
    expect(takePreviewParam("?a=1&b=2")).toBeNull();
    expect(takePreviewParam("?sf-preview=abc")).toEqual({ token: "abc", rest: "" });
    expect(takePreviewParam("?a=1&sf-preview=abc&b=2")).toEqual({ token: "abc", rest: "?a=1&b=2" });
    expect(takePreviewParam("?xsf-preview=abc")).toBeNull();
    expect(takePreviewParam("?sf-preview=%E0%A4%A")).toBeNull();
  });
});

describe("pinned session cookie", () => {
  it("round-trips with its own tag, and its Max-Age runs to the pin's end", async () => {
    const c = await signSession(pinned(), key);
    expect(c.startsWith("v1p.")).toBe(true);
    expect(await verifySession(c, key)).toEqual(pinned());
    expect(cookieMaxAge(pinned(), { idleTTL: 300, maximumTTL: 600 }, NOW)).toBe(600);
  });

  it("a drawn cookie cannot be turned into a pinned one", async () => {
    const drawn = await signSession({ ...pinned(), pinnedUntil: undefined, lastSeenAt: NOW }, key);
    const forged = `v1p${drawn.slice(2)}`;
    expect(await verifySession(forged, key)).toBeNull();
  });
});

describe("decide with a pinned session", () => {
  const input = (over: Partial<RouteInput>): RouteInput => ({
    policy: weightPolicy(0, { idleTTL: 300, maximumTTL: 600 }),
    stagingEnabled: true,
    forcePrimary: false,
    header: () => null,
    session: pinned(),
    nowS: NOW,
    random: () => 0.99,
    ...over,
  });

  it("pins to staging whatever the weight or header rule, and to primary against a matching header", () => {
    expect(decide(input({}))).toMatchObject({ arm: "staging", reason: "preview", issue: null });
    expect(decide(input({ policy: weightPolicy(0, null) }))).toMatchObject({ arm: "staging", reason: "preview" });
    const header = headerPolicy("aws-cf-cd-test", "blue");
    expect(decide(input({ policy: header }))).toMatchObject({ arm: "staging", reason: "preview" });
    const sendsHeader = { policy: header, header: () => "blue", session: pinned({ arm: "primary" }) };
    expect(decide(input(sendsHeader))).toMatchObject({ arm: "primary", reason: "preview" });
    // Even with the policy switched off: the link is the operator's choice.
    const off = { ...weightPolicy(0.1, null), enabled: false };
    expect(decide(input({ policy: off }))).toMatchObject({ arm: "staging", reason: "preview" });
  });

  it("does not hold past its end, for another policy or epoch, a disabled staging or FORCE_PRIMARY", () => {
    const sticky = weightPolicy(0, { idleTTL: 300, maximumTTL: 600 });
    // An ended pin is not kept as a drawn session: a new one is drawn (weight 0: primary).
    expect(decide(input({ nowS: NOW + 600 }))).toMatchObject({ arm: "primary", reason: "sticky-new" });
    expect(decide(input({ session: pinned({ policyId: "other" }) }))).toMatchObject({ reason: "sticky-new" });
    expect(decide(input({ policy: { ...sticky, epoch: 2 } }))).toMatchObject({ reason: "sticky-new" });
    expect(decide(input({ stagingEnabled: false }))).toMatchObject({ arm: "primary", reason: "staging-disabled" });
    expect(decide(input({ forcePrimary: true }))).toMatchObject({ arm: "primary", reason: "force-primary" });
    expect(decide(input({ policy: null }))).toMatchObject({ arm: "primary", reason: "no-policy" });
  });
});
