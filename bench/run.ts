/**
 * Runs every benchmark in order, prints a table (each figure with its target and PASS/MISS) and
 * writes bench/out/results.json.
 *
 *   npm run bench                                   # everything, full sizes (~4–5 min on 2 cores)
 *   node dist/bench/run.js --quick                  # smaller sizes (100k rows) for a fast check
 *   node dist/bench/run.js --only dry-run,overhead  # a subset
 *
 * Sections: emulator, source, workbook, dry-run, dumps, overhead, pacing, adaptation, breaker,
 * diff, resume, events, expressions, grouping, events-state. Beside each ratio to a bare loop, the CPU time
 * per row or event of the importer and of the loop (issue 20): on a loaded machine the CPU ratio
 * holds where rows/s do not.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { setProcessSettings } from "../src/cli/process-settings.js";
import { benchBreakerSpent, benchBreakerTuning, rateRuleTrips } from "./breaker.js";
import { runChildJson } from "./child.js";
import { benchAdaptation, benchOverhead, benchPacing } from "./delivery.js";
import { benchDryRun, benchFiles } from "./dry-run.js";
import type { ChildResult } from "./dry-run-child.js";
import { benchDumps } from "./dumps.js";
import { benchEmulator } from "./emulator.js";
import { benchEventState } from "./event-state.js";
import {
  benchBatching,
  benchEventPacing,
  benchEventThroughput,
  EVENTS_MAPPING,
  writeEvents,
} from "./events.js";
import { benchExpressions } from "./expressions.js";
import { benchGrouping } from "./grouping.js";
import { benchSource } from "./source.js";
import { benchDiff, benchResume } from "./state.js";
import { benchWorkbook } from "./workbook.js";

interface Check {
  readonly figure: string;
  readonly value: string;
  readonly target: string;
  /** null: reported, no target. */
  readonly pass: boolean | null;
}

interface SectionOutcome {
  readonly checks: Check[];
  readonly result: unknown;
}

interface Section {
  readonly name: string;
  run(): Promise<SectionOutcome>;
}

// The V8 settings of the bins (process-settings.ts), as the bench's children set them too (the
// dry-run and grouping children; diff and resume run the bin itself): the sections that run the
// importer in this process (overhead, pacing, adaptation, breaker, events, events-state) measure
// it as a user's process runs it, and their bare loops beside it in the same settings. Without
// them, V8's allocation-site pretenuring made an events delivery's literals old-born in some
// processes and not others (7-8 full collections a three-pass process instead of 2-3), and
// TurboFan compiled undici's WebAssembly parser during the first delivery (bench/README.md,
// issue 20's thirteenth pass).
setProcessSettings();

const { values } = parseArgs({
  options: { only: { type: "string" }, quick: { type: "boolean", default: false } },
});
const quick = values.quick === true;
const sizes = quick ? { small: 10_000, large: 100_000 } : { small: 100_000, large: 1_000_000 };

const n = (value: number) => value.toLocaleString("en-US");
const info = (figure: string, value: string): Check => ({ figure, value, target: "", pass: null });
/** Each round's ratio, in the order they ran, beside a figure taken as the medians of rounds. */
const roundsInfo = (figure: string, rounds: readonly number[], digits = 3): Check =>
  info(figure, rounds.map((x) => x.toFixed(digits)).join(", "));
/**
 * CPU per unit of the importer and of its yardstick, and their ratio (yardstick ÷ importer): the
 * speed ratio where the CPU is the limit, which a loaded machine sways less than rows/s.
 */
const cpuPair = (importer: number, yardstick: number) =>
  `${importer} / ${yardstick}: ${(yardstick / importer).toFixed(3)}`;

/** The highest rate any delivery bench asks of the emulator (adaptation: told 2000/s). */
const EMULATOR_MIN_RPS = 2_000;

