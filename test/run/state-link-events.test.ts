import { describe, expect, it } from "vitest";
import { type HashSource, StateLink } from "../../src/run/state-link.js";
import { eventKey } from "../../src/state/events.js";

const KEY = Buffer.alloc(32, 3);
const event = (id: string, at: string) => ({ event_log_id: id, event_datetime: at });
const OLD = event("6f1c1b1e-0000-5000-8000-000000000001", "2024-05-13T23:00:00.000Z");
const NEWEST = event("6f1c1b1e-0000-5000-8000-000000000002", "2024-05-14T06:00:00.000Z");
const NEW = event("6f1c1b1e-0000-5000-8000-000000000003", "2024-05-14T06:00:00.001Z");

/** A state file holding `known` events, counting its lookups. */
function source(known: readonly ReturnType<typeof event>[]) {
  const keys = known.map((e) => eventKey(e, KEY));
  const asked: string[] = [];
  const store: HashSource = {
    path: "events.db",
    lastHash: () => undefined,
    knownRow: () => "unknown",
    heldBy: () => undefined,
    touch: () => {},
    noteFailure: () => false,
    knownEvent: (key) => {
      asked.push(key);
      return keys.includes(key);
    },
    newestEventKey: () => [...keys].sort().at(-1),
  };
  return { store, asked };
}

describe("StateLink for import-events", () => {
  it("knows the events an earlier run had accepted, and looks up none newer than all of them", () => {
    const { store, asked } = source([OLD, NEWEST]);
    const link = new StateLink(store, null, false, KEY);
    expect(link.knownEvent(OLD)).toBe(true);
    expect(link.knownEvent(NEWEST)).toBe(true);
    expect(link.knownEvent(event("6f1c1b1e-0000-5000-8000-000000000009", OLD.event_datetime))).toBe(
      false,
    );
    expect(asked).toHaveLength(3);
    expect(link.knownEvent(NEW)).toBe(false); // newer than the newest: no lookup
    expect(asked).toHaveLength(3);
  });

  it("looks nothing up in a state file without events, nor with --full", () => {
    const empty = source([]);
    expect(new StateLink(empty.store, null, false, KEY).knownEvent(OLD)).toBe(false);
    expect(empty.asked).toEqual([]);
    const full = source([OLD]);
    expect(new StateLink(full.store, null, true, KEY).knownEvent(OLD)).toBe(false);
    expect(full.asked).toEqual([]);
  });
});
