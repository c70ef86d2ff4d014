/**
 * One measured pass in a fresh process, so its peak RSS is its own. Prints one JSON line
 * `{rows, ms, maxRssMb, cpuUs, ...}` on stdout (`cpuUs`: the pass's CPU time per row, µs).
 *
 *   node dist/bench/dry-run-child.js dry-run <input.csv> <mapping.yaml>
 *   node dist/bench/dry-run-child.js events-dry-run <input.ndjson> <events.yaml> (import-events)
 *   node dist/bench/dry-run-child.js csv-parse <input.csv>
 *   node dist/bench/dry-run-child.js tsv-parse <input.tsv>     (headerless, 8 columns)
 *   node dist/bench/dry-run-child.js json-lines <input.ndjson> (a bare JSON.parse line loop)
 */
import { createReadStream, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { parse } from "csv-parse";
import type { Bin } from "../src/cli/args.js";
import { main } from "../src/cli/main.js";
import { setProcessSettings } from "../src/cli/process-settings.js";
import type { Report } from "../src/sinks/report.js";

export interface ChildResult {
  rows: number;
  ms: number;
  maxRssMb: number;
  /** This process's CPU time (user and system) per row during the pass, µs. */
  cpuUs: number;
  /** Dry run only: rows found valid, rows dead-lettered, the CLI's exit code. */
  valid?: number;
  deadLettered?: number;
  exitCode?: number;
}

async function dryRun(
  input: string,
  mapping: string,
  program: Bin = "import-profiles",
): Promise<ChildResult> {
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
    program,
  );
  const ms = performance.now() - started;
  const report = JSON.parse(readFileSync(reportPath, "utf8")) as Report;
  rmSync(reportPath, { force: true });
  rmSync(deadLetter, { force: true });
  return {
    rows: report.rows,
    ms: Math.round(ms),
    maxRssMb: maxRssMb(),
    cpuUs: 0,
    valid: report.accepted,
    deadLettered: report.deadLettered,
    exitCode,
  };
}

async function csvParse(input: string): Promise<ChildResult> {
  const started = performance.now();
  let rows = 0;
  for await (const _record of createReadStream(input).pipe(parse({ columns: true }))) rows++;
  return { rows, ms: Math.round(performance.now() - started), maxRssMb: maxRssMb(), cpuUs: 0 };
}

/** Bare csv-parse over a headerless TSV of 8 columns, named as a mapping would name them. */
async function tsvParse(input: string): Promise<ChildResult> {
  const started = performance.now();
  const columns = Array.from({ length: 8 }, (_, i) => `c${i}`);
  let rows = 0;
  for await (const _record of createReadStream(input).pipe(parse({ delimiter: "\t", columns }))) {
    rows++;
  }
  return { rows, ms: Math.round(performance.now() - started), maxRssMb: maxRssMb(), cpuUs: 0 };
}

/** The least an NDJSON reader does: split the text into lines and JSON.parse each. */
async function jsonLines(input: string): Promise<ChildResult> {
  const started = performance.now();
  let rows = 0;
  let rest = "";
  for await (const chunk of createReadStream(input, { encoding: "utf8" })) {
    const text = rest + (chunk as string);
    let start = 0;
    for (let end = text.indexOf("\n"); end !== -1; end = text.indexOf("\n", start)) {
      if (end > start && JSON.parse(text.slice(start, end)) !== null) rows++;
      start = end + 1;
    }
    rest = text.slice(start);
  }
  if (rest.trim() !== "" && JSON.parse(rest) !== null) rows++;
  return { rows, ms: Math.round(performance.now() - started), maxRssMb: maxRssMb(), cpuUs: 0 };
}

/** `resourceUsage().maxRSS` is in KB. */
function maxRssMb(): number {
  return Number((process.resourceUsage().maxRSS / 1024).toFixed(1));
}

setProcessSettings(); // as the bins do
const [mode, input, mapping] = process.argv.slice(2);
if (input === undefined || (mode?.endsWith("dry-run") === true && mapping === undefined)) {
  process.stderr.write("usage: dry-run-child.js dry-run INPUT MAPPING | csv-parse INPUT\n");
  process.exit(2);
}
const cpu = process.cpuUsage();
let result: ChildResult;
if (mode === "dry-run") result = await dryRun(input, mapping as string);
else if (mode === "events-dry-run") {
  result = await dryRun(input, mapping as string, "import-events");
} else if (mode === "csv-parse") result = await csvParse(input);
else if (mode === "tsv-parse") result = await tsvParse(input);
else if (mode === "json-lines") result = await jsonLines(input);
else {
  process.stderr.write(`unknown mode ${mode}\n`);
  process.exit(2);
}
const { user, system } = process.cpuUsage(cpu);
result.cpuUs = Number(((user + system) / Math.max(result.rows, 1)).toFixed(2));
process.stdout.write(`${JSON.stringify(result)}\n`);
