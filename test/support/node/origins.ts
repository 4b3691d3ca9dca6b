/**
 * vitest globalSetup (runs in Node): real HTTP origin servers on loopback for the workerd tests.
 * Each test reaches them by port through `inject("origins")`.
 */
import type { TestProject } from "vitest/node";
import { startTestOrigins, type TestOriginPorts } from "./origin-servers.js";

declare module "vitest" {
  export interface ProvidedContext {
    origins: TestOriginPorts;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const origins = await startTestOrigins();
  project.provide("origins", origins.ports);
  return origins.close;
}
