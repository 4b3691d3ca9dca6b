/**
 * Running a Markdown file's snippets as written, for the tests that keep the README and docs/*.md true: its fenced
 * blocks (with the heading each is under), a list of the blocks not run with the reason for each, and a runner
 * that executes a block against `npm start` with the only change a reader makes: the port, 8787 → this run's.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface Block {
  lang: string;
  code: string;
  /** The `##`/`###` heading the block is under. */
  section: string;
  line: number;
}

/** The fenced code blocks of a Markdown file, with the heading each is under. */
export function fencedBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  const lines = markdown.split("\n");
  let section = "";
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    const heading = /^#{2,3} (.*)$/.exec(line);
    if (heading !== null) section = heading[1] ?? "";
    const open = /^```(\S*)\s*$/.exec(line);
    if (open === null) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !(lines[i] ?? "").startsWith("```"); i++) body.push(lines[i] ?? "");
    blocks.push({ lang: open[1] ?? "", code: `${body.join("\n")}\n`, section, line: start + 1 });
  }
  return blocks;
}

/** A block not run, found by its language and a line of it, with the reason. */
export interface NotRun {
  lang: string;
  contains: string;
  why: string;
}

/**
 * The blocks to run: every block but those `notRun` names. `unused` lists the entries that match no block, which
 * the tests fail on, so a list cannot outlive the file it describes.
 */
export function classify(blocks: Block[], notRun: NotRun[]): { run: Block[]; unused: string[] } {
  const used = new Set<number>();
  const run = blocks.filter((block) => {
    const i = notRun.findIndex((n) => n.lang === block.lang && block.code.includes(n.contains));
    if (i >= 0) used.add(i);
    return i < 0;
  });
  return { run, unused: notRun.filter((_, i) => !used.has(i)).map((n) => `${n.lang}: ${n.contains}`) };
}

/** How a block of each runnable language is run: `sh` with bash -e -o pipefail (any failing command fails it). */
export const RUNNERS: Record<string, (file: string) => string[]> = {
  sh: (file) => ["bash", "-e", "-o", "pipefail", file],
  python: (file) => ["python3", file],
};

export interface SnippetResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export interface SnippetShell {
  /** The snippets' working directory (a reader's current directory). */
  dir: string;
  /** Runs `code` as `lang` in `dir`, with no AWS settings of the environment's own and 8787 replaced by the port. */
  execute(lang: string, code: string): SnippetResult;
  remove(): void;
}

/** A working directory and runner for snippets written for `npm start` on 8787, run against one on `port`. */
export function snippetShell(port: number): SnippetShell {
  const dir = mkdtempSync(join(tmpdir(), "splitfront-snippets-"));
  return {
    dir,
    execute(lang, code) {
      const runner = RUNNERS[lang];
      if (runner === undefined) throw new Error(`no runner for ${lang}`);
      const file = join(dir, `snippet.${lang}`);
      writeFileSync(file, code.replaceAll(":8787", `:${port}`));
      const env: NodeJS.ProcessEnv = {};
      for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("AWS_")) env[k] = v;
      const [cmd = "", ...args] = runner(file);
      const r = spawnSync(cmd, args, { cwd: dir, env, encoding: "utf8", timeout: 120_000 });
      if (r.error !== undefined) throw r.error;
      return { status: r.status, stdout: r.stdout, stderr: r.stderr };
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
