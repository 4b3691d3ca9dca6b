/**
 * vitest globalSetup (runs in Node): real HTTP origin servers on loopback for the workerd tests.
 * Each test reaches them by port through `inject("origins")`.
 */
import type { TestProject } from "vitest/node";
import { startTestOrigins } from "./origin-servers.js";

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const origins = await startTestOrigins();
  project.provide("origins", origins.ports);
  return origins.close;
}
