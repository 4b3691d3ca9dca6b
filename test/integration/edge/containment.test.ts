/**
 * The edge never answers a stack trace: an unexpected failure on the viewer path (a record of the wrong shape, a
 * behaviour whose origin is missing, an origin no URL can be made of) is a small 502 page naming nothing internal,
 * plus one log line, and it is contained to that request. Also the cheap guards against what an older record may
 * hold (a million connection attempts, a read timeout of 0). Through the real worker, real KV and loopback origins.
 */
import { afterEach, beforeEach, describe, expect, inject, it, type MockInstance, vi } from "vitest";
import type { EdgeDistribution } from "../../../src/model/edge-config.js";
import { echo, publish, uniqueHost, viewer } from "../../support/worker/edge.js";
import { behavior, distribution, origin, viewerHost } from "../../support/worker/fixtures.js";

let errors: MockInstance<typeof console.error>;
beforeEach(() => {
  errors = vi.spyOn(console, "error").mockImplementation(() => {});
});
afterEach(() => {
  errors.mockRestore();
});

/** The log lines written with console.error, parsed. */
function logged(): { msg: string; [k: string]: unknown }[] {
  return errors.mock.calls.map((call) => JSON.parse(String(call[0])) as { msg: string });
}

/** The 502 page must name nothing internal: no error text, no stack frame, no source path, no origin address. */
async function expectCleanFailure(response: Response, detail: string): Promise<void> {
  expect(response.status).toBe(502);
  expect(response.headers.get("content-type")).toContain("text/html");
  const page = await response.text();
  expect(page).toContain(detail);
  for (const leak of ["TypeError", "Error:", " at ", ".ts", ".js", "127.0.0.1", "stack", "undefined"]) {
    expect(page, `page mentions ${leak}`).not.toContain(leak);
  }
}

async function publishDist(label: string, dist: EdgeDistribution): Promise<string> {
  const host = uniqueHost(label);
  await publish(viewerHost(host, dist));
  return host;
}

describe("containment of unexpected failures", () => {
  it("a record of the wrong shape: a 502 page, one log line, and the next request is served", async () => {
    const ports = inject("origins");
    const good = await publishDist("good", distribution("EGOOD000000001", ports.primary));
    const broken = uniqueHost("shape");
    // As a record from a future or corrupted publish might look: no behaviours list, a policy without traffic.
    const dist = { ...distribution("ESHAPE00000001", ports.primary), behaviors: null } as unknown as EdgeDistribution;
    await publish({ ...viewerHost(broken, dist), policy: { id: "p", enabled: true, epoch: 1 } } as never);

    await expectCleanFailure(await viewer(broken, "/page"), "could not be served");
    const lines = logged().filter((l) => l.msg === "viewer request failed");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ host: broken, path: "/page" });
    expect(String(lines[0]?.error)).toMatch(/Error/);
    // The page's request id is the log line's, so an operator can find it.
    expect(typeof lines[0]?.requestId).toBe("string");

    expect((await echo(await viewer(good, "/"))).origin).toBe("primary");
  });

  it("a behaviour whose origin is missing: a 502 page and one log line", async () => {
    const ports = inject("origins");
    const host = await publishDist(
      "noorigin",
      distribution("ENOORIGIN00001", ports.primary, { defaultBehavior: behavior({ targetOriginId: "nowhere" }) }),
    );
    await expectCleanFailure(await viewer(host), "could not be served");
    expect(logged().filter((l) => l.msg === "viewer request failed")).toHaveLength(1);
  });

  it("many failing requests at once fail alone: the healthy requests beside them are served", async () => {
    const ports = inject("origins");
    const good = await publishDist("goodmix", distribution("EGOODMIX000001", ports.primary));
    const broken = await publishDist(
      "badmix",
      distribution("EBADMIX0000001", ports.primary, { defaultBehavior: behavior({ targetOriginId: "nowhere" }) }),
    );
    const statuses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => viewer(i % 2 === 0 ? good : broken, `/${i}`).then((r) => r.status)),
    );
    expect(statuses).toEqual(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? 200 : 502)));
  });

  it("an origin no URL can be made of (a record published before the compiler marked it): 502, unreachable", async () => {
    for (const domainName of ["", "a b", "bad/name"]) {
      const host = await publishDist(
        "badurl",
        distribution("EBADURL0000001", 80, { origins: { origin: origin({ id: "origin", domainName }) } }),
      );
      await expectCleanFailure(await viewer(host), "could not be reached");
    }
  });

  it("an origin the compiler marked unusable is never asked: 502, and the reason is logged", async () => {
    const ports = inject("origins");
    const host = await publishDist(
      "unusable",
      distribution("EUNUSABLE00001", ports.primary, {
        origins: { origin: origin({ id: "origin", httpPort: ports.primary, unusable: "a port is outside 1-65535" }) },
      }),
    );
    await expectCleanFailure(await viewer(host), "could not be reached");
    expect(logged()).toContainEqual({ msg: "origin unusable", origin: "origin", reason: "a port is outside 1-65535" });
  });
});

describe("guards against what an older record may hold", () => {
  it("makes at most 3 connection attempts whatever ConnectionAttempts says", async () => {
    const ports = inject("origins");
    const key = `attempts${Math.random().toString(36).slice(2, 8)}`;
    const host = await publishDist(
      "attempts",
      distribution("EATTEMPTS00001", ports.flaky, {
        origins: { origin: origin({ id: "origin", httpPort: ports.flaky, connectionAttempts: 1_000_000 }) },
      }),
    );
    // The flaky origin drops the first 3 connections for this key and answers the 4th with its count.
    expect((await viewer(host, `/${key}/3`)).status).toBe(502);
    const after = await viewer(host, `/${key}/3`);
    expect(after.status).toBe(200);
    expect(await after.text()).toBe("attempt 4");
  });

  it("a read timeout of 0 or less answers 504 rather than hanging or failing", async () => {
    const ports = inject("origins");
    for (const readTimeoutMs of [0, -5000]) {
      const host = await publishDist(
        "timeout0",
        distribution("ETIMEOUT000001", ports.slow, {
          origins: { origin: origin({ id: "origin", httpPort: ports.slow, readTimeoutMs }) },
        }),
      );
      expect((await viewer(host)).status).toBe(504);
    }
  });
});
