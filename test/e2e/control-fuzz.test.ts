/**
 * A seeded, bounded property-based fuzzer of the control API against the real worker (Miniflare, real Durable
 * Object and KV): hostile documents (a rich valid config with elements dropped, repeated, renamed, or their text
 * replaced raw by control characters, character references, entities, out-of-range numbers, very long strings)
 * and hostile URLs, queries and headers (ids and Markers with control characters, broken escapes, If-Match and
 * Staging variants, unsigned requests). For every request: no 5xx; a failure changes nothing (both lists, and
 * every seeded resource's config and ETag, are byte-identical before and after); and every response body, the
 * snapshots' included, is parsed by a strict XML parser (expat, as botocore does), every error being a CloudFront
 * error document with a known Code and a Message.
 *
 * FUZZ_SEED and FUZZ_RUNS replay or widen a run; the defaults keep it to about half a minute.
 */

import {
  CopyDistributionCommand,
  CreateContinuousDeploymentPolicyCommand,
  CreateDistributionCommand,
  CreateResponseHeadersPolicyCommand,
} from "@aws-sdk/client-cloudfront";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serializeDocument } from "../../src/control/xml/serialize.js";
import type { XmlStruct } from "../../src/control/xml/value.js";
import { CLOUDFRONT_ERROR_CODES } from "../support/shared/cloudfront-error-codes.js";
import { configXml, richConfig } from "../support/shared/rich-config.js";
import { cachePolicy, originRequestPolicy, responseHeadersPolicy } from "./helpers/policies.js";
import { signedCall } from "./helpers/raw.js";
import { present, weightPolicy } from "./helpers/sdk.js";
import { useWorker } from "./helpers/worker.js";
import { parseStrictly } from "./helpers/xml-check.js";
import { type Mutation, mutate } from "./helpers/xml-mutate.js";

const SEED = Number(process.env.FUZZ_SEED ?? 20_261_130);
const RUNS = Number(process.env.FUZZ_RUNS ?? 120);

const t = useWorker();

/** Codes the control API may answer with: CloudFront's, and splitfront's own for unknown paths and methods. */
const KNOWN_CODES = new Set([...CLOUDFRONT_ERROR_CODES, "NotFound", "MethodNotAllowed"]);

let primaryId = "";
let stagingId = "";
let policyId = "";
let headersPolicyId = "";
/** Every body received, checked with expat at the end of each property. */
const bodies: { what: string; status: number; bytes: Uint8Array }[] = [];

async function keep(what: string, res: Response): Promise<Uint8Array> {
  const bytes = new Uint8Array(await res.arrayBuffer());
  if (bytes.length > 0) bodies.push({ what, status: res.status, bytes });
  return bytes;
}

/** Both lists, and each seeded resource's config with its ETag: equal snapshots mean no state change. */
async function snapshot(): Promise<string> {
  const parts: string[] = [];
  const paths = [
    "/distribution?MaxItems=1000",
    "/continuous-deployment-policy?MaxItems=1000",
    `/distribution/${primaryId}/config`,
    `/distribution/${stagingId}/config`,
    `/continuous-deployment-policy/${policyId}/config`,
    "/cache-policy?Type=custom&MaxItems=1000",
    "/origin-request-policy?Type=custom&MaxItems=1000",
    "/response-headers-policy?Type=custom&MaxItems=1000",
  ];
  for (const path of paths) {
    const res = await signedCall(t.worker.endpoint, "GET", path);
    const etag = res.headers.get("etag") ?? "";
    parts.push(`${path} ${res.status} ${etag}\n${new TextDecoder().decode(await keep(`snapshot ${path}`, res))}`);
  }
  return parts.join("\n");
}

beforeAll(async () => {
  const p = await t.cf.send(
    new CreateDistributionCommand({ DistributionConfig: richConfig("fuzz-primary", "fuzz-primary.example.test") }),
  );
  primaryId = present(p.Distribution?.Id, "primary");
  const s = await t.cf.send(
    new CopyDistributionCommand({ PrimaryDistributionId: primaryId, Staging: true, CallerReference: "fuzz-staging" }),
  );
  stagingId = present(s.Distribution?.Id, "staging");
  const pol = await t.cf.send(
    new CreateContinuousDeploymentPolicyCommand({
      ContinuousDeploymentPolicyConfig: weightPolicy(present(s.Distribution?.DomainName, "dns"), 0.1),
    }),
  );
  policyId = present(pol.ContinuousDeploymentPolicy?.Id, "policy");
  const rhp = await t.cf.send(
    new CreateResponseHeadersPolicyCommand({ ResponseHeadersPolicyConfig: responseHeadersPolicy("fuzz-headers") }),
  );
  headersPolicyId = present(rhp.ResponseHeadersPolicy?.Id, "response headers policy");
});

