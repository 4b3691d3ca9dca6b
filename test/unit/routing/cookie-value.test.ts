import { parse } from "hono/utils/cookie";
import { describe, expect, it } from "vitest";
import { cookieValue } from "../../../src/routing/cookie-value.js";
import { mulberry32 } from "./prng.js";

const NAME = "sf-cd-session";
const hono = (header: string, name: string) => parse(header, name)[name];

describe("cookieValue", () => {
  it("finds the named cookie among others, wherever it stands", () => {
    expect(cookieValue(`${NAME}=abc.def`, NAME)).toBe("abc.def");
    expect(cookieValue(`a=1; ${NAME}=abc; b=2`, NAME)).toBe("abc");
    expect(cookieValue(`a=1;${NAME}=abc`, NAME)).toBe("abc");
    expect(cookieValue("a=1; b=2", NAME)).toBeUndefined();
  });

  it("gives the same answer as hono's parse on the edge cases", () => {
    const cases = [
      "",
      NAME,
      `${NAME}=`,
      `${NAME}="quoted"`,
      `${NAME}="`,
      `${NAME} = spaced ; x=1`,
      `\t${NAME}\t=\tv\t`,
      `x${NAME}=prefixed; ${NAME}=real`,
      `${NAME}x=suffixed; ${NAME}=real`,
      `other=${NAME}=inside; ${NAME}=real`,
      `a b ${NAME}=not-a-name; ${NAME}=real`,
      `${NAME}=bad value\\; ${NAME}=good`,
      `${NAME}=first; ${NAME}=second`,
      `${NAME}=a%20b`,
      `${NAME}=a%zzb%41`,
      `${NAME}=a=b=c`,
      `${NAME}=\u00a0nbsp\u00a0`,
      `;;${NAME}=after-empties;;`,
      `${NAME};${NAME}=second`,
    ];
    for (const header of cases) expect(cookieValue(header, NAME), header).toBe(hono(header, NAME));
  });

  it("agrees with hono's parse on random headers made of cookie syntax", () => {
    const random = mulberry32(7);
    const pieces = [NAME, "a", "=", ";", " ", "\t", '"', "%", "41", "%zz", "x", "\\", ",", "sf", "-cd-", "session"];
    for (let n = 0; n < 20_000; n++) {
      let header = "";
      const length = Math.floor(random() * 12);
      for (let i = 0; i < length; i++) header += pieces[Math.floor(random() * pieces.length)];
      expect(cookieValue(header, NAME), JSON.stringify(header)).toBe(hono(header, NAME));
    }
  });
});
