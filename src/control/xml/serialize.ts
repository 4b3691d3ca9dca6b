/**
 * Shape-driven XML writer: members in the model's order, list items under the model's element names, the
 * CloudFront namespace on the root. Members absent from the value are omitted.
 */
import { SHAPES } from "../model/shapes.js";
import { replaceIllegalXmlChars } from "./chars.js";
import { isStruct, type XmlValue } from "./value.js";

export const CLOUDFRONT_NS = "http://cloudfront.amazonaws.com/doc/2020-05-31/";

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&apos;",
  // A literal CR would reach the client as LF (XML end-of-line handling); the reference keeps it.
  "\r": "&#13;",
};

/**
 * Text as XML character data. Characters XML 1.0 cannot carry never reach storage (the parser refuses them), but
 * records written before that rule, and anything else echoed, are written with U+FFFD in their place, so every
 * response stays well-formed for every client.
 */
export const escapeXml = (s: string): string => replaceIllegalXmlChars(s).replace(/[&<>"'\r]/g, (c) => ESCAPES[c] ?? c);

export function serializeDocument(root: string, shapeName: string, value: XmlValue): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${CLOUDFRONT_NS}">${inner(value, shapeName)}</${root}>`;
}

function inner(value: XmlValue, shapeName: string): string {
  const shape = SHAPES[shapeName];
  if (shape === undefined) throw new Error(`shape table has no ${shapeName}`);
  switch (shape.t) {
    case "structure": {
      if (!isStruct(value)) return "";
      let out = "";
      for (const [name, memberShape, xmlName] of shape.m) {
        const v = value[name];
        if (v === undefined) continue;
        const el = xmlName ?? name;
        out += `<${el}>${inner(v, memberShape)}</${el}>`;
      }
      return out;
    }
    case "list":
      return Array.isArray(value) ? value.map((v) => `<${shape.n}>${inner(v, shape.m)}</${shape.n}>`).join("") : "";
    case "string":
    case "timestamp":
    case "integer":
    case "long":
    case "float":
    case "boolean":
    case "blob":
      return typeof value === "object" ? "" : escapeXml(String(value));
    default:
      return shape satisfies never;
  }
}
