/**
 * One pass of readSource over a file, in a fresh process (its peak RSS its own). Prints one JSON
 * line `{rows, ms, maxRssMb, cpuUs}` (`cpuUs`: the pass's CPU time per row, µs).
 *
 *   node dist/bench/workbook-child.js <input> csv|xlsx
 */
import { readSource } from "../src/source/read.js";
import type { SourceFormat } from "../src/source/types.js";
import type { ChildResult } from "./dry-run-child.js";

const [input, format] = process.argv.slice(2) as [string, SourceFormat];
const started = performance.now();
const cpu = process.cpuUsage();
let rows = 0;
for await (const item of readSource({ input, format })) if (item.kind === "row") rows++;
const ms = Math.round(performance.now() - started);
const maxRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
const { user, system } = process.cpuUsage(cpu);
const cpuUs = Number(((user + system) / Math.max(rows, 1)).toFixed(2));
const result: ChildResult = { rows, ms, maxRssMb, cpuUs };
process.stdout.write(`${JSON.stringify(result)}\n`);
