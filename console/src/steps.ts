/**
 * A rollout's steps as an operator types them: "5% 10m, 15% approval, 50% 30m". Each step is a weight (a percent,
 * or a fraction such as 0.05) and either a pause (seconds, or with s, m, h) or the word "approval". Pure;
 * test/unit/console/steps.test.ts. The API checks the ranges (docs/extensions-api.md); this only reads the text.
 */
/** A rollout step, as PUT .../rollout takes it: a weight and either a pause or an approval. */
export interface Step {
  weight: number;
  pauseSeconds?: number;
  approval?: boolean;
}

export type Parsed = { ok: true; steps: Step[] } | { ok: false; message: string };

const UNITS: Record<string, number> = { "": 1, s: 1, m: 60, h: 3600 };

export function parseSteps(input: string): Parsed {
  const parts = input
    .split(/[,;\n]/)
    .map((p) => p.trim())
    .filter((p) => p !== "");
  if (parts.length === 0) return { ok: false, message: "Give at least one step, e.g. 5% 10m, 15% approval." };
  const steps: Step[] = [];
  for (const [i, part] of parts.entries()) {
    const m = /^(\d+(?:\.\d+)?)\s*(%?)\s+(?:(approval)|(\d+(?:\.\d+)?)\s*([smh]?))$/i.exec(part);
    if (m === null) {
      return {
        ok: false,
        message: `Step ${i + 1} ("${part}") is not "<weight> <pause>" or "<weight> approval", e.g. 5% 10m.`,
      };
    }
    const weight = m[2] === "%" ? Number(m[1]) / 100 : Number(m[1]);
    if (m[3] !== undefined) steps.push({ weight, approval: true });
    else steps.push({ weight, pauseSeconds: Math.round(Number(m[4]) * (UNITS[(m[5] ?? "").toLowerCase()] ?? 1)) });
  }
  return { ok: true, steps };
}

export function formatStep(s: Step): string {
  const w = `${Math.round(s.weight * 10000) / 100}%`;
  if (s.approval === true) return `${w} approval`;
  const p = s.pauseSeconds ?? 0;
  const pause = p % 3600 === 0 && p > 0 ? `${p / 3600}h` : p % 60 === 0 && p > 0 ? `${p / 60}m` : `${p}s`;
  return `${w} ${pause}`;
}
