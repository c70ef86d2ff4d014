/**
 * One measured pass in a fresh process, so its peak RSS is its own. Prints one JSON line
 * `{rows, ms, maxRssMb, ...}` on stdout.
 *
 *   node dist/bench/dry-run-child.js dry-run <input.csv> <mapping.yaml>
 *   node dist/bench/dry-run-child.js csv-parse <input.csv>
 */
import { createReadStream, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { parse } from "csv-parse";
import { main } from "../src/cli/main.js";
import type { Report } from "../src/sinks/report.js";

export interface ChildResult {
  rows: number;
  ms: number;
  maxRssMb: number;
  /** Dry run only: rows found valid, rows dead-lettered, the CLI's exit code. */
  valid?: number;
  deadLettered?: number;
  exitCode?: number;
}

async function dryRun(input: string, mapping: string): Promise<ChildResult> {
  const stem = join(tmpdir(), `dfinery-bench-dry-run-${process.pid}`);
  const deadLetter = `${stem}.dead-letter.ndjson`;
  const reportPath = `${stem}.report.json`;
  // The CLI's summary is discarded: the figures come from --report.
  const stdout = new Writable({ write: (_chunk, _encoding, callback) => callback() });
  const started = performance.now();
  const exitCode = await main(
    [
      input,
      "--map",
      mapping,
      "--dry-run",
      "--quiet",
      "--log-level",
      "warn",
      "--dead-letter",
      deadLetter,
      "--report",
      reportPath,
    ],
    { stdout, stderr: process.stderr, env: process.env },
  );
  const ms = performance.now() - started;
  const report = JSON.parse(readFileSync(reportPath, "utf8")) as Report;
  rmSync(reportPath, { force: true });
  rmSync(deadLetter, { force: true });
  return {
    rows: report.rows,
    ms: Math.round(ms),
    maxRssMb: maxRssMb(),
    valid: report.accepted,
    deadLettered: report.deadLettered,
    exitCode,
  };
}

async function csvParse(input: string): Promise<ChildResult> {
  const started = performance.now();
  let rows = 0;
  for await (const _record of createReadStream(input).pipe(parse({ columns: true }))) rows++;
  return { rows, ms: Math.round(performance.now() - started), maxRssMb: maxRssMb() };
}

/** `resourceUsage().maxRSS` is in KB. */
function maxRssMb(): number {
  return Number((process.resourceUsage().maxRSS / 1024).toFixed(1));
}

const [mode, input, mapping] = process.argv.slice(2);
if (input === undefined || (mode === "dry-run" && mapping === undefined)) {
  process.stderr.write("usage: dry-run-child.js dry-run INPUT MAPPING | csv-parse INPUT\n");
  process.exit(2);
}
let result: ChildResult;
if (mode === "dry-run") result = await dryRun(input, mapping as string);
else if (mode === "csv-parse") result = await csvParse(input);
else {
  process.stderr.write(`unknown mode ${mode}\n`);
  process.exit(2);
}
process.stdout.write(`${JSON.stringify(result)}\n`);
