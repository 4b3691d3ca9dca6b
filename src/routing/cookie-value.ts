/**
 * One cookie's value out of a Cookie header, without parsing the others: the sticky path reads splitfront's own
 * session cookie on every request, and a parser that builds an object of every cookie (hono's `parse`) costs
 * several thousand instructions and half a kilobyte of garbage a request (bench/README.md). Same answer as
 * `parse(header, name)[name]` from hono/utils/cookie (test/unit/routing/cookie-value.test.ts compares them): the
 * first pair named exactly `name` whose value is well-formed, surrounding whitespace and quotes removed,
 * percent-decoded where it holds a `%`.
 */

const SPACE = 32;
const TAB = 9;
const SEMICOLON = 59;
const EQUALS = 61;
const VALID_VALUE = /^[ !#-:<-[\]-~]*$/;

const isBlank = (c: number) => c === SPACE || c === TAB;

export function cookieValue(header: string, name: string): string | undefined {
  if (name === "") return undefined;
  let from = 0;
  for (;;) {
    const at = header.indexOf(name, from);
    if (at < 0) return undefined;
    from = at + 1;
    // The name must be a whole pair's name: after the header's start or a ';' (and blanks), before '=' (and blanks).
    let before = at - 1;
    while (before >= 0 && isBlank(header.charCodeAt(before))) before--;
    if (before >= 0 && header.charCodeAt(before) !== SEMICOLON) continue;
    let eq = at + name.length;
    while (eq < header.length && isBlank(header.charCodeAt(eq))) eq++;
    if (header.charCodeAt(eq) !== EQUALS) continue;
    let end = header.indexOf(";", eq + 1);
    if (end < 0) end = header.length;
    let value = trimBlanks(header, eq + 1, end);
    if (value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    if (!VALID_VALUE.test(value)) continue;
    return value.includes("%") ? decoded(value) : value;
  }
}

/** header[start, end) without the spaces and tabs around it (only those, as hono: not String#trim's set). */
function trimBlanks(header: string, start: number, end: number): string {
  while (start < end && isBlank(header.charCodeAt(start))) start++;
  while (end > start && isBlank(header.charCodeAt(end - 1))) end--;
  return header.slice(start, end);
}

/** decodeURIComponent, or for a malformed sequence each well-formed run decoded and the rest kept (as hono). */
function decoded(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
      try {
        return decodeURIComponent(run);
      } catch {
        return run;
      }
    });
  }
}
