/**
 * Micro-benchmarks of splitfront's pure hot path under Node (V8 11.3 in Node 20; workerd 1.20260426 carries a
 * newer V8, so treat these as relative costs): the routing decision with cookie verification, behaviour
 * matching with 1/25/100 path patterns, the config record's JSON parse, and the XML codec on a full
 * DistributionConfig. Runs standalone too: `npx tsx bench/micro.ts`.
 */
import { createHmac } from "node:crypto";
import { parseDocument } from "../src/control/xml/parse.js";
import { serializeDocument } from "../src/control/xml/serialize.js";
import { selectBehavior } from "../src/edge/behaviors.js";
import type { EdgeBehavior, EdgeDistribution } from "../src/model/edge-config.js";
import { fullDistributionConfig } from "./distribution-config-fixture.js";
import { benchDistribution, benchRecords, HOSTS } from "./edge-records.js";
import { type MicroResult, measure } from "./micro-timer.js";
import { type Claims, loadRouting, type RouteInput } from "./routing-modules.js";

export async function runMicro(timeMs: number, log: (m: string) => void): Promise<MicroResult[]> {
  const out: MicroResult[] = [];
  const run = async (name: string, fn: () => unknown) => {
    const r = await measure(name, fn, timeMs);
    log(`micro ${name}: ${r.nsPerOp.toFixed(0)} ns/op`);
    out.push(r);
  };
  await routing(run);
  await behaviours(run);
  await codec(run);
  return out;
}

type Run = (name: string, fn: () => unknown) => Promise<void>;

async function routing(run: Run): Promise<void> {
  const records = benchRecords({ primary: 1, staging: 2 }).map(([, r]) => r);
  const headerRecord = records.find((r) => r.host === HOSTS.header);
  const stickyRecord = records.find((r) => r.host === HOSTS.sticky);
  if (headerRecord === undefined || stickyRecord === undefined) throw new Error("bench records missing");
  const { decide, importSessionKey, signSession, verifySession } = await loadRouting();
  const key = await importSessionKey("bench-session-secret-0123456789abcdef");
  const now = Math.floor(Date.now() / 1000);
  const claims: Claims = {
    arm: "primary",
    policyId: stickyRecord.policy?.id ?? "",
    epoch: 1,
    sid: "AAAAAAAAAAAAAAAAAAAAAA",
    startedAt: now - 10,
    lastSeenAt: now - 1,
  };
  const cookie = await signSession(claims, key);
  const headers = new Map([["aws-cf-cd-bench", "staging"]]);
  const base = (policy: RouteInput["policy"]): RouteInput => ({
    policy,
    stagingEnabled: true,
    forcePrimary: false,
    header: (n) => headers.get(n) ?? null,
    session: null,
    nowS: now,
    random: Math.random,
  });
  const none = base(null);
  const header = base(headerRecord.policy);
  const sticky = base(stickyRecord.policy);
  await run("decide: no policy", () => decide(none));
  await run("decide: header mode", () => decide(header));
  await run("verifySession (valid cookie)", () => verifySession(cookie, key));
  await run("decide: sticky returning viewer (verify + decide)", async () =>
    decide({ ...sticky, session: await verifySession(cookie, key) }),
  );
  await run("decide: new viewer (decide + signSession)", async () => {
    const d = decide(sticky);
    return d.issue === null ? null : signSession(d.issue, key);
  });
  // For scale: Node's WebCrypto goes through a thread pool per call; a synchronous HMAC of the same bytes is this.
  const hmacKey = Buffer.from("bench-session-secret-0123456789abcdef");
  await run("reference: node:crypto HMAC-SHA-256 of the cookie (sync)", () =>
    createHmac("sha256", hmacKey).update(cookie).digest(),
  );
  await run("importSessionKey (once per isolate)", () => importSessionKey("bench-session-secret-0123456789abcdef"));
  const json = JSON.stringify(stickyRecord);
  await run(`JSON.parse of a host record (${json.length} B)`, () => JSON.parse(json));
}

/** n patterns of the shapes sites use: directory prefixes, extensions, single-character wildcards. */
function patterns(n: number): EdgeBehavior[] {
  const d = benchDistribution("EMICRO", 1).defaultBehavior;
  return Array.from({ length: n }, (_, i) => {
    const shapes = [`/section-${i}/*`, `/assets-${i}/*.css`, `*.ext${i}`, `/v${i}/??/*`];
    return { ...d, pathPattern: shapes[i % shapes.length] ?? "/*" };
  });
}

async function behaviours(run: Run): Promise<void> {
  for (const n of [1, 25, 100]) {
    const dist: EdgeDistribution = { ...benchDistribution("EMICRO", 1), behaviors: patterns(n) };
    // A dynamic page that matches no pattern walks every rule: the worst steady-state case.
    await run(`selectBehavior: ${n} patterns, no match`, () => selectBehavior(dist, "/products/42/reviews"));
    const last = dist.behaviors[n - 1]?.pathPattern ?? "/";
    const hit = last.replace(/\?/g, "x").replace(/\*/g, "a/b") || "/";
    await run(`selectBehavior: ${n} patterns, last matches`, () => selectBehavior(dist, hit));
  }
  const hundred = patterns(100);
  const dist = benchDistribution("EMICRO", 1);
  // A fresh behaviours array (as after a config refresh) recompiles: the first request's cost.
  await run("selectBehavior: 100 patterns, first use (compile)", () =>
    selectBehavior({ ...dist, behaviors: [...hundred] }, "/products/42"),
  );
}

async function codec(run: Run): Promise<void> {
  const value = fullDistributionConfig();
  const xml = serializeDocument("DistributionConfig", "DistributionConfig", value);
  const parsed = parseDocument(xml, "DistributionConfig", "DistributionConfig");
  if (!parsed.ok) throw new Error(`fixture DistributionConfig does not parse: ${parsed.message}`);
  await run(`XML parse: full DistributionConfig (${xml.length} B)`, () =>
    parseDocument(xml, "DistributionConfig", "DistributionConfig"),
  );
  await run("XML serialize: full DistributionConfig", () =>
    serializeDocument("DistributionConfig", "DistributionConfig", value),
  );
}
