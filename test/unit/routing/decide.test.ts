import { describe, expect, it } from "vitest";
import type { EdgePolicy } from "../../../src/model/edge-config.js";
import { bucketOf, newSessionId } from "../../../src/routing/bucket.js";
import { decide, idleResolution, type RouteInput } from "../../../src/routing/decide.js";
import type { SessionClaims } from "../../../src/routing/session-cookie.js";
import { headerPolicy, weightPolicy } from "../../support/worker/fixtures.js";
import { mulberry32, sequence } from "./prng.js";

const NOW = 1_800_000_000;
const noHeaders = () => null;
/** A source that fails the test if decide draws from it. */
const noDraw = () => {
  throw new Error("decide must not draw randomness here");
};

function input(overrides: Partial<RouteInput>): RouteInput {
  return {
    policy: weightPolicy(0.1, null),
    stagingEnabled: true,
    forcePrimary: false,
    header: noHeaders,
    session: null,
    nowS: NOW,
    random: noDraw,
    ...overrides,
  };
}

const header = () => headerPolicy("aws-cf-cd-test", "blue");
const always = (v: number) => sequence(v);

describe("decide: precedence of the primary-only rules", () => {
  const stagingWorthy = { policy: header(), header: (n: string) => (n === "aws-cf-cd-test" ? "blue" : null) };

  it("routes to staging when nothing overrides", () => {
    expect(decide(input(stagingWorthy))).toMatchObject({ arm: "staging", reason: "header-match" });
  });
  it("force-primary beats everything", () => {
    const all = { ...stagingWorthy, forcePrimary: true, stagingEnabled: false };
    expect(decide(input(all))).toEqual({ arm: "primary", reason: "force-primary", issue: null, stickiness: null });
    expect(decide(input({ ...all, policy: null })).reason).toBe("force-primary");
  });
  it("no policy → primary", () => {
    expect(decide(input({ ...stagingWorthy, policy: null }))).toMatchObject({ arm: "primary", reason: "no-policy" });
  });
  it("disabled policy → primary, before the staging check", () => {
    const policy: EdgePolicy = { ...header(), enabled: false };
    expect(decide(input({ ...stagingWorthy, policy }))).toMatchObject({ arm: "primary", reason: "policy-disabled" });
    expect(decide(input({ ...stagingWorthy, policy, stagingEnabled: false })).reason).toBe("policy-disabled");
  });
  it("disabled (or missing) staging distribution → primary", () => {
    expect(decide(input({ ...stagingWorthy, stagingEnabled: false }))).toMatchObject({
      arm: "primary",
      reason: "staging-disabled",
    });
  });
  it("a sticky policy under an override issues no cookie and keeps no session", () => {
    const session = claimsFor(weightPolicy(0.1, STICKY), "staging", NOW - 10, NOW - 10);
    const d = decide(input({ policy: weightPolicy(0.1, STICKY), session, forcePrimary: true }));
    expect(d).toEqual({ arm: "primary", reason: "force-primary", issue: null, stickiness: null });
  });
});

describe("decide: SingleHeader", () => {
  const viaHeaders = (init: Record<string, string>) => {
    const h = new Headers(init);
    return (name: string) => h.get(name);
  };
  it("matches the header name case-insensitively and the value exactly", () => {
    expect(decide(input({ policy: header(), header: viaHeaders({ "AWS-CF-CD-Test": "blue" }) })).arm).toBe("staging");
    expect(decide(input({ policy: header(), header: viaHeaders({ "aws-cf-cd-test": "blue" }) })).arm).toBe("staging");
  });
  it("looks the header up by its lower-case name", () => {
    const asked: string[] = [];
    decide(
      input({
        policy: header(),
        header: (n) => {
          asked.push(n);
          return null;
        },
      }),
    );
    expect(asked).toEqual(["aws-cf-cd-test"]);
  });
  it("anything but the exact value is a miss", () => {
    for (const value of ["Blue", "BLUE", " blue", "blue ", "blue,blue", "", "green"]) {
      const d = decide(input({ policy: header(), header: () => value }));
      expect(d, JSON.stringify(value)).toEqual({
        arm: "primary",
        reason: "header-miss",
        issue: null,
        stickiness: null,
      });
    }
    expect(decide(input({ policy: header(), header: noHeaders })).reason).toBe("header-miss");
  });
  it("ignores a sticky cookie and never draws", () => {
    const session = claimsFor(weightPolicy(0.1, STICKY), "staging", NOW, NOW);
    expect(decide(input({ policy: header(), session, random: noDraw })).arm).toBe("primary");
  });
});

