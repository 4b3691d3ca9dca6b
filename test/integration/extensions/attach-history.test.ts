/**
 * Attach/detach shortcuts and config history through the real worker, Durable Object and KV, with requests signed
 * by the AWS SDK's signer: every commit is a version with what made it; a restore is a new commit through
 * UpdateDistribution's rules; undoing a promote gives viewers the old origin back.
 */
import { env } from "cloudflare:workers";
import { describe, expect, inject, it } from "vitest";
import { hostKey } from "../../../src/model/edge-config.js";
import { echo, viewer } from "../../support/worker/edge.js";
import { call, errorCode, tagText } from "../control/client.js";
import { distributionConfigXml } from "../control/documents.js";
import { expectError, expectJson, ext, type Pair, pair } from "./api.js";

interface Version {
  version: number;
  etag: string;
  madeBy: string;
  operation?: string;
  restoredFrom?: number;
  current: boolean;
}
interface History {
  distributionId: string;
  etag: string;
  kept: number;
  versions: Version[];
}

const history = async (id: string): Promise<History> => expectJson<History>(await ext("GET", `/${id}/history`), 200);

/** UpdateDistributionWithStagingConfig through the CloudFront API; the primary's new ETag. */
async function promote(p: Pair): Promise<string> {
  const staging = await call("GET", `/distribution/${p.stagingId}`);
  const res = await call(
    "PUT",
    `/distribution/${p.primaryId}/promote-staging-config?StagingDistributionId=${p.stagingId}`,
    { headers: { "if-match": `${p.primaryEtag}, ${staging.headers.get("etag") ?? ""}` } },
  );
  expect(res.status, await res.clone().text()).toBe(200);
  return res.headers.get("etag") ?? "";
}

async function edgePolicy(host: string): Promise<unknown> {
  const record = await env.EDGE_CONFIG.get<{ policy: unknown }>(hostKey(host), "json");
  return record?.policy;
}

describe("PUT / DELETE .../policy", () => {
  it("attaches and detaches without the config, publishing each, and records both in the history", async () => {
    const p = await pair("attach", { attach: false });
    expect(await edgePolicy(p.host)).toBeNull();
    const on = await expectJson<{ policyId: string; etag: string; version: number }>(
      await ext("PUT", `/${p.primaryId}/policy`, { policyId: p.policyId }),
      200,
    );
    expect(on.policyId).toBe(p.policyId);
    expect(await edgePolicy(p.host)).toMatchObject({ id: p.policyId });
    // The CloudFront view agrees.
    const cfg = await call("GET", `/distribution/${p.primaryId}/config`);
    expect(await cfg.text()).toContain(`<ContinuousDeploymentPolicyId>${p.policyId}</ContinuousDeploymentPolicyId>`);
    expect(cfg.headers.get("etag")).toBe(on.etag);

    const off = await expectJson<{ policyId: string | null; etag: string }>(
      await ext("DELETE", `/${p.primaryId}/policy`, undefined, { headers: { "if-match": on.etag } }),
      200,
    );
    expect(off.policyId).toBeNull();
    expect(await edgePolicy(p.host)).toBeNull();
    const h = await history(p.primaryId);
    expect(h.versions.map((v) => [v.version, v.madeBy, v.operation])).toEqual([
      [3, "api", "DetachPolicy"],
      [2, "api", "AttachPolicy"],
      [1, "api", "CreateDistribution"],
    ]);
    expect(h.versions[0]?.current).toBe(true);
    // Detaching again changes nothing.
    const again = await expectJson<{ etag: string }>(await ext("DELETE", `/${p.primaryId}/policy`), 200);
    expect(again.etag).toBe(off.etag);
    expect((await history(p.primaryId)).versions).toHaveLength(3);
  });

  it("has UpdateDistribution's error cases, as JSON", async () => {
    const p = await pair("attach-errors");
    const other = await pair("attach-other", { attach: false });
    const put = (id: string, body: unknown, headers: Record<string, string> = {}) =>
      ext("PUT", `/${id}/policy`, body, { headers });
    expect(await expectError(await put(other.primaryId, { policyId: p.policyId }), 409)).toBe(
      "ContinuousDeploymentPolicyInUse",
    );
    expect(await expectError(await put(other.primaryId, { policyId: "no-such-policy" }), 404)).toBe(
      "NoSuchContinuousDeploymentPolicy",
    );
    expect(await expectError(await put("ENOSUCHDIST000", { policyId: p.policyId }), 404)).toBe("NoSuchDistribution");
    expect(await expectError(await put(p.stagingId, { policyId: other.policyId }), 400)).toBe("InvalidArgument");
    expect(
      await expectError(await put(other.primaryId, { policyId: other.policyId }, { "if-match": "ESTALE" }), 412),
    ).toBe("PreconditionFailed");
    expect(await expectError(await put(other.primaryId, { policy: other.policyId }), 400)).toBe("InvalidArgument");
    expect(await expectError(await put(other.primaryId, { policyId: 7 }), 400)).toBe("InvalidArgument");
    expect(
      await expectError(await ext("PUT", `/${other.primaryId}/policy`, undefined, { raw: "{not json" }), 400),
    ).toBe("MalformedJSON");
    expect(await expectError(await ext("PATCH", `/${other.primaryId}/policy`, {}), 405)).toBe("MethodNotAllowed");
    expect(await expectError(await ext("GET", `/${other.primaryId}/nothing-here`), 404)).toBe("NotFound");
    const unsigned = await ext("PUT", `/${other.primaryId}/policy`, { policyId: other.policyId }, { unsigned: true });
    expect(await expectError(unsigned, 403)).toBe("AccessDenied");
    // None of the refusals changed anything: other has only its creation in its history.
    expect((await history(other.primaryId)).versions.map((v) => v.operation)).toEqual(["CreateDistribution"]);
  });
});

