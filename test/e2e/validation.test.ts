/**
 * Validation and hostile input through real clients. The AWS SDK for JavaScript sends the validation table's
 * `sdk` rows (test/support/shared/validation-rows.ts) and gets CloudFront's code and status, with nothing stored;
 * NoSuchOrigin on update; CloudFront's own messages. boto3 (botocore) sends an empty If-Match, which it signs, and
 * control characters in ids, Markers and documents, and parses every answer; values with CR, LF and tabs
 * round-trip through both SDKs.
 */
import {
  CreateDistributionCommand,
  DeleteDistributionCommand,
  GetDistributionCommand,
  GetDistributionConfigCommand,
  ListDistributionsCommand,
  UpdateDistributionCommand,
} from "@aws-sdk/client-cloudfront";
import { describe, expect, it } from "vitest";
import { richConfig } from "../support/shared/rich-config.js";
import { VALIDATION_ROWS } from "../support/shared/validation-rows.js";
import { runPython } from "./helpers/python.js";
import { distributionConfig, expectCloudFrontError, present, ref } from "./helpers/sdk.js";
import { useWorker } from "./helpers/worker.js";

const t = useWorker();

/** Every distribution's id and ETag, as ListDistributions shows them. */
async function listed(): Promise<string> {
  const r = await t.cf.send(new ListDistributionsCommand({ MaxItems: 1000 }));
  return (r.DistributionList?.Items ?? []).map((d) => `${d.Id}:${d.ETag}:${d.Comment}`).join(",");
}

/** The SDK's error, for its message. */
async function errorOf(p: Promise<unknown>): Promise<Error> {
  const e: unknown = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  if (!(e instanceof Error)) throw new Error("expected an error");
  return e;
}

describe("the validation table through the AWS SDK", () => {
  const rows = VALIDATION_ROWS.filter((r) => r.sdk);
  it.each(rows.map((r) => [r.rule, r.expect, r] as const))("%s → %s, nothing stored", async (_rule, expected, row) => {
    const [code = "", status = "0"] = expected.split(" ");
    const n = ref("row");
    const cfg = richConfig(n, `${n.toLowerCase()}.example.test`);
    row.edit(cfg);
    const before = await listed();
    await expectCloudFrontError(
      t.cf.send(new CreateDistributionCommand({ DistributionConfig: cfg })),
      code,
      Number(status),
    );
    expect(await listed()).toBe(before);
  });
});

describe("CloudFront's fidelity (issue 11)", () => {
  it("UpdateDistribution with a TargetOriginId naming no origin is NoSuchOrigin 404 with CloudFront's text", async () => {
    const cfg = distributionConfig(ref("nso"), 9001);
    const created = await t.cf.send(new CreateDistributionCommand({ DistributionConfig: cfg }));
    const id = present(created.Distribution?.Id, "id");
    const bad = { ...cfg, DefaultCacheBehavior: { ...cfg.DefaultCacheBehavior, TargetOriginId: "elsewhere" } };
    const update = () =>
      t.cf.send(
        new UpdateDistributionCommand({ Id: id, IfMatch: created.ETag, DistributionConfig: bad as typeof cfg }),
      );
    await expectCloudFrontError(update(), "NoSuchOrigin", 404);
    expect((await errorOf(update())).message).toBe("One or more of your origins or origin groups do not exist.");
    const after = await t.cf.send(new GetDistributionConfigCommand({ Id: id }));
    expect(after.ETag).toBe(created.ETag);
    expect(after.DistributionConfig?.DefaultCacheBehavior?.TargetOriginId).toBe("origin");
  });

  it("errors carry CloudFront's own messages", async () => {
    const missing = await errorOf(t.cf.send(new GetDistributionCommand({ Id: "ENOSUCHDISTRIB" })));
    expect(missing.message).toBe("The specified distribution does not exist.");
    const created = await t.cf.send(
      new CreateDistributionCommand({ DistributionConfig: distributionConfig(ref("m"), 9001) }),
    );
    const id = present(created.Distribution?.Id, "id");
    const enabled = await errorOf(t.cf.send(new DeleteDistributionCommand({ Id: id, IfMatch: created.ETag })));
    expect([enabled.name, enabled.message]).toEqual([
      "DistributionNotDisabled",
      "The distribution you are trying to delete has not been disabled.",
    ]);
    const stale = await errorOf(t.cf.send(new DeleteDistributionCommand({ Id: id, IfMatch: "ESTALE" })));
    expect([stale.name, stale.message]).toEqual([
      "PreconditionFailed",
      "The request failed because it didn't meet the preconditions in one or more request-header fields.",
    ]);
  });

  it("CR, LF and tab in a value round-trip through the AWS SDK (which writes them as character references)", async () => {
    const comment = "line one\r\nline two\ttabbed\rend";
    const created = await t.cf.send(
      new CreateDistributionCommand({
        DistributionConfig: distributionConfig(ref("crlf"), 9001, { Comment: comment }),
      }),
    );
    const got = await t.cf.send(new GetDistributionConfigCommand({ Id: present(created.Distribution?.Id, "id") }));
    expect(got.DistributionConfig?.Comment).toBe(comment);
  });
});

