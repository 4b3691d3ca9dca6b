/**
 * The AWS managed cache policies a distribution may name by id (CloudFront Developer Guide, "Using the managed
 * cache policies"). splitfront cannot create cache policies, so these are the only CachePolicyId values it knows;
 * the TTLs and cache keys are compiled into the edge record at publish time.
 */
import type { CacheKeyList } from "../../model/edge-config.js";

export interface ManagedCachePolicy {
  name: string;
  minTTL: number;
  defaultTTL: number;
  maxTTL: number;
  queryStrings: CacheKeyList;
  cookies: CacheKeyList;
  headers: CacheKeyList;
}

const NONE: CacheKeyList = { mode: "none" };
const YEAR = 31_536_000;

const POLICIES: Record<string, ManagedCachePolicy> = {
  "658327ea-f89d-4fab-a63d-7e88639e58f6": {
    name: "CachingOptimized",
    minTTL: 1,
    defaultTTL: 86_400,
    maxTTL: YEAR,
    queryStrings: NONE,
    cookies: NONE,
    headers: NONE,
  },
  "b2884449-e4de-46a7-ac36-70bc7f1ddd6d": {
    name: "CachingOptimizedForUncompressedObjects",
    minTTL: 1,
    defaultTTL: 86_400,
    maxTTL: YEAR,
    queryStrings: NONE,
    cookies: NONE,
    headers: NONE,
  },
  "4135ea2d-6df8-44a3-9df3-4b5a84be39ad": {
    name: "CachingDisabled",
    minTTL: 0,
    defaultTTL: 0,
    maxTTL: 0,
    queryStrings: NONE,
    cookies: NONE,
    headers: NONE,
  },
  "83da9c7e-98b4-4e11-a168-04f0df8e2c65": {
    name: "UseOriginCacheControlHeaders",
    minTTL: 0,
    defaultTTL: 0,
    maxTTL: YEAR,
    queryStrings: NONE,
    cookies: { mode: "all" },
    headers: {
      mode: "allow",
      names: ["host", "origin", "x-http-method", "x-http-method-override", "x-method-override"],
    },
  },
  "4cc15a8a-d715-48a4-82b8-cc0b614638fe": {
    name: "UseOriginCacheControlHeaders-QueryStrings",
    minTTL: 0,
    defaultTTL: 0,
    maxTTL: YEAR,
    queryStrings: { mode: "all" },
    cookies: { mode: "all" },
    headers: {
      mode: "allow",
      names: ["host", "origin", "x-http-method", "x-http-method-override", "x-method-override"],
    },
  },
};

export const managedCachePolicy = (id: string): ManagedCachePolicy | undefined =>
  Object.hasOwn(POLICIES, id) ? POLICIES[id] : undefined;
