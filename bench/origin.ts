/** Starts bench/origin-server.ts in a child process and hands back its two ports. */
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { OriginReadyMessage } from "./origin-server.js";

export interface BenchOrigin {
  primary: number;
  staging: number;
  stop: () => void;
}

export async function startOrigin(): Promise<BenchOrigin> {
  const script = fileURLToPath(new URL("./origin-server.ts", import.meta.url));
  const child = fork(script, [], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const ready = await new Promise<OriginReadyMessage>((resolve, reject) => {
    child.once("message", (m) => resolve(m as OriginReadyMessage));
    child.once("exit", (code) => reject(new Error(`origin process exited early (code ${code})`)));
  });
  return {
    primary: ready.primary,
    staging: ready.staging,
    stop: () => {
      child.disconnect();
      child.kill();
    },
  };
}
