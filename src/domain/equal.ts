/**
 * Deep equality of plain data (what the XML parser and JSON produce: objects, arrays, strings, numbers, booleans),
 * ignoring the order of object keys and treating a member set to `undefined` as absent. Comparing JSON.stringify
 * output would depend on the order in which members were added (e.g. by the normaliser). Pure.
 */
export function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => sameData(x, b[i]));
  }
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const keys = (r: Record<string, unknown>) => Object.keys(r).filter((k) => r[k] !== undefined);
  const ka = keys(ra);
  return ka.length === keys(rb).length && ka.every((k) => Object.hasOwn(rb, k) && sameData(ra[k], rb[k]));
}