const SECTIONS: readonly Section[] = [
  {
    name: "emulator",
    async run() {
      const r = await benchEmulator({ mode: "child", requests: quick ? 5_000 : 20_000 });
      return {
        result: r,
        checks: [
          {
            figure: "req/s (child process, 64 concurrent)",
            value: n(r.requestsPerSecond),
            target: `≥ ${n(EMULATOR_MIN_RPS)} (highest rate a bench asks for)`,
            pass: r.requestsPerSecond >= EMULATOR_MIN_RPS && r.errors === 0,
          },
          info("requests / errors", `${n(r.requests)} / ${n(r.errors)}`),
        ],
      };
    },
  },
  {
    name: "source",
    async run() {
      const files = await benchFiles(sizes.large);
      const r = await benchSource(files.csv);
      return {
        result: r,
        checks: [
          info(`readSourceBatches rows/s (${n(sizes.large)} rows)`, n(r.readSource.rowsPerSecond)),
          info("bare csv-parse rows/s (same process)", n(r.csvParse.rowsPerSecond)),
          { figure: "ratio", value: r.ratio.toFixed(2), target: "≥ 1", pass: r.ratio >= 1 },
        ],
      };
    },
  },
  {
    name: "workbook",
    async run() {
      const r = await benchWorkbook(sizes.small, sizes.large);
      const checks: Check[] = [];
      for (const size of r.sizes) {
        const label = `${n(size.rows)} rows (.xlsx ${size.xlsxMb} MB, .csv ${size.csvMb} MB)`;
        const last = size.rows === sizes.large;
        checks.push(
          info(`${label}: xlsx rows/s`, n(size.xlsx.rowsPerSecond)),
          info(`${label}: csv rows/s`, n(size.csv.rowsPerSecond)),
          {
            figure: `${label}: xlsx ÷ csv rows/s`,
            value: size.ratio.toFixed(3),
            target: last ? "≥ 0.3" : "",
            pass: last ? size.ratio >= 0.3 : null,
          },
          info(`${label}: peak RSS xlsx / csv`, `${size.xlsx.maxRssMb} / ${size.csv.maxRssMb} MB`),
          info(`${label}: CPU µs a row xlsx / csv`, `${size.xlsx.cpuUs} / ${size.csv.cpuUs}`),
        );
      }
      checks.push(
        info(
          `xlsx peak RSS ${n(sizes.large)} ÷ ${n(sizes.small)} rows (shared strings grow with distinct texts)`,
          r.rssGrowth.toFixed(2),
        ),
      );
      return { result: r, checks };
    },
  },
  {
    name: "dry-run",
    async run() {
      const r = await benchDryRun([sizes.small, sizes.large]);
      const checks: Check[] = [];
      for (const size of r.sizes) {
        const label = `${n(size.rows)} rows (${size.fileMb} MB)`;
        const last = size.rows === sizes.large;
        checks.push(
          info(`${label}: dry run rows/s`, n(size.dryRun.rowsPerSecond)),
          info(`${label}: bare csv-parse rows/s`, n(size.csvParse.rowsPerSecond)),
          {
            figure: `${label}: ratio`,
            value: size.ratio.toFixed(3),
            target: last ? `≥ ${r.targets.minRatio}` : "",
            pass: last ? size.ratio >= r.targets.minRatio : null,
          },
          info(
            `${label}: CPU per row, dry run / csv-parse (µs)`,
            cpuPair(size.dryRun.cpuUs, size.csvParse.cpuUs),
          ),
          info(`${label}: dry run with format rows/s`, n(size.withFormat.rowsPerSecond)),
          {
            figure: `${label}: ratio with format "yyyy-MM-dd HH:mm"`,
            value: size.formatRatio.toFixed(3),
            target: last ? `≥ ${r.targets.minFormatRatio}` : "",
            pass: last ? size.formatRatio >= r.targets.minFormatRatio : null,
          },
          info(
            `${label}: CPU per row with format / csv-parse (µs)`,
            cpuPair(size.withFormat.cpuUs, size.csvParse.cpuUs),
          ),
          {
            figure: `${label}: dry run peak RSS`,
            value: `${size.dryRun.maxRssMb} MB`,
            target: `< ${r.targets.maxRssMb} MB`,
            pass: size.dryRun.maxRssMb < r.targets.maxRssMb,
          },
          info(`${label}: csv-parse peak RSS`, `${size.csvParse.maxRssMb} MB`),
          info(
            `${label}: valid / dead-lettered`,
            `${n(size.dryRun.valid)} / ${n(size.dryRun.deadLettered)}`,
          ),
        );
      }
      checks.push({
        figure: `peak RSS ${n(sizes.large)} ÷ ${n(sizes.small)} rows`,
        value: r.rssGrowth.toFixed(2),
        target: "≤ 1.2 (the same for both sizes)",
        pass: r.rssGrowth <= 1.2,
      });
      return { result: r, checks };
    },
  },
  {
    name: "dumps",
    async run() {
      const r = await benchDumps(sizes.large);
      const checks: Check[] = [];
      for (const [label, b, baseline] of [
        ["MySQL TSV dump, dialect: mysql + empty_values", r.mysql, "bare csv-parse"],
        ["NDJSON, a 64-bit id on every line (lossless)", r.ndjson, "bare JSON.parse line loop"],
      ] as const) {
        checks.push(
          info(
            `${label} (${n(b.rows)} rows, ${b.fileMb} MB): dry run rows/s`,
            n(b.dryRun.rowsPerSecond),
          ),
          info(`${baseline} rows/s (same file, same bench run)`, n(b.baseline.rowsPerSecond)),
          {
            figure: `ratio to ${baseline}`,
            value: b.ratio.toFixed(3),
            target: "≥ 0.5",
            pass: b.ratio >= 0.5,
          },
          info(
            `CPU per row, dry run / ${baseline} (µs)`,
            cpuPair(b.dryRun.cpuUs, b.baseline.cpuUs),
          ),
          {
            figure: "dry run peak RSS",
            value: `${b.dryRun.maxRssMb} MB`,
            target: "< 150 MB",
            pass: b.dryRun.maxRssMb < 150,
          },
          info("valid / dead-lettered", `${n(b.dryRun.valid)} / ${n(b.dryRun.deadLettered)}`),
        );
      }
      return { result: r, checks };
    },
  },
  {
    name: "overhead",
    async run() {
      const r = await benchOverhead(quick ? 5_000 : 20_000);
      return {
        result: r,
        checks: [
          info(`importer req/s (${n(r.rows)} rows, no limit; median of 3)`, n(r.importerPerSecond)),
          info("bare undici loop req/s (median of 3)", n(r.barePerSecond)),
          roundsInfo("each round's importer ÷ its bare loop", r.rounds),
          {
            figure: "ratio (medians)",
            value: r.ratio.toFixed(3),
            target: "≥ 0.8",
            pass: r.ratio >= 0.8,
          },
          info("CPU per request, importer / bare loop (µs)", cpuPair(r.importerCpuUs, r.bareCpuUs)),
        ],
      };
    },
  },
  {
    name: "pacing",
    async run() {
      const windows = quick ? 10 : 12;
      const hyphen = await benchPacing(200, windows, "hyphen");
      const nohyphen = await benchPacing(200, windows, "nohyphen");
      const checks: Check[] = [];
      for (const [label, r] of [
        ["X-Rate-Limit-*, reset in s", hyphen],
        ["x-ratelimit-*, reset in ms", nohyphen],
      ] as const) {
        checks.push(
          info(
            `${label}: achieved rate (limit ${r.limit}/s, ${r.windows} s)`,
            `${r.achievedPerSecond}/s, ${n(r.accepted)} accepted`,
          ),
          {
            figure: `${label}: efficiency`,
            value: r.efficiency.toFixed(3),
            target: "≥ 0.97",
            pass: r.efficiency >= 0.97,
          },
          {
            figure: `${label}: over-limit answers`,
            value: n(r.overLimitAnswers),
            target: "0",
            pass: r.overLimitAnswers === 0,
          },
        );
      }
      return { result: { hyphen, nohyphen }, checks };
    },
  },
  {
    name: "adaptation",
    async run() {
      const r = await benchAdaptation(quick ? 1_500 : 3_000);
      return {
        result: r,
        checks: [
          {
            figure: "accepted (told 2000/s, allowed 300/s)",
            value: `${n(r.accepted)} of ${n(r.rows)}`,
            target: "all",
            pass: r.accepted === r.rows,
          },
          {
            figure: "over-limit share of requests",
            value: `${(r.overLimitShare * 100).toFixed(2)}% (${n(r.overLimitAnswers)} of ${n(r.requests)})`,
            target: "≤ 10%",
            pass: r.overLimitShare <= 0.1,
          },
          info("duration", `${(r.durationMs / 1000).toFixed(1)} s`),
        ],
      };
    },
  },
  {
    name: "breaker",
    async run() {
      const spent = await benchBreakerSpent(5_000);
      const tuning = benchBreakerTuning(quick ? 200_000 : 1_000_000);
      const checks: Check[] = [
        {
          figure: `requests before the stop, all-40001 file of ${n(spent.rows)} rows (32 in flight, incl. diagnosis)`,
          value: n(spent.requests),
          target: "≤ 64",
          pass: spent.requests <= 64,
        },
        {
          figure: "the refused property named",
          value: spent.named ? "vip_level" : "no",
          target: "vip_level",
          pass: spent.named,
        },
      ];
      for (const t of tuning) {
        checks.push(
          info(
            `streak ${t.streak}: false trips per 1M rows at 30% / 45% refused; answers to trip`,
            `${t.falseTrips30} / ${t.falseTrips45}; ${t.allRefusedAnswers}`,
          ),
        );
      }
      const size = quick ? 200_000 : 1_000_000;
      const rate = { at30: rateRuleTrips(0.3, size), at45: rateRuleTrips(0.45, size) };
      checks.push(
        info(
          "error rate > 0.5 over 200 rows: false trips per 1M rows at 30% / 45% refused",
          `${rate.at30} / ${rate.at45}`,
        ),
      );
      return { result: { spent, tuning, rate }, checks };
    },
  },
  {
    name: "diff",
    async run() {
      const r = await benchDiff(sizes.large);
      return {
        result: r,
        checks: [
          info(
            `first run with --state (${n(r.rows)} rows, all sent)`,
            `${n(r.firstRun.rowsPerSecond)} rows/s, ${r.firstRun.cpuUs} µs CPU a row`,
          ),
          info(
            "nightly run, 1% changed (median of 3)",
            `${n(r.nightly.rowsPerSecond)} rows/s (${(r.nightly.ms / 1000).toFixed(2)} s)`,
          ),
          info(
            "dry run of the nightly file (median of 3)",
            `${n(r.dryRun.rowsPerSecond)} rows/s (${(r.dryRun.ms / 1000).toFixed(2)} s)`,
          ),
          roundsInfo("each round's nightly ÷ dry run", r.rounds),
          {
            figure: "nightly ÷ dry run of the same file (medians)",
            value: r.ratio.toFixed(3),
            target: "≥ 0.7",
            pass: r.ratio >= 0.7,
          },
          info("CPU per row, nightly / dry run (µs)", cpuPair(r.nightly.cpuUs, r.dryRun.cpuUs)),
          {
            figure: "requests sent by each nightly run",
            value: r.requests.map(n).join(", "),
            target: `exactly the ${n(r.changed)} changed rows`,
            pass: r.requests.every((sent) => sent === r.changed),
          },
        ],
      };
    },
  },
  {
    name: "resume",
    async run() {
      const r = await benchResume(quick ? 5_000 : 20_000);
      return {
        result: r,
        checks: [
          info("accepted before kill -9", `${n(r.acceptedBeforeKill)} of ${n(r.rows)}`),
          {
            figure: "rows sent twice after --resume",
            value: n(r.sentTwice),
            target: `≤ ${r.concurrency} (the in-flight bound)`,
            pass: r.sentTwice <= r.concurrency && r.resumedExit === 0,
          },
        ],
      };
    },
  },
  {
    name: "events",
    async run() {
      const events = quick ? 100_000 : 1_000_000;
      const users = events / 10;
      const sortedFile = writeEvents(events, users, true);
      const interleavedFile = writeEvents(events, users, false);
      const sorted = await benchBatching(sortedFile);
      const interleaved = await benchBatching(interleavedFile);
      const mapping = join(dirname(interleavedFile), "events.yaml");
      writeFileSync(mapping, EVENTS_MAPPING);
      const child = fileURLToPath(new URL("./dry-run-child.js", import.meta.url));
      const memory = await runChildJson<ChildResult>(child, [
        "events-dry-run",
        interleavedFile,
        mapping,
      ]);
      // 100 events a user: full batches, the best case the API allows.
      const deliveredEvents = quick ? 100_000 : 300_000;
      const throughput = await benchEventThroughput(
        writeEvents(deliveredEvents, deliveredEvents / 100, true),
      );
      const pacing = await benchEventPacing(200, quick ? 6 : 12);
      return {
        result: { sorted, interleaved, memory, throughput, pacing },
        checks: [
          info(
            `events/request, user-sorted (${n(events)} events, ${n(users)} users)`,
            String(sorted.eventsPerRequest),
          ),
          info("events/request, time-ordered interleaved", String(interleaved.eventsPerRequest)),
          {
            figure: `events/s to an unlimited emulator (${n(throughput.events)} events, 64 in flight; median of 3)`,
            value: n(throughput.eventsPerSecond),
            target: "≥ 100,000",
            pass: throughput.eventsPerSecond >= 100_000 && throughput.allAccepted,
          },
          info(
            "bare undici loop events/s (the same bodies, built before; median of 3)",
            n(throughput.bare.eventsPerSecond),
          ),
          roundsInfo("each round's events/s ÷ its bare loop", throughput.rounds),
          {
            figure: "events/s ÷ the bare loop (medians)",
            value: throughput.ratio.toFixed(3),
            target: "≥ 0.7",
            pass: throughput.ratio >= 0.7,
          },
          info(
            "CPU per event, importer / bare loop (µs)",
            cpuPair(throughput.cpuUs, throughput.bare.cpuUs),
          ),
          {
            figure: `pacing at ${pacing.limit} requests/s (events endpoint, 1 event each)`,
            value: `${pacing.efficiency} of the limit, ${pacing.overLimitAnswers} over-limit`,
            target: "≥ 0.97, 0",
            pass: pacing.efficiency >= 0.97 && pacing.overLimitAnswers === 0,
          },
          {
            figure: "dry-run peak RSS, interleaved file",
            value: `${memory.maxRssMb} MB`,
            target: "< 200 MB",
            pass: memory.maxRssMb < 200,
          },
        ],
      };
    },
  },
  {
    name: "expressions",
    async run() {
      const r = await benchExpressions(quick ? 100_000 : 1_000_000);
      return {
        result: r,
        checks: [
          info(
            `events per CPU s, GA4 mapping (6 key lookups, epoch_us, a where; ${n(r.events)} events)`,
            n(r.ga4PerSecond),
          ),
          info("events per CPU s, the same file with plain paths only", n(r.plainPerSecond)),
          info("the same ratio in wall time (meaningful on an idle machine)", String(r.wallRatio)),
          {
            figure: "GA4 mapping ÷ plain paths (CPU time of dry runs, best of 2 each)",
            value: String(r.ratio),
            target: "≥ 0.7",
            pass: r.ratio >= 0.7 && r.valid.ga4 === r.events && r.valid.plain === r.events,
          },
        ],
      };
    },
  },
  {
    name: "grouping",
    async run() {
      const events = quick ? 100_000 : 1_000_000;
      const users = events / 10;
      const r = await benchGrouping(events, users);
      const { sorted, grouped } = r;
      const perRequest = (p: typeof sorted) => (p.accepted / p.requests).toFixed(2);
      return {
        result: r,
        checks: [
          info(
            `user-sorted file (${n(events)} events, ${n(users)} users): events/request, time, peak RSS`,
            `${perRequest(sorted)}, ${(sorted.ms / 1000).toFixed(1)} s, ${sorted.maxRssMb} MB (median of 3)`,
          ),
          {
            figure: "time-ordered interleaved, --group-by-identity: events/request ratio to sorted",
            value: `${r.perRequestRatio} (${perRequest(grouped)})`,
            target: "≥ 0.95",
            pass: r.perRequestRatio >= 0.95 && r.allAccepted,
          },
          roundsInfo("each round's grouped ÷ sorted time", r.rounds, 2),
          {
            figure: "the same: total time ratio to sorted (medians)",
            value: `${r.timeRatio} (${(grouped.ms / 1000).toFixed(1)} s)`,
            target: "≤ 2",
            pass: r.timeRatio <= 2,
          },
          {
            figure: "the same: peak RSS (the highest of 3)",
            value: `${r.groupedMaxRssMb} MB`,
            target: "< 200 MB",
            pass: r.groupedMaxRssMb < 200,
          },
        ],
      };
    },
  },
  {
    name: "events-state",
    async run() {
      // 10 events a user, user-sorted: a commit per request of 10 events and their rows.
      const events = quick ? 50_000 : 200_000;
      const r = await benchEventState(writeEvents(events, events / 10, true), 3);
      return {
        result: r,
        checks: [
          info(`events/s without --state (${n(r.events)} events, 10 a request)`, n(r.withoutState)),
          info("events/s with --state (a fresh state file)", n(r.withState)),
          info("with / without --state (same process, best of 3 each)", String(r.ratio)),
          info(
            "importer CPU per event without / with --state (µs)",
            `${r.cpuUsWithout} / ${r.cpuUsWith}: ${r.cpuRatio}`,
          ),
          {
            figure: "every event known (an overlapping night): rows/s, events sent",
            value: `${n(r.allKnown)}, ${n(r.allKnownSent)}`,
            target: "0 sent",
            pass: r.allKnownSent === 0,
          },
          info("state file bytes per event remembered", String(r.stateBytesPerEvent)),
        ],
      };
    },
  },
];

