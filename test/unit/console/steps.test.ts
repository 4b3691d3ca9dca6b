/** The console's rollout-steps field: what an operator types, read into PUT .../rollout's steps. */
import { describe, expect, it } from "vitest";
import { formatStep, parseSteps } from "../../../console/src/steps.js";

describe("parseSteps", () => {
  it("reads percents or fractions, pauses in s/m/h or bare seconds, and approval", () => {
    expect(parseSteps("5% 10m, 0.15 approval; 50 % 1h\n20% 90")).toEqual({
      ok: true,
      steps: [
        { weight: 0.05, pauseSeconds: 600 },
        { weight: 0.15, approval: true },
        { weight: 0.5, pauseSeconds: 3600 },
        { weight: 0.2, pauseSeconds: 90 },
      ],
    });
    expect(parseSteps(" 5%  30s ,, ")).toEqual({ ok: true, steps: [{ weight: 0.05, pauseSeconds: 30 }] });
    expect(parseSteps("10% APPROVAL")).toEqual({ ok: true, steps: [{ weight: 0.1, approval: true }] });
  });

  it("names the step it cannot read", () => {
    expect(parseSteps("")).toEqual({ ok: false, message: "Give at least one step, e.g. 5% 10m, 15% approval." });
    const bad = parseSteps("5% 10m, 10%, 20% 1m");
    expect(bad.ok).toBe(false);
    expect(bad.ok ? "" : bad.message).toContain('Step 2 ("10%")');
    expect(parseSteps("5% 10 minutes").ok).toBe(false);
    expect(parseSteps("-5% 10m").ok).toBe(false);
  });

  it("formats what it reads back the same way", () => {
    for (const text of ["5% 10m", "15% approval", "50% 1h", "7.5% 45s"]) {
      const parsed = parseSteps(text);
      expect(parsed.ok ? parsed.steps.map(formatStep).join(", ") : parsed.message).toBe(text);
    }
  });
});
