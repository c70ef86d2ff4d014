/**
 * The cost of `import-events --state`: the same file delivered by a real Run to an emulator
 * without limits (its own process), alternately without and with a state file, in this process,
 * so the ratio holds on a loaded machine; then the same file again with the state file, where
 * every event is known and none is sent (an overlapping night at its most), and the state file's
 * size per event remembered.
 */
import { rmSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import pino from "pino";
import { parseMapping } from "../src/mapping/load.js";
import { openStateSession } from "../src/run/state-session.js";
import { cpuMicros, startEmulatorChild } from "./child.js";
import { type DeliveryResult, deliver, EVENTS_MAPPING } from "./events.js";

const TOKEN = "bench-token";
const SERVICE = "bench-service";
const UNLIMITED = { count: 1_000_000_000, windowMs: 60_000 };

export interface EventStateResult {
  events: number;
  /** The best of the passes each way, events/s. */
  withoutState: number;
  withState: number;
  /** withState / withoutState. */
  ratio: number;
  /** This process's CPU time per event (the importer's; the emulator is another process), µs. */
  cpuUsWithout: number;
  cpuUsWith: number;
  /** cpuUsWithout / cpuUsWith: the speed ratio where the CPU is the limit, less swayed by load. */
  cpuRatio: number;
  /** Every event known: rows/s, none sent. */
  allKnown: number;
  allKnownSent: number;
  stateBytesPerEvent: number;
}

/** `passes` runs each way, alternating; a fresh state file for each run with it. */
export async function benchEventState(
  input: string,
  passes = 2,
  concurrency = 64,
): Promise<EventStateResult> {
  const emulator = await startEmulatorChild([
    ...["--limit", "none", "--event-limit", "none", "--token", TOKEN, "--service-id", SERVICE],
  ]);
  const statePath = join(dirname(input), "events-state.db");
  try {
    let without = 0;
    let withState = 0;
    let events = 0;
    let cpuWithout = Number.POSITIVE_INFINITY;
    let cpuWith = Number.POSITIVE_INFINITY;
    for (let pass = 0; pass < passes; pass++) {
      let cpu = process.cpuUsage();
      const plain = await deliver(input, emulator.url, UNLIMITED, concurrency);
      cpuWithout = Math.min(cpuWithout, cpuMicros(cpu) / plain.events);
      without = Math.max(without, plain.eventsPerSecond);
      events = plain.events;
      removeState(statePath);
      cpu = process.cpuUsage();
      const stated = await withSession(input, statePath, (deps) =>
        deliver(input, emulator.url, UNLIMITED, concurrency, deps),
      );
      cpuWith = Math.min(cpuWith, cpuMicros(cpu) / stated.events);
      if (stated.accepted !== stated.events) throw new Error("a run with --state lost events");
      withState = Math.max(withState, stated.eventsPerSecond);
    }
    const known = await withSession(input, statePath, (deps) =>
      deliver(input, emulator.url, UNLIMITED, concurrency, deps),
    );
    const bytes = statSync(statePath).size;
    return {
      events,
      withoutState: without,
      withState,
      ratio: Number((withState / without).toFixed(3)),
      cpuUsWithout: Number(cpuWithout.toFixed(1)),
      cpuUsWith: Number(cpuWith.toFixed(1)),
      cpuRatio: Number((cpuWithout / cpuWith).toFixed(3)),
      allKnown: Math.round(known.events / (known.durationMs / 1000)),
      allKnownSent: known.accepted,
      stateBytesPerEvent: Math.round(bytes / events),
    };
  } finally {
    await emulator.close();
    removeState(statePath);
  }
}

type Deps = Parameters<typeof deliver>[4];

/** A run with the state file as the CLI opens it (a state key beside it). */
async function withSession(
  input: string,
  path: string,
  run: (deps: Deps) => Promise<DeliveryResult>,
): Promise<DeliveryResult> {
  const session = await openStateSession(
    {
      command: "import-events",
      path,
      keyPath: `${path}.key`,
      keepEventsMs: undefined,
      input,
      files: [input],
      mapping: parseMapping(EVENTS_MAPPING, "bench.yaml"),
      full: false,
      resume: false,
      dryRun: false,
      delimiter: ",",
    },
    pino({ level: "silent" }),
  );
  try {
    return await run({ state: session.link, carried: session.carried });
  } finally {
    session.close(); // every request's outcome is committed; the run itself stays unfinished
  }
}

function removeState(path: string): void {
  for (const suffix of ["", "-wal", "-shm", ".key"]) rmSync(`${path}${suffix}`, { force: true });
}
