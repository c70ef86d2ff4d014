import { describe, expect, it } from "vitest";
import { ImporterError } from "../../../src/errors.js";
import { StoredEvents } from "../../../src/run/kinds/stored-events.js";
import { checkReplayCommand, toReplayItem } from "../../../src/run/replay.js";
import { ExactNumber } from "../../../src/util/exact-number.js";

const uuid = (n: number) => `00000000-0000-5000-8000-${String(n).padStart(12, "0")}`;
const event = (n: number, extra: Record<string, unknown> = {}) => ({
  event_log_id: uuid(n),
  event_name: "df_purchase",
  event_datetime: "2024-05-14T06:05:46.000Z",
  event_properties: { df_order_id: `o${n}` },
  ...extra,
});
const body = (user: string, events: unknown[]) => ({
  common: { identity: { external_id: user } },
  events,
});
const record = (line: number, payload: unknown, format = "ndjson") => ({
  line,
  row: { user_id: "u1", n: line },
  payload,
  error: { stage: "api", code: "HTTP_500", message: "server error" },
  attempts: 6,
  at: "2026-11-29T00:00:00.000Z",
  format,
});

/** A dead-letter record as the run hands it over: its original row, read at `fileLine`. */
class Replay {
  readonly stored = new StoredEvents();
  push(record: Record<string, unknown>, fileLine: number) {
    const r = toReplayItem(record, fileLine);
    if (r.kind === "unreadable") {
      // As the events kind does: the open event first, in file order.
      return [...this.stored.flush(), { ok: false, rows: [{ line: r.line, failure: r.failure }] }];
    }
    const row = { line: r.line, at: fileLine, row: r.cells, format: r.format };
    return this.stored.push(row, r.payload);
  }
  flush() {
    return this.stored.flush();
  }
}

describe("StoredEvents (replaying an import-events dead-letter file without --map)", () => {
  it("gives each stored event with its identity, id and original row, in file order", () => {
    const s = new Replay();
    expect(s.push(record(4, body("u1", [event(1)])), 1)).toEqual([]);
    const out = s.push(record(9, body("u2", [event(2)])), 2);
    expect(out).toEqual([
      {
        ok: true,
        rows: [{ line: 4, at: 1, row: { user_id: "u1", n: 4 }, format: "ndjson" }],
        identity: { external_id: "u1" },
        unit: event(1),
      },
    ]);
    expect(s.flush().map((e) => e.ok && e.unit.event_log_id)).toEqual([uuid(2)]);
    expect(s.flush()).toEqual([]);
  });

  it("makes the consecutive records of one CSV item group one event with all its rows", () => {
    const s = new Replay();
    const grouped = body("u1", [
      event(1, { event_items: [{ df_item_id: "A" }, { df_item_id: "B" }] }),
    ]);
    expect(s.push(record(2, grouped, "csv"), 1)).toEqual([]);
    expect(s.push(record(3, grouped, "csv"), 2)).toEqual([]);
    const [only, ...rest] = [...s.push(record(4, body("u1", [event(2)]), "csv"), 3)];
    expect(rest).toEqual([]);
    expect(only?.ok === true && only.rows.map((r) => r.line)).toEqual([2, 3]);
  });

  it("fails a record without a payload again, saying to replay it with --map", () => {
    const s = new Replay();
    s.push(record(2, body("u1", [event(1)])), 1);
    const out = s.push(record(3, null), 2);
    expect(out.map((e) => e.ok)).toEqual([true, false]); // the open event first: file order
    expect(out[1]).toEqual({
      ok: false,
      rows: [
        {
          line: 3,
          at: 2,
          row: { user_id: "u1", n: 3 },
          format: "ndjson",
          failure: {
            stage: "input",
            code: "REPLAY_NO_PAYLOAD",
            message: "this row was never mapped, so no event was stored: replay it with --map",
          },
        },
      ],
      payload: null,
    });
  });

  it("checks a stored event against the API's rules and keeps its payload when it breaks one", () => {
    const s = new Replay();
    const bad = body("u1", [event(1, { event_items: [{ df_price: "12,000" }] })]);
    expect(s.push(record(2, bad), 1)).toEqual([
      {
        ok: false,
        rows: [
          {
            line: 2,
            at: 1,
            row: { user_id: "u1", n: 2 },
            format: "ndjson",
            failure: {
              stage: "mapping",
              code: "INVALID_VALUE",
              message:
                "the stored event breaks the API's rules: events[0]: event_items[0]: item property df_price must be of type Double",
            },
          },
        ],
        payload: bad,
      },
    ]);
    const many = body("u1", [event(2, { event_items: Array(101).fill({ df_item_id: "x" }) })]);
    expect(s.push(record(3, many), 2)[0]).toMatchObject({
      rows: [{ failure: { code: "TOO_MANY_ITEMS" } }],
    });
    const two = body("u1", [event(3), event(4)]);
    expect(s.push(record(4, two), 3)[0]).toMatchObject({
      payload: two,
      rows: [
        {
          failure: {
            code: "REPLAY_RECORD",
            message: "a dead-letter record stores one event; this payload has 2 events",
          },
        },
      ],
    });
  });

  it("keeps a 64-bit number exactly as it was read", () => {
    const s = new Replay();
    const big = new ExactNumber("9007199254740993");
    s.push(record(2, body("u1", [event(1, { event_properties: { account: big } })])), 1);
    const [out] = s.flush();
    expect(out?.ok === true && out.unit.event_properties.account).toBe(big);
  });

  it("refuses a file that is not a dead-letter file, or a profile one, before anything is sent", () => {
    const notRecord = () =>
      checkReplayCommand({ user_id: "u1" }, "import-events", "orders.ndjson", 1, true);
    expect(notRecord).toThrow(ImporterError);
    expect(notRecord).toThrow(
      "orders.ndjson:1: without --map, the input must be a dead-letter file of import-events",
    );
    const profile = record(7, { identity: { external_id: "u1" }, user_properties: {} });
    expect(() => checkReplayCommand(profile, "import-events", "p.ndjson", 3)).toThrow(
      "p.ndjson:3: this dead-letter record was written by import-profiles (its payload is a user profile): replay the file with import-profiles, not import-events",
    );
  });

  it("fails a later line that is not a dead-letter record, keeping the rest", () => {
    const s = new Replay();
    s.push(record(2, body("u1", [event(1)])), 1);
    const out = s.push({ hello: "x" }, 2);
    expect(out[0]).toMatchObject({ ok: true });
    expect(out[1]).toMatchObject({ ok: false, rows: [{ failure: { code: "REPLAY_RECORD" } }] });
  });
});
