/**
 * Issue 21: `--keep-events` forgets in steps that let a signal in. A state file holding 2,000,000
 * events accepted long ago is forgotten after a finished run; SIGTERM while it is forgetting ends
 * the run with 130 soon after, the file whole (each step its own transaction), and the next run
 * forgets the rest, by when each event was accepted.
 */
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { CATALOG, flags, importEvents, ORDERS_MAPPING, ordersNdjson } from "./event-fixtures.js";
import { emulatorPerTest, readJson, signalledCli, tempDir, waitFor, write } from "./helpers.js";

const emulator = emulatorPerTest();
const OLD = 2_000_000;

/** Adds `count` events accepted at epoch 0 to the state file, every 1,000th accepted `recent`. */
function seedOldEvents(path: string, count: number, recent: number): void {
  const db = new Database(path);
  db.prepare(
    `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
     INSERT INTO events (key, accepted)
     SELECT printf('%09d', i) || 'seededseededseededseed', CASE WHEN i % 1000 = 0 THEN ? ELSE 0 END FROM n`,
  ).run(count, recent);
  db.close();
}

const eventsIn = (path: string): number => {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare("SELECT count(*) FROM events").pluck().get() as number;
  } finally {
    db.close();
  }
};

describe("SIGTERM while --keep-events forgets", () => {
  it("exits 130 soon after, the run recorded finished; the next run forgets the rest, by acceptance time", async () => {
    const dir = tempDir();
    const statePath = join(dir, "state.db");
    const map = write(dir, "events.yaml", ORDERS_MAPPING);
    const file = write(dir, "orders.ndjson", ordersNdjson(3, 1)); // events of 2024: old times
    const keep = ["--state", statePath, "--keep-events", "30d"];
    const first = await emulator({ catalog: CATALOG });
    expect((await importEvents([file, "--map", map, ...flags(dir, first.url, keep)])).code).toBe(0);
    expect(eventsIn(statePath)).toBe(3); // accepted now, kept
    seedOldEvents(statePath, OLD, Date.now());

    const second = await emulator({ catalog: CATALOG });
    const log = join(dir, "log.ndjson");
    rmSync(log); // the first run's, which forgot too
    const run = signalledCli(
      [file, "--map", map, ...flags(dir, second.url, keep)],
      "import-events",
    );
    // The line is written just before the first step; the test's timer runs only when the
    // forgetting lets the event loop in (after 50 ms of steps): it is under way.
    await waitFor(
      () => existsSync(log) && readFileSync(log, "utf8").includes("forgetting the events"),
      "forgetting under way",
    );
    const signalled = performance.now();
    run.signal("SIGTERM");
    const { code, stderr } = await run.done;
    expect(performance.now() - signalled).toBeLessThan(5_000);
    expect(code).toBe(130);
    expect(run.exits).toEqual([]); // it ended by itself, not by the grace period
    expect(stderr).toContain(
      "stopped while forgetting old events (--keep-events): the run is recorded finished; the next run with --keep-events forgets the rest",
    );
    expect(second.store.eventCount()).toBe(0); // the run itself was done: all 3 known
    expect(readJson(join(dir, "report.json"))).toMatchObject({ rows: 3, unchanged: 3 });
    const left = eventsIn(statePath);
    expect(left).toBeGreaterThan(3 + OLD / 1000); // stopped before the end
    expect(left).toBeLessThan(3 + OLD); // after some steps

    // The next run starts afresh (the last was finished) and forgets the rest.
    const third = await emulator({ catalog: CATALOG });
    const next = await importEvents([file, "--map", map, ...flags(dir, third.url, keep)]);
    expect(next.code).toBe(0);
    expect(third.store.eventCount()).toBe(0);
    expect(readJson(join(dir, "report.json"))).toMatchObject({ rows: 3, unchanged: 3 });
    // Left: the run's 3 events and every 1,000th seeded, accepted recently whatever their key.
    expect(eventsIn(statePath)).toBe(3 + OLD / 1000);
  }, 120_000);
});
