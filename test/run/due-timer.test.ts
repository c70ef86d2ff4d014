import { describe, expect, it } from "vitest";
import type { EventRecord } from "../../src/api/events.js";
import { EVENTS } from "../../src/run/kinds/index.js";

const { limits } = EVENTS;
/** The one row an event came from, told by its line. */
const at = (line: number) => [{ line, at: line, row: null, format: "ndjson" as const }];

import { Batcher } from "../../src/run/batcher.js";
import { DueTimer, tickPeriodMs } from "../../src/run/due-timer.js";
import { FakeClock } from "../delivery/fake-clock.js";

const event = (n: number): EventRecord => ({
  event_log_id: `id-${n}`,
  event_name: "df_purchase",
  event_datetime: "2024-05-14T06:05:46Z",
  event_properties: {},
});

describe("DueTimer", () => {
  it("sends a stalled user's batch once the wait has passed, with no new row", async () => {
    const clock = new FakeClock();
    const batcher = new Batcher<EventRecord>({ waitMs: 200, maxPending: 1_000, limits });
    const sent: (number | undefined)[][] = [];
    const timer = new DueTimer({
      periodMs: tickPeriodMs(200),
      tick: async () => {
        for (const b of batcher.due(clock.now())) sent.push(b.units.map((e) => e.rows[0]?.line));
      },
      onError: (error) => {
        throw error;
      },
      clock,
    });
    batcher.add({ external_id: "u1" }, { unit: event(1), rows: at(1) }, clock.now());
    batcher.add({ external_id: "u1" }, { unit: event(2), rows: at(2) }, clock.now());
    timer.start();
    await clock.advance(150);
    expect(sent).toEqual([]); // not yet due
    await clock.advance(100); // 250 ms: due at 200, sent at the next tick (every 50 ms)
    expect(sent).toEqual([[1, 2]]);
    batcher.add({ external_id: "u2" }, { unit: event(3), rows: at(3) }, clock.now());
    await clock.advance(250);
    expect(sent).toEqual([[1, 2], [3]]);
    await timer.stop();
    batcher.add({ external_id: "u3" }, { unit: event(4), rows: at(4) }, clock.now());
    await clock.advance(1_000);
    expect(sent).toEqual([[1, 2], [3]]); // stopped: nothing more
    expect(batcher.pending).toBe(1);
  });

  it("never runs two ticks at once, and stop() waits for the one in progress", async () => {
    const clock = new FakeClock();
    let running = 0;
    let most = 0;
    let ticks = 0;
    let release: () => void = () => {};
    const timer = new DueTimer({
      periodMs: 10,
      tick: async () => {
        ticks++;
        running++;
        most = Math.max(most, running);
        await new Promise<void>((resolve) => {
          release = resolve;
        });
        running--;
      },
      onError: () => {},
      clock,
    });
    timer.start();
    await clock.advance(100); // the first tick is still running: no other starts
    expect([ticks, most]).toEqual([1, 1]);
    let stopped = false;
    const stopping = timer.stop().then(() => {
      stopped = true;
    });
    await clock.advance(0);
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect([ticks, running]).toEqual([1, 0]);
  });

  it("hands a failing tick to onError and keeps ticking", async () => {
    const clock = new FakeClock();
    const errors: unknown[] = [];
    let ticks = 0;
    const timer = new DueTimer({
      periodMs: 10,
      tick: async () => {
        ticks++;
        throw new Error(`tick ${ticks}`);
      },
      onError: (error) => errors.push((error as Error).message),
      clock,
    });
    timer.start();
    await clock.advance(30);
    await timer.stop();
    expect(errors).toEqual(["tick 1", "tick 2", "tick 3"]);
  });

  it("stops for good when the run's stop signal aborts", async () => {
    const clock = new FakeClock();
    const stop = new AbortController();
    let ticks = 0;
    const timer = new DueTimer({
      periodMs: 10,
      tick: async () => {
        ticks++;
      },
      onError: () => {},
      stop: stop.signal,
      clock,
    });
    timer.start();
    await clock.advance(25);
    stop.abort();
    timer.start(); // a stopped timer does not start again
    await clock.advance(100);
    expect(ticks).toBe(2);
  });

  it("ticks a quarter of the wait apart, 10 ms at least", () => {
    expect([tickPeriodMs(250), tickPeriodMs(20), tickPeriodMs(0)]).toEqual([63, 10, 10]);
  });
});
