/**
 * A record stored before characters XML cannot carry were refused (written here straight into the Durable
 * Object's SQLite) must not break List/Get for everyone: the responses replace such characters with U+FFFD and
 * stay well-formed. And such characters sent now are refused before anything is stored.
 */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { XMLValidator } from "fast-xml-parser";
import { expect, it } from "vitest";
import type { ControlPlane } from "../../../src/store/control-plane.js";
import { call, errorCode, tagText } from "./client.js";
import { distributionConfigXml } from "./documents.js";
import { stateSnapshot } from "./snapshot.js";

/** The XML 1.0 Char production's complement: none of these may appear in any response. */
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

async function wellFormed(res: Response): Promise<string> {
  const text = await res.text();
  expect(NOT_XML.test(text), text).toBe(false);
  expect(XMLValidator.validate(text)).toBe(true);
  return text;
}

it("a stored Comment holding U+0001 and U+FFFF is served as U+FFFD by List, Get and GetConfig", async () => {
  const created = await call("POST", "/distribution", { body: distributionConfigXml({ callerReference: "legacy-1" }) });
  expect(created.status).toBe(201);
  const id = tagText(await created.text(), "Id") ?? "";
  const ns = env.CONTROL_PLANE as DurableObjectNamespace<ControlPlane>;
  await runInDurableObject(ns.get(ns.idFromName("global")), (_instance, state) => {
    state.storage.sql.exec(
      "UPDATE distributions SET config = json_set(config, '$.Comment', ?) WHERE id = ?",
      "bad\u0001comment\uffff",
      id,
    );
  });
  for (const path of ["/distribution?MaxItems=1000", `/distribution/${id}`, `/distribution/${id}/config`]) {
    const res = await call("GET", path);
    expect(res.status, path).toBe(200);
    expect(await wellFormed(res), path).toContain("<Comment>bad\uFFFDcomment\uFFFD</Comment>");
  }
});

it.each([
  ["a raw U+0001", "a\u0001b"],
  ["a character reference to U+0001", "a&#1;b"],
  ["a character reference to U+FFFE", "a&#xFFFE;b"],
  ["an entity XML does not define", "a&nbsp;b"],
])("a Comment with %s is MalformedXML and stores nothing", async (_what, comment) => {
  const before = await stateSnapshot();
  const res = await call("POST", "/distribution", {
    body: distributionConfigXml({ callerReference: `refused-${comment.length}`, comment }),
  });
  expect(res.status).toBe(400);
  expect(await errorCode(res.clone())).toBe("MalformedXML");
  await wellFormed(res);
  expect(await stateSnapshot()).toBe(before);
});

it("a body that is not UTF-8 is MalformedXML and stores nothing", async () => {
  const xml = distributionConfigXml({ callerReference: "latin1", comment: "caf\u00e9" });
  const utf8 = new TextEncoder().encode(xml);
  // The two UTF-8 bytes of é become the one Latin-1 byte 0xE9: an invalid UTF-8 sequence.
  const at = utf8.findIndex((b, i) => b === 0xc3 && utf8[i + 1] === 0xa9);
  const latin1 = new Uint8Array([...utf8.slice(0, at), 0xe9, ...utf8.slice(at + 2)]);
  const before = await stateSnapshot();
  const res = await call("POST", "/distribution", { bytes: latin1 });
  expect(res.status).toBe(400);
  expect(await errorCode(res)).toBe("MalformedXML");
  expect(await stateSnapshot()).toBe(before);
});
