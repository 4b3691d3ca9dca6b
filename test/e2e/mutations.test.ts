/**
 * Property-based: random mutations of valid documents (dropped, duplicated or renamed elements, replaced text,
 * truncation, stray characters) sent to the real worker never produce a 5xx; a refusal is one of CloudFront's
 * input errors and leaves the state unchanged.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { distributionConfigXml, weightPolicyXml } from "../integration/control/documents.js";
import { type RunningWorker, startWorker } from "../support/node/worker-harness.js";
import { CLOUDFRONT_ERROR_CODES } from "../support/shared/cloudfront-error-codes.js";
import { errorCodeOf, signedCall } from "./helpers/raw.js";
import { type Mutation, mutate } from "./helpers/xml-mutate.js";

let worker: RunningWorker;
beforeAll(async () => {
  worker = await startWorker();
});
afterAll(async () => {
  await worker?.stop();
});

/** The whole state as the API lists it: equal snapshots mean no state change. */
async function stateSnapshot(): Promise<string> {
  const d = await signedCall(worker.endpoint, "GET", "/distribution?MaxItems=1000");
  const p = await signedCall(worker.endpoint, "GET", "/continuous-deployment-policy?MaxItems=1000");
  return `${await d.text()}\n${await p.text()}`;
}

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constantFrom("drop" as const, "duplicate" as const), pick: fc.nat() }),
  fc.record({
    op: fc.constant("rename" as const),
    pick: fc.nat(),
    name: fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,12}$/),
  }),
  fc.record({
    op: fc.constant("text" as const),
    pick: fc.nat(),
    text: fc.oneof(
      fc.string({ maxLength: 20 }),
      fc.constantFrom("-1", "1e400", "NaN", "true", "0.5", "99999999999", ""),
    ),
  }),
  fc.record({ op: fc.constant("truncate" as const), at: fc.nat() }),
  fc.record({
    op: fc.constant("insert" as const),
    at: fc.nat(),
    chars: fc.constantFrom("<", "&", "]]>", "<x>", "\u0000"),
  }),
);

/** Refusals of input: any CloudFront code of these operations but the signature's. */
const INPUT_ERRORS = new Set([...CLOUDFRONT_ERROR_CODES].filter((c) => c !== "AccessDenied"));

async function checkRefusalOrSuccess(path: string, body: string): Promise<void> {
  const before = await stateSnapshot();
  const res = await signedCall(worker.endpoint, "POST", path, body);
  expect(res.status, body).toBeLessThan(500);
  if (res.status >= 400) {
    expect(INPUT_ERRORS, body).toContain(await errorCodeOf(res));
    expect(await stateSnapshot()).toBe(before);
  } else {
    await res.arrayBuffer();
  }
}

describe("mutated documents", () => {
  it("DistributionConfig mutations: never 5xx, refusals change nothing", async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(mutation, async (m) => {
        const valid = distributionConfigXml({ callerReference: `mutation-${++n}` });
        await checkRefusalOrSuccess("/distribution", mutate(valid, m));
      }),
      { numRuns: 300 },
    );
  }, 300_000);

  it("ContinuousDeploymentPolicyConfig mutations: never 5xx, refusals change nothing", async () => {
    await fc.assert(
      fc.asyncProperty(mutation, async (m) => {
        const valid = weightPolicyXml("d0000000000000.splitfront.localhost", 0.1);
        await checkRefusalOrSuccess("/continuous-deployment-policy", mutate(valid, m));
      }),
      { numRuns: 300 },
    );
  }, 300_000);
});
