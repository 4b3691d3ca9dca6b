/**
 * Issue 16 end to end: CloudFront Functions through the real AWS SDK (create, describe, get, update, publish,
 * test, list, delete; associations on behaviours validated against LIVE functions) and through the running
 * worker with real loopback origins: each function of the corpus gives the same result through TestFunction and
 * through the edge; functions that loop, throw or allocate without end answer 503 and harm no other request; a
 * function associated on staging only reaches staging viewers only, and a new LIVE version reaches them after
 * PublishFunction.
 */
import {
  type CacheBehavior,
  type CloudFrontClient,
  CopyDistributionCommand,
  CreateContinuousDeploymentPolicyCommand,
  CreateDistributionCommand,
  CreateFunctionCommand,
  DeleteFunctionCommand,
  DescribeFunctionCommand,
  type DistributionConfig,
  type FunctionAssociations,
  GetDistributionConfigCommand,
  GetFunctionCommand,
  ListFunctionsCommand,
  PublishFunctionCommand,
  TestFunctionCommand,
  UpdateDistributionCommand,
  UpdateDistributionWithStagingConfigCommand,
  UpdateFunctionCommand,
} from "@aws-sdk/client-cloudfront";
import { describe, expect, it } from "vitest";
import { CORPUS, type CorpusFunction, eventFor, HOSTILE } from "../support/shared/function-corpus.js";
import { useTestOrigins } from "./helpers/origins.js";
import {
  CACHING_DISABLED,
  distributionConfig,
  expectCloudFrontError,
  headerPolicy,
  present,
  ref,
} from "./helpers/sdk.js";
import { useWorker } from "./helpers/worker.js";

const t = useWorker();
const origins = useTestOrigins();

const ALL_VIEWER = "216adef6-5c7f-47e4-b989-5492eafa07d3";
const encoder = new TextEncoder();
const decoder = new TextDecoder();
let unique = 0;
const fname = (base: string) => `${base}-${process.pid % 10_000}-${++unique}`;

/** Creates and publishes a function; returns its LIVE ARN and ETag. */
async function published(cf: CloudFrontClient, name: string, code: string, runtime = "cloudfront-js-2.0") {
  const created = await cf.send(
    new CreateFunctionCommand({
      Name: name,
      FunctionConfig: { Comment: `e2e ${name}`, Runtime: runtime as "cloudfront-js-2.0" },
      FunctionCode: encoder.encode(code),
    }),
  );
  await cf.send(new PublishFunctionCommand({ Name: name, IfMatch: created.ETag }));
  const live = await cf.send(new DescribeFunctionCommand({ Name: name, Stage: "LIVE" }));
  return {
    arn: present(live.FunctionSummary?.FunctionMetadata?.FunctionARN, "arn"),
    liveEtag: present(live.ETag, "live etag"),
    devEtag: present(created.ETag, "dev etag"),
  };
}

function associations(...items: [arn: string, type: "viewer-request" | "viewer-response"][]): FunctionAssociations {
  return { Quantity: items.length, Items: items.map(([arn, type]) => ({ FunctionARN: arn, EventType: type })) };
}

function behaviorFor(pattern: string, fns: FunctionAssociations): CacheBehavior {
  return {
    PathPattern: pattern,
    TargetOriginId: "origin",
    ViewerProtocolPolicy: "allow-all",
    CachePolicyId: CACHING_DISABLED,
    OriginRequestPolicyId: ALL_VIEWER,
    FunctionAssociations: fns,
  };
}

async function view(host: string, path: string, headers: Record<string, string> = {}) {
  const res = await t.worker.mf.dispatchFetch(`http://${host}${path}`, { headers, redirect: "manual" });
  const text = await res.text();
  const echo = res.headers.get("content-type")?.includes("application/json")
    ? (JSON.parse(text) as { origin: string; url: string; headers: Record<string, string> })
    : null;
  return { status: res.status, headers: res.headers, echo, text };
}

