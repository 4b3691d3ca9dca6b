/**
 * Session ids and their buckets. A new sticky session draws a 128-bit id from the injected random source and is
 * placed by hashing that id onto [0, 1): staging iff bucketOf(sid) < weight. Pinning the id (not only the arm)
 * lets tests, logs and a future "ramp" feature recompute where a session would land at another weight.
 */
import { encodeBase64url } from "./base64url.js";

const TWO_32 = 2 ** 32;

/** 128 bits from `random` (four 32-bit draws), as 22 base64url characters. */
export function newSessionId(random: () => number): string {
  const bytes = new Uint8Array(16);
  for (let i = 0; i < 16; i += 4) {
    // Clamp so a source that returns exactly 1 (out of contract) cannot overflow the word.
    const word = Math.min(TWO_32 - 1, Math.floor(random() * TWO_32)) >>> 0;
    bytes[i] = word >>> 24;
    bytes[i + 1] = (word >>> 16) & 255;
    bytes[i + 2] = (word >>> 8) & 255;
    bytes[i + 3] = word & 255;
  }
  return encodeBase64url(bytes);
}

/**
 * FNV-1a 32 over the id's characters, then murmur3's fmix32 finaliser: FNV alone mixes the last characters poorly
 * into the high bits, and ids that differ only at the end (sequential ids) would then crowd a few buckets.
 */
export function bucketOf(sid: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < sid.length; i++) {
    h ^= sid.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / TWO_32;
}