describe("decide: SingleWeight without stickiness", () => {
  it("sends a request to staging iff random() < weight, with no cookie", () => {
    const p = weightPolicy(0.1, null);
    expect(decide(input({ policy: p, random: always(0.0999) }))).toEqual({
      arm: "staging",
      reason: "weight",
      issue: null,
      stickiness: null,
    });
    expect(decide(input({ policy: p, random: always(0.1) })).arm).toBe("primary");
    expect(decide(input({ policy: weightPolicy(0, null), random: always(0) })).arm).toBe("primary");
    expect(decide(input({ policy: weightPolicy(0.15, null), random: always(0.1499) })).arm).toBe("staging");
  });
  it("ignores any session cookie: each request is an independent draw", () => {
    const session = claimsFor(weightPolicy(0.1, STICKY), "staging", NOW, NOW);
    expect(decide(input({ policy: weightPolicy(0.1, null), session, random: always(0.5) })).arm).toBe("primary");
  });
});

const STICKY = { idleTTL: 300, maximumTTL: 600 };

function claimsFor(policy: EdgePolicy, arm: SessionClaims["arm"], startedAt: number, lastSeenAt: number) {
  return { arm, policyId: policy.id, epoch: policy.epoch, sid: "c2Vzc2lvbi1pZC0xMjM0NQ", startedAt, lastSeenAt };
}

describe("decide: SingleWeight with stickiness, new sessions", () => {
  it("draws a session id, buckets it against the weight and pins either arm", () => {
    const policy = weightPolicy(0.15, STICKY);
    const random = mulberry32(11);
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const d = decide(input({ policy, random }));
      expect(d.reason).toBe("sticky-new");
      expect(d.stickiness).toEqual(STICKY);
      const issue = d.issue;
      if (issue === null) throw new Error("a new session must issue a cookie");
      expect(issue).toMatchObject({ policyId: "policy-1", epoch: 1, startedAt: NOW, lastSeenAt: NOW, arm: d.arm });
      expect(d.arm).toBe(bucketOf(issue.sid) < 0.15 ? "staging" : "primary");
      seen.add(d.arm);
    }
    expect(seen).toEqual(new Set(["primary", "staging"]));
  });
  it("takes the session id from the injected source", () => {
    const d = decide(input({ policy: weightPolicy(0.1, STICKY), random: mulberry32(5) }));
    expect(d.issue?.sid).toBe(newSessionId(mulberry32(5)));
  });
  it("weight 0 pins every new session to primary", () => {
    const random = mulberry32(12);
    for (let i = 0; i < 500; i++) {
      expect(decide(input({ policy: weightPolicy(0, STICKY), random })).arm).toBe("primary");
    }
  });
  it("floors a fractional clock in the claims", () => {
    const d = decide(input({ policy: weightPolicy(0.1, STICKY), random: mulberry32(1), nowS: NOW + 0.9 }));
    expect(d.issue).toMatchObject({ startedAt: NOW, lastSeenAt: NOW });
  });
});

