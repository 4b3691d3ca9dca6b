/**
 * Terraform with the hashicorp/aws provider, unchanged, against the running worker: the README's example stack
 * (examples/terraform/main.tf) is initialised, applied, re-planned clean, changed and destroyed; viewers see the
 * split between the applies, and staging's viewer-request function (aws_cloudfront_function, publish = true)
 * reaches staging's viewers only, its new LIVE code too after a change. The worker runs with a 1 s propagation
 * bound (KV_STALENESS_S), so Status is really InProgress after a change and `wait_for_deployment` waits for it.
 * Needs terraform and a filesystem mirror of the provider (test/support/node/terraform.ts); without them this
 * fails, saying what is missing.
 *
 * The provider's own waits dominate the run time: 30 s before it first looks at Status after every create,
 * update and disable, 15 s after every delete.
 */
import { readFileSync } from "node:fs";
import {
  DescribeFunctionCommand,
  GetCachePolicyCommand,
  GetContinuousDeploymentPolicyCommand,
  GetDistributionCommand,
  ListCachePoliciesCommand,
  ListContinuousDeploymentPoliciesCommand,
  ListDistributionsCommand,
  ListFunctionsCommand,
  ListOriginRequestPoliciesCommand,
  ListResponseHeadersPoliciesCommand,
  ListTagsForResourceCommand,
  waitUntilDistributionDeployed,
} from "@aws-sdk/client-cloudfront";
import { describe, expect, it } from "vitest";
import { terraformWorkspace } from "../support/node/terraform.js";
import { useTestOrigins } from "./helpers/origins.js";
import { useWorker } from "./helpers/worker.js";

const STACK = readFileSync(new URL("../../examples/terraform/main.tf", import.meta.url), "utf8");
const README = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
/** The stack's default alias. */
const ALIAS = "tf.localhost";
const TF_TIMEOUT = 15 * 60_000;
/** The stack's CloudFront Function. */
const FUNCTION = "candidate-index-rewrite";

const t = useWorker({ CONFIG_MEMO_MS: "0", KV_STALENESS_S: "1" });
const origins = useTestOrigins();

/** Which side served each of `n` fresh viewers (no cookie), and whether each stays there with its cookie. */
async function freshViewers(n: number, headers: Record<string, string> = {}) {
  const counts = { primary: 0, staging: 0, other: 0, moved: 0 };
  for (let i = 0; i < n; i++) {
    const first = await t.worker.mf.dispatchFetch(`http://${ALIAS}/tf?i=${i}`, { headers });
    await first.arrayBuffer();
    const side = first.headers.get("x-served-by");
    if (side === "primary" || side === "staging") counts[side]++;
    else counts.other++;
    const cookie = first.headers.get("set-cookie")?.split(";")[0];
    if (cookie !== undefined) {
      const again = await t.worker.mf.dispatchFetch(`http://${ALIAS}/tf?i=${i}`, {
        headers: { ...headers, cookie },
      });
      await again.arrayBuffer();
      if (again.headers.get("x-served-by") !== side) counts.moved++;
    }
  }
  return counts;
}

/** One viewer's response headers and what the origin received (the test origins echo the request). */
async function oneViewer(headers: Record<string, string>) {
  const res = await t.worker.mf.dispatchFetch(`http://${ALIAS}/tf?v=1&utm=x`, { headers });
  const body = (await res.json()) as { origin: string; url: string; headers: Record<string, string | undefined> };
  return { res, body };
}

/** The path the origin received for a viewer's `path` (the test origins echo the request). */
async function originPath(path: string, headers: Record<string, string> = {}): Promise<string> {
  const res = await t.worker.mf.dispatchFetch(`http://${ALIAS}${path}`, { headers });
  const body = (await res.json()) as { url: string };
  return body.url;
}

async function waitDeployed(id: string): Promise<void> {
  await waitUntilDistributionDeployed({ client: t.cf, maxWaitTime: 60, minDelay: 1, maxDelay: 2 }, { Id: id });
}

