/**
 * CloudFront-shaped identifiers (reference §2): distribution ids `E` + 13 upper-case alphanumerics, domain labels
 * `d` + 13 lower-case alphanumerics, opaque ETags of the same form as the ids, UUID policy ids. The random source
 * is injected so tests can make ids deterministic.
 */
import type { IdSource } from "../domain/state.js";

const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

export type RandomBytes = (n: number) => Uint8Array;

export const cryptoRandom: RandomBytes = (n) => crypto.getRandomValues(new Uint8Array(n));

/** n characters drawn uniformly from `alphabet` (rejection sampling avoids modulo bias). */
export function randomString(alphabet: string, n: number, random: RandomBytes): string {
  const limit = 256 - (256 % alphabet.length);
  let out = "";
  while (out.length < n) {
    for (const b of random(n * 2)) {
      if (b < limit && out.length < n) out += alphabet[b % alphabet.length];
    }
  }
  return out;
}

function uuid(random: RandomBytes): string {
  const b = random(16);
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export function idSource(random: RandomBytes = cryptoRandom): IdSource {
  return {
    distributionId: () => `E${randomString(UPPER, 13, random)}`,
    domainLabel: () => `d${randomString(UPPER, 13, random).toLowerCase()}`,
    policyId: () => uuid(random),
    etag: () => `E${randomString(UPPER, 13, random)}`,
  };
}

export const requestId = (random: RandomBytes = cryptoRandom): string => uuid(random);