describe("decide: SingleWeight with stickiness, live sessions", () => {
  const policy = weightPolicy(0.1, STICKY);
  const run = (session: SessionClaims, now = NOW, p = policy) =>
    decide(input({ policy: p, session, nowS: now, random: mulberry32(99) }));

  it("keeps the arm of a live session without drawing", () => {
    for (const arm of ["primary", "staging"] as const) {
      const d = decide(input({ policy, session: claimsFor(policy, arm, NOW - 30, NOW - 30), random: noDraw }));
      expect(d).toEqual({ arm, reason: "sticky-kept", issue: null, stickiness: null });
    }
  });
  it("idle clock: alive at idleTTL-1 since last seen, ended at idleTTL", () => {
    expect(run(claimsFor(policy, "staging", NOW - 299, NOW - 299))).toMatchObject({ reason: "sticky-kept" });
    const ended = run(claimsFor(policy, "staging", NOW - 300, NOW - 300));
    expect(ended.reason).toBe("sticky-new");
    expect(ended.issue?.sid).not.toBe("c2Vzc2lvbi1pZC0xMjM0NQ");
    expect(ended.issue).toMatchObject({ startedAt: NOW, lastSeenAt: NOW });
  });
  it("maximum clock: alive at maximumTTL-1 since start, ended at maximumTTL, however recent the last request", () => {
    expect(run(claimsFor(policy, "staging", NOW - 599, NOW - 1)).reason).toBe("sticky-kept");
    expect(run(claimsFor(policy, "staging", NOW - 600, NOW - 1)).reason).toBe("sticky-new");
  });
  it("re-signs only when lastSeenAt is idleResolution old, keeping sid, arm and start", () => {
    expect(idleResolution(300)).toBe(60);
    expect(idleResolution(3600)).toBe(60);
    expect(idleResolution(100)).toBe(20);
    expect(run(claimsFor(policy, "staging", NOW - 100, NOW - 59)).issue).toBeNull();
    const refreshed = run(claimsFor(policy, "staging", NOW - 100, NOW - 60));
    expect(refreshed).toEqual({
      arm: "staging",
      reason: "sticky-kept",
      issue: { ...claimsFor(policy, "staging", NOW - 100, NOW) },
      stickiness: STICKY,
    });
  });
  it("a different epoch ends the session (policy or stickiness toggled)", () => {
    const old = claimsFor({ ...policy, epoch: 0 }, "staging", NOW - 10, NOW - 10);
    const d = run(old);
    expect(d.reason).toBe("sticky-new");
    expect(d.issue?.epoch).toBe(1);
  });
  it("a foreign policy id ends the session", () => {
    const foreign = { ...claimsFor(policy, "staging", NOW - 10, NOW - 10), policyId: "policy-2" };
    const d = run(foreign);
    expect(d.reason).toBe("sticky-new");
    expect(d.issue?.policyId).toBe("policy-1");
  });
  it("a weight change alone keeps live sessions on their arm, even at weight 0", () => {
    const staging = claimsFor(policy, "staging", NOW - 10, NOW - 10);
    for (const weight of [0.01, 0]) {
      expect(run(staging, NOW, weightPolicy(weight, STICKY))).toMatchObject({ arm: "staging", reason: "sticky-kept" });
    }
    const primary = claimsFor(policy, "primary", NOW - 10, NOW - 10);
    expect(run(primary, NOW, weightPolicy(0.15, STICKY))).toMatchObject({ arm: "primary", reason: "sticky-kept" });
  });
  it("a viewer following its cookie: refreshed every 60 s, new session at maximumTTL, then again after idleTTL", () => {
    let session: SessionClaims | null = null;
    const sids: string[] = [];
    const issuedAt: number[] = [];
    const random = mulberry32(3);
    // One request every 30 s for 700 s, then silence for exactly idleTTL, then one more request.
    const times = [...Array.from({ length: 24 }, (_, i) => NOW + i * 30), NOW + 690 + 300];
    for (const t of times) {
      const d = decide(input({ policy, session, nowS: t, random }));
      if (d.issue !== null) {
        session = d.issue;
        issuedAt.push(t - NOW);
        if (d.reason === "sticky-new") sids.push(d.issue.sid);
      }
    }
    expect(sids).toHaveLength(3);
    expect(new Set(sids).size).toBe(3);
    expect(issuedAt).toEqual([0, 60, 120, 180, 240, 300, 360, 420, 480, 540, 600, 660, 990]);
  });
});

describe("decide: real share of sticky sessions", () => {
  it("puts 10 % of 20,000 new sessions on staging at weight 0.10, within 4 sigma", () => {
    const n = 20_000;
    const weight = 0.1;
    const random = mulberry32(20_261_122);
    let staging = 0;
    for (let i = 0; i < n; i++) {
      if (decide(input({ policy: weightPolicy(weight, STICKY), random })).arm === "staging") staging++;
    }
    const sigma = Math.sqrt(n * weight * (1 - weight));
    expect(Math.abs(staging - n * weight)).toBeLessThan(4 * sigma);
  });
});
