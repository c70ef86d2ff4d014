import { describe, expect, it } from "vitest";
import type { EventRecord } from "../../src/api/events.js";
import { EVENTS } from "../../src/run/kinds/index.js";

const { limits } = EVENTS;
/** The one row an event came from, told by its line. */
const at = (line: number) => [{ line, at: line, row: null, format: "ndjson" as const }];

import { Batcher, identityKey } from "../../src/run/batcher.js";

const event = (n: number, items = 0): EventRecord => ({
  event_log_id: `id-${n}`,
  event_name: "df_purchase",
  event_datetime: "2024-05-14T06:05:46Z",
  event_properties: {},
  ...(items === 0
    ? {}
    : { event_items: Array.from({ length: items }, () => ({ df_item_id: "x" })) }),
});
const user = (id: string) => ({ external_id: id });
const ids = (batches: readonly { units: { rows: readonly { line: number }[] }[] }[]) =>
  batches.map((b) => b.units.map((e) => e.rows[0]?.line));

describe("Batcher", () => {
  it("closes a user's batch at 100 events", () => {
    const b = new Batcher<EventRecord>({ waitMs: 1_000, maxPending: 10_000, limits });
    const out = [];
    for (let i = 0; i < 250; i++) out.push(...b.add(user("u"), { unit: event(i), rows: at(i) }, 0));
    expect(out.map((x) => x.units.length)).toEqual([100, 100]);
    expect(b.flush().map((x) => x.units.length)).toEqual([50]);
  });

  it("closes a batch before the event whose items would pass 100", () => {
    const b = new Batcher<EventRecord>({ waitMs: 1_000, maxPending: 10_000, limits });
    expect(b.add(user("u"), { unit: event(1, 60), rows: at(1) }, 0)).toEqual([]);
    const out = b.add(user("u"), { unit: event(2, 41), rows: at(2) }, 0);
    expect(ids(out)).toEqual([[1]]);
    expect(ids(b.add(user("u"), { unit: event(3, 59), rows: at(3) }, 0))).toEqual([[2, 3]]);
  });

  it("keeps one batch per identity, and sends the ones idle for waitMs, oldest first", () => {
    const b = new Batcher<EventRecord>({ waitMs: 250, maxPending: 10_000, limits });
    b.add(user("a"), { unit: event(1), rows: at(1) }, 0);
    b.add(user("b"), { unit: event(2), rows: at(2) }, 100);
    b.add({ external_id: "a", email: "a@x" }, { unit: event(3), rows: at(3) }, 200);
    expect(ids(b.due(249))).toEqual([]);
    expect(ids(b.due(350))).toEqual([[1], [2]]);
    expect(ids(b.flush())).toEqual([[3]]);
  });

  it("tells a user's next unit from one with a field more or less, whatever the fields' order", () => {
    const b = new Batcher<EventRecord>({ waitMs: 1_000, maxPending: 10_000, limits });
    const both = { external_id: "a", email: "a@x" };
    b.add(user("a"), { unit: event(1), rows: at(1) }, 0);
    b.add(both, { unit: event(2), rows: at(2) }, 0);
    b.add({ email: "a@x", external_id: "a" }, { unit: event(3), rows: at(3) }, 0);
    b.add(user("a"), { unit: event(4), rows: at(4) }, 0);
    b.add({ email: "a@x" }, { unit: event(5), rows: at(5) }, 0);
    expect(ids(b.flush())).toEqual([[2, 3], [1, 4], [5]]);
  });

  it("bounds the events held: over maxPending, the oldest batch goes", () => {
    const b = new Batcher<EventRecord>({ waitMs: 60_000, maxPending: 3, limits });
    b.add(user("a"), { unit: event(1), rows: at(1) }, 0);
    b.add(user("b"), { unit: event(2), rows: at(2) }, 0);
    b.add(user("a"), { unit: event(3), rows: at(3) }, 0);
    expect(ids(b.add(user("c"), { unit: event(4), rows: at(4) }, 0))).toEqual([[2]]);
    expect(b.pending).toBe(3);
  });

  it("keeps the batches' order over thousands closed (a time-ordered file of many users)", () => {
    // 5,000 users with one event each, closed oldest first as more than maxPending wait, and
    // between each two an event of "a", which stays the most recent and fills batches of 100.
    const b = new Batcher<EventRecord>({ waitMs: 60_000, maxPending: 150, limits });
    const out = [];
    for (let i = 0; i < 5_000; i++) {
      out.push(...b.add(user(`u${i}`), { unit: event(i), rows: at(2 * i + 1) }, 0));
      out.push(...b.add(user("a"), { unit: event(i), rows: at(2 * i + 2) }, 0));
    }
    out.push(...b.flush());
    const ofA = out.filter((batch) => batch.identity.external_id === "a");
    const others = out.filter((batch) => batch.identity.external_id !== "a");
    expect(ids(others)).toEqual(Array.from({ length: 5_000 }, (_, i) => [2 * i + 1]));
    expect(ofA.map((batch) => batch.units.length)).toEqual(Array(50).fill(100));
    expect(ids(ofA).flat()).toEqual(Array.from({ length: 5_000 }, (_, i) => 2 * i + 2));
  });

  it("gives what is due in order over thousands closed", () => {
    const b = new Batcher<EventRecord>({ waitMs: 10, maxPending: 10_000, limits });
    const out = [];
    for (let i = 0; i < 3_000; i++) {
      out.push(...b.add(user(`u${i}`), { unit: event(i), rows: at(i) }, i));
      out.push(...b.due(i));
    }
    out.push(...b.flush());
    expect(ids(out)).toEqual(Array.from({ length: 3_000 }, (_, i) => [i]));
  });
});

