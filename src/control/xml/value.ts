/**
 * The in-memory form of a CloudFront XML document after the shape-driven parse: structures are objects keyed by
 * member name, lists are arrays, scalars are typed. It has the same layout as the AWS SDK's model types, which is
 * why the rest of the control plane can view a parsed document through those types (see ../model/views.ts).
 */
export type XmlValue = string | number | boolean | XmlStruct | XmlValue[];

export interface XmlStruct {
  [member: string]: XmlValue | undefined;
}

export const isStruct = (v: XmlValue | undefined): v is XmlStruct =>
  typeof v === "object" && v !== null && !Array.isArray(v);
