/**
 * Event benchmarks (import-events). The importer is the real Run (source → mapping → batcher
 * → pacer → client) in this process; the emulator runs as its own process.
 *  - batching: events per request for a user-sorted and a time-ordered interleaved file of the
 *    same events (a dry run counts the requests it would send);
 *  - throughput: events/s delivered to an emulator without limits (target ≥ 100,000), and its
 *    ratio to a bare undici loop posting the same request bodies, built before timing, with the
 *    same concurrency (target ≥ 0.7); the CPU time per event of each; the medians of three
 *    rounds;
 *  - pacing: emulator limited to L requests per 1 s window on the events endpoint, importer told
 *    L: achieved requests/s / L (target ≥ 0.97) and over-limit answers (target 0);
 *  - memory: peak RSS of a dry run of the interleaved file in a fresh process (target < 200 MB).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EVENTS_PATH } from "../src/api/events.js";
import { parseMapping } from "../src/mapping/load.js";
import type { EventRules, Mapping } from "../src/mapping/types.js";
import type { RunDeps, RunInit } from "../src/run/config.js";
import { EVENTS } from "../src/run/kinds/index.js";
import { Run } from "../src/run/run.js";
import { stringifyExactly } from "../src/util/exact-number.js";
import { bareLoop } from "./bare-loop.js";
import { cpuMicros, type RunningEmulator, startEmulatorChild } from "./child.js";
import { medianBy } from "./median.js";

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

/** A Run of the bench's events file `input` (a dry run unless `more` says how to deliver). */
const eventsRun = (input: string, more: Partial<RunInit>, deps: Partial<RunDeps> = {}) =>
  new Run(
    EVENTS,
    {
      input,
      format: "ndjson",
      mapping: eventMapping(),
      deadLetterPath: `${input}.dead-letter.ndjson`,
      batchWaitMs: 250,
      ...more,
    },
    deps,
  );

export interface BatchingResult {
  events: number;
  requests: number;
  eventsPerRequest: number;
  eventsPerSecond: number;
}

/** A dry run: how many requests the file's events would take. */
export async function benchBatching(input: string): Promise<BatchingResult> {
  const run = eventsRun(input, {});
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
  groupByIdentity = false,
): Promise<DeliveryResult> {
  const delivery = { endpoint: url, serviceId: SERVICE, accessToken: TOKEN, rate, concurrency };
  const run = eventsRun(
    input,
    { groupByIdentity, delivery: { ...delivery, maxAttempts: 6 } },
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

export interface ThroughputResult extends DeliveryResult {
  /** The importer's CPU time per event (this process's; the emulator is another), µs. */
  cpuUs: number;
  /** The same request bodies posted by a bare undici loop: its run of median events/s. */
  bare: BareEventRun;
  /** The median delivery's events/s ÷ the median bare loop's. */
  ratio: number;
  /** Each round's delivery ÷ its bare loop, in the order they ran. */
  rounds: number[];
  /** Whether every delivery had every event accepted. */
  allAccepted: boolean;
}

interface BareEventRun {
  eventsPerSecond: number;
  cpuUs: number;
}

/** Bare loop and delivery taken in turn, each pair one round (see benchEventThroughput). */
const THROUGHPUT_ROUNDS = 3;

const unlimitedEmulator = (): Promise<RunningEmulator> =>
  startEmulatorChild([
    ...["--limit", "none", "--event-limit", "none", "--token", TOKEN, "--service-id", SERVICE],
  ]);

/**
 * Events/s to an emulator with no limit (user-sorted file: full batches), against a bare loop
 * posting the importer's own request bodies (from a dry run of the file, built once) to an emulator
 * of its own. Three rounds of the two in turn, each on fresh emulators, and the median runs
 * compared: one pair of ~2 s runs swung the ratio 0.55-0.76 for one build (bench/README.md). The
 * first round is the importer's first delivery in this process (its compiling), as a one-off run
 * has it; the later ones are warm, as a long backfill is, and so is the bare loop.
 */
export async function benchEventThroughput(
  input: string,
  concurrency = 64,
): Promise<ThroughputResult> {
  const bodies = await requestBodies(input);
  const events = bodies.reduce((sum, b) => sum + b.events, 0);
  const bares: BareEventRun[] = [];
  const deliveries: (DeliveryResult & { cpuUs: number })[] = [];
  for (let round = 0; round < THROUGHPUT_ROUNDS; round++) {
    const bareEmulator = await unlimitedEmulator();
    try {
      bares.push(await bareEventLoop(bareEmulator.url, bodies, events, concurrency));
    } finally {
      await bareEmulator.close();
    }
    const emulator = await unlimitedEmulator();
    try {
      const cpu = process.cpuUsage();
      const r = await deliver(
        input,
        emulator.url,
        { count: 1_000_000_000, windowMs: 60_000 },
        concurrency,
      );
      deliveries.push({ ...r, cpuUs: Number((cpuMicros(cpu) / r.events).toFixed(2)) });
    } finally {
      await emulator.close();
    }
  }
  const delivery = medianBy(deliveries, (r) => r.eventsPerSecond);
  const bare = medianBy(bares, (r) => r.eventsPerSecond);
  const ratioOf = (importer: number, loop: number) => Number((importer / loop).toFixed(3));
  return {
    ...delivery,
    bare,
    ratio: ratioOf(delivery.eventsPerSecond, bare.eventsPerSecond),
    rounds: deliveries.map((r, i) =>
      ratioOf(r.eventsPerSecond, (bares[i] as BareEventRun).eventsPerSecond),
    ),
    allAccepted: deliveries.every((r) => r.accepted === r.events),
  };
}

/** The request bodies the importer sends for `input`, as JSON text (a dry run's samples). */
async function requestBodies(input: string): Promise<{ text: string; events: number }[]> {
  const bodies: { text: string; events: number }[] = [];
  const run = eventsRun(
    input,
    { sample: Number.MAX_SAFE_INTEGER },
    {
      onSample: (body) => {
        const { events } = body as { events: readonly unknown[] };
        bodies.push({ text: stringifyExactly(body), events: events.length });
      },
    },
  );
  await run.execute();
  rmSync(`${input}.dead-letter.ndjson`, { force: true });
  return bodies;
}

/** Posts prebuilt bodies with `concurrency` in flight: events/s and CPU µs per event. */
async function bareEventLoop(
  url: string,
  bodies: readonly { text: string }[],
  events: number,
  concurrency: number,
): Promise<BareEventRun> {
  const path = `${EVENTS_PATH}?service_id=${SERVICE}`;
  const run = await bareLoop(url, path, TOKEN, concurrency, bodies.length, (i) => {
    return (bodies[i] as { text: string }).text;
  });
  return {
    eventsPerSecond: Math.round(events / run.seconds),
    cpuUs: Number((run.cpuMicros / events).toFixed(2)),
  };
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
