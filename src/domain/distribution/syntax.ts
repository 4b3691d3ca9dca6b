/**
 * Lexical rules shared by the distribution validators: host names, HTTP tokens and field values, the character
 * sets CloudFront documents for path patterns and the default root object, S3 bucket endpoints. Pure predicates.
 */

const LABEL = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";
const HOST_NAME = new RegExp(`^(?:${LABEL}\\.)*${LABEL}$`);
const WILDCARD_HOST = new RegExp(`^\\*\\.(?:${LABEL}\\.)*${LABEL}$`);
const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/** A DNS host name (case-insensitive), at most 253 characters, no trailing dot. */
export const isHostName = (s: string): boolean => s.length <= 253 && HOST_NAME.test(s.toLowerCase());

/** An alias: a host name, optionally with one leading `*.` label. */
export const isAliasName = (s: string): boolean =>
  s.length <= 253 && (HOST_NAME.test(s.toLowerCase()) || WILDCARD_HOST.test(s.toLowerCase()));

/** A dotted-quad IPv4 address. */
export const isIpv4 = (s: string): boolean => IPV4.test(s);

/** RFC 9110 token: the characters of a header name. */
export const isToken = (s: string): boolean => /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(s);

/** RFC 9110 field-value: visible ASCII, obs-text, spaces and tabs; never CR, LF, NUL or other controls. */
export function isFieldValue(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09) || c === 0x7f) return false;
  }
  return true;
}

/** True when `s` holds a C0 control character or DEL. */
export function hasControlChar(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

/** Path patterns: A-Z a-z 0-9 _ - . * $ / ~ " ' @ : + & and the `?` wildcard (Developer Guide, "Path pattern"). */
export const isPathPatternText = (s: string): boolean => /^[A-Za-z0-9_\-.*$/~"'@:+&?]+$/.test(s);

/** Default root object: A-Z a-z 0-9 _ - . * $ / ~ " ' & (Developer Guide, "Default root object"). */
export const isRootObjectText = (s: string): boolean => /^[A-Za-z0-9_\-.*$/~"'&]+$/.test(s);

/**
 * A URL path as CloudFront sends it to an origin: starts with `/`, and holds only characters that need no
 * escaping in a path (RFC 3986 pchar and `/`) or `%XX` escapes. No spaces, no `?` or `#`, no controls.
 */
export const isUrlPath = (s: string): boolean => /^\/(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/]|%[0-9A-Fa-f]{2})*$/.test(s);

const REGION = "(?:[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\\d+)";
/**
 * An S3 bucket's REST endpoint, which S3OriginConfig requires: `bucket.s3.amazonaws.com`,
 * `bucket.s3.<region>.amazonaws.com`, the legacy `bucket.s3-<region>.amazonaws.com`, the dual-stack form, and the
 * China partition's `.amazonaws.com.cn`. Website endpoints (`s3-website…`) and `s3-accelerate` are not bucket
 * endpoints: CloudFront refuses them for an S3 origin.
 */
const S3_BUCKET_ENDPOINT = new RegExp(
  `^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\\.s3(?:\\.dualstack)?(?:[.-]${REGION})?\\.amazonaws\\.com(?:\\.cn)?$`,
);
export const isS3BucketEndpoint = (s: string): boolean => S3_BUCKET_ENDPOINT.test(s.toLowerCase());

/** An AWS region code such as us-east-2 (Origin Shield). */
export const isRegionCode = (s: string): boolean => new RegExp(`^${REGION}$`).test(s);

/** The length of `s` in characters (code points), as CloudFront counts them. */
export const charLength = (s: string): number => {
  let n = 0;
  for (const _ of s) n++;
  return n;
};
