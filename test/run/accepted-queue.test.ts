import { describe, expect, it } from "vitest";
import { AcceptedQueue } from "../../src/run/accepted-queue.js";
import type { Pending } from "../../src/run/kind.js";
import { type IdentifiedEvent, NO_STATE, type RunState } from "../../src/run/state-link.js";

const turn = () => new Promise((resolve) => setImmediate(resolve));
const event = (id: string): IdentifiedEvent => ({
  event_log_id: id,
  event_datetime: "2024-05-14T06:05:46.363Z",
});

/** One accepted request's event, from the rows at `ats`. */
const accepted = (ats: number[], id: string): Pending<IdentifiedEvent>[] => [
  { unit: event(id), rows: ats.map((at) => ({ line: at, at, row: {}, format: "ndjson" })) },
];

/** A state that records each write of accepted events. */
function recording(fail?: Error) {
  const writes: { ats: number[]; ids: string[] }[] = [];
  const state: RunState = {
    ...NO_STATE,
    acceptedEvents(ats, events) {
      if (fail !== undefined) throw fail;
      writes.push({ ats: [...ats], ids: events.map((e) => e.event_log_id) });
    },
  };
  return { state, writes };
}

describe("AcceptedQueue", () => {
  it("writes the requests accepted in one turn of the event loop in one commit", async () => {
    const { state, writes } = recording();
    const queue = new AcceptedQueue(state, (error) => {
      throw error;
    });
    queue.add(accepted([2, 3], "a")); // two rows, one event (a CSV group)
    queue.add(accepted([5], "b"));
    expect(writes).toEqual([]);
    await turn();
    expect(writes).toEqual([{ ats: [2, 3, 5], ids: ["a", "b"] }]);
    queue.add(accepted([4], "c"));
    await turn();
    expect(writes).toEqual([
      { ats: [2, 3, 5], ids: ["a", "b"] },
      { ats: [4], ids: ["c"] },
    ]);
  });

  it("writes what is queued at once when flushed (the run's end), and nothing twice", async () => {
    const { state, writes } = recording();
    const queue = new AcceptedQueue(state, () => {});
    queue.add(accepted([7], "d"));
    queue.flush();
    expect(writes).toEqual([{ ats: [7], ids: ["d"] }]);
    await turn();
    queue.flush();
    expect(writes).toHaveLength(1);
  });

  it("tells a deferred write that fails to the run, not to the event loop", async () => {
    const full = new Error("SQLITE_FULL");
    const { state } = recording(full);
    const told: unknown[] = [];
    const queue = new AcceptedQueue(state, (error) => told.push(error));
    queue.add(accepted([2], "a"));
    await turn();
    expect(told).toEqual([full]);
  });
});
