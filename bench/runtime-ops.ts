/**
 * `npm run bench:runtime-ops`: what single runtime operations cost in workerd, in instructions (callgrind; see
 * bench/callgrind.ts), so the hot path's budget can be spent knowingly. Each row runs in a fresh workerd under
 * callgrind with bench/workers/runtime-ops.js: 500 warm-up requests, then 500 counted. Operations run 20 times per
 * request and are reported per operation, less the same request with none; the `fetch-*` rows are whole requests
 * that forward once, in the different ways a proxy can. Requests carry seven typical browser headers.
 * `npm run bench:runtime-ops -- name,name` runs only those rows (and the baselines they are measured against).
 */
import { Agent, request as httpRequest } from "node:http";
import { baselineWorker } from "./build.js";
import { useCallgrind } from "./callgrind.js";
import { startWorker } from "./instances.js";
import { startOrigin } from "./origin.js";

const REQUESTS = 500;
const K = 20;
const OPS = [
  "headers-get",
  "headers-set",
  "headers-delete",
  "headers-copy",
  "request-build",
  "request-build-with-signal",
  "response-rewrap",
  "timer-set-clear",
  "abort-controller",
  "url-parse",
  "console-log",
];
const FORWARDS = [
  "fetch-url-request",
  "fetch-timer-race",
  "fetch-built-request",
  "fetch-built-request-manual",
  "fetch-built-request-signal",
  "fetch-rewrap-set",
  "fetch-then-rewrap-set",
  "fetch-rebuild-set",
  "fetch-copy-rebuild",
  "fetch-init-headers",
  "fetch-built-edit",
  "fetch-copy-init",
  "fetch-pairs-init",
  "fetch-record-init",
  "fetch-built-xff",
  "fetch-lean",
  "fetch-lean-timer",
  "fetch-lean-wait",
  "watch-none",
  "watch-rewrap-only",
  "watch-pump-fls",
  "watch-transform-fls",
  "watch-buffer",
  "watch-tee",
  "watch-read-collect",
  "watch-pump-its",
  "watch-pull-stream",
  "watch-pipeto-fls",
  "watch-pump-byob",
  "fetch-allow-get",
  "fetch-allow-iterate",
  "fetch-allow-delete",
];
const HEADERS = {
  host: "h.example",
  "user-agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36",
  accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
  "accept-language": "en-US,en;q=0.9",
  "accept-encoding": "gzip, deflate, br",
  cookie: "theme=dark; cart=3",
  "sec-fetch-mode": "navigate",
};

const only = process.argv[2]?.split(",").filter((name) => name !== "");
const chosen = (names: string[], baseline?: string) =>
  only === undefined ? names : names.filter((name) => name === baseline || only.includes(name));

const callgrind = useCallgrind();
const origin = await startOrigin();

/** Instructions per request of `path`, in a fresh workerd. */
async function measure(path: string): Promise<number> {
  const inst = await startWorker({
    scriptPath: baselineWorker("runtime-ops"),
    bindings: { ORIGIN: `http://127.0.0.1:${origin.primary}` },
    splitfront: false,
  });
  const pid = callgrind.newestPid();
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const get = () =>
    new Promise<void>((resolve, reject) => {
      const req = httpRequest(`${inst.url}${path}`, { agent, headers: HEADERS }, (res) => {
        if (res.statusCode !== 200) reject(new Error(`${path}: status ${res.statusCode}`));
        res.resume();
        res.on("end", resolve);
      });
      req.on("error", reject);
      req.end();
    });
  const many = async (n: number) => {
    for (let i = 0; i < n; i++) await get();
  };
  try {
    await many(REQUESTS);
    return (await callgrind.count(pid, () => many(REQUESTS), get, path)).instructions / REQUESTS;
  } finally {
    agent.destroy();
    await inst.stop();
  }
}

const k = (n: number) => `${(n / 1000).toFixed(1)}k`;
try {
  const ops = chosen(OPS);
  const none = ops.length === 0 ? 0 : await measure(`/?op=none&k=${K}`);
  if (ops.length > 0) console.log(`request that does nothing: ${k(none)} instructions`);
  for (const op of ops) {
    const per = ((await measure(`/?op=${op}&k=${K}`)) - none) / K;
    console.log(`${op.padEnd(28)} ${k(per).padStart(8)} per operation`);
  }
  let first: number | null = null;
  for (const op of chosen(FORWARDS, FORWARDS[0])) {
    const total = await measure(`/?op=${op}`);
    first ??= total;
    console.log(
      `${op.padEnd(28)} ${k(total).padStart(8)} per request (${total >= first ? "+" : ""}${k(total - first)})`,
    );
  }
} finally {
  origin.stop();
  callgrind.dispose();
}
