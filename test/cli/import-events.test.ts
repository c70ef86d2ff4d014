import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { EventsRequestBody } from "../../src/api/events.js";
import { eventId } from "../../src/mapping/event-id.js";
import { seeded } from "../emulator/helpers.js";
import {
  CATALOG,
  flags,
  GROUPED_MAPPING,
  importEvents,
  importOrderRows,
  KEYWORD_MAPPING,
  ORDERS_MAPPING,
  ordersNdjson,
  T0,
} from "./event-fixtures.js";
import { emulatorPerTest, readJson, readNdjson, tempDir, write } from "./helpers.js";
import { answer, hostileServerPerTest } from "./hostile-server.js";

const emulator = emulatorPerTest();
const hostile = hostileServerPerTest();

describe("import-events", () => {
  it("sends an NDJSON order export with nested line items, batched per user, each event once", async () => {
    const e = await emulator({ catalog: CATALOG });
    const dir = tempDir();
    const input = write(dir, "orders.ndjson", ordersNdjson(300, 10));
    const map = write(dir, "events.yaml", ORDERS_MAPPING);
    const result = await importEvents([input, "--map", map, ...flags(dir, e.url)]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(e.store.eventCount()).toBe(300);
    expect(e.store.duplicateEvents()).toBe(0);
    // 10 users, 30 events each: a handful of requests, not 300.
    expect(e.store.stats().requests).toBeLessThan(60);
    const first = e.store.events().find((s) => s.event.event_properties.df_order_id === "o1");
    expect(first?.identity).toEqual({ external_id: "u1" });
    expect(first?.event).toMatchObject({
      event_name: "df_purchase",
      event_datetime: new Date(T0 + 1000).toISOString(),
      event_properties: { df_order_id: "o1", df_total_purchase_amount: 1001 },
      event_items: [
        { df_item_id: "S1", df_price: 500, df_quantity: 2 },
        { df_item_id: "T1", df_price: 500.5, df_quantity: 1 },
      ],
    });
    // A user's events arrive in file order.
    const u3 = e.store.events().filter((s) => s.identity.external_id === "u3");
    const times = u3.map((s) => s.event.event_datetime);
    expect(times).toEqual([...times].sort());
    expect(readJson(join(dir, "report.json"))).toMatchObject({
      rows: 300,
      accepted: 300,
      deadLettered: 0,
      notAttempted: 0,
    });
  });

  it("dead-letters only the events the API refuses, found by splitting the refused batch", async () => {
    const e = await emulator({ catalog: CATALOG });
    const dir = tempDir();
    // df_keyword is not registered for df_purchase: the API refuses these four events.
    const input = write(dir, "orders.ndjson", ordersNdjson(200, 4, new Set([8, 50, 51, 130])));
    const map = write(dir, "events.yaml", KEYWORD_MAPPING);
    const result = await importEvents([input, "--map", map, ...flags(dir, e.url)]);
    expect(result.code).toBe(1);
    const dead = readNdjson(join(dir, "dl.ndjson"));
    expect(dead.map((d) => d.line).sort((a, b) => a - b)).toEqual([9, 51, 52, 131]);
    expect(dead[0]).toMatchObject({
      error: { stage: "api", code: "40001" },
      payload: { common: { identity: expect.any(Object) }, events: [expect.any(Object)] },
    });
    expect(e.store.eventCount()).toBe(196);
    expect(e.store.duplicateEvents()).toBe(0);
  });

  it("replays its dead-letter file: the refused events, mapped again, with the same ids", async () => {
    const e = await emulator({ catalog: CATALOG });
    const dir = tempDir();
    const input = write(dir, "orders.ndjson", ordersNdjson(40, 4, new Set([8, 22])));
    const map = write(dir, "events.yaml", KEYWORD_MAPPING);
    expect((await importEvents([input, "--map", map, ...flags(dir, e.url)])).code).toBe(1);
    const dead = readNdjson(join(dir, "dl.ndjson"));
    // Two users' batches, in flight at once: the file holds the refusals in the order they came.
    expect(dead.map((d) => d.line).sort((x, y) => x - y)).toEqual([9, 23]);
    // df_keyword registered for df_purchase now: the replay is accepted.
    const purchase = CATALOG.events?.df_purchase;
    const fixed = await emulator({
      catalog: {
        events: {
          ...CATALOG.events,
          df_purchase: {
            ...purchase,
            properties: { ...purchase?.properties, df_keyword: "String" },
          },
        },
      },
    });
    const replayFlags = flags(dir, fixed.url).map((f) =>
      f.endsWith("dl.ndjson") ? join(dir, "dl2.ndjson") : f,
    );
    const replay = await importEvents([join(dir, "dl.ndjson"), "--map", map, ...replayFlags]);
    expect(replay.code).toBe(0);
    expect(
      fixed.store
        .events()
        .map((s) => s.event.event_log_id)
        .sort(),
    ).toEqual(dead.map((d) => d.payload.events[0].event_log_id).sort());
    expect(readJson(join(dir, "report.json"))).toMatchObject({ rows: 2, accepted: 2 });
  });

  it("gives identical rows distinct ids, the same on every run: none is taken for another", async () => {
    const [, a, b] = ordersNdjson(3, 3).split("\n") as [string, string, string];
    // Row a three times (a duplicated export line, identical purchases in one second).
    const text = `${[a, b, a, a].join("\n")}\n`;
    const dir = tempDir();
    const map = write(dir, "events.yaml", ORDERS_MAPPING);
    const idsOf = async () => {
      const e = await emulator({ catalog: CATALOG });
      const input = write(dir, "orders.ndjson", text);
      expect((await importEvents([input, "--map", map, ...flags(dir, e.url)])).code).toBe(0);
      expect(e.store.eventCount()).toBe(4);
      expect(e.store.duplicateEvents()).toBe(0);
      return e.store.events().filter((s) => s.identity.external_id === "u1");
    };
    const stored = await idsOf();
    const first = stored[0]?.event;
    if (first === undefined) throw new Error("no event of u1");
    const parts = {
      identity: { external_id: "u1" },
      name: first.event_name,
      datetime: first.event_datetime,
      properties: first.event_properties,
      items: first.event_items,
    };
    const ids = stored.map((s) => s.event.event_log_id);
    expect(ids).toEqual([eventId(parts), eventId(parts, 2), eventId(parts, 3)]);
    expect(stored.map((s) => ({ ...s.event, event_log_id: "" }))).toEqual([
      { ...first, event_log_id: "" },
      { ...first, event_log_id: "" },
      { ...first, event_log_id: "" },
    ]);
    expect((await idsOf()).map((s) => s.event.event_log_id)).toEqual(ids);
  });

  it("replays a refused 2nd occurrence with its own id, not the accepted first's", async () => {
    // The first request (row 1 and 49 other orders of u0: 100 items) is accepted, the next (row 1
    // again) refused.
    const server = await hostile((n, _req, res) =>
      n === 0 ? answer(res, 200, "20000") : answer(res, 400, "40001"),
    );
    const orders = ordersNdjson(700, 5).split("\n");
    const u0 = orders.filter((line) => line.includes('"u0"') && line.includes('"order"'));
    const rows = [...u0.slice(0, 50), u0[0]];
    const dir = tempDir();
    const input = write(dir, "orders.ndjson", `${rows.join("\n")}\n`);
    const map = write(dir, "events.yaml", ORDERS_MAPPING);
    expect((await importEvents([input, "--map", map, ...flags(dir, server.url)])).code).toBe(1);
    const firstId = (server.requests[0] as EventsRequestBody).events[0]?.event_log_id;
    const dead = readNdjson(join(dir, "dl.ndjson"));
    expect(dead.map((d) => [d.line, d.occurrence, d.error.code])).toEqual([[51, 2, "40001"]]);
    const refusedId = dead[0].payload.events[0].event_log_id;
    expect(refusedId).not.toBe(firstId);
    const e = await emulator({ catalog: CATALOG });
    const replayFlags = flags(dir, e.url).map((f) =>
      f.endsWith("dl.ndjson") ? join(dir, "dl2.ndjson") : f,
    );
    const replay = await importEvents([join(dir, "dl.ndjson"), "--map", map, ...replayFlags]);
    expect(replay.code).toBe(0);
    expect(e.store.events().map((s) => s.event)).toEqual(dead[0].payload.events);
  });

  it("splits a batch refused 40402 (a server with a smaller limit) and dead-letters an event refused 40402 alone", async () => {
    // This server takes at most 2 events a request, and never order o9's (its items are too many).
    const server = await hostile((_n, _req, res, body) => {
      const { events } = JSON.parse(body) as EventsRequestBody;
      const o9 = events.some((e) => e.event_properties?.df_order_id === "o9");
      answer(res, 200, events.length > 2 || o9 ? "40402" : "20000");
    });
    const dir = tempDir();
    const input = write(dir, "orders.ndjson", ordersNdjson(30, 3));
    const map = write(dir, "events.yaml", ORDERS_MAPPING);
    const result = await importEvents([input, "--map", map, ...flags(dir, server.url)]);
    expect(result.stderr).not.toMatch(/internal error|\bat /);
    expect(result.code).toBe(1);
    const dead = readNdjson(join(dir, "dl.ndjson"));
    expect(dead.map((d) => [d.line, d.error.code])).toEqual([[10, "40402"]]);
    expect(readJson(join(dir, "report.json"))).toMatchObject({
      rows: 30,
      accepted: 29,
      deadLettered: 1,
      notAttempted: 0,
    });
    // Every event reached the server in a request it took, once: none lost, none twice.
    const taken = server.requests
      .map((r) => (r as EventsRequestBody).events)
      .filter(
        (events) =>
          events.length <= 2 && !events.some((e) => e.event_properties?.df_order_id === "o9"),
      )
      .flat();
    expect(taken).toHaveLength(29);
    expect(new Set(taken.map((e) => e.event_log_id)).size).toBe(29);
  });

  it("sends each body as the bytes of its JSON text, a Long beyond 2^53 with its digits", async () => {
    const bodies: string[] = [];
    const server = await hostile((_n, _req, res, body) => {
      bodies.push(body);
      answer(res, 200, "20000");
    });
    const dir = tempDir();
    const orders = ordersNdjson(40, 3).split("\n").filter(Boolean);
    // Order o5's quantity (a Long) is past what a double holds: its body is written exactly.
    orders[5] = (orders[5] as string).replace('"qty":2', '"qty":9007199254740993');
    orders[6] = (orders[6] as string).replace('"sku":"S6"', '"sku":"S6 \\"한글\\" \\u0001 😀"');
    const input = write(dir, "orders.ndjson", `${orders.join("\n")}\n`);
    const map = write(dir, "events.yaml", ORDERS_MAPPING);
    expect((await importEvents([input, "--map", map, ...flags(dir, server.url)])).code).toBe(0);
    expect(bodies.length).toBeGreaterThan(2);
    const exact = bodies.filter((body) => body.includes('"df_quantity":9007199254740993'));
    expect(exact).toHaveLength(1);
    for (const body of bodies) {
      if (exact.includes(body)) continue;
      expect(body).toBe(JSON.stringify(JSON.parse(body))); // the text JSON.stringify writes
    }
    expect(bodies.join("")).toContain('"df_item_id":"S6 \\"한글\\" \\u0001 😀"');
  });

  it("a CSV with grouped item rows: one event per order, one item per row", async () => {
    const e = await emulator({ catalog: CATALOG });
    const { dir, result } = await importOrderRows(e.url, [
      "u1,o1,2024-05-14T06:00:00Z,A,1",
      "u1,o1,2024-05-14T06:00:00Z,B,2",
      "u2,o2,2024-05-14T06:01:00Z,C,1",
      "u1,o3,2024-05-14T06:02:00Z,D,1",
      "u9,o3,2024-05-14T06:02:00Z,E,1",
    ]);
    expect(result.code).toBe(1);
    expect(e.store.events().map((s) => [s.identity.external_id, s.event.event_items])).toEqual([
      [
        "u1",
        [
          { df_item_id: "A", df_quantity: 1 },
          { df_item_id: "B", df_quantity: 2 },
        ],
      ],
      ["u2", [{ df_item_id: "C", df_quantity: 1 }]],
    ]);
    const dead = readNdjson(join(dir, "dl.ndjson"));
    expect(dead.map((d) => [d.line, d.error.code])).toEqual([
      [5, "GROUP_FAILED"],
      [6, "GROUP_MISMATCH"],
    ]);
    expect(readJson(join(dir, "report.json"))).toMatchObject({
      rows: 5,
      accepted: 3,
      deadLettered: 2,
    });
  });

  it("a CSV row that cannot be read inside an order fails the whole order; fixed, it goes whole, once", async () => {
    const e = await emulator({ catalog: CATALOG });
    const dir = tempDir();
    const rows = (b: string) =>
      [
        "user_id,order_id,created_at,sku,qty",
        "u1,o1,2024-05-14T06:00:00Z,A,1",
        b,
        "u1,o1,2024-05-14T06:00:00Z,C,3",
        "u2,o2,2024-05-14T06:01:00Z,D,1",
      ].join("\n");
    const input = write(dir, "orders.csv", `${rows("u1,o1,2024-05-14T06:00:00Z,B,2,extra")}\n`);
    const map = write(dir, "events.yaml", GROUPED_MAPPING);
    const state = ["--state", join(dir, "state.db")];
    const first = await importEvents([input, "--map", map, ...flags(dir, e.url, state)]);
    expect(first.code).toBe(1);
    expect(e.store.events().map((s) => s.event.event_properties?.df_order_id)).toEqual(["o2"]);
    const dead = readNdjson(join(dir, "dl.ndjson"));
    expect(dead.map((d) => [d.line, d.error.code])).toEqual([
      [2, "GROUP_FAILED"],
      [3, "CSV_COLUMN_COUNT"],
      [4, "GROUP_FAILED"],
    ]);
    expect(readJson(join(dir, "report.json"))).toMatchObject({
      rows: 4,
      accepted: 1,
      deadLettered: 3,
    });

    write(dir, "orders.csv", `${rows("u1,o1,2024-05-14T06:00:00Z,B,2")}\n`); // fixed
    const second = await importEvents([input, "--map", map, ...flags(dir, e.url, state)]);
    expect(second.code).toBe(0);
    const o1 = e.store.events().filter((s) => s.event.event_properties?.df_order_id === "o1");
    expect(o1.map((s) => s.event.event_items?.map((i) => i.df_item_id))).toEqual([["A", "B", "C"]]);
    expect(readJson(join(dir, "report.json"))).toMatchObject({
      rows: 4,
      accepted: 3,
      unchanged: 1,
    });
  });

  it("retries transient faults: every event accepted, none lost", async () => {
    const e = await emulator({ catalog: CATALOG, failRate: 0.2, random: seeded(7) });
    const dir = tempDir();
    const input = write(dir, "orders.ndjson", ordersNdjson(400, 50));
    const map = write(dir, "events.yaml", ORDERS_MAPPING);
    const result = await importEvents([
      input,
      "--map",
      map,
      ...flags(dir, e.url, ["--max-attempts", "10"]),
    ]);
    expect(result.code).toBe(0);
    const ids = new Set(e.store.events().map((s) => s.event.event_log_id));
    expect(ids.size).toBe(400);
  });

  it("--dry-run --sample prints the request bodies, sends nothing, needs no token", async () => {
    const dir = tempDir();
    const input = write(dir, "orders.ndjson", ordersNdjson(20, 2));
    const map = write(dir, "events.yaml", ORDERS_MAPPING);
    const result = await importEvents([
      input,
      "--map",
      map,
      "--dry-run",
      "--sample",
      "1",
      "--dead-letter",
      join(dir, "dl.ndjson"),
    ]);
    expect(result.code).toBe(0);
    const [first, summary] = result.stdout.split("\n");
    const body = JSON.parse(first as string);
    expect(body.common).toEqual({ identity: { external_id: "u0" } });
    expect(body.events).toHaveLength(10);
    expect(summary).toMatch(/dry run: 20 rows .*20 valid/);
  });

  it("refuses a profile mapping", async () => {
    const dir = tempDir();
    const input = write(dir, "orders.ndjson", ordersNdjson(2, 1));
    const map = write(dir, "m.yaml", "identity: { external_id: user_id }\nproperties: { x: y }\n");
    const result = await importEvents([input, "--map", map, "--dry-run"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `${map}: no event section: \`dfinery-import events\` maps rows to events (docs/events.md); user profiles go through \`dfinery-import profiles\`\n`,
    );
  });
});
