/**
 * Delivery benchmarks (issue: paced sending). The emulator runs as its own process; the importer is
 * the real Run (source → mapping → pacer → client) in this one.
 *  - overhead: no limit, no latency: the importer's requests/s as a ratio to a bare undici loop
 *    posting the same bodies with the same concurrency (target ≥ 0.8), each warmed by 1,000
 *    requests and a pass untimed, then three timed rounds in turns (the median passes compared),
 *    and the CPU time of each per request (this process's: the emulator is another);
 *  - pacing: emulator limited to L per 1 s window, importer told L: achieved rate / L over ≥ 10
 *    windows (target ≥ 0.97) and over-limit answers (target 0), with the headers spelled both ways
 *    the API guide spells them;
 *  - adaptation: importer told 2000/s, emulator allowing 300/s with 40401 answers: every row
 *    accepted, over-limit answers ≤ 10% of requests.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PROFILE_PATH } from "../src/api/dfinery.js";
import { parseMapping } from "../src/mapping/load.js";
import { PROFILES } from "../src/run/kinds/index.js";
import { Run } from "../src/run/run.js";
import type { Report } from "../src/sinks/report.js";
import { bareLoop } from "./bare-loop.js";
import { cpuMicros, startEmulatorChild, startUnlimitedEmulatorChild } from "./child.js";
import { medianBy } from "./median.js";

const TOKEN = "bench-token";
const SERVICE = "bench-service";
const MAPPING = `
source: { format: ndjson }
identity:
  external_id: id
  email: { column: email, transform: [trim, lowercase] }
properties:
  df_name: name
  points: { column: points, type: Long }
  ltv: { column: ltv, type: Double }
  df_push_ads_optin: { column: ads, type: Boolean }
`;

function writeInput(rows: number): string {
  const dir = mkdtempSync(join(tmpdir(), "bench-delivery-"));
  const file = join(dir, "users.ndjson");
  const lines: string[] = [];
  for (let i = 0; i < rows; i++) {
    lines.push(
      JSON.stringify({
        id: `u-${i}`,
        email: `User${i}@Example.com`,
        name: `User ${i}`,
        points: i,
        ltv: i / 3,
        ads: i % 2 === 0,
      }),
    );
  }
  writeFileSync(file, `${lines.join("\n")}\n`);
  return file;
}

async function runImporter(
  input: string,
  endpoint: string,
  rate: { count: number; windowMs: number },
  concurrency: number,
): Promise<Report> {
  const run = new Run(PROFILES, {
    input,
    format: "ndjson",
    mapping: parseMapping(MAPPING, "bench.yaml"),
    deadLetterPath: `${input}.dead-letter.ndjson`,
    delivery: {
      endpoint,
      serviceId: SERVICE,
      accessToken: TOKEN,
      rate,
      concurrency,
      maxAttempts: 6,
    },
  });
  return run.execute();
}

/**
 * The same bodies the importer sends, posted by a bare loop with the same concurrency: requests/s
 * and CPU µs per request.
 */
async function bareProfiles(
  endpoint: string,
  rows: number,
  concurrency: number,
): Promise<{ perSecond: number; cpuUs: number }> {
  const path = `${PROFILE_PATH}?service_id=${SERVICE}`;
  const run = await bareLoop(endpoint, path, TOKEN, concurrency, rows, (i) =>
    JSON.stringify({
      identity: { external_id: `u-${i}`, email: `user${i}@example.com` },
      user_properties: {
        df_name: `User ${i}`,
        points: i,
        ltv: i / 3,
        df_push_ads_optin: i % 2 === 0,
      },
      request_datetime: new Date().toISOString(),
    }),
  );
  return { perSecond: rows / run.seconds, cpuUs: run.cpuMicros / rows };
}

export interface OverheadResult {
  rows: number;
  /** The importer's pass of median requests/s, and the loop's. */
  importerPerSecond: number;
  barePerSecond: number;
  /** The median passes' ratio. */
  ratio: number;
  /** Each timed round's importer ÷ its loop, in the order they ran. */
  rounds: number[];
  /** CPU time per request, µs: the importer's (reading, mapping, pacing, sending) and the loop's. */
  importerCpuUs: number;
  bareCpuUs: number;
}

/** Requests each side sends before the timed ones. */
const WARM_UP = 1_000;
/** As good as no limit: the emulator has none either. */
const UNLIMITED = { count: 1_000_000, windowMs: 1_000 };
/** Timed rounds of the loop and the importer in turn, after the untimed first. */
const OVERHEAD_ROUNDS = 3;

