/**
 * Geographic restriction of a distribution (DG "Restrict the geographic distribution of your content"): with a
 * whitelist only the listed countries are served, with a blacklist every country but the listed ones; a refused
 * viewer gets 403. The country is Cloudflare's `request.cf.country` (ISO 3166-1 alpha-2).
 *
 * A viewer whose country is unknown (no `cf` object, "XX", or Cloudflare's Tor code "T1") is served under either
 * list, as CloudFront does: "If CloudFront can't determine a user's location, CloudFront serves the content"
 * (DG, geographic restrictions).
 */
import type { EdgeDistribution } from "../model/edge-config.js";

export type GeoRestriction = EdgeDistribution["geoRestriction"];

const UNKNOWN_COUNTRIES: ReadonlySet<string> = new Set(["", "XX", "T1"]);

/** Country sets, built once per restriction object; codes are compared upper-case. */
const countrySets = new WeakMap<GeoRestriction, ReadonlySet<string>>();

function countriesOf(geo: GeoRestriction): ReadonlySet<string> {
  let set = countrySets.get(geo);
  if (set === undefined) {
    set = new Set(geo.countries.map((c) => c.toUpperCase()));
    countrySets.set(geo, set);
  }
  return set;
}

/** `countryOf` is asked only under a restriction: reading `request.cf` costs a call into the runtime. */
export function geoAllowed(geo: GeoRestriction, countryOf: () => string | null): boolean {
  if (geo.type === "none") return true;
  const country = countryOf();
  switch (geo.type) {
    case "whitelist":
      return country === null || UNKNOWN_COUNTRIES.has(country) || listed(geo, country);
    case "blacklist":
      return country === null || UNKNOWN_COUNTRIES.has(country) || !listed(geo, country);
    default:
      return geo.type satisfies never;
  }
}

function listed(geo: GeoRestriction, country: string): boolean {
  const set = countriesOf(geo);
  return set.has(country) || set.has(country.toUpperCase());
}
