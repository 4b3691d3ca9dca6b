/** Marker / MaxItems of the List operations; MaxItems defaults to 100 as on CloudFront. */

import { invalid, ok, type Result } from "../../domain/result.js";
import type { ControlContext } from "../context.js";
import { illegalXmlChar } from "../xml/chars.js";

export interface ListQuery {
  marker: string;
  maxItems: number;
}

export function parseListQuery(c: ControlContext): Result<ListQuery> {
  const marker = c.req.query("Marker") ?? "";
  // The Marker is echoed in the list: one XML cannot carry would make the response unreadable to every client.
  if (illegalXmlChar(marker) !== null || marker.length > 1024) return invalid("The parameter Marker is not valid.");
  const raw = c.req.query("MaxItems");
  if (raw === undefined || raw === "") return ok({ marker, maxItems: 100 });
  if (!/^\d{1,4}$/.test(raw)) return invalid("MaxItems must be an integer between 0 and 1000.");
  const maxItems = Number(raw);
  if (maxItems > 1000) return invalid("MaxItems must be an integer between 0 and 1000.");
  return ok({ marker, maxItems });
}