afterAll(async () => {
  const parsed = await parseStrictly(bodies.map((b) => b.bytes));
  const bad = parsed.flatMap((p, i) => {
    const b = bodies[i];
    if (b === undefined) return [];
    const what = `${b.what} → ${b.status}: ${new TextDecoder().decode(b.bytes).slice(0, 300)}`;
    if (!p.wellFormed) return [`not well-formed (${p.problem}): ${what}`];
    if (b.status >= 400 && p.root !== "ErrorResponse") return [`error without ErrorResponse: ${what}`];
    if (p.root === "ErrorResponse" && (!KNOWN_CODES.has(p.code ?? "") || (p.message ?? "") === "")) {
      return [`unknown code or empty message: ${what}`];
    }
    return [];
  });
  expect(bad, `${bad.length} of ${bodies.length} bodies`).toEqual([]);
  expect(bodies.length).toBeGreaterThan(RUNS);
}, 120_000);

/** Sends one request and holds the invariants: < 500; a refusal is a CloudFront error and changes nothing. */
async function probe(
  what: string,
  method: string,
  path: string,
  body: string | undefined,
  headers: Record<string, string>,
  signed = true,
): Promise<void> {
  const before = await snapshot();
  const res = signed
    ? await signedCall(t.worker.endpoint, method, path, body, headers)
    : await fetch(`${t.worker.endpoint}/2020-05-31${path}`, { method, headers, body });
  const status = res.status;
  const type = res.headers.get("content-type") ?? "";
  const requestId = res.headers.get("x-amz-request-id") ?? "";
  await keep(`${method} ${path} [${what}]`, res);
  expect(status, `${method} ${path} [${what}]`).toBeLessThan(500);
  if (status >= 400) {
    expect(type, what).toContain("text/xml");
    expect(requestId, what).toMatch(/^[0-9a-f-]{36}$/);
    expect(await snapshot(), `${method} ${path} [${what}] changed the state`).toBe(before);
  }
}

// Hostile text: characters XML cannot carry, references to them, undefined entities, markup, number edges.
const hostileUnit = fc.constantFrom(
  ..."\u0000|\u0001|\u0008|\u000b|\u001f|\u007f|\u0085|\u2028|\ufffe|\uffff|😀|é|<|>|&|&#1;|&#x0;|&#xD800;|&#13;|&#x41;|&nbsp;|&amp;|]]>|\r|\n|\t| |a|Z|0|9|-|.|:|/|*|?|%00|%|\"|'".split(
    "|",
  ),
);
const hostileText = fc.oneof(
  fc.string({ unit: hostileUnit, maxLength: 12 }),
  fc.constantFrom("-1", "0", "1", "3", "4", "10", "11", "180", "181", "1023", "65535", "65536", "70000"),
  fc.constantFrom("2147483648", "9007199254740993", "1e3", "0x10", "NaN", "true", "", " "),
  fc.constantFrom(129, 256, 1784, 4097).map((n) => "a".repeat(n)),
);

const docMutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ op: fc.constant("text" as const), pick: fc.nat(), text: hostileText }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constantFrom("drop" as const, "duplicate" as const), pick: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({ op: fc.constant("rename" as const), pick: fc.nat(), name: fc.constantFrom("Items", "X") }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("insert" as const), at: fc.nat(), chars: hostileText }) },
);

let created = 0;

/** Applies the mutations in turn; one that finds no tree to work on (an earlier one broke it) is skipped. */
const mutateAll = (xml: string, mutations: Mutation[]): string =>
  mutations.reduce((doc, m) => {
    try {
      return mutate(doc, m);
    } catch {
      return doc;
    }
  }, xml);

