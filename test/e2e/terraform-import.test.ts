/**
 * `terraform import` of a distribution made with the AWS CLI, then a clean plan: the CLI sends only the required
 * members, so the plan is clean only if GetDistribution returns the defaults CloudFront fills in (and the provider,
 * which dereferences many of them, does not crash on a missing one). The configuration states CloudFront's
 * defaults where the provider's own differ (is_ipv6_enabled, origin_ssl_protocols).
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  DeleteDistributionCommand,
  GetDistributionConfigCommand,
  UpdateDistributionCommand,
} from "@aws-sdk/client-cloudfront";
import { expect, it } from "vitest";
import { terraformWorkspace } from "../support/node/terraform.js";
import { awsCloudFront } from "./helpers/aws-cli.js";
import { CACHING_DISABLED, present, ref } from "./helpers/sdk.js";
import { useWorker } from "./helpers/worker.js";

const t = useWorker();

const provider = (endpoint: string) => `
provider "aws" {
  region     = "us-east-1"
  access_key = "test"
  secret_key = "test"
  endpoints {
    cloudfront = "${endpoint}"
  }
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
}
`;

const IMPORTED = `
resource "aws_cloudfront_distribution" "imported" {
  enabled = true
  comment = "made with the AWS CLI"
  # CloudFront's default when a client leaves it out (the provider's default is false).
  is_ipv6_enabled = true

  origin {
    origin_id   = "site"
    domain_name = "127.0.0.1"
    custom_origin_config {
      http_port              = 9001
      https_port             = 443
      origin_protocol_policy = "http-only"
      # CloudFront's default when a client leaves them out.
      origin_ssl_protocols = ["TLSv1", "TLSv1.1", "TLSv1.2"]
    }
  }

  default_cache_behavior {
    target_origin_id       = "site"
    viewer_protocol_policy = "allow-all"
    allowed_methods        = ["GET", "HEAD"]
    cached_methods         = ["GET", "HEAD"]
    cache_policy_id        = "${CACHING_DISABLED}"
  }

  restrictions {
    geo_restriction {
      restriction_type = "none"
    }
  }

  viewer_certificate {
    cloudfront_default_certificate = true
  }
}
`;

it(
  "imports a distribution made with the AWS CLI and plans no change",
  async () => {
    const ws = await terraformWorkspace({ "main.tf": provider(t.worker.endpoint) + IMPORTED });
    let id = "";
    try {
      const cliConfig = join(ws.dir, "distribution.json");
      await writeFile(
        cliConfig,
        JSON.stringify({
          CallerReference: ref("tf-import"),
          Comment: "made with the AWS CLI",
          Enabled: true,
          Origins: {
            Quantity: 1,
            Items: [
              {
                Id: "site",
                DomainName: "127.0.0.1",
                CustomOriginConfig: { HTTPPort: 9001, HTTPSPort: 443, OriginProtocolPolicy: "http-only" },
              },
            ],
          },
          DefaultCacheBehavior: {
            TargetOriginId: "site",
            ViewerProtocolPolicy: "allow-all",
            CachePolicyId: CACHING_DISABLED,
          },
        }),
      );
      const stdout = await awsCloudFront(t.worker.endpoint, [
        "create-distribution",
        "--distribution-config",
        `file://${cliConfig}`,
      ]);
      id = present((JSON.parse(stdout) as { Distribution?: { Id?: string } }).Distribution?.Id, "id");

      await ws.run(["init", "-input=false"]);
      await ws.run(["import", "-input=false", "aws_cloudfront_distribution.imported", id]);
      const plan = await ws.run(["plan", "-detailed-exitcode", "-input=false"], [0, 2]);
      expect(plan.code, `terraform plan after import found changes:\n${plan.stdout}`).toBe(0);
    } finally {
      await ws.remove();
      if (id !== "") {
        // Not through terraform destroy: its waits add a minute and test/e2e/terraform.test.ts covers them.
        const cfg = await t.cf.send(new GetDistributionConfigCommand({ Id: id }));
        const off = await t.cf.send(
          new UpdateDistributionCommand({
            Id: id,
            IfMatch: cfg.ETag,
            DistributionConfig: { ...present(cfg.DistributionConfig, "config"), Enabled: false },
          }),
        );
        await t.cf.send(new DeleteDistributionCommand({ Id: id, IfMatch: off.ETag }));
      }
    }
  },
  10 * 60_000,
);
