/**
 * src/edge/string-memo.ts: values per owner and string key, with the last key found kept in front of the Map. The
 * shortcut must never answer for another owner, another key, or with a value a later set() replaced, and a bounded
 * memo starts over without its shortcut keeping a forgotten key alive.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { StringMemo } from "../../../src/edge/string-memo.js";

describe("StringMemo", () => {
  it("answers per owner and key, and a repeat with the value set last", () => {
    const [a, b] = [{}, {}];
    const memo = new StringMemo<object, number>();
    memo.set(a, "x", 1);
    memo.set(b, "x", 2);
    expect(memo.get(a, "x")).toBe(1);
    expect(memo.get(a, "x")).toBe(1);
    expect(memo.get(b, "x")).toBe(2);
    expect(memo.get(a, "y")).toBeUndefined();
    // Replaced while it is the last key found: the repeat sees the new value.
    expect(memo.get(b, "x")).toBe(2);
    memo.set(b, "x", 3);
    expect(memo.get(b, "x")).toBe(3);
    // A key made at run time (not the same string object) is found all the same.
    expect(memo.get(b, ["x"].join(""))).toBe(3);
  });

  it("past its limit starts over, the last key found with it", () => {
    const owner = {};
    const memo = new StringMemo<object, number>(2);
    memo.set(owner, "a", 1);
    memo.set(owner, "b", 2);
    expect(memo.get(owner, "a")).toBe(1);
    memo.set(owner, "c", 3);
    expect(memo.get(owner, "a")).toBeUndefined();
    expect(memo.get(owner, "b")).toBeUndefined();
    expect(memo.get(owner, "c")).toBe(3);
    // Setting a key it already holds is not growth.
    memo.set(owner, "d", 4);
    memo.set(owner, "d", 5);
    expect(memo.get(owner, "c")).toBe(3);
    expect(memo.get(owner, "d")).toBe(5);
  });

  it("agrees with a plain map of maps for any sequence of gets and sets (property)", () => {
    const op = fc.record({
      set: fc.boolean(),
      owner: fc.integer({ min: 0, max: 2 }),
      key: fc.constantFrom("", "a", "b", "ab"),
      value: fc.integer(),
    });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        const owners = [{}, {}, {}];
        const memo = new StringMemo<object, number>();
        const model = new Map<string, number>();
        for (const o of ops) {
          const owner = owners[o.owner] ?? {};
          if (o.set) {
            memo.set(owner, o.key, o.value);
            model.set(`${o.owner}/${o.key}`, o.value);
          } else {
            expect(memo.get(owner, o.key)).toBe(model.get(`${o.owner}/${o.key}`));
          }
        }
      }),
    );
  });
});
