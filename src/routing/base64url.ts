/**
 * base64url (RFC 4648 §5, no padding) for the session cookie: its alphabet is cookie-value-safe, and a hand-rolled
 * table codec avoids atob/btoa's binary-string detour and any regex on the hot path. decode returns null for any
 * character outside the alphabet or an impossible length, so a tampered cookie is a value, never an exception.
 */

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/** Char code → 6-bit value, or 255 for "not in the alphabet". */
const DECODE = new Uint8Array(128).fill(255);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

export function encodeBase64url(bytes: Uint8Array): string {
  let out = "";
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = ((bytes[i] ?? 0) << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += ALPHABET.charAt(n >>> 18) + ALPHABET.charAt((n >>> 12) & 63);
    out += ALPHABET.charAt((n >>> 6) & 63) + ALPHABET.charAt(n & 63);
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = (bytes[i] ?? 0) << 16;
    out += ALPHABET.charAt(n >>> 18) + ALPHABET.charAt((n >>> 12) & 63);
  } else if (rest === 2) {
    const n = ((bytes[i] ?? 0) << 16) | ((bytes[i + 1] ?? 0) << 8);
    out += ALPHABET.charAt(n >>> 18) + ALPHABET.charAt((n >>> 12) & 63) + ALPHABET.charAt((n >>> 6) & 63);
  }
  return out;
}

/** 6-bit value of the character at `i`, or -1 when it is not base64url. */
function sextet(text: string, i: number): number {
  const c = text.charCodeAt(i);
  const v = c < 128 ? (DECODE[c] ?? 255) : 255;
  return v === 255 ? -1 : v;
}

export function decodeBase64url(text: string): Uint8Array<ArrayBuffer> | null {
  // A remainder of 1 character cannot encode a whole byte.
  if (text.length % 4 === 1) return null;
  const out = new Uint8Array(Math.floor((text.length * 3) / 4));
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    const a = sextet(text, i);
    const b = sextet(text, i + 1);
    if (a < 0 || b < 0) return null;
    const hasC = i + 2 < text.length;
    const hasD = i + 3 < text.length;
    const c = hasC ? sextet(text, i + 2) : 0;
    const d = hasD ? sextet(text, i + 3) : 0;
    if (c < 0 || d < 0) return null;
    const n = (a << 18) | (b << 12) | (c << 6) | d;
    out[o++] = n >>> 16;
    if (hasC) out[o++] = (n >>> 8) & 255;
    if (hasD) out[o++] = n & 255;
    // Non-canonical trailing bits would give two spellings of one value; refuse them.
    else if (hasC ? (n & 0xff) !== 0 : (n & 0xffff) !== 0) return null;
  }
  return out;
}