describe("Terraform: the example stack (staging with its own cache, origin request and response headers policies and a viewer-request function, sticky weight policy, primary with an alias)", () => {
  it("is the README's Terraform example, verbatim", () => {
    expect(README).toContain(`\`\`\`hcl\n${STACK}\`\`\``);
  });

  it(
    "init → apply → attach and change the weight → plan clean → switch to a header policy → plan clean → destroy",
    async () => {
      const ws = await terraformWorkspace({ "main.tf": STACK });
      const vars = (extra: Record<string, string> = {}) =>
        Object.entries({
          endpoint: t.worker.endpoint,
          primary_port: String(origins.ports.primary),
          staging_port: String(origins.ports.staging),
          ...extra,
        }).flatMap(([k, v]) => ["-var", `${k}=${v}`]);
      const apply = (extra?: Record<string, string>) =>
        ws.run(["apply", "-auto-approve", "-input=false", ...vars(extra)]);
      /** The function's attributes in Terraform's state, as the provider read them back. */
      const functionState = async () => {
        const shown = JSON.parse((await ws.run(["show", "-json"])).stdout) as {
          values?: { root_module?: { resources?: { address: string; values: Record<string, unknown> }[] } };
        };
        const fn = shown.values?.root_module?.resources?.find((r) => r.address === "aws_cloudfront_function.candidate");
        if (fn === undefined) throw new Error("aws_cloudfront_function.candidate is not in the state");
        return fn.values;
      };
      const planExit = async (extra?: Record<string, string>) => {
        const r = await ws.run(["plan", "-detailed-exitcode", "-input=false", ...vars(extra)], [0, 2]);
        expect(r.code, `terraform plan found changes:\n${r.stdout}`).toBe(0);
      };
      try {
        await ws.run(["init", "-input=false"]);

        // 1. The three resources; CloudFront takes no policy id at creation, so it is not attached yet.
        await apply({ attach_policy: "false", weight: "0.05" });
        const out = await ws.outputs();
        const primaryId = String(out.primary_id);
        const policyId = String(out.policy_id);
        // The data source read the distribution and its tags (ListTagsForResource).
        expect(out.primary_aliases).toEqual([ALIAS]);
        expect(out.primary_tags).toEqual({ app: "splitfront-example" });
        const arn = `arn:aws:cloudfront::123456789012:distribution/${primaryId}`;
        const tags = await t.cf.send(new ListTagsForResourceCommand({ Resource: arn }));
        expect(tags.Tags?.Items).toEqual([{ Key: "app", Value: "splitfront-example" }]);
        // wait_for_deployment: Deployed when the provider returned.
        const created = await t.cf.send(new GetDistributionCommand({ Id: primaryId }));
        expect(created.Distribution?.Status).toBe("Deployed");
        expect(await freshViewers(10)).toEqual({ primary: 10, staging: 0, other: 0, moved: 0 });
        // Terraform made the three custom policies staging names.
        const cachePolicyId = String(out.cache_policy_id);
        const cachePolicy = await t.cf.send(new GetCachePolicyCommand({ Id: cachePolicyId }));
        expect(cachePolicy.CachePolicy?.CachePolicyConfig?.Name).toBe("candidate-cache");
        // And the function, published (LIVE is DEVELOPMENT, with its ETag, as CloudFront reports it), associated
        // by staging: the provider read DescribeFunction (both stages) and GetFunction back into its state, before
        // staging was created (UNASSOCIATED then, as on CloudFront; the next refresh reads ASSOCIATED).
        const dev = await t.cf.send(new DescribeFunctionCommand({ Name: FUNCTION, Stage: "DEVELOPMENT" }));
        const live = await t.cf.send(new DescribeFunctionCommand({ Name: FUNCTION, Stage: "LIVE" }));
        expect(dev.FunctionSummary?.Status).toBe("ASSOCIATED");
        expect(live.ETag).toBe(dev.ETag);
        expect(await functionState()).toMatchObject({
          arn: `arn:aws:cloudfront::123456789012:function/${FUNCTION}`,
          etag: dev.ETag,
          live_stage_etag: dev.ETag,
          status: "UNASSOCIATED",
          runtime: "cloudfront-js-2.0",
        });

        // 2. Attach, and a new weight (0.05 → 0.1): a sticky split, and nothing left to change.
        await apply();
        await planExit();
        expect(await functionState()).toMatchObject({
          etag: dev.ETag,
          live_stage_etag: dev.ETag,
          status: "ASSOCIATED",
        });
        const attached = await t.cf.send(new GetDistributionCommand({ Id: primaryId }));
        expect(attached.Distribution?.DistributionConfig?.ContinuousDeploymentPolicyId).toBe(policyId);
        expect(attached.Distribution?.Status).toBe("Deployed");
        const policy = await t.cf.send(new GetContinuousDeploymentPolicyCommand({ Id: policyId }));
        const traffic = policy.ContinuousDeploymentPolicy?.ContinuousDeploymentPolicyConfig?.TrafficConfig;
        expect(traffic?.SingleWeightConfig?.Weight).toBe(0.1);
        const split = await freshViewers(200);
        expect(split.other).toBe(0);
        expect(split.moved).toBe(0);
        // Binomial(200, 0.1): mean 20, sd 4.2; these bounds are 4.5 sd away.
        expect(split.staging).toBeGreaterThanOrEqual(2);
        expect(split.staging).toBeLessThanOrEqual(39);

        // 3. A header policy: exactly the requests that carry the header reach staging. The policy is not a
        // distribution, so the provider does not wait: the primary's Status says when viewers have it.
        await apply({ traffic: "header" });
        await planExit({ traffic: "header" });
        await waitDeployed(primaryId);
        expect(await freshViewers(10)).toEqual({ primary: 10, staging: 0, other: 0, moved: 0 });
        expect(await freshViewers(10, { "aws-cf-cd-staging": "true" })).toEqual({
          primary: 0,
          staging: 10,
          other: 0,
          moved: 0,
        });
        // Staging's policies apply to staging's viewers only: its cache key and origin request (only `v`, the
        // listed header), its response headers (CORS for the app, X-Frame-Options, X-Release).
        const viewerHeaders = { origin: "https://app.example", "x-tenant": "acme", "x-other": "no" };
        const p = await oneViewer(viewerHeaders);
        const s = await oneViewer({ ...viewerHeaders, "aws-cf-cd-staging": "true" });
        expect(p.body.origin).toBe("primary");
        expect(p.res.headers.get("x-release")).toBeNull();
        expect(p.res.headers.get("access-control-allow-origin")).toBeNull();
        expect(s.body.origin).toBe("staging");
        expect(s.body.url).toBe("/tf?v=1");
        expect(s.body.headers["x-tenant"]).toBe("acme");
        expect(s.body.headers["x-other"]).toBeUndefined();
        expect(s.res.headers.get("x-release")).toBe("rc1");
        expect(s.res.headers.get("x-frame-options")).toBe("DENY");
        expect(s.res.headers.get("access-control-allow-origin")).toBe("https://app.example");
        // Staging's viewer-request function: directory URLs to their index document, for staging's viewers only.
        expect(await originPath("/docs/")).toBe("/docs/");
        expect(await originPath("/docs/", { "aws-cf-cd-staging": "true" })).toBe("/docs/index.html");

        // A change of staging's response headers policy and of its function's code (UpdateFunction, then
        // PublishFunction) without a change of any distribution: the primary's records are republished, its Status
        // says when viewers have it, and the plan is clean again.
        const rc2Vars = { traffic: "header", release: "rc2", index_document: "home.html" };
        await apply(rc2Vars);
        await planExit(rc2Vars);
        await waitDeployed(primaryId);
        const rc2 = await oneViewer({ ...viewerHeaders, "aws-cf-cd-staging": "true" });
        expect(rc2.res.headers.get("x-release")).toBe("rc2");
        expect(await originPath("/docs/", { "aws-cf-cd-staging": "true" })).toBe("/docs/home.html");
        expect(await originPath("/docs/")).toBe("/docs/");
        const republished = await functionState();
        expect(republished.live_stage_etag).toBe(republished.etag);
        expect(republished.etag).not.toBe(dev.ETag);

        // 4. Destroy: the provider disables the policy, then each distribution, waits for Deployed, deletes.
        await ws.run(["destroy", "-auto-approve", "-input=false", ...vars(rc2Vars)]);
        const left = await t.cf.send(new ListDistributionsCommand({}));
        expect(left.DistributionList?.Items ?? []).toEqual([]);
        const policies = await t.cf.send(new ListContinuousDeploymentPoliciesCommand({}));
        expect(policies.ContinuousDeploymentPolicyList?.Items ?? []).toEqual([]);
        const custom = { Type: "custom" as const };
        expect((await t.cf.send(new ListCachePoliciesCommand(custom))).CachePolicyList?.Items ?? []).toEqual([]);
        expect(
          (await t.cf.send(new ListOriginRequestPoliciesCommand(custom))).OriginRequestPolicyList?.Items ?? [],
        ).toEqual([]);
        expect(
          (await t.cf.send(new ListResponseHeadersPoliciesCommand(custom))).ResponseHeadersPolicyList?.Items ?? [],
        ).toEqual([]);
        expect((await t.cf.send(new ListFunctionsCommand({}))).FunctionList?.Items ?? []).toEqual([]);
        expect(await t.worker.edgeRecord(ALIAS)).toBeNull();
      } finally {
        await ws.remove();
      }
    },
    TF_TIMEOUT,
  );
});