describe("control API fuzzer", () => {
  it("hostile documents: never 5xx, refusals are CloudFront errors and change nothing", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("create", "update", "copy"),
        fc.array(docMutation, { minLength: 1, maxLength: 3 }),
        async (op, mutations) => {
          const n = ++created;
          const base =
            op === "update"
              ? configXml(richConfig("fuzz-primary", "fuzz-primary.example.test"))
              : configXml(richConfig(`fuzz-${n}`, `fuzz-${n}.example.test`));
          const doc = mutateAll(base, mutations);
          if (op === "create") return probe("create", "POST", "/distribution", doc, {});
          if (op === "copy") {
            const copy = `<CopyDistributionRequest xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><CallerReference>copy-${n}</CallerReference><Enabled>true</Enabled></CopyDistributionRequest>`;
            const body = mutateAll(copy, mutations);
            return probe("copy", "POST", `/distribution/${primaryId}/copy`, body, { staging: "true" });
          }
          const etag = (await signedCall(t.worker.endpoint, "GET", `/distribution/${primaryId}`)).headers.get("etag");
          return probe("update", "PUT", `/distribution/${primaryId}/config`, doc, { "if-match": etag ?? "" });
        },
      ),
      { seed: SEED, numRuns: RUNS },
    );
  }, 300_000);

  it("hostile policy documents (cache, origin request, response headers): never 5xx, refusals change nothing", async () => {
    const kinds = [
      ["cache-policy", "CachePolicyConfig", (n: number) => cachePolicy(`fuzz-c${n}`)],
      ["origin-request-policy", "OriginRequestPolicyConfig", (n: number) => originRequestPolicy(`fuzz-o${n}`)],
      ["response-headers-policy", "ResponseHeadersPolicyConfig", (n: number) => responseHeadersPolicy(`fuzz-r${n}`)],
    ] as const;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(0, 1, 2),
        fc.boolean(),
        fc.array(docMutation, { minLength: 1, maxLength: 3 }),
        async (k, update, mutations) => {
          const [resource, root, make] = kinds[k] ?? kinds[0];
          const n = ++created;
          const doc = mutateAll(serializeDocument(root, root, make(n) as unknown as XmlStruct), mutations);
          if (!update || resource !== "response-headers-policy") return probe(root, "POST", `/${resource}`, doc, {});
          const path = `/${resource}/${headersPolicyId}`;
          const etag = (await signedCall(t.worker.endpoint, "GET", path)).headers.get("etag");
          return probe(root, "PUT", path, doc, { "if-match": etag ?? "" });
        },
      ),
      { seed: SEED, numRuns: Math.ceil(RUNS / 2) },
    );
  }, 300_000);

  it("hostile URLs, queries and headers: never 5xx, refusals are CloudFront errors and change nothing", async () => {
    const id = fc.oneof(
      fc
        .constantFrom(
          () => primaryId,
          () => stagingId,
          () => policyId,
          () => headersPolicyId,
          () => "658327ea-f89d-4fab-a63d-7e88639e58f6",
        )
        .map((f) => ({ raw: false, v: f() })),
      fc.string({ unit: hostileUnit, maxLength: 10 }).map((v) => ({ raw: false, v })),
      fc.constantFrom("%00", "%ZZ", "%", "..", "%2F", "E%01BAD", "a".repeat(3000)).map((v) => ({ raw: true, v })),
    );
    const route = fc.constantFrom(
      "/distribution/{id}",
      "/distribution/{id}/config",
      "/distribution/{id}/copy",
      "/distribution/{id}/promote-staging-config",
      "/continuous-deployment-policy/{id}",
      "/continuous-deployment-policy/{id}/config",
      "/distribution",
      "/continuous-deployment-policy",
      "/cache-policy/{id}",
      "/origin-request-policy/{id}/config",
      "/response-headers-policy/{id}",
      "/response-headers-policy",
    );
    const queryValue = fc.oneof(
      fc.string({ unit: hostileUnit, maxLength: 8 }).map(encodeURIComponent),
      fc.constantFrom("%00", "%ZZ", "%", "-1", "1001", "lots", "0"),
    );
    const query = fc.option(
      fc.tuple(fc.constantFrom("Marker", "MaxItems", "StagingDistributionId", "WithTags", "Type"), queryValue),
      { nil: undefined },
    );
    const header = fc.record(
      {
        "if-match": fc.constantFrom("", " ", '"x"', "a,b", 'W/"E1"', ",", "x".repeat(300)),
        staging: fc.constantFrom("true", "false", "", "TRUE"),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(
        route,
        id,
        query,
        fc.constantFrom("GET", "PUT", "POST", "DELETE", "PATCH"),
        header,
        fc.boolean(),
        fc.option(hostileText, { nil: undefined }),
        async (r, i, q, method, headers, signed, body) => {
          const segment = i.raw ? i.v : encodeURIComponent(i.v);
          const path = r.replace("{id}", segment) + (q === undefined ? "" : `?${q[0]}=${q[1]}`);
          const withBody = method === "PUT" || method === "POST" ? (body ?? "") : undefined;
          await probe("url", method, path, withBody, headers, signed || method === "GET");
        },
      ),
      { seed: SEED, numRuns: RUNS },
    );
  }, 300_000);
});
