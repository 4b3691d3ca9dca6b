/**
 * Builds the operator's console (console/) into build/console/, the directory wrangler.toml's `[assets]` serves
 * under CONTROL_PATH_PREFIX + /console/: console/src/main.ts bundled by esbuild with aws4fetch (the SigV4 signer)
 * and uPlot (the charts) from node_modules, so nothing is fetched from a CDN at run time; index.html and the
 * style sheets copied beside it. wrangler runs it before `wrangler dev` and `wrangler deploy` (`[build]` in
 * wrangler.toml); vitest.config.ts runs it before the tests. Synchronous, and about 100 ms.
 *
 *   node --import tsx scripts/build-console.ts
 */
import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { buildSync } from "esbuild";

const root = fileURLToPath(new URL("../", import.meta.url));
export const consoleOutDir = `${root}build/console/`;

export function buildConsole(outdir: string = consoleOutDir): void {
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  buildSync({
    entryPoints: [`${root}console/src/main.ts`],
    outfile: `${outdir}console.js`,
    bundle: true,
    format: "esm",
    target: "es2022",
    minify: true,
    sourcemap: false,
    legalComments: "linked",
    logLevel: "warning",
  });
  copyFileSync(`${root}console/index.html`, `${outdir}index.html`);
  copyFileSync(`${root}console/console.css`, `${outdir}console.css`);
  const uplotCss = createRequire(import.meta.url).resolve("uplot/dist/uPlot.min.css");
  copyFileSync(uplotCss, `${outdir}uPlot.min.css`);
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) buildConsole();
