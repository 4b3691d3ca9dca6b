/**
 * Tags on CloudFront resources (TagResource, UntagResource, ListTagsForResource, CreateDistributionWithTags): the
 * resource an ARN names and CloudFront's tag rules (API reference, Tag; DG "Tagging Amazon CloudFront
 * distributions"): keys of 1–128 and values of 0–256 letters, digits, spaces and `_ . : / = + - @`, case-sensitive,
 * at most 50 tags per resource, the `aws:` prefix reserved for AWS. A resource's tags are replaced as a whole set
 * (Change.setTags); deleting a distribution deletes its tags (src/store/sql.ts). Pure.
 */
import { findDistribution } from "./lookup.js";
import { fail, invalid, ok, type Result } from "./result.js";
import { type Change, type ControlState, noChange } from "./state.js";

export interface Tag {
  Key: string;
  Value?: string;
}

/** A resource's whole tag set, keyed by the resource part of its ARN (`distribution/E123…`). */
export interface TagSet {
  resource: string;
  tags: Tag[];
}

export const TAG_LIMITS = { maxTags: 50, maxKeyLength: 128, maxValueLength: 256, reservedPrefix: "aws:" } as const;

// The model's pattern, anchored: letters, separators (spaces), digits and _ . : / = + - @.
const TAG_CHARS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

const tagging = (message: string) => fail({ tag: "invalid-tagging" as const, message });

function checkKey(key: string): Result<true> {
  if (key.length < 1 || key.length > TAG_LIMITS.maxKeyLength) {
    return tagging(`Tag keys must be 1 to ${TAG_LIMITS.maxKeyLength} characters long.`);
  }
  if (!TAG_CHARS.test(key)) return tagging(`The tag key ${JSON.stringify(key)} has characters that are not allowed.`);
  if (key.toLowerCase().startsWith(TAG_LIMITS.reservedPrefix)) {
    return tagging(`Tag keys starting with ${TAG_LIMITS.reservedPrefix} are reserved for AWS use.`);
  }
  return ok(true);
}

/** Tags as sent (TagResource, CreateDistributionWithTags): each valid, no key twice. Values default to "". */
export function parseTags(tags: readonly Tag[]): Result<Tag[]> {
  const seen = new Set<string>();
  const out: Tag[] = [];
  for (const t of tags) {
    const key = checkKey(t.Key);
    if (!key.ok) return key;
    const value = t.Value ?? "";
    if (value.length > TAG_LIMITS.maxValueLength) {
      return tagging(`Tag values must be at most ${TAG_LIMITS.maxValueLength} characters long (key ${t.Key}).`);
    }
    if (!TAG_CHARS.test(value)) return tagging(`The value of tag ${t.Key} has characters that are not allowed.`);
    if (seen.has(t.Key)) return tagging(`The tag key ${t.Key} appears more than once.`);
    seen.add(t.Key);
    out.push({ Key: t.Key, Value: value });
  }
  return checkCount(out);
}

function checkCount(tags: Tag[]): Result<Tag[]> {
  return tags.length > TAG_LIMITS.maxTags
    ? tagging(`A resource can have at most ${TAG_LIMITS.maxTags} tags.`)
    : ok(tags);
}

/** `current` with `added` set: a key already there gets the new value, in its place. */
export function mergeTags(current: readonly Tag[], added: readonly Tag[]): Result<Tag[]> {
  const byKey = new Map(current.map((t) => [t.Key, t]));
  for (const t of added) byKey.set(t.Key, t);
  return checkCount([...byKey.values()]);
}

/** `current` without `keys` (keys it does not have are ignored, as on CloudFront). */
export function removeTags(current: readonly Tag[], keys: readonly string[]): Result<Tag[]> {
  for (const k of keys) {
    const key = checkKey(k);
    if (!key.ok) return key;
  }
  const gone = new Set(keys);
  return ok(current.filter((t) => !gone.has(t.Key)));
}

const ARN = /^arn:aws(-cn)?:cloudfront::([0-9]+):(.+)$/;

export const distributionResource = (id: string): string => `distribution/${id}`;

/**
 * The taggable resource `arn` names in this account: its resource part (`distribution/E123…`). A malformed ARN
 * is InvalidArgument; another account's is AccessDenied; one naming nothing here (a missing distribution, or a
 * resource type splitfront does not keep) is NoSuchResource.
 */
export function resolveResource(s: ControlState, arn: string | undefined, accountId: string): Result<string> {
  const m = ARN.exec(arn ?? "");
  if (m === null) return invalid(`The resource ARN ${JSON.stringify(arn ?? "")} is not a CloudFront ARN.`);
  if (m[2] !== accountId) return fail({ tag: "foreign-resource", arn: arn ?? "" });
  const resource = m[3] ?? "";
  const slash = resource.indexOf("/");
  const type = resource.slice(0, slash);
  const id = resource.slice(slash + 1);
  if (slash > 0 && type === "distribution" && findDistribution(s, id) !== undefined) return ok(resource);
  return fail({ tag: "no-such-resource", arn: arn ?? "" });
}

/** TagResource: the resource's tags with `sent` added or replaced. `current` reads a resource's stored tags. */
export function tagResource(
  s: ControlState,
  arn: string | undefined,
  accountId: string,
  sent: readonly Tag[],
  current: (resource: string) => Tag[],
): Result<Change> {
  const resource = resolveResource(s, arn, accountId);
  if (!resource.ok) return resource;
  const tags = parseTags(sent);
  if (!tags.ok) return tags;
  const merged = mergeTags(current(resource.value), tags.value);
  return merged.ok ? ok({ ...noChange(), setTags: [{ resource: resource.value, tags: merged.value }] }) : merged;
}

/** UntagResource: the resource's tags without `keys`. */
export function untagResource(
  s: ControlState,
  arn: string | undefined,
  accountId: string,
  keys: readonly string[],
  current: (resource: string) => Tag[],
): Result<Change> {
  const resource = resolveResource(s, arn, accountId);
  if (!resource.ok) return resource;
  const kept = removeTags(current(resource.value), keys);
  return kept.ok ? ok({ ...noChange(), setTags: [{ resource: resource.value, tags: kept.value }] }) : kept;
}
