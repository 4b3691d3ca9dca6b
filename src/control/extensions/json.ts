/** The JSON side of the extensions: reading a request body that was already read (and signed) once. */
import type { ControlResult } from "../errors.js";

/** The body as JSON: anything JSON can be, for the domain to check; `required` refuses an empty body. */
export function jsonBody(bytes: Uint8Array, required: boolean): ControlResult<unknown> {
  const text = new TextDecoder().decode(bytes).trim();
  if (text === "") {
    return required
      ? { ok: false, error: { tag: "malformed-json", message: "This operation needs a JSON body." } }
      : { ok: true, value: {} };
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, error: { tag: "malformed-json", message: "The body is not valid JSON." } };
  }
}

/** Unix ms as ISO-8601; null stays null. */
export function iso(ms: number): string;
export function iso(ms: number | null): string | null;
export function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}
