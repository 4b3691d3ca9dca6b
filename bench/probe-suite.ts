/** The figures measured after the load rounds: storage calls per request, cold isolate, propagation. */
import type { WorkerInstance, WorkerSpec } from "./instances.js";
import { type ColdStart, coldStart, type StorageCounts, storageCounts } from "./probes.js";
import { measurePropagation, type Propagation } from "./propagation.js";
import type { PreparedScenario } from "./scenarios.js";

export interface ProbeInput {
  prepared: PreparedScenario[];
  sfSpec: WorkerSpec;
  passSpec: WorkerSpec;
  countingScript: string;
  origin: { primary: number; staging: number };
  seed: (inst: WorkerInstance) => Promise<void>;
  start: (spec: WorkerSpec) => Promise<WorkerInstance>;
  countDurationS: number;
  coldStarts: number;
  log: (m: string) => void;
}

export interface ProbeResults {
  counts: StorageCounts[];
  cold: ColdStart[];
  propagation: Propagation;
}

export async function runProbes(p: ProbeInput): Promise<ProbeResults> {
  p.log("steady-state storage calls (counting entry)");
  const countingInst = await p.start({ ...p.sfSpec, scriptPath: p.countingScript });
  await p.seed(countingInst);
  const sfScenarios = p.prepared.filter((sc) => sc.target === "splitfront");
  const counts = await storageCounts(countingInst.url, sfScenarios, p.countDurationS);
  await countingInst.stop();

  p.log("cold isolate: first request of a fresh workerd");
  const newViewer = sfScenarios.find((sc) => sc.id === "sf-new-viewer") ?? sfScenarios[0];
  const cold = [await coldStart("pass-through", p.passSpec, async () => {}, "/products/42", {}, p.coldStarts)];
  if (newViewer !== undefined) {
    cold.push(await coldStart("splitfront", p.sfSpec, p.seed, "/products/42", newViewer.headers, p.coldStarts));
  }

  p.log("propagation: UpdateContinuousDeploymentPolicy to the edge applying it");
  const propagation = await measurePropagation(p.sfSpec, p.origin, p.log);
  return { counts, cold, propagation };
}