describe("the Functions API (AWS SDK for JavaScript)", () => {
  it("create, describe, get, update, publish, list and delete, with per-stage ETags", async () => {
    const cf = t.cf;
    const name = fname("lifecycle");
    const v1 = "function handler(event) { return event.request; }";
    const created = await cf.send(
      new CreateFunctionCommand({
        Name: name,
        FunctionConfig: { Comment: "", Runtime: "cloudfront-js-1.0" },
        FunctionCode: encoder.encode(v1),
      }),
    );
    expect(created.ETag).toMatch(/^E[A-Z0-9]{13}$/);
    expect(created.Location).toContain(`/2020-05-31/function/arn:aws:cloudfront::123456789012:function/${name}`);
    expect(created.FunctionSummary).toMatchObject({
      Name: name,
      Status: "UNPUBLISHED",
      FunctionConfig: { Comment: "", Runtime: "cloudfront-js-1.0" },
      FunctionMetadata: { Stage: "DEVELOPMENT", FunctionARN: `arn:aws:cloudfront::123456789012:function/${name}` },
    });
    await expectCloudFrontError(
      cf.send(new DescribeFunctionCommand({ Name: name, Stage: "LIVE" })),
      "NoSuchFunctionExists",
      404,
    );
    await expectCloudFrontError(
      cf.send(
        new CreateFunctionCommand({
          Name: name,
          FunctionConfig: { Comment: "", Runtime: "cloudfront-js-1.0" },
          FunctionCode: encoder.encode(v1),
        }),
      ),
      "FunctionAlreadyExists",
      409,
    );
    await expectCloudFrontError(
      cf.send(
        new CreateFunctionCommand({
          Name: fname("big"),
          FunctionConfig: { Comment: "", Runtime: "cloudfront-js-1.0" },
          FunctionCode: encoder.encode(`function handler(e) { return e.request; }//${"x".repeat(10_240)}`),
        }),
      ),
      "FunctionSizeLimitExceeded",
      413,
    );

    const got = await cf.send(new GetFunctionCommand({ Name: name }));
    expect(decoder.decode(got.FunctionCode)).toBe(v1);
    expect(got.ContentType).toBe("application/octet-stream");
    expect(got.ETag).toBe(created.ETag);

    const v2 = "function handler(event) { event.request.headers['x-v'] = { value: '2' }; return event.request; }";
    await expectCloudFrontError(
      cf.send(
        new UpdateFunctionCommand({
          Name: name,
          IfMatch: "ESTALEESTALE00",
          FunctionConfig: { Comment: "v2", Runtime: "cloudfront-js-1.0" },
          FunctionCode: encoder.encode(v2),
        }),
      ),
      "PreconditionFailed",
      412,
    );
    const updated = await cf.send(
      new UpdateFunctionCommand({
        Name: name,
        IfMatch: created.ETag,
        FunctionConfig: { Comment: "v2", Runtime: "cloudfront-js-1.0" },
        FunctionCode: encoder.encode(v2),
      }),
    );
    // The SDK reads UpdateFunction's ETag from the model's `ETtag` header.
    expect(updated.ETag).toMatch(/^E[A-Z0-9]{13}$/);
    expect(updated.ETag).not.toBe(created.ETag);

    const pub = await cf.send(new PublishFunctionCommand({ Name: name, IfMatch: updated.ETag }));
    expect(pub.FunctionSummary).toMatchObject({ Status: "UNASSOCIATED", FunctionMetadata: { Stage: "LIVE" } });
    // LIVE is the published version, with its ETag (as CloudFront reports it, and Terraform's live_stage_etag).
    const live = await cf.send(new DescribeFunctionCommand({ Name: name, Stage: "LIVE" }));
    expect(live.ETag).toBe(updated.ETag);
    expect(decoder.decode((await cf.send(new GetFunctionCommand({ Name: name, Stage: "LIVE" }))).FunctionCode)).toBe(
      v2,
    );
    const dev = await cf.send(new DescribeFunctionCommand({ Name: name }));
    expect(dev.FunctionSummary?.Status).toBe("UNASSOCIATED");

    const listedLive = await cf.send(new ListFunctionsCommand({ Stage: "LIVE" }));
    expect(
      listedLive.FunctionList?.Items?.filter((f) => f.Name === name).map((f) => f.FunctionMetadata?.Stage),
    ).toEqual(["LIVE"]);
    const listedAll = await cf.send(new ListFunctionsCommand({}));
    expect(listedAll.FunctionList?.Items?.filter((f) => f.Name === name).map((f) => f.FunctionMetadata?.Stage)).toEqual(
      ["DEVELOPMENT", "LIVE"],
    );

    await expectCloudFrontError(
      cf.send(new DeleteFunctionCommand({ Name: name, IfMatch: created.ETag })),
      "PreconditionFailed",
      412,
    );
    await cf.send(new DeleteFunctionCommand({ Name: name, IfMatch: updated.ETag }));
    await expectCloudFrontError(cf.send(new DescribeFunctionCommand({ Name: name })), "NoSuchFunctionExists", 404);
  });

  it("TestFunction returns the output, compute utilisation, logs and error message", async () => {
    const cf = t.cf;
    const name = fname("tested");
    const code =
      "function handler(event) { console.log('uri=' + event.request.uri); if (event.request.uri === '/boom') throw new Error('boom'); event.request.uri = '/rewritten'; return event.request; }";
    const fn = await published(cf, name, code, "cloudfront-js-1.0");
    const event = (uri: string) =>
      encoder.encode(
        JSON.stringify({
          version: "1.0",
          context: { eventType: "viewer-request" },
          viewer: { ip: "1.2.3.4" },
          request: { method: "GET", uri, querystring: {}, headers: {}, cookies: {} },
        }),
      );
    const ok = await cf.send(
      new TestFunctionCommand({ Name: name, IfMatch: fn.devEtag, Stage: "DEVELOPMENT", EventObject: event("/a") }),
    );
    expect(ok.TestResult?.FunctionErrorMessage ?? "").toBe("");
    expect(ok.TestResult?.FunctionExecutionLogs).toEqual(["uri=/a"]);
    expect(JSON.parse(ok.TestResult?.FunctionOutput ?? "")).toEqual({
      request: { method: "GET", uri: "/rewritten", querystring: {}, headers: {}, cookies: {} },
    });
    expect(Number(ok.TestResult?.ComputeUtilization)).toBeGreaterThanOrEqual(0);
    expect(ok.TestResult?.FunctionSummary?.Name).toBe(name);

    const failed = await cf.send(
      new TestFunctionCommand({ Name: name, IfMatch: fn.liveEtag, Stage: "LIVE", EventObject: event("/boom") }),
    );
    expect(failed.TestResult?.FunctionErrorMessage).toContain("boom");
    expect(failed.TestResult?.FunctionOutput ?? "").toBe("");

    // A DEVELOPMENT change since the publish: its new ETag does not name the LIVE stage.
    const changed = await cf.send(
      new UpdateFunctionCommand({
        Name: name,
        IfMatch: fn.devEtag,
        FunctionConfig: { Comment: "changed", Runtime: "cloudfront-js-1.0" },
        FunctionCode: encoder.encode(code),
      }),
    );
    await expectCloudFrontError(
      cf.send(new TestFunctionCommand({ Name: name, IfMatch: changed.ETag, Stage: "LIVE", EventObject: event("/a") })),
      "PreconditionFailed",
      412,
    );
    await expectCloudFrontError(
      cf.send(new TestFunctionCommand({ Name: name, IfMatch: changed.ETag, EventObject: encoder.encode("not json") })),
      "InvalidArgument",
      400,
    );
    const loop = await published(cf, fname("tested-loop"), HOSTILE[0]?.code ?? "");
    const overrun = await cf.send(
      new TestFunctionCommand({
        Name: present(loop.arn.split("/")[1], "name"),
        IfMatch: loop.devEtag,
        EventObject: event("/a"),
      }),
    );
    expect(overrun.TestResult?.ComputeUtilization).toBe("100");
    expect(overrun.TestResult?.FunctionErrorMessage).toMatch(/compute/);
  });

  it("validates FunctionAssociations against LIVE functions and refuses to delete an associated function", async () => {
    const cf = t.cf;
    const fn = await published(cf, fname("assoc"), "function handler(e) { return e.request; }");
    const unpublishedName = fname("unpublished");
    await cf.send(
      new CreateFunctionCommand({
        Name: unpublishedName,
        FunctionConfig: { Comment: "", Runtime: "cloudfront-js-2.0" },
        FunctionCode: encoder.encode("function handler(e) { return e.request; }"),
      }),
    );
    const withFns = (fns: FunctionAssociations): DistributionConfig =>
      distributionConfig(ref("fn-assoc"), origins.ports.primary, {
        DefaultCacheBehavior: {
          TargetOriginId: "origin",
          ViewerProtocolPolicy: "allow-all",
          CachePolicyId: CACHING_DISABLED,
          FunctionAssociations: fns,
        },
      });
    const arnOf = (n: string) => `arn:aws:cloudfront::123456789012:function/${n}`;
    const create = (fns: FunctionAssociations) =>
      cf.send(new CreateDistributionCommand({ DistributionConfig: withFns(fns) }));
    await expectCloudFrontError(
      create(associations([arnOf("no-such-fn"), "viewer-request"])),
      "NoSuchFunctionExists",
      404,
    );
    await expectCloudFrontError(
      create(associations([arnOf(unpublishedName), "viewer-request"])),
      "InvalidFunctionAssociation",
      400,
    );
    await expectCloudFrontError(
      create({ Quantity: 1, Items: [{ FunctionARN: fn.arn, EventType: "origin-request" }] }),
      "InvalidFunctionAssociation",
      400,
    );
    await expectCloudFrontError(
      create(associations([fn.arn, "viewer-request"], [fn.arn, "viewer-request"])),
      "InvalidFunctionAssociation",
      400,
    );
    await expectCloudFrontError(
      create(associations([fn.arn, "viewer-request"], [fn.arn, "viewer-response"], [fn.arn, "viewer-request"])),
      "TooManyFunctionAssociations",
      400,
    );
    const ok = await create(associations([fn.arn, "viewer-request"]));
    const id = present(ok.Distribution?.Id, "id");
    const name = present(fn.arn.split("/")[1], "name");
    const described = await cf.send(new DescribeFunctionCommand({ Name: name, Stage: "LIVE" }));
    expect(described.FunctionSummary?.Status).toBe("ASSOCIATED");
    await expectCloudFrontError(
      cf.send(new DeleteFunctionCommand({ Name: name, IfMatch: fn.devEtag })),
      "FunctionInUse",
      409,
    );
    // Updating the distribution with an unpublished function is refused too; with none, the function is free.
    const current = await cf.send(new GetDistributionConfigCommand({ Id: id }));
    const cfg = present(current.DistributionConfig, "config");
    const update = (fns: FunctionAssociations) =>
      cf.send(
        new UpdateDistributionCommand({
          Id: id,
          IfMatch: current.ETag,
          DistributionConfig: {
            ...cfg,
            DefaultCacheBehavior: { ...present(cfg.DefaultCacheBehavior, "dcb"), FunctionAssociations: fns },
          },
        }),
      );
    await expectCloudFrontError(
      update(associations([arnOf(unpublishedName), "viewer-request"])),
      "InvalidFunctionAssociation",
      400,
    );
    await update({ Quantity: 0 });
    await cf.send(new DeleteFunctionCommand({ Name: name, IfMatch: fn.devEtag }));
  });
});

