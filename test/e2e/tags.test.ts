/**
 * The tag operations through the real AWS SDK: CreateDistributionWithTags (what the Terraform provider creates
 * every distribution with), TagResource, UntagResource and ListTagsForResource, with CloudFront's rules and
 * errors; a distribution's tags go when it is deleted.
 */
import {
  CreateDistributionWithTagsCommand,
  DeleteDistributionCommand,
  GetDistributionConfigCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateDistributionCommand,
} from "@aws-sdk/client-cloudfront";
import { describe, expect, it } from "vitest";
import { errorCodeOf, signedCall } from "./helpers/raw.js";
import { distributionConfig, expectCloudFrontError, present, ref } from "./helpers/sdk.js";
import { useWorker } from "./helpers/worker.js";

const t = useWorker();
const arnOf = (id: string) => `arn:aws:cloudfront::123456789012:distribution/${id}`;

async function tagged(tags: { Key: string; Value?: string }[]) {
  const r = await t.cf.send(
    new CreateDistributionWithTagsCommand({
      DistributionConfigWithTags: { DistributionConfig: distributionConfig(ref("tags"), 9001), Tags: { Items: tags } },
    }),
  );
  return { id: present(r.Distribution?.Id, "id"), etag: present(r.ETag, "etag"), r };
}

const list = async (id: string) =>
  (await t.cf.send(new ListTagsForResourceCommand({ Resource: arnOf(id) }))).Tags?.Items ?? [];

describe("tags", () => {
  it("CreateDistributionWithTags creates the distribution with its tags (201, Location, ETag)", async () => {
    const { id, r } = await tagged([
      { Key: "Name", Value: "Example name" },
      { Key: "Project", Value: "Example project" },
    ]);
    expect(r.$metadata.httpStatusCode).toBe(201);
    expect(r.Location).toBe(`${t.worker.endpoint}/2020-05-31/distribution/${id}`);
    expect(r.Distribution?.DistributionConfig?.Aliases).toEqual({ Quantity: 0 });
    expect(await list(id)).toEqual([
      { Key: "Name", Value: "Example name" },
      { Key: "Project", Value: "Example project" },
    ]);
  });

  it("TagResource adds or replaces, UntagResource removes (unknown keys ignored), 204 both", async () => {
    const { id } = await tagged([]);
    expect(await list(id)).toEqual([]);
    const tag = await t.cf.send(
      new TagResourceCommand({ Resource: arnOf(id), Tags: { Items: [{ Key: "a", Value: "1" }, { Key: "b" }] } }),
    );
    expect(tag.$metadata.httpStatusCode).toBe(204);
    await t.cf.send(new TagResourceCommand({ Resource: arnOf(id), Tags: { Items: [{ Key: "a", Value: "2" }] } }));
    expect(await list(id)).toEqual([
      { Key: "a", Value: "2" },
      { Key: "b", Value: "" },
    ]);
    const untag = await t.cf.send(
      new UntagResourceCommand({ Resource: arnOf(id), TagKeys: { Items: ["b", "not-there"] } }),
    );
    expect(untag.$metadata.httpStatusCode).toBe(204);
    expect(await list(id)).toEqual([{ Key: "a", Value: "2" }]);
  });

  it("refuses invalid tags with InvalidTagging and stores nothing", async () => {
    const { id } = await tagged([{ Key: "keep", Value: "me" }]);
    for (const Items of [
      [{ Key: "aws:cloudfront", Value: "x" }],
      [{ Key: "bad;key" }],
      [{ Key: "k".repeat(129) }],
      [{ Key: "v", Value: "v".repeat(257) }],
      Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}` })),
    ]) {
      await expectCloudFrontError(
        t.cf.send(new TagResourceCommand({ Resource: arnOf(id), Tags: { Items } })),
        "InvalidTagging",
        400,
      );
    }
    expect(await list(id)).toEqual([{ Key: "keep", Value: "me" }]);
    await expectCloudFrontError(
      t.cf.send(
        new CreateDistributionWithTagsCommand({
          DistributionConfigWithTags: {
            DistributionConfig: distributionConfig(ref("bad-tags"), 9001),
            Tags: { Items: [{ Key: "aws:x" }] },
          },
        }),
      ),
      "InvalidTagging",
      400,
    );
  });

  it("NoSuchResource for what does not exist, AccessDenied for another account, InvalidArgument for a non-ARN", async () => {
    await expectCloudFrontError(
      t.cf.send(new ListTagsForResourceCommand({ Resource: arnOf("ENOSUCHDIST0001") })),
      "NoSuchResource",
      404,
    );
    const { id } = await tagged([]);
    await expectCloudFrontError(
      t.cf.send(
        new TagResourceCommand({
          Resource: `arn:aws:cloudfront::999999999999:distribution/${id}`,
          Tags: { Items: [{ Key: "a" }] },
        }),
      ),
      "AccessDenied",
      403,
    );
    const res = await signedCall(t.worker.endpoint, "GET", "/tagging?Resource=not-an-arn");
    expect([res.status, await errorCodeOf(res)]).toEqual([400, "InvalidArgument"]);
    const noOp = await signedCall(
      t.worker.endpoint,
      "POST",
      `/tagging?Operation=Retag&Resource=${encodeURIComponent(arnOf(id))}`,
      "<Tags/>",
    );
    expect([noOp.status, await errorCodeOf(noOp)]).toEqual([400, "InvalidArgument"]);
  });

  it("a deleted distribution's tags go with it", async () => {
    const { id, etag } = await tagged([{ Key: "gone", Value: "soon" }]);
    const cfg = await t.cf.send(new GetDistributionConfigCommand({ Id: id }));
    const off = await t.cf.send(
      new UpdateDistributionCommand({
        Id: id,
        IfMatch: cfg.ETag ?? etag,
        DistributionConfig: { ...present(cfg.DistributionConfig, "config"), Enabled: false },
      }),
    );
    await t.cf.send(new DeleteDistributionCommand({ Id: id, IfMatch: off.ETag }));
    await expectCloudFrontError(
      t.cf.send(new ListTagsForResourceCommand({ Resource: arnOf(id) })),
      "NoSuchResource",
      404,
    );
  });
});
