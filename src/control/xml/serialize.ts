/**
 * Shape-driven XML writer: members in the model's order, list items under the model's element names, the
 * CloudFront namespace on the root. Members absent from the value are omitted.
 */
import { SHAPES } from "../model/shapes.js";
import { isStruct, type XmlValue } from "./value.js";

export const CLOUDFRONT_NS = "http://cloudfront.amazonaws.com/doc/2020-05-31/";

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" };

export const escapeXml = (s: string): string => s.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

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