describe("functions at the edge (real origins)", () => {
  it("each corpus function gives the same result through TestFunction and through the worker", async () => {
    const cf = t.cf;
    const fns = new Map<string, { fn: CorpusFunction; arn: string; etag: string; name: string }>();
    for (const f of CORPUS) {
      const name = fname(f.name);
      const p = await published(cf, name, f.code, f.runtime);
      fns.set(f.name, { fn: f, arn: p.arn, etag: p.liveEtag, name });
    }
    const behaviours = [...fns.values()].map((x) =>
      behaviorFor(`/${x.fn.name}/*`, associations([x.arn, x.fn.eventType])),
    );
    // The cookie routing function sends group b to /variant-b/...: that path has a behaviour without functions.
    const created = await cf.send(
      new CreateDistributionCommand({
        DistributionConfig: distributionConfig(ref("fn-corpus"), origins.ports.primary, {
          CacheBehaviors: { Quantity: behaviours.length, Items: behaviours },
        }),
      }),
    );
    const host = present(created.Distribution?.DomainName, "domain");

    for (const { fn, name, etag } of fns.values()) {
      const viewerRes = await view(host, fn.path, fn.headers);
      const originResponse = {
        statusCode: 200,
        headers: { "content-type": "application/json", "x-origin": "primary" },
      };
      const event = eventFor(fn, fn.eventType === "viewer-response" ? originResponse : undefined);
      const tested = await cf.send(
        new TestFunctionCommand({
          Name: name,
          IfMatch: etag,
          Stage: "LIVE",
          EventObject: encoder.encode(JSON.stringify(event)),
        }),
      );
      expect(tested.TestResult?.FunctionErrorMessage ?? "", fn.name).toBe("");
      const output = JSON.parse(present(tested.TestResult?.FunctionOutput, "output")) as {
        request?: {
          uri: string;
          querystring: Record<string, { value: string; multiValue?: { value: string }[] }>;
          headers: Record<string, { value: string }>;
          cookies: Record<string, { value: string }>;
        };
        response?: { statusCode: number; headers: Record<string, { value: string }> };
      };
      if (output.request !== undefined) {
        // What the origin received is the request the function returned: path, query string and headers.
        const echo = present(viewerRes.echo ?? undefined, `${fn.name}: origin echo (status ${viewerRes.status})`);
        const qs = Object.entries(output.request.querystring).flatMap(([k, v]) =>
          (v.multiValue ?? [v]).map((m) => `${k}=${m.value}`),
        );
        expect(echo.url, fn.name).toBe(`${output.request.uri}${qs.length > 0 ? `?${qs.join("&")}` : ""}`);
        for (const [h, v] of Object.entries(output.request.headers)) {
          if (h === "host") continue;
          expect(echo.headers[h], `${fn.name}: ${h}`).toBe(v.value);
        }
        // And its cookies, as the Cookie header the origin received.
        const cookies = Object.entries(output.request.cookies).map(([k, v]) => `${k}=${v.value}`);
        const sent = echo.headers.cookie?.split(/;\s*/) ?? [];
        expect(sent, `${fn.name}: cookies`).toEqual(cookies);
      } else {
        const response = present(output.response, "response");
        expect(viewerRes.status, fn.name).toBe(response.statusCode);
        for (const [h, v] of Object.entries(response.headers)) {
          expect(viewerRes.headers.get(h), `${fn.name}: ${h}`).toBe(v.value);
        }
      }
    }
  });

  it("a function that loops, throws or allocates without end answers 503 and harms no other request", async () => {
    const cf = t.cf;
    const behaviours: CacheBehavior[] = [];
    const names = new Map<string, string>();
    for (const h of HOSTILE) {
      const name = fname(h.name);
      names.set(name, h.name);
      const p = await published(cf, name, h.code);
      behaviours.push(behaviorFor(`/${h.name}/*`, associations([p.arn, "viewer-request"])));
    }
    // A well-behaved function beside them, in the same isolate and the same QuickJS module: its runs go on unharmed.
    const good = await published(
      cf,
      fname("good"),
      "function handler(event) { var r = event.request; r.headers['x-good'] = { value: r.uri }; return r; }",
    );
    behaviours.push(behaviorFor("/good/*", associations([good.arn, "viewer-request"])));
    const created = await cf.send(
      new CreateDistributionCommand({
        DistributionConfig: distributionConfig(ref("fn-hostile"), origins.ports.primary, {
          CacheBehaviors: { Quantity: behaviours.length, Items: behaviours },
        }),
      }),
    );
    const host = present(created.Distribution?.DomainName, "domain");
    const rounds = await Promise.all(
      [1, 2].flatMap(() => [
        ...HOSTILE.map((h) => view(host, `/${h.name}/x`)),
        view(host, "/plain"),
        view(host, "/plain?again=1"),
        view(host, "/good/a"),
      ]),
    );
    for (const r of rounds) {
      if (r.echo !== null) {
        expect(r.status).toBe(200);
        if (r.echo.url.startsWith("/good/")) expect(r.echo.headers["x-good"]).toBe("/good/a");
        else expect(r.echo.url.startsWith("/plain")).toBe(true);
      } else {
        expect(r.status).toBe(503);
        expect(r.text).toContain("could not run");
        expect(r.text).not.toMatch(/deliberate failure|at handler|InternalError/);
      }
    }
    expect(rounds.filter((r) => r.status === 503)).toHaveLength(HOSTILE.length * 2);
    expect(rounds.filter((r) => r.echo?.headers["x-good"] === "/good/a")).toHaveLength(2);
    expect((await view(host, "/plain")).status).toBe(200);
    // Each failure is in the function's log, as CloudFront would send it to the function's log group.
    const logged = () =>
      t.worker.stdout
        .filter((l) => l.startsWith('{"functionLog":true'))
        .map((l) => JSON.parse(l) as { functionName: string; failure?: string })
        .filter((l) => names.has(l.functionName))
        .map((l) => `${names.get(l.functionName)}: ${l.failure}`);
    await expect.poll(() => logged().length).toBe(HOSTILE.length * 2);
    expect(new Set(logged())).toEqual(
      new Set(["hostile-loop: compute", "hostile-throw: error", "hostile-alloc: memory"]),
    );
    // After the failures (each discarded its runtime), every function runs again from a clean one.
    expect((await view(host, "/good/b")).echo?.headers["x-good"]).toBe("/good/b");
    expect((await view(host, `/${HOSTILE[1]?.name}/x`)).status).toBe(503);
  });

  it("a function associated on staging only reaches staging viewers, a new LIVE version reaches them after publishing, and every viewer after the promotion", async () => {
    const cf = t.cf;
    const name = fname("staging-only");
    const code = (v: string) =>
      `function handler(event) { var r = event.request; r.headers['x-fn'] = { value: '${v}' }; return r; }`;
    const fn = await published(cf, name, code("v1"));
    const primary = await cf.send(
      new CreateDistributionCommand({
        DistributionConfig: distributionConfig(ref("fn-primary"), origins.ports.primary, {
          DefaultCacheBehavior: {
            TargetOriginId: "origin",
            ViewerProtocolPolicy: "allow-all",
            CachePolicyId: CACHING_DISABLED,
            OriginRequestPolicyId: ALL_VIEWER,
          },
        }),
      }),
    );
    const primaryId = present(primary.Distribution?.Id, "primary id");
    const host = present(primary.Distribution?.DomainName, "primary domain");
    const copy = await cf.send(
      new CopyDistributionCommand({
        PrimaryDistributionId: primaryId,
        Staging: true,
        CallerReference: ref("fn-staging"),
      }),
    );
    const stagingId = present(copy.Distribution?.Id, "staging id");
    const stagingCfg = present(copy.Distribution?.DistributionConfig, "staging config");
    await cf.send(
      new UpdateDistributionCommand({
        Id: stagingId,
        IfMatch: copy.ETag,
        DistributionConfig: {
          ...stagingCfg,
          DefaultCacheBehavior: {
            ...present(stagingCfg.DefaultCacheBehavior, "dcb"),
            FunctionAssociations: associations([fn.arn, "viewer-request"]),
          },
        },
      }),
    );
    const policy = await cf.send(
      new CreateContinuousDeploymentPolicyCommand({
        ContinuousDeploymentPolicyConfig: headerPolicy(
          present(copy.Distribution?.DomainName, "dns"),
          "aws-cf-cd-fn",
          "on",
        ),
      }),
    );
    const p = await cf.send(new GetDistributionConfigCommand({ Id: primaryId }));
    await cf.send(
      new UpdateDistributionCommand({
        Id: primaryId,
        IfMatch: p.ETag,
        DistributionConfig: {
          ...present(p.DistributionConfig, "cfg"),
          ContinuousDeploymentPolicyId: policy.ContinuousDeploymentPolicy?.Id,
        },
      }),
    );

    const toStaging = { "aws-cf-cd-fn": "on" };
    const primaryViewer = await view(host, "/page");
    const stagingViewer = await view(host, "/page", toStaging);
    expect(primaryViewer.headers.get("x-served-by")).toBe("primary");
    expect(primaryViewer.echo?.headers["x-fn"]).toBeUndefined();
    expect(stagingViewer.headers.get("x-served-by")).toBe("staging");
    expect(stagingViewer.echo?.headers["x-fn"]).toBe("v1");

    const dev = await cf.send(new DescribeFunctionCommand({ Name: name }));
    const v2 = await cf.send(
      new UpdateFunctionCommand({
        Name: name,
        IfMatch: dev.ETag,
        FunctionConfig: { Comment: "v2", Runtime: "cloudfront-js-2.0" },
        FunctionCode: encoder.encode(code("v2")),
      }),
    );
    // Updated but not published: viewers still run LIVE (v1).
    expect((await view(host, "/page", toStaging)).echo?.headers["x-fn"]).toBe("v1");
    await cf.send(new PublishFunctionCommand({ Name: name, IfMatch: v2.ETag }));
    expect((await view(host, "/page", toStaging)).echo?.headers["x-fn"]).toBe("v2");
    expect((await view(host, "/page")).echo?.headers["x-fn"]).toBeUndefined();

    // Tried on staging, then promoted: every viewer runs it; the function is now in use by both distributions.
    const primaryNow = await cf.send(new GetDistributionConfigCommand({ Id: primaryId }));
    const stagingNow = await cf.send(new GetDistributionConfigCommand({ Id: stagingId }));
    await cf.send(
      new UpdateDistributionWithStagingConfigCommand({
        Id: primaryId,
        StagingDistributionId: stagingId,
        IfMatch: `${primaryNow.ETag}, ${stagingNow.ETag}`,
      }),
    );
    const promoted = await view(host, "/page");
    expect(promoted.headers.get("x-served-by")).toBe("primary");
    expect(promoted.echo?.headers["x-fn"]).toBe("v2");
    expect(
      (await cf.send(new GetDistributionConfigCommand({ Id: primaryId }))).DistributionConfig?.DefaultCacheBehavior,
    ).toMatchObject({ FunctionAssociations: associations([fn.arn, "viewer-request"]) });
    await expectCloudFrontError(
      cf.send(new DeleteFunctionCommand({ Name: name, IfMatch: v2.ETag })),
      "FunctionInUse",
      409,
    );
  });
});
