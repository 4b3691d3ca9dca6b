/** `npx tsx bench/micro.ts`: the micro-benchmarks alone (BENCH_MICRO_TIME_MS per case, default 1000). */
import { runMicro } from "./micro-suite.js";
import { readOptions } from "./options.js";
import { formatMicro } from "./print.js";

const results = await runMicro(readOptions().microTimeMs, () => {});
console.log(formatMicro(results));