const BOTO3 = `
import json, sys, boto3
from botocore.exceptions import ClientError
endpoint, dist_id, etag = sys.argv[1], sys.argv[2], sys.argv[3]
cf = boto3.client("cloudfront", endpoint_url=endpoint, region_name="us-east-1",
                  aws_access_key_id="test", aws_secret_access_key="test")
def count():
    return cf.list_distributions(MaxItems="1000")["DistributionList"]["Quantity"]
def outcome(call):
    try:
        r = call()
        return {"ok": True, "status": r["ResponseMetadata"]["HTTPStatusCode"]}
    except ClientError as e:
        return {"ok": False, "code": e.response["Error"]["Code"], "message": e.response["Error"].get("Message", ""),
                "status": e.response["ResponseMetadata"]["HTTPStatusCode"]}
config = cf.get_distribution_config(Id=dist_id)["DistributionConfig"]
out = {}
out["delete_empty_if_match"] = outcome(lambda: cf.delete_distribution(Id=dist_id, IfMatch=""))
out["update_empty_if_match"] = outcome(lambda: cf.update_distribution(Id=dist_id, IfMatch="", DistributionConfig=config))
out["get_control_id"] = outcome(lambda: cf.get_distribution(Id="E\\x01BAD"))
out["list_control_marker"] = outcome(lambda: cf.list_distributions(Marker="\\x00"))
before = count()
bad = dict(config, CallerReference="boto3-control", Comment="a\\x01b")
out["create_control_comment"] = outcome(lambda: cf.create_distribution(DistributionConfig=bad))
out["unchanged"] = count() == before
good = dict(config, CallerReference="boto3-crlf", Comment="one\\r\\ntwo\\tthree")
made = cf.create_distribution(DistributionConfig=good)
out["crlf_round_trip"] = cf.get_distribution_config(Id=made["Distribution"]["Id"])["DistributionConfig"]["Comment"]
out["etag_kept"] = cf.get_distribution(Id=dist_id)["ETag"] == etag
print(json.dumps(out))
`;

describe("boto3", () => {
  it("empty If-Match, control characters in ids, Markers and documents: CloudFront's errors, parsed; nothing stored", async () => {
    const created = await t.cf.send(
      new CreateDistributionCommand({ DistributionConfig: distributionConfig(ref("boto"), 9001) }),
    );
    const id = present(created.Distribution?.Id, "id");
    const out = JSON.parse(await runPython(BOTO3, [t.worker.endpoint, id, present(created.ETag, "etag")])) as Record<
      string,
      unknown
    >;
    const ifMatch = {
      ok: false,
      code: "InvalidIfMatchVersion",
      message: "The If-Match version is missing or not valid for the resource.",
      status: 400,
    };
    expect(out.delete_empty_if_match).toEqual(ifMatch);
    expect(out.update_empty_if_match).toEqual(ifMatch);
    expect(out.get_control_id).toEqual({
      ok: false,
      code: "NoSuchDistribution",
      message: "The specified distribution does not exist.",
      status: 404,
    });
    expect(out.list_control_marker).toMatchObject({ ok: false, code: "InvalidArgument", status: 400 });
    expect(out.create_control_comment).toMatchObject({ ok: false, code: "MalformedXML", status: 400 });
    expect(out.unchanged).toBe(true);
    // botocore writes CR raw, and XML end-of-line handling turns a raw CR LF into LF in any conforming parser
    // (CloudFront's too); LF and tab survive as sent.
    expect(out.crlf_round_trip).toBe("one\ntwo\tthree");
    expect(out.etag_kept).toBe(true);
  });
});
