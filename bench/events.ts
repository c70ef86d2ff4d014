/**
 * Event benchmarks (import-events). The importer is the real Run (source → mapping → batcher
 * → pacer → client) in this process; the emulator runs as its own process.
 *  - batching: events per request for a user-sorted and a time-ordered interleaved file of the
 *    same events (a dry run counts the requests it would send);
 *  - throughput: events/s delivered to an emulator without limits (target ≥ 100,000);
 *  - pacing: emulator limited to L requests per 1 s window on the events endpoint, importer told
 *    L: achieved requests/s / L (target ≥ 0.97) and over-limit answers (target 0);
 *  - memory: peak RSS of a dry run of the interleaved file in a fresh process (target < 200 MB).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseMapping } from "../src/mapping/load.js";
import type { EventRules, Mapping } from "../src/mapping/types.js";
import type { RunDeps } from "../src/run/config.js";
import { EVENTS } from "../src/run/kinds/index.js";
import { Run } from "../src/run/run.js";
import { startEmulatorChild } from "./child.js";

const TOKEN = "bench-token";
const SERVICE = "bench-service";
export const EVENTS_MAPPING = `
source: { format: ndjson }
identity: { external_id: user }
event:
  name: { value: df_purchase }
  datetime: { column: at, format: epoch_ms }
properties:
  df_order_id: order
  df_total_purchase_amount: { column: total, type: Double }
`;
const T0 = Date.UTC(2024, 0, 1);

/**
 * `events` events of `users` users, written user by user (`sorted`) or in time order with the
 * users interleaved (event i is user i % users), as a nightly export writes them.
 */
export function writeEvents(events: number, users: number, sorted: boolean): string {
  const dir = mkdtempSync(join(tmpdir(), "bench-events-"));
  const file = join(dir, sorted ? "sorted.ndjson" : "interleaved.ndjson");
  const perUser = Math.ceil(events / users);
  const chunks: string[] = [];
  for (let i = 0; i < events; i++) {
    const user = sorted ? Math.floor(i / perUser) : i % users;
    const at = T0 + i * 1_000;
    chunks.push(`{"user":"u${user}","at":${at},"order":"o${i}","total":${1000 + (i % 977)}}\n`);
  }
  writeFileSync(file, chunks.join(""));
  return file;
}

function eventMapping(): Mapping & { event: EventRules } {
  return parseMapping(EVENTS_MAPPING, "bench.yaml") as Mapping & { event: EventRules };
}

export interface BatchingResult {
  events: number;
  requests: number;
  eventsPerRequest: number;
  eventsPerSecond: number;
}

/** A dry run: how many requests the file's events would take. */
export async function benchBatching(input: string): Promise<BatchingResult> {
  const run = new Run(EVENTS, {
    input,
    format: "ndjson",
    mapping: eventMapping(),
    deadLetterPath: `${input}.dead-letter.ndjson`,
    batchWaitMs: 250,
  });
  const report = await run.execute();
  rmSync(`${input}.dead-letter.ndjson`, { force: true });
  return {
    events: report.accepted,
    requests: run.batches,
    eventsPerRequest: Number((report.accepted / run.batches).toFixed(2)),
    eventsPerSecond: Math.round(report.accepted / (report.durationMs / 1000)),
  };
}

export interface DeliveryResult {
  events: number;
  accepted: number;
  requests: number;
  durationMs: number;
  eventsPerSecond: number;
  requestsPerSecond: number;
  overLimitAnswers: number;
}

/** Delivers `input` to the emulator at `url` with a real Run (`deps`: its state, for one). */
export async function deliver(
  input: string,
  url: string,
  rate: { count: number; windowMs: number },
  concurrency: number,
  deps: Partial<RunDeps> = {},
): Promise<DeliveryResult> {
  const run = new Run(
    EVENTS,
    {
      input,
      format: "ndjson",
      mapping: eventMapping(),
      deadLetterPath: `${input}.dead-letter.ndjson`,
      batchWaitMs: 250,
      delivery: {
        endpoint: url,
        serviceId: SERVICE,
        accessToken: TOKEN,
        rate,
        concurrency,
        maxAttempts: 6,
      },
    },
    deps,
  );
  const report = await run.execute();
  rmSync(`${input}.dead-letter.ndjson`, { force: true });
  const seconds = report.durationMs / 1000;
  return {
    events: report.rows,
    accepted: report.accepted,
    requests: run.batches,
    durationMs: report.durationMs,
    eventsPerSecond: Math.round(report.accepted / seconds),
    requestsPerSecond: Number((run.batches / seconds).toFixed(1)),
    overLimitAnswers: report.rateLimited,
  };
}

/** Events/s to an emulator with no limit (user-sorted file: full batches). */
export async function benchEventThroughput(
  input: string,
  concurrency = 64,
): Promise<DeliveryResult> {
  const emulator = await startEmulatorChild([
    ...["--limit", "none", "--event-limit", "none", "--token", TOKEN, "--service-id", SERVICE],
  ]);
  try {
    return await deliver(
      input,
      emulator.url,
      { count: 1_000_000_000, windowMs: 60_000 },
      concurrency,
    );
  } finally {
    await emulator.close();
  }
}

export interface EventPacingResult extends DeliveryResult {
  limit: number;
  efficiency: number;
}

/** Requests/s at a limit of `limit` per second on the events endpoint, one event per request. */
export async function benchEventPacing(limit = 200, windows = 12): Promise<EventPacingResult> {
  // Every user has one event: one request each, so requests are what is paced.
  const input = writeEvents(limit * windows, limit * windows, false);
  const emulator = await startEmulatorChild([
    ...["--event-limit", `${limit}/s`, "--token", TOKEN, "--service-id", SERVICE],
    ...["--latency-ms", "5", "--jitter-ms", "20"],
  ]);
  try {
    const r = await deliver(input, emulator.url, { count: limit, windowMs: 1_000 }, 64);
    return { ...r, limit, efficiency: Number((r.requestsPerSecond / limit).toFixed(3)) };
  } finally {
    await emulator.close();
  }
}
