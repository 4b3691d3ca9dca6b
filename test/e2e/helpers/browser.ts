/**
 * A real browser for the tests of pages: headless Chromium from Debian's `chromium` package, driven by
 * playwright-core (Playwright's own browser download cannot work here: no network but the registries). A fresh
 * user-data directory per launch, so no state leaks between runs. A missing chromium is an error, never a skip:
 * `.ci/run` installs it (apt-get install -y chromium).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium } from "playwright-core";

export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** The path of Debian's chromium (`which chromium`); throws, saying how to install it, when there is none. */
export function chromiumPath(): string {
  let path = "";
  try {
    path = execFileSync("which", ["chromium"], { encoding: "utf8" }).trim();
  } catch {
    // not on the PATH: the error below
  }
  if (path === "") {
    throw new Error(
      "chromium is missing: the console's tests need Debian's chromium package (apt-get install -y chromium; .ci/run installs it).",
    );
  }
  return path;
}

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launchBrowser(viewport = { width: 1280, height: 900 }): Promise<Browser> {
  const userDataDir = mkdtempSync(join(tmpdir(), "splitfront-chromium-"));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath(),
    headless: true,
    args: CHROMIUM_ARGS,
    viewport,
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
