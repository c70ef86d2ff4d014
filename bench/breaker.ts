/**
 * Circuit-breaker benchmarks (issue: the first real night).
 *  - spent: an all-40001 file (a property not registered in the console) of 5,000 rows, the real
 *    Run against the emulator in its own process with 20 ms latency, 32 in flight: requests
 *    spent before the run stops, diagnosis included (target ≤ 64), and the property named;
 *  - tuning: the pure Breaker fed 1,000,000 row outcomes with 40001 refusals at random (one bad
 *    column: the same code every time), for several streak lengths: false trips per million rows at
 *    30% and 45% refused, and the answers an all-refused file costs before the streak rule trips.
 *    The default streak (20) is the shortest with no false trip at 45% refused in a million rows,
 *    and leaves room under the 64-request budget for 32 in flight and the diagnosis; the 50% rate
 *    over 200 rows catches a file whose failures are spread over several codes.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Breaker, DEFAULT_BREAKER } from "../src/delivery/breaker.js";
import { parseMapping } from "../src/mapping/load.js";
import { PROFILES } from "../src/run/kinds/index.js";
import { Run } from "../src/run/run.js";
import { startEmulatorChild } from "./child.js";
import { seededRandom } from "./seeded-random.js";

const TOKEN = "bench-token";
const SERVICE = "bench-service";
const MAPPING = `identity:
  external_id: id
properties:
  df_name: name
  tier: tier
  points: { column: points, type: Long }
  city: city
  vip_level: { column: vip, type: Long }
`;

export interface BreakerSpentResult {
  readonly rows: number;
  readonly requests: number;
  readonly deadLettered: number;
  readonly named: boolean;
  readonly message: string;
}

export async function benchBreakerSpent(rows = 5_000): Promise<BreakerSpentResult> {
  const dir = mkdtempSync(join(tmpdir(), "bench-breaker-"));
  const input = join(dir, "users.csv");
  const lines = ["id,name,tier,points,city,vip"];
  for (let i = 0; i < rows; i++) lines.push(`u${i},User ${i},gold,${i},Seoul,${i % 5}`);
  writeFileSync(input, `${lines.join("\n")}\n`);
  const catalog = join(dir, "catalog.json");
  writeFileSync(catalog, JSON.stringify({ tier: "String", points: "Long", city: "String" }));
  const emulator = await startEmulatorChild([
    ...["--limit", "none", "--token", TOKEN, "--service-id", SERVICE],
    ...["--catalog", catalog, "--latency-ms", "20"],
  ]);
  let stopped = "";
  try {
    const report = await new Run(PROFILES, {
      input,
      format: "csv",
      mapping: parseMapping(MAPPING, "bench.yaml"),
      deadLetterPath: join(dir, "dl.ndjson"),
      delivery: {
        endpoint: emulator.url,
        serviceId: SERVICE,
        accessToken: TOKEN,
        rate: { count: 2_000, windowMs: 1_000 },
        concurrency: 32,
        maxAttempts: 6,
      },
    }).execute();
    stopped = await emulator.close();
    const requests = Number(/stopped after (\d+) requests/.exec(stopped)?.[1] ?? Number.NaN);
    const message = report.stoppedBy?.message ?? "";
    return {
      rows,
      requests,
      deadLettered: report.deadLettered,
      named: message.includes('refuses property "vip_level"'),
      message,
    };
  } finally {
    if (stopped === "") await emulator.close();
  }
}

export interface TuningRow {
  readonly streak: number;
  /** Trips per 1,000,000 rows with 30% / 45% of rows refused at random. */
  readonly falseTrips30: number;
  readonly falseTrips45: number;
  /** Answers an all-refused file costs before the breaker trips. */
  readonly allRefusedAnswers: number;
}

function trips(streak: number, share: number, rows: number, maxErrorRate = 0.999): number {
  const random = seededRandom(11);
  const options = { ...DEFAULT_BREAKER, sameCodeInARow: streak, maxErrorRate };
  let breaker = new Breaker(options);
  let count = 0;
  for (let i = 0; i < rows; i++) {
    if (random() >= share) breaker.accepted();
    else if (breaker.refused("40001") !== undefined) {
      count++;
      breaker = new Breaker(options); // a fresh run from here, to count every trip
    }
  }
  return count;
}

/** Trips per 1,000,000 rows of the default error-rate rule alone (no streak rule) at `share` refused. */
export function rateRuleTrips(share: number, rows = 1_000_000): number {
  const count = trips(Number.POSITIVE_INFINITY, share, rows, DEFAULT_BREAKER.maxErrorRate);
  return Math.round((count * 1_000_000) / rows);
}

export function benchBreakerTuning(rows = 1_000_000): TuningRow[] {
  return [10, 15, 20, 30].map((streak) => {
    const breaker = new Breaker({ ...DEFAULT_BREAKER, sameCodeInARow: streak });
    let answers = 0;
    while (breaker.refused("40001") === undefined) answers++;
    return {
      streak,
      falseTrips30: Math.round((trips(streak, 0.3, rows) * 1_000_000) / rows),
      falseTrips45: Math.round((trips(streak, 0.45, rows) * 1_000_000) / rows),
      allRefusedAnswers: answers + 1,
    };
  });
}