describe("history and restore", () => {
  it("keeps the last 50 versions", async () => {
    const p = await pair("history-50", { attach: false });
    for (let i = 0; i < 26; i++) {
      await expectJson(await ext("PUT", `/${p.primaryId}/policy`, { policyId: p.policyId }), 200);
      await expectJson(await ext("DELETE", `/${p.primaryId}/policy`), 200);
    }
    const h = await history(p.primaryId);
    expect(h.kept).toBe(50);
    expect(h.versions.map((v) => v.version)).toEqual(Array.from({ length: 50 }, (_, i) => 53 - i));
    expect(await expectError(await ext("GET", `/${p.primaryId}/history/3`), 404)).toBe("NoSuchVersion");
  });

  it("lists versions newest first, serves each config, and restores as a new commit", async () => {
    const p = await pair("history", { attach: false });
    const v1 = (await history(p.primaryId)).versions[0];
    const updated = await call("PUT", `/distribution/${p.primaryId}/config`, {
      body: distributionConfigXml({
        callerReference: p.ref,
        port: inject("origins").staging,
        aliases: [p.host],
        comment: "second",
      }),
      headers: { "if-match": p.primaryEtag },
    });
    expect(updated.status).toBe(200);
    const etag2 = updated.headers.get("etag") ?? "";
    const one = await expectJson<{ version: number; config: { Comment: string } }>(
      await ext("GET", `/${p.primaryId}/history/1`),
      200,
    );
    expect(one).toMatchObject({
      version: 1,
      madeBy: "api",
      operation: "CreateDistribution",
      config: { Comment: "test" },
    });

    const restored = await expectJson<{ etag: string; version: number; restoredFrom: number }>(
      await ext("POST", `/${p.primaryId}/history/1/restore`, undefined, { headers: { "if-match": etag2 } }),
      200,
    );
    expect(restored).toMatchObject({ version: 3, restoredFrom: 1 });
    expect(restored.etag).not.toBe(v1?.etag);
    const cfg = await (await call("GET", `/distribution/${p.primaryId}/config`)).text();
    expect(cfg).toContain("<Comment>test</Comment>");
    const h = await history(p.primaryId);
    expect(h.versions.map((v) => [v.version, v.madeBy, v.restoredFrom ?? null, v.current])).toEqual([
      [3, "restore", 1, true],
      [2, "api", null, false],
      [1, "api", null, false],
    ]);
  });

  it("restore needs the current ETag and a version that exists", async () => {
    const p = await pair("history-errors", { attach: false });
    const restore = (v: string, headers: Record<string, string>) =>
      ext("POST", `/${p.primaryId}/history/${v}/restore`, undefined, { headers });
    expect(await expectError(await restore("1", {}), 400)).toBe("InvalidIfMatchVersion");
    expect(await expectError(await restore("1", { "if-match": "ESTALE" }), 412)).toBe("PreconditionFailed");
    expect(await expectError(await restore("9", { "if-match": p.primaryEtag }), 404)).toBe("NoSuchVersion");
    expect(await expectError(await restore("abc", { "if-match": p.primaryEtag }), 400)).toBe("InvalidArgument");
    expect(await expectError(await ext("GET", `/${p.primaryId}/history/7`), 404)).toBe("NoSuchVersion");
    expect(await expectError(await ext("GET", "/ENOSUCHDIST000/history"), 404)).toBe("NoSuchDistribution");
  });

  it("a restore that would be illegal now fails as UpdateDistribution would (policy attached elsewhere)", async () => {
    const a = await pair("restore-conflict");
    // a's version 2 has the policy attached; detach it from a and attach it to b.
    const detached = await expectJson<{ etag: string }>(await ext("DELETE", `/${a.primaryId}/policy`), 200);
    const b = await pair("restore-conflict-b", { attach: false });
    await expectJson(await ext("PUT", `/${b.primaryId}/policy`, { policyId: a.policyId }), 200);
    const res = await ext("POST", `/${a.primaryId}/history/2/restore`, undefined, {
      headers: { "if-match": detached.etag },
    });
    expect(await expectError(res, 409)).toBe("ContinuousDeploymentPolicyInUse");
    expect((await history(a.primaryId)).versions[0]?.operation).toBe("DetachPolicy");
  });

  it("a promote writes a normalised config: the pre-promote config resent with the new ETag is accepted", async () => {
    const p = await pair("resend-after-promote");
    // What the client sent (no Staging, no ContinuousDeploymentPolicyId: the attachment is kept) and what a
    // read-modify-write client (Terraform) read back before the promote.
    const sent = distributionConfigXml({ callerReference: p.ref, port: inject("origins").primary, aliases: [p.host] });
    const read = await (await call("GET", `/distribution/${p.primaryId}/config`)).text();
    let etag = await promote(p);
    const promoted = await (await call("GET", `/distribution/${p.primaryId}/config`)).text();
    expect(tagText(promoted, "Staging")).toBe("false");
    for (const body of [sent, read]) {
      const res = await call("PUT", `/distribution/${p.primaryId}/config`, { body, headers: { "if-match": etag } });
      expect(res.status, await res.clone().text()).toBe(200);
      etag = res.headers.get("etag") ?? "";
      expect((await echo(await viewer(p.host, "/page"))).origin).toBe("primary");
    }
    // Both resends are recorded; the configs history serves are normalised like the API's.
    const h = await history(p.primaryId);
    expect(h.versions.slice(0, 3).map((v) => v.operation ?? v.madeBy)).toEqual([
      "UpdateDistribution",
      "UpdateDistribution",
      "UpdateDistributionWithStagingConfig",
    ]);
    const first = await expectJson<{ config: { Staging: boolean; ContinuousDeploymentPolicyId: string } }>(
      await ext("GET", `/${p.primaryId}/history/1`),
      200,
    );
    expect(first.config).toMatchObject({ Staging: false, ContinuousDeploymentPolicyId: "" });
  });

  it("undo promote: restoring the primary's version before the promote gives viewers the old origin back", async () => {
    // A header policy: a viewer without the header is the primary's for certain (a weight would send 5 % to staging).
    const p = await pair("undo-promote", { policy: { header: "aws-cf-cd-undo", value: "1" } });
    const before = await echo(await viewer(p.host, "/page"));
    expect(before.origin).toBe("primary");
    const promotedEtag = await promote(p);
    const after = await viewer(p.host, "/page");
    expect((await echo(after)).origin).toBe("staging");
    expect(after.headers.get("x-served-by")).toBe("primary");

    const h = await history(p.primaryId);
    const promoted = h.versions[0];
    expect(promoted).toMatchObject({
      madeBy: "promote",
      operation: "UpdateDistributionWithStagingConfig",
      current: true,
    });
    const undo = await ext("POST", `/${p.primaryId}/history/${(promoted?.version ?? 0) - 1}/restore`, undefined, {
      headers: { "if-match": promotedEtag },
    });
    await expectJson(undo, 200);
    for (let i = 0; i < 10; i++) {
      const res = await viewer(p.host, "/page");
      expect((await echo(res)).origin).toBe("primary");
    }
    // The promote switched the policy off; the restore leaves it so (an operator re-enables it deliberately).
    expect(await edgePolicy(p.host)).toMatchObject({ id: p.policyId, enabled: false });
    expect(await errorCode(await call("GET", "/distribution/ENOSUCH0000000"))).toBe("NoSuchDistribution");
  });
});
