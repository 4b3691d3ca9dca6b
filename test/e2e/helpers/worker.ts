/**
 * One worker per test file: `useWorker()` starts splitfront in Miniflare (real KV and Durable Object) with an AWS
 * SDK client pointed at it before the file's tests, and stops both after them. Read `t.worker` / `t.cf` inside
 * tests and hooks only.
 */
import type { CloudFrontClient } from "@aws-sdk/client-cloudfront";
import { afterAll, beforeAll } from "vitest";
import { type RunningWorker, startWorker } from "../../support/node/worker-harness.js";
import { cloudfront } from "./sdk.js";

export interface WorkerUnderTest {
  readonly worker: RunningWorker;
  readonly cf: CloudFrontClient;
}

export function useWorker(bindings: Record<string, string> = {}): WorkerUnderTest {
  let worker: RunningWorker | undefined;
  let cf: CloudFrontClient | undefined;
  beforeAll(async () => {
    worker = await startWorker(bindings);
    cf = cloudfront(worker.endpoint);
  });
  afterAll(async () => {
    cf?.destroy();
    await worker?.stop();
  });
  const started = <T>(v: T | undefined): T => {
    if (v === undefined) throw new Error("the worker is only there inside tests and hooks");
    return v;
  };
  return {
    get worker() {
      return started(worker);
    },
    get cf() {
      return started(cf);
    },
  };
}
