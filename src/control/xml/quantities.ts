/**
 * CloudFront's `{Quantity, Items}` rule: in every such pair Quantity equals the number of Items (absent Items
 * count as zero). A violation is InconsistentQuantities, not MalformedXML, so it is checked after the parse.
 */
import { SHAPES } from "../model/shapes.js";
import { isStruct, type XmlValue } from "./value.js";

/** Returns the path of the first inconsistent pair, or null. */
export function findInconsistentQuantity(value: XmlValue, shapeName: string, path = ""): string | null {
  const shape = SHAPES[shapeName];
  if (shape === undefined) return null;
  if (shape.t === "list" && Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const hit = findInconsistentQuantity(item, shape.m, `${path}[${i}]`);
      if (hit !== null) return hit;
    }
    return null;
  }
  if (shape.t !== "structure" || !isStruct(value)) return null;
  const hasPair = shape.m.some(([n]) => n === "Quantity") && shape.m.some(([n]) => n === "Items");
  if (hasPair && typeof value.Quantity === "number") {
    const items = value.Items;
    const count = Array.isArray(items) ? items.length : 0;
    if (count !== value.Quantity) return path || "(root)";
  }
  for (const [name, memberShape] of shape.m) {
    const v = value[name];
    if (v === undefined) continue;
    const hit = findInconsistentQuantity(v, memberShape, path ? `${path}.${name}` : name);
    if (hit !== null) return hit;
  }
  return null;
}
