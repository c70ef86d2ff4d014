import { describe, expect, it } from "vitest";
import { applyEventMapping, namedRecord } from "../../src/mapping/apply-event.js";
import { eventId } from "../../src/mapping/event-id.js";
import { EventIds } from "../../src/mapping/event-ids.js";
import { parseMapping } from "../../src/mapping/load.js";
import type { EventRules, Mapping } from "../../src/mapping/types.js";

const PURCHASE = {
  identity: { external_id: "u-1" },
  name: "df_purchase",
  datetime: "2024-05-14T06:05:46.000Z",
  properties: { df_order_id: "o-1" },
  items: undefined,
};
const REFUND = { ...PURCHASE, name: "df_refund" };

describe("EventIds", () => {
  it("gives the first event its content's id and the n-th identical one its own", () => {
    const ids = new EventIds();
    const got = [PURCHASE, REFUND, PURCHASE, PURCHASE, REFUND].map((p) => ids.next(p));
    expect(got).toEqual([
      { id: eventId(PURCHASE), occurrence: 1 },
      { id: eventId(REFUND), occurrence: 1 },
      { id: eventId(PURCHASE, 2), occurrence: 2 },
      { id: eventId(PURCHASE, 3), occurrence: 3 },
      { id: eventId(REFUND, 2), occurrence: 2 },
    ]);
    expect(new Set(got.map((g) => g.id)).size).toBe(5);
  });

  it("gives the same ids to the same file read again", () => {
    const run = () => {
      const ids = new EventIds();
      return [PURCHASE, PURCHASE, REFUND].map((p) => ids.next(p).id);
    };
    expect(run()).toEqual(run());
  });

  it("counts content, not key order", () => {
    const ids = new EventIds();
    const two = { ...PURCHASE, properties: { df_order_id: "o-1", df_total_purchase_amount: 5 } };
    const reordered = { ...two, properties: { df_total_purchase_amount: 5, df_order_id: "o-1" } };
    expect(ids.next(two).occurrence).toBe(1);
    expect(ids.next(reordered).occurrence).toBe(2);
  });

  it("keeps a replayed occurrence, and counts the others around the claimed numbers", () => {
    const ids = new EventIds();
    // A dead-letter file holding the 2nd occurrence, then one without (a 1st), then another.
    expect(ids.next(PURCHASE, 2)).toEqual({ id: eventId(PURCHASE, 2), occurrence: 2 });
    expect(ids.next(PURCHASE).occurrence).toBe(1);
    expect(ids.next(PURCHASE).occurrence).toBe(3);
    const claimedFirst = new EventIds();
    expect(claimedFirst.next(REFUND).occurrence).toBe(1);
    expect(claimedFirst.next(REFUND, 3).occurrence).toBe(3);
    expect(claimedFirst.next(REFUND).occurrence).toBe(2);
    expect(claimedFirst.next(REFUND).occurrence).toBe(4);
  });
});

describe("namedRecord", () => {
  const mapping = parseMapping(
    `identity: { external_id: user }
event: { name: { value: df_purchase }, datetime: at, id: { column: uuid } }
properties: { df_order_id: order }
`,
    "events.yaml",
  ) as Mapping & { event: EventRules };
  const draftOf = (cells: Record<string, unknown>) => {
    const result = applyEventMapping(mapping, { kind: "row", line: 2, cells }, "ndjson");
    if (!result.ok) throw new Error(result.failure.message);
    return result.draft;
  };

  it("uses an id from the file as is, for every copy, counting nothing", () => {
    const ids = new EventIds();
    const uuid = "0b9f1c5e-6a47-4f7e-9d3a-2f1e8c7b6a50";
    const row = { user: "u-1", at: "2024-05-14T06:05:46Z", order: "o-1", uuid };
    const first = namedRecord(draftOf(row), ids);
    const second = namedRecord(draftOf(row), ids);
    expect([first.event.event_log_id, second.event.event_log_id]).toEqual([uuid, uuid]);
    expect([first.occurrence, second.occurrence]).toEqual([undefined, undefined]);
  });

  it("names an event without an id column by its content and occurrence", () => {
    const ids = new EventIds();
    const row = { user: "u-1", at: "2024-05-14T06:05:46Z", order: "o-1" };
    const [a, b] = [namedRecord(draftOf(row), ids), namedRecord(draftOf(row), ids)];
    expect(a.occurrence).toBe(1);
    expect(b.occurrence).toBe(2);
    expect(b.event).toEqual({ ...a.event, event_log_id: eventId(PURCHASE, 2) });
    expect(a.event.event_log_id).toBe(eventId(PURCHASE));
  });
});
