/** A known resource path with a method the API does not define for it. */
import type { ControlContext } from "../context.js";
import { errorResponse } from "../context.js";

export const methodNotAllowed = (c: ControlContext): Response =>
  errorResponse(c, { tag: "method-not-allowed", method: c.req.method });
