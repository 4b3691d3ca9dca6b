/**
 * Shape-driven XML parser: well-formedness via fast-xml-parser, then a walk over the generated shape table that
 * types every scalar, checks enums and required members, and ignores element order (the reference, §2: "Parsers
 * must not depend on member order"). Unknown elements are ignored, as AWS does. Any violation is MalformedXML.
 */
import { XMLParser, XMLValidator } from "fast-xml-parser";
import type { Shape } from "../model/shape-types.js";
import { SHAPES } from "../model/shapes.js";
import { illegalReference, illegalXmlChar } from "./chars.js";
import type { XmlStruct, XmlValue } from "./value.js";

export type ParseResult = { ok: true; value: XmlStruct } | { ok: false; message: string };

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  processEntities: true,
  // Decodes character references (&#10;, &#x0A;: the JS SDK writes CR and LF so); named ones are checked first.
  htmlEntities: true,
});

class ShapeError extends Error {}

const INT = /^[+-]?\d{1,19}$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const FLOAT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Parses `xml`, whose root element must be `root`, as an instance of shape `shapeName`. */
export function parseDocument(xml: string, root: string, shapeName: string): ParseResult {
  if (xml.trim() === "") return { ok: false, message: "The request body is empty." };
  // DOCTYPE would allow entity expansion; CloudFront documents never carry one.
  if (/<!DOCTYPE/i.test(xml)) return { ok: false, message: "DOCTYPE declarations are not allowed." };
  // A character XML 1.0 cannot carry makes the document not well-formed (MalformedXML, as for any other
  // well-formedness error): it is refused before anything could store it. fast-xml-parser does not check this.
  const illegal = illegalXmlChar(xml);
  if (illegal !== null)
    return { ok: false, message: `The XML is not well-formed: it contains the character ${illegal}.` };
  const reference = illegalReference(xml);
  if (reference !== null) return { ok: false, message: `The XML is not well-formed: ${reference} is not allowed.` };
  let tree: unknown;
  try {
    const valid = XMLValidator.validate(xml);
    if (valid !== true) return { ok: false, message: `The XML is not well-formed: ${valid.err.msg}` };
    // Deeply nested input can exhaust the parser's stack: that is malformed input too, not a server fault.
    tree = parser.parse(xml);
  } catch {
    return { ok: false, message: "The XML is not well-formed." };
  }
  if (typeof tree !== "object" || tree === null) return { ok: false, message: "The XML has no root element." };
  const keys = Object.keys(tree);
  if (keys.length !== 1 || keys[0] !== root) {
    return { ok: false, message: `The root element must be ${root}.` };
  }
  try {
    const value = readValue((tree as Record<string, unknown>)[root], shapeName, root);
    if (typeof value !== "object" || Array.isArray(value)) throw new ShapeError(`${root} must be a structure.`);
    return { ok: true, value };
  } catch (e) {
    if (e instanceof ShapeError) return { ok: false, message: e.message };
    throw e;
  }
}

function shapeOf(name: string): Shape {
  const s = SHAPES[name];
  if (s === undefined) throw new Error(`shape table has no ${name}`);
  return s;
}

function readValue(node: unknown, shapeName: string, path: string): XmlValue {
  const shape = shapeOf(shapeName);
  if (Array.isArray(node)) throw new ShapeError(`${path} occurs more than once.`);
  switch (shape.t) {
    case "structure":
      return readStruct(node, shape, path);
    case "list": {
      if (node === "") return [];
      if (typeof node !== "object" || node === null) throw new ShapeError(`${path} must contain ${shape.n} elements.`);
      const raw = Object.hasOwn(node, shape.n) ? (node as Record<string, unknown>)[shape.n] : undefined;
      const items = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
      return items.map((item, i) => readValue(item, shape.m, `${path}.${shape.n}[${i}]`));
    }
    case "string":
    case "timestamp": {
      if (typeof node !== "string") throw new ShapeError(`${path} must be text.`);
      // Character references such as &#1; are decoded by the parser: the same rule again on the value.
      const illegal = illegalXmlChar(node);
      if (illegal !== null)
        throw new ShapeError(`${path} contains the character ${illegal}, which XML 1.0 cannot carry.`);
      if (shape.t === "string" && shape.e !== undefined && !shape.e.includes(node)) {
        throw new ShapeError(`${path} has an unknown value: ${node.slice(0, 64)}`);
      }
      return node;
    }
    case "integer":
    case "long": {
      const n = typeof node === "string" && INT.test(node) ? Number(node) : Number.NaN;
      // integer is 32-bit; long is limited to what a JS number holds exactly.
      const [min, max] =
        shape.t === "integer" ? [-(2 ** 31), 2 ** 31 - 1] : [-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER];
      if (!Number.isInteger(n) || n < min || n > max) throw new ShapeError(`${path} must be an integer.`);
      return n;
    }
    case "float": {
      const n = typeof node === "string" && FLOAT.test(node) ? Number(node) : Number.NaN;
      if (!Number.isFinite(n)) throw new ShapeError(`${path} must be a number.`);
      return n;
    }
    case "blob": {
      // Kept as its base64 text (the wire form); whoever needs the bytes decodes it.
      const text = typeof node === "string" ? node.replace(/\s+/g, "") : null;
      if (text === null || !BASE64.test(text)) throw new ShapeError(`${path} must be base64.`);
      return text;
    }
    case "boolean":
      if (node === "true") return true;
      if (node === "false") return false;
      throw new ShapeError(`${path} must be true or false.`);
    default:
      return shape satisfies never;
  }
}

function readStruct(node: unknown, shape: Extract<Shape, { t: "structure" }>, path: string): XmlStruct {
  // `<Aliases/>` parses as "": an empty structure, whose required members are then reported missing.
  if (node !== "" && (typeof node !== "object" || node === null)) throw new ShapeError(`${path} must be a structure.`);
  const src = (node === "" ? {} : node) as Record<string, unknown>;
  const out: XmlStruct = {};
  for (const [name, memberShape, xmlName] of shape.m) {
    const el = xmlName ?? name;
    if (!Object.hasOwn(src, el)) continue;
    out[name] = readValue(src[el], memberShape, `${path}.${name}`);
  }
  for (const name of shape.r ?? []) {
    if (out[name] === undefined) throw new ShapeError(`${path}.${name} is required.`);
  }
  return out;
}
