/**
 * Alternating rounds: every scenario once per round, the order rotated each round so that no scenario always
 * follows the same neighbour, and results kept per round so each can be compared with the pass-through of the
 * same round.
 */
import { type LoadResult, type LoadTarget, runLoad } from "./load.js";
import type { PreparedScenario } from "./scenarios.js";

export async function runRounds(
  scenarios: PreparedScenario[],
  rounds: number,
  target: (sc: PreparedScenario) => LoadTarget,
  log: (m: string) => void,
  label: string,
): Promise<Map<string, LoadResult[]>> {
  const results = new Map<string, LoadResult[]>();
  for (let round = 0; round < rounds; round++) {
    const order = scenarios.map((_, i) => scenarios[(i + round) % scenarios.length]).filter((x) => x !== undefined);
    for (const sc of order) {
      const t = target(sc);
      const rate = t.rate === undefined ? "" : `, ${t.rate} req/s offered`;
      log(`${label} round ${round + 1}/${rounds}: ${sc.id} (${t.connections} connections${rate}, ${t.durationS} s)`);
      const r = await runLoad(t);
      results.set(sc.id, [...(results.get(sc.id) ?? []), r]);
    }
  }
  return results;
}