export async function benchOverhead(rows = 20_000, concurrency = 32): Promise<OverheadResult> {
  const input = writeInput(rows);
  const emulator = await startUnlimitedEmulatorChild(TOKEN, SERVICE);
  try {
    // Both treated alike: warmed by 1,000 requests each, then a pass of each in turns, untimed
    // (a first pass still pays for warming up: the loop's cost ~20 % more than its second, and
    // whichever goes second would find the HTTP client's code warmed by the other's pass), then
    // three timed rounds, and the median passes compared: one pair of ~2 s passes swung the ratio
    // 0.78-0.95 for one build near idle (bench/README.md).
    await bareProfiles(emulator.url, WARM_UP, concurrency);
    await runImporter(writeInput(WARM_UP), emulator.url, UNLIMITED, concurrency);
    await bareProfiles(emulator.url, rows, concurrency);
    await importerProfiles(input, emulator.url, rows, concurrency);
    const bares: { perSecond: number; cpuUs: number }[] = [];
    const importers: { perSecond: number; cpuUs: number }[] = [];
    for (let round = 0; round < OVERHEAD_ROUNDS; round++) {
      bares.push(await bareProfiles(emulator.url, rows, concurrency));
      importers.push(await importerProfiles(input, emulator.url, rows, concurrency));
    }
    const bare = medianBy(bares, (pass) => pass.perSecond);
    const importer = medianBy(importers, (pass) => pass.perSecond);
    const ratioOf = (a: number, b: number) => Number((a / b).toFixed(3));
    return {
      rows,
      importerPerSecond: Math.round(importer.perSecond),
      barePerSecond: Math.round(bare.perSecond),
      ratio: ratioOf(importer.perSecond, bare.perSecond),
      rounds: importers.map((pass, i) =>
        ratioOf(pass.perSecond, (bares[i] as { perSecond: number }).perSecond),
      ),
      importerCpuUs: Number(importer.cpuUs.toFixed(1)),
      bareCpuUs: Number(bare.cpuUs.toFixed(1)),
    };
  } finally {
    await emulator.close();
  }
}

/** The importer's pass of `rows`, unlimited: requests/s and CPU µs per request. */
async function importerProfiles(
  input: string,
  endpoint: string,
  rows: number,
  concurrency: number,
): Promise<{ perSecond: number; cpuUs: number }> {
  const cpu = process.cpuUsage();
  const report = await runImporter(input, endpoint, UNLIMITED, concurrency);
  const cpuUs = cpuMicros(cpu) / rows;
  if (report.accepted !== rows)
    throw new Error(`overhead run accepted ${report.accepted} of ${rows}`);
  return { perSecond: rows / (report.durationMs / 1000), cpuUs };
}

export interface PacingResult {
  limit: number;
  windows: number;
  accepted: number;
  achievedPerSecond: number;
  efficiency: number;
  overLimitAnswers: number;
}

/**
 * `style`: how the emulator spells its rate-limit headers: `hyphen` (X-Rate-Limit-*, reset in s, as
 * the guide's table) or `nohyphen` (x-ratelimit-*, reset in ms, as its curl examples).
 */
export async function benchPacing(
  limit = 200,
  windows = 12,
  style: "hyphen" | "nohyphen" = "hyphen",
): Promise<PacingResult> {
  const rows = limit * windows;
  const input = writeInput(rows);
  const emulator = await startEmulatorChild([
    ...["--header-style", style, "--reset-unit", style === "hyphen" ? "s" : "ms"],
    "--limit",
    `${limit}/s`,
    "--token",
    TOKEN,
    "--service-id",
    SERVICE,
    "--latency-ms",
    "5",
    "--jitter-ms",
    "20",
  ]);
  try {
    const report = await runImporter(input, emulator.url, { count: limit, windowMs: 1_000 }, 32);
    const achieved = report.accepted / (report.durationMs / 1000);
    return {
      limit,
      windows: Number((report.durationMs / 1000).toFixed(1)),
      accepted: report.accepted,
      achievedPerSecond: Number(achieved.toFixed(1)),
      efficiency: Number((achieved / limit).toFixed(3)),
      overLimitAnswers: report.rateLimited,
    };
  } finally {
    await emulator.close();
  }
}

export interface AdaptationResult {
  rows: number;
  accepted: number;
  requests: number;
  overLimitAnswers: number;
  overLimitShare: number;
  durationMs: number;
}

export async function benchAdaptation(rows = 3_000): Promise<AdaptationResult> {
  const input = writeInput(rows);
  const emulator = await startEmulatorChild([
    "--limit",
    "300/s",
    "--over-limit",
    "code40401",
    "--token",
    TOKEN,
    "--service-id",
    SERVICE,
  ]);
  try {
    const report = await runImporter(input, emulator.url, { count: 2_000, windowMs: 1_000 }, 32);
    const requests = report.accepted + report.rateLimited + report.retries + report.deadLettered;
    return {
      rows,
      accepted: report.accepted,
      requests,
      overLimitAnswers: report.rateLimited,
      overLimitShare: Number((report.rateLimited / requests).toFixed(4)),
      durationMs: report.durationMs,
    };
  } finally {
    await emulator.close();
  }
}