const only = values.only?.split(",").map((s) => s.trim());
const unknown = only?.filter((name) => !SECTIONS.some((s) => s.name === name)) ?? [];
if (unknown.length > 0) {
  console.error(
    `unknown section(s): ${unknown.join(", ")}; known: ${SECTIONS.map((s) => s.name).join(", ")}`,
  );
  process.exit(2);
}
const selected = SECTIONS.filter((s) => only === undefined || only.includes(s.name));

const mark = (pass: boolean | null) => (pass === null ? "" : pass ? "PASS" : "MISS");

function printSection(name: string, seconds: number, checks: readonly Check[]): void {
  const width = Math.max(...checks.map((c) => c.figure.length), 10);
  const valueWidth = Math.max(...checks.map((c) => c.value.length), 5);
  console.log(`\n== ${name} (${seconds.toFixed(1)} s)`);
  for (const c of checks) {
    const target = c.target === "" ? "" : `target ${c.target}`;
    console.log(
      `  ${c.figure.padEnd(width)}  ${c.value.padStart(valueWidth)}  ${mark(c.pass).padEnd(4)}  ${target}`.trimEnd(),
    );
  }
}

const startedAt = new Date();
console.log(
  `dfinery-import benchmarks — ${quick ? "quick" : "full"}; node ${process.version}; ` +
    `${availableParallelism()} cores; sections: ${selected.map((s) => s.name).join(", ")}`,
);
const results: Record<string, unknown> = {};
const summary: { section: string; pass: boolean }[] = [];
for (const section of selected) {
  const started = performance.now();
  let outcome: SectionOutcome;
  try {
    outcome = await section.run();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    outcome = {
      result: { error: message },
      checks: [{ figure: "error", value: message, target: "runs", pass: false }],
    };
  }
  const seconds = (performance.now() - started) / 1000;
  printSection(section.name, seconds, outcome.checks);
  const pass = outcome.checks.every((c) => c.pass !== false);
  summary.push({ section: section.name, pass });
  results[section.name] = {
    seconds: Number(seconds.toFixed(1)),
    pass,
    checks: outcome.checks,
    result: outcome.result,
  };
}

console.log("\n== summary");
for (const s of summary) console.log(`  ${s.section.padEnd(12)} ${mark(s.pass)}`);

const outDir = fileURLToPath(
  new URL(import.meta.url.endsWith(".ts") ? "./out/" : "../../bench/out/", import.meta.url),
);
mkdirSync(outDir, { recursive: true });
const outFile = `${outDir}results.json`;
writeFileSync(
  outFile,
  `${JSON.stringify(
    {
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      mode: quick ? "quick" : "full",
      node: process.version,
      cores: availableParallelism(),
      sections: results,
    },
    null,
    2,
  )}\n`,
);
console.log(`\nwrote ${outFile}`);
