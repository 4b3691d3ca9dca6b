/**
 * The characters XML 1.0 can carry (§2.2, production [2] Char): tab, LF, CR, U+0020–U+D7FF, U+E000–U+FFFD and
 * U+10000–U+10FFFF. Anything else (C0 controls, lone surrogates, U+FFFE/U+FFFF) makes a document not well-formed,
 * even as a character reference (`&#1;`, WFC: Legal Character), so no client can parse it.
 */
const ILLEGAL = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const ILLEGAL_ALL = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** The first character of `s` that XML 1.0 cannot carry, as `U+XXXX`, or null. */
export function illegalXmlChar(s: string): string | null {
  const m = ILLEGAL.exec(s);
  if (m === null) return null;
  return `U+${(m[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`;
}

/** `s` with every character XML 1.0 cannot carry replaced by U+FFFD. */
export const replaceIllegalXmlChars = (s: string): string => s.replace(ILLEGAL_ALL, "\uFFFD");

const REFERENCE = /&(#x[0-9A-Fa-f]+|#[0-9]+|[A-Za-z_][A-Za-z0-9._-]*);/g;
const PREDEFINED = new Set(["amp", "lt", "gt", "quot", "apos"]);

/**
 * The first entity or character reference of `xml` that a well-formed document cannot hold: an entity XML does not
 * predefine (there is no DTD to declare one), or a character reference to a character XML 1.0 cannot carry.
 */
export function illegalReference(xml: string): string | null {
  for (const m of xml.matchAll(REFERENCE)) {
    const ref = m[1] ?? "";
    if (!ref.startsWith("#")) {
      if (!PREDEFINED.has(ref)) return `&${ref};`;
      continue;
    }
    const code = ref.startsWith("#x") ? Number.parseInt(ref.slice(2), 16) : Number.parseInt(ref.slice(1), 10);
    if (!(code <= 0x10ffff) || illegalXmlChar(String.fromCodePoint(code)) !== null) return `&${ref};`;
  }
  return null;
}
