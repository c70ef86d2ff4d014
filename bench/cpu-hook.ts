/**
 * Loaded with `node --import` into a CLI the bench spawns: on exit, writes the process's CPU time
 * (`process.cpuUsage()`, µs) as JSON to the file named by DFINERY_BENCH_CPU_OUT, so a figure
 * measured through the real command line can be given as CPU per row.
 */
import { writeFileSync } from "node:fs";

const out = process.env.DFINERY_BENCH_CPU_OUT;
if (out !== undefined && out !== "") {
  process.on("exit", () => writeFileSync(out, JSON.stringify(process.cpuUsage())));
}
