/**
 * Response bodies parsed by a strict, real XML parser: Python's expat (xml.etree), the parser botocore uses. One
 * Python process checks a whole batch; for each body it reports whether it is well-formed and, for a CloudFront
 * error document, its Code and Message.
 */
import { runPython } from "./python.js";

export interface Parsed {
  wellFormed: boolean;
  /** Why not, when not well-formed. */
  problem?: string;
  root?: string;
  code?: string;
  message?: string;
}

const SCRIPT = `
import base64, json, sys
import xml.etree.ElementTree as ET
NS = "{http://cloudfront.amazonaws.com/doc/2020-05-31/}"
out = []
for body in json.load(sys.stdin):
    try:
        root = ET.fromstring(base64.b64decode(body))
    except Exception as e:
        out.append({"wellFormed": False, "problem": str(e)})
        continue
    r = {"wellFormed": True, "root": root.tag.replace(NS, "")}
    err = root.find(NS + "Error")
    if err is not None:
        r["code"] = err.findtext(NS + "Code") or ""
        r["message"] = err.findtext(NS + "Message") or ""
    out.append(r)
print(json.dumps(out))
`;

/** Parses every body (the bytes as received) with expat; the results are in the same order. */
export async function parseStrictly(bodies: Uint8Array[]): Promise<Parsed[]> {
  if (bodies.length === 0) return [];
  const encoded = bodies.map((b) => Buffer.from(b).toString("base64"));
  return JSON.parse(await runPython(SCRIPT, [], JSON.stringify(encoded))) as Parsed[];
}
