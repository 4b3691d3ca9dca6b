import { beforeAll, describe, expect, it } from "vitest";
import { encodeBase64url } from "../../../src/routing/base64url.js";
import {
  cookieMaxAge,
  importSessionKey,
  type SessionClaims,
  signSession,
  verifySession,
} from "../../../src/routing/session-cookie.js";

const SECRET = "test-session-secret-0123456789abcdef";
const claims: SessionClaims = {
  arm: "staging",
  policyId: "0f8e9d2c-4b1a-4c3d-9e8f-7a6b5c4d3e2f",
  epoch: 3,
  sid: "Zm9vYmFyYmF6cXV4MTIzNA",
  startedAt: 1_800_000_000,
  lastSeenAt: 1_800_000_120,
};

let key: CryptoKey;
let cookie: string;
beforeAll(async () => {
  key = await importSessionKey(SECRET);
  cookie = await signSession(claims, key);
});

/** Signs an arbitrary body with the real key, to prove that field checks (not the signature) reject it. */
async function signedBody(body: string): Promise<string> {
  const sig = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(body));
  return `${body}.${encodeBase64url(new Uint8Array(sig))}`;
}
const pid = encodeBase64url(new TextEncoder().encode(claims.policyId));

describe("session cookie codec", () => {
  it("round-trips both arms, cookie-value-safe and small", async () => {
    expect(await verifySession(cookie, key)).toEqual(claims);
    const primary = { ...claims, arm: "primary" as const, policyId: "odd.id with spaces/é" };
    expect(await verifySession(await signSession(primary, key), key)).toEqual(primary);
    expect(cookie).toMatch(/^v1\.[A-Za-z0-9._-]+$/);
    expect(cookie.length).toBeLessThan(160);
  });

  it("rejects every single-bit flip of a valid cookie", async () => {
    let checked = 0;
    for (let i = 0; i < cookie.length; i++) {
      for (let bit = 0; bit < 8; bit++) {
        const flipped =
          cookie.slice(0, i) + String.fromCharCode(cookie.charCodeAt(i) ^ (1 << bit)) + cookie.slice(i + 1);
        expect(await verifySession(flipped, key), `position ${i} bit ${bit}`).toBeNull();
        checked++;
      }
    }
    expect(checked).toBe(cookie.length * 8);
  });

  it("rejects the cookie truncated at every length, and extended", async () => {
    for (let n = 0; n < cookie.length; n++) {
      expect(await verifySession(cookie.slice(0, n), key), `length ${n}`).toBeNull();
    }
    expect(await verifySession(`${cookie}A`, key)).toBeNull();
    expect(await verifySession(`${cookie}.`, key)).toBeNull();
  });

  it("rejects a cookie signed with another secret", async () => {
    const other = await importSessionKey(`${SECRET}-rotated`);
    expect(await verifySession(await signSession(claims, other), key)).toBeNull();
  });

  it("rejects old or unknown versions even when correctly signed", async () => {
    for (const version of ["v0", "v2", "V1", "", "1"]) {
      const body = `${version}.s.3.${claims.startedAt}.${claims.lastSeenAt}.${claims.sid}.${pid}`;
      expect(await verifySession(await signedBody(body), key), version).toBeNull();
    }
  });

  it("rejects correctly signed bodies with bad fields", async () => {
    const { startedAt: s, lastSeenAt: l, sid } = claims;
    const bad = [
      `v1.x.3.${s}.${l}.${sid}.${pid}`, // unknown arm
      `v1.staging.3.${s}.${l}.${sid}.${pid}`,
      `v1.s.3.${l}.${s}.${sid}.${pid}`, // startedAt > lastSeenAt
      `v1.s.-3.${s}.${l}.${sid}.${pid}`,
      `v1.s.3.${s}e0.${l}.${sid}.${pid}`, // non-integer times
      `v1.s.3.${s}.${l}.5.${sid}.${pid}`,
      `v1.s.3. ${s}.${l}.${sid}.${pid}`,
      `v1.s.3..${l}.${sid}.${pid}`,
      `v1.s.3.1234567890123456.${l}.${sid}.${pid}`,
      `v1.s.3.${s}.${l}.${sid}`, // wrong field count
      `v1.s.3.${s}.${l}.${sid}.${pid}.extra`,
      `v1.s.3.${s}.${l}..${pid}`, // empty session id
      `v1.s.3.${s}.${l}.${sid}!.${pid}`,
      `v1.s.3.${s}.${l}.${sid}.${pid}=`, // policy id not base64url
      `v1.s.3.${s}.${l}.${sid}.${encodeBase64url(new Uint8Array([0xff, 0xfe]))}`, // not UTF-8
    ];
    for (const body of bad) expect(await verifySession(await signedBody(body), key), body).toBeNull();
    // The same helper does produce an accepted cookie from a good body.
    const good = await signedBody(`v1.s.3.${s}.${l}.${sid}.${pid}`);
    expect(await verifySession(good, key)).toEqual(claims);
  });

  it("rejects garbage, empty and oversized values", async () => {
    const garbage = [
      "",
      ".",
      "v1",
      "v1.",
      "....",
      "deleted",
      "eyJhbGciOiJIUzI1NiJ9.eyJhcm0iOiJzdGFnaW5nIn0.c2ln",
      `${cookie.slice(0, cookie.lastIndexOf(".") + 1)}${"A".repeat(43)}`,
      `${cookie.slice(0, cookie.lastIndexOf(".") + 1)}`,
      "v1.s.3.1.2.abc.cA.",
      `v1.${"s".repeat(2000)}`,
    ];
    for (const value of garbage) expect(await verifySession(value, key), value).toBeNull();
  });
});

describe("cookieMaxAge", () => {
  const sticky = { idleTTL: 300, maximumTTL: 600 };
  const s = claims.startedAt;
  it("runs to the idle deadline when it comes first", () => {
    expect(cookieMaxAge({ ...claims, lastSeenAt: s }, sticky, s)).toBe(300);
    expect(cookieMaxAge({ ...claims, lastSeenAt: s + 100 }, sticky, s + 100)).toBe(300);
  });
  it("runs to the maximum deadline when it comes first", () => {
    expect(cookieMaxAge({ ...claims, lastSeenAt: s + 400 }, sticky, s + 400)).toBe(200);
    expect(cookieMaxAge({ ...claims, lastSeenAt: s + 590 }, sticky, s + 590)).toBe(10);
  });
  it("is 0 once the session is over, and floors fractions", () => {
    expect(cookieMaxAge({ ...claims, lastSeenAt: s }, sticky, s + 300)).toBe(0);
    expect(cookieMaxAge({ ...claims, lastSeenAt: s }, sticky, s + 1000)).toBe(0);
    expect(cookieMaxAge({ ...claims, lastSeenAt: s }, sticky, s + 0.5)).toBe(299);
  });
});
