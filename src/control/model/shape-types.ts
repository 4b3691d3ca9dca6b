/**
 * The vocabulary of the generated shape table (shapes.ts): just enough of the AWS service model for a
 * shape-driven XML codec (member order, list item names, scalar types, enums, required members).
 */

/** A structure member: [member name, shape name, XML element name when it differs from the member name]. */
export type MemberRef = readonly [name: string, shape: string, xmlName?: string];

export type Shape =
  | { readonly t: "structure"; readonly m: readonly MemberRef[]; readonly r?: readonly string[] }
  | { readonly t: "list"; readonly m: string; readonly n: string }
  | { readonly t: "string"; readonly e?: readonly string[] }
  | { readonly t: "integer" | "long" | "float" | "boolean" | "timestamp" }
  /** Binary data: base64 text inside an XML document (a payload blob is the raw body instead). */
  | { readonly t: "blob" };