describe("Batcher.due, asked on every row", () => {
  it("gives nothing new when asked again at the same time, and what is due once the clock moves", () => {
    const b = new Batcher<EventRecord>({ waitMs: 250, maxPending: 10_000, limits });
    b.add(user("a"), { unit: event(1), rows: at(1) }, 0);
    expect(ids(b.due(250))).toEqual([[1]]);
    b.add(user("b"), { unit: event(2), rows: at(2) }, 250);
    expect(ids(b.due(250))).toEqual([]);
    expect(ids(b.due(499))).toEqual([]);
    expect(ids(b.due(500))).toEqual([[2]]);
  });

  it("with no wait, gives every open batch on every call, at the same time too", () => {
    const b = new Batcher<EventRecord>({ waitMs: 0, maxPending: 10_000, limits });
    b.add(user("a"), { unit: event(1), rows: at(1) }, 5);
    expect(ids(b.due(5))).toEqual([[1]]);
    b.add(user("a"), { unit: event(2), rows: at(2) }, 5);
    expect(ids(b.due(5))).toEqual([[2]]);
  });

  it("keys a one-field identity and a many-field one apart, whatever their field order", () => {
    const b = new Batcher<EventRecord>({ waitMs: 1_000, maxPending: 10_000, limits });
    b.add({ external_id: "a" }, { unit: event(1), rows: at(1) }, 0);
    b.add({ external_id: "a", email: "a@x" }, { unit: event(2), rows: at(2) }, 0);
    b.add({ email: "a@x", external_id: "a" }, { unit: event(3), rows: at(3) }, 0);
    expect(ids(b.flush())).toEqual([[1], [2, 3]]);
  });

  it("never puts two users in one batch, whatever characters their identity values hold", () => {
    const one = { external_id: "a", kakao_user_id: "b" };
    const other = { external_id: "a\u0001kakao_user_id\u0000b" } as const;
    const tricky = { external_id: "a\u0001kakao_user_id", kakao_user_id: "b" };
    expect(new Set([one, other, tricky].map(identityKey)).size).toBe(3);
    expect(identityKey({ kakao_user_id: "b", external_id: "a" })).toBe(identityKey(one));
    const b = new Batcher<EventRecord>({ waitMs: 1_000, maxPending: 10_000, limits });
    b.add(one, { unit: event(1), rows: at(1) }, 0);
    b.add(other, { unit: event(2), rows: at(2) }, 0);
    expect(b.flush().map((x) => [x.identity, x.units.length])).toEqual([
      [one, 1],
      [other, 1],
    ]);
  });
});
