import { describe, expect, it } from "vitest";
import { decodeBase64url, encodeBase64url } from "../../../src/routing/base64url.js";
import { mulberry32 } from "./prng.js";

/** The reference encoding, from the platform's btoa. */
function viaBtoa(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replaceAll("=", "");
}

describe("base64url", () => {
  it("matches btoa's encoding and round-trips for every length 0..64", () => {
    const random = mulberry32(7);
    for (let n = 0; n <= 64; n++) {
      const bytes = Uint8Array.from({ length: n }, () => Math.floor(random() * 256));
      const text = encodeBase64url(bytes);
      expect(text).toBe(viaBtoa(bytes));
      expect(decodeBase64url(text)).toEqual(bytes);
    }
  });

  it("rejects characters outside the alphabet, padding and impossible lengths", () => {
    expect(decodeBase64url("ab+d")).toBeNull();
    expect(decodeBase64url("ab/d")).toBeNull();
    expect(decodeBase64url("abc=")).toBeNull();
    expect(decodeBase64url("ab.d")).toBeNull();
    expect(decodeBase64url("abcé")).toBeNull();
    expect(decodeBase64url("abcde")).toBeNull();
    expect(decodeBase64url("")).toEqual(new Uint8Array(0));
  });

  it("rejects non-canonical trailing bits, so one value has one spelling", () => {
    expect(decodeBase64url("AA")).toEqual(new Uint8Array([0]));
    expect(decodeBase64url("AB")).toBeNull();
    expect(decodeBase64url("AAA")).toEqual(new Uint8Array([0, 0]));
    expect(decodeBase64url("AAB")).toBeNull();
  });
});
