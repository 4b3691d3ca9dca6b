/**
 * Property-based: random mutations of valid documents (dropped, duplicated or renamed elements, replaced text,
 * truncation, stray characters) sent to the real worker never produce a 5xx; a refusal is one of CloudFront's
 * input errors and leaves the state unchanged.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { distributionConfigXml, weightPolicyXml } from "../integration/control/documents.js";
import { type RunningWorker, startWorker } from "../support/node/worker-harness.js";
import { CLOUDFRONT_ERROR_CODES } from "../support/shared/cloudfront-error-codes.js";
import { errorCodeOf, signedCall } from "./helpers/raw.js";

let worker: RunningWorker;
beforeAll(async () => {
  worker = await startWorker();
});
afterAll(async () => {
  await worker?.stop();
});

/** The whole state as the API lists it: equal snapshots mean no state change. */
async function stateSnapshot(): Promise<string> {
  const d = await signedCall(worker.endpoint, "GET", "/distribution?MaxItems=1000");
  const p = await signedCall(worker.endpoint, "GET", "/continuous-deployment-policy?MaxItems=1000");
  return `${await d.text()}\n${await p.text()}`;
}

type Node = { name: string; children: Node[] } | { name: string; text: string };

/** A small tree view of our own well-formed documents (no attributes but the root's namespace). */
function toTree(xml: string): Node {
  const tokens = xml.match(/<[^>]+>|[^<]+/g) ?? [];
  const stack: { name: string; children: Node[] }[] = [{ name: "#root", children: [] }];
  let text: string | null = null;
  for (const t of tokens) {
    if (t.startsWith("</")) {
      const done = stack.pop();
      const parent = stack[stack.length - 1];
      if (done === undefined || parent === undefined) throw new Error("unbalanced");
      parent.children.push(done.children.length === 0 && text !== null ? { name: done.name, text } : done);
      text = null;
    } else if (t.startsWith("<")) {
      stack.push({ name: t.slice(1, -1).split(" ")[0] ?? "", children: [] });
      text = "";
    } else {
      text = t;
    }
  }
  const root = stack[0]?.children[0];
  if (root === undefined) throw new Error("empty");
  return root;
}

const NS = ' xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"';
function toXml(n: Node, root = true): string {
  const open = `<${n.name}${root ? NS : ""}>`;
  return "text" in n
    ? `${open}${n.text}</${n.name}>`
    : `${open}${n.children.map((c) => toXml(c, false)).join("")}</${n.name}>`;
}

/** Every node but the root, by path of child indexes. */
function paths(n: Node, at: number[] = []): number[][] {
  if ("text" in n) return [];
  return n.children.flatMap((c, i) => [[...at, i], ...paths(c, [...at, i])]);
}

type Mutation =
  | { op: "drop" | "duplicate"; pick: number }
  | { op: "rename"; pick: number; name: string }
  | { op: "text"; pick: number; text: string }
  | { op: "truncate"; at: number }
  | { op: "insert"; at: number; chars: string };

function mutate(xml: string, m: Mutation): string {
  if (m.op === "truncate") return xml.slice(0, m.at % xml.length);
  if (m.op === "insert") {
    const at = m.at % xml.length;
    return xml.slice(0, at) + m.chars + xml.slice(at);
  }
  const tree = toTree(xml);
  const all = paths(tree);
  const path = all[m.pick % all.length] ?? [];
  const parent = path.slice(0, -1).reduce<Node>((n, i) => ("children" in n ? (n.children[i] ?? n) : n), tree);
  const index = path[path.length - 1] ?? 0;
  if (!("children" in parent)) return xml;
  const target = parent.children[index];
  if (target === undefined) return xml;
  switch (m.op) {
    case "drop":
      parent.children.splice(index, 1);
      break;
    case "duplicate":
      parent.children.splice(index, 0, structuredClone(target));
      break;
    case "rename":
      parent.children[index] = { ...target, name: m.name };
      break;
    case "text":
      parent.children[index] = { name: target.name, text: m.text };
      break;
    default:
      return m satisfies never;
  }
  return toXml(tree);
}

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constantFrom("drop" as const, "duplicate" as const), pick: fc.nat() }),
  fc.record({
    op: fc.constant("rename" as const),
    pick: fc.nat(),
    name: fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,12}$/),
  }),
  fc.record({
    op: fc.constant("text" as const),
    pick: fc.nat(),
    text: fc.oneof(
      fc.string({ maxLength: 20 }),
      fc.constantFrom("-1", "1e400", "NaN", "true", "0.5", "99999999999", ""),
    ),
  }),
  fc.record({ op: fc.constant("truncate" as const), at: fc.nat() }),
  fc.record({
    op: fc.constant("insert" as const),
    at: fc.nat(),
    chars: fc.constantFrom("<", "&", "]]>", "<x>", "\u0000"),
  }),
);

/** Refusals of input: any CloudFront code of these operations but the signature's. */
const INPUT_ERRORS = new Set([...CLOUDFRONT_ERROR_CODES].filter((c) => c !== "AccessDenied"));

async function checkRefusalOrSuccess(path: string, body: string): Promise<void> {
  const before = await stateSnapshot();
  const res = await signedCall(worker.endpoint, "POST", path, body);
  expect(res.status, body).toBeLessThan(500);
  if (res.status >= 400) {
    expect(INPUT_ERRORS, body).toContain(await errorCodeOf(res));
    expect(await stateSnapshot()).toBe(before);
  } else {
    await res.arrayBuffer();
  }
}

describe("mutated documents", () => {
  it("DistributionConfig mutations: never 5xx, refusals change nothing", async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(mutation, async (m) => {
        const valid = distributionConfigXml({ callerReference: `mutation-${++n}` });
        await checkRefusalOrSuccess("/distribution", mutate(valid, m));
      }),
      { numRuns: 300 },
    );
  }, 300_000);

  it("ContinuousDeploymentPolicyConfig mutations: never 5xx, refusals change nothing", async () => {
    await fc.assert(
      fc.asyncProperty(mutation, async (m) => {
        const valid = weightPolicyXml("d0000000000000.splitfront.localhost", 0.1);
        await checkRefusalOrSuccess("/continuous-deployment-policy", mutate(valid, m));
      }),
      { numRuns: 300 },
    );
  }, 300_000);
});
