/**
 * What replaying a dead-letter file adds for events alone: 64-bit numbers and ids kept exact, a
 * CSV item group's event sent once for all its rows, a stored event checked against the API's
 * rules. What replaying does for every kind: replay.test.ts.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ExtendedCatalog } from "../../src/emulator/index.js";
import { ExactNumber, parseJson } from "../../src/util/exact-number.js";
import { importEvents } from "./event-fixtures.js";
import { emulatorPerTest, readJson, readNdjson, tempDir, write } from "./helpers.js";

const PURCHASE = {
  properties: { df_order_id: "String", account: "Long" },
  items: { df_item_id: "String", df_price: "Double" },
} as const;
/** df_keyword is not registered: events that carry one are refused (40001). */
const CATALOG: ExtendedCatalog = { events: { df_purchase: PURCHASE } };
const FIXED: ExtendedCatalog = {
  events: {
    df_purchase: { ...PURCHASE, properties: { ...PURCHASE.properties, df_keyword: "String" } },
  },
};

const MAPPING = `identity: { external_id: user_id }
event:
  name: { value: df_purchase }
  datetime: { column: created_at, format: epoch_ms }
properties:
  df_order_id: order_id
  df_keyword: keyword
  account: { column: account, type: Long }
items:
  from: line_items
  properties:
    df_item_id: sku
    df_price: { column: price, type: Double }
`;

const T0 = Date.UTC(2024, 4, 14, 6, 0, 0);
/** Orders of 4 users, interleaved; those in `keyword` carry an unregistered df_keyword. */
function orders(count: number, keyword: ReadonlySet<number> = new Set()): string {
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const order = {
      user_id: `u${i % 4}`,
      created_at: T0 + i * 1000,
      order_id: `o${i}`,
      ...(keyword.has(i) ? { keyword: `k${i}` } : {}),
      line_items: [{ sku: `S${i}`, price: 9.5 }],
    };
    // A 64-bit account number JSON.parse would round (…993 → …992).
    lines.push(JSON.stringify(order).replace(/}$/, `,"account":${9007199254740993n + BigInt(i)}}`));
  }
  return `${lines.join("\n")}\n`;
}

function flags(dir: string, url: string, dead: string, extra: string[] = []): string[] {
  return [
    ...["--endpoint", url, "--service-id", "test-service", "--batch-wait", "20ms"],
    ...["--dead-letter", join(dir, dead), "--report", join(dir, "report.json")],
    ...["--log", join(dir, "log.ndjson"), ...extra],
  ];
}

const emulator = emulatorPerTest();

/** import-events without --map: dir/dl.ndjson sent again, what fails again to dir/dl2.ndjson. */
const replayWithoutMap = (dir: string, url: string) =>
  importEvents([join(dir, "dl.ndjson"), ...flags(dir, url, "dl2.ndjson")]);

/** An NDJSON file read as the importer reads it: 64-bit numbers kept exact. */
// biome-ignore lint/suspicious/noExplicitAny: records are checked field by field
const readExactly = (path: string): any[] =>
  readFileSync(path, "utf8")
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => parseJson(l));

describe("import-events replays its dead-letter file without --map", () => {
  it("sends the refused events again exactly as stored, once the catalog registers them", async () => {
    const dir = tempDir();
    const input = write(dir, "orders.ndjson", orders(40, new Set([5, 6, 21])));
    const map = write(dir, "events.yaml", MAPPING);
    const first = await emulator({ catalog: CATALOG });
    expect(
      (await importEvents([input, "--map", map, ...flags(dir, first.url, "dl.ndjson")])).code,
    ).toBe(1);
    expect(first.store.eventCount()).toBe(37);
    const dead = readNdjson(join(dir, "dl.ndjson"));
    // Users' batches go at once: their dead letters come in the order their answers do.
    expect(dead.map((d) => [d.line, d.error.code]).sort((a, b) => a[0] - b[0])).toEqual([
      [6, "40001"],
      [7, "40001"],
      [22, "40001"],
    ]);
    // The dead-letter file keeps the 64-bit number as the input wrote it.
    expect(readFileSync(join(dir, "dl.ndjson"), "utf8")).toContain('"account":9007199254740998');

    const fixed = await emulator({ catalog: FIXED });
    const result = await replayWithoutMap(dir, fixed.url);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    // Exactly the stored events, with their identity and ids, each once; the number exact.
    const stored = readExactly(join(dir, "dl.ndjson"));
    const byId = (a: { event: { event_log_id: string } }, b: typeof a) =>
      a.event.event_log_id.localeCompare(b.event.event_log_id);
    const arrived = fixed.store.events().map((s) => ({ identity: s.identity, event: s.event }));
    expect(arrived.sort(byId)).toEqual(
      stored
        .map((d) => ({ identity: d.payload.common.identity, event: d.payload.events[0] }))
        .sort(byId),
    );
    const o21 = arrived.find((a) => a.event.event_properties.df_order_id === "o21");
    expect(o21?.event.event_properties).toEqual({
      df_order_id: "o21",
      df_keyword: "k21",
      account: new ExactNumber("9007199254741014"),
    });
    expect(fixed.store.duplicateEvents()).toBe(0);
    expect(readJson(join(dir, "report.json"))).toMatchObject({
      rows: 3,
      accepted: 3,
      deadLettered: 0,
      notAttempted: 0,
    });
  });

  it("sends a CSV item group's event once, for all its rows", async () => {
    const dir = tempDir();
    const csv = [
      "user_id,order_id,created_at,sku",
      "u1,o1,2024-05-14T06:00:00Z,A",
      "u1,o1,2024-05-14T06:00:00Z,B",
      "u2,o2,2024-05-14T06:01:00Z,C",
    ].join("\n");
    const input = write(dir, "orders.csv", `${csv}\n`);
    const map = write(
      dir,
      "events.yaml",
      `identity: { external_id: user_id }
event: { name: { value: df_purchase }, datetime: created_at }
properties: { df_order_id: order_id }
items: { group_by: order_id, properties: { df_item_id: sku } }
`,
    );
    const failing = await emulator({ catalog: CATALOG, failRate: 1 });
    const args = flags(dir, failing.url, "dl.ndjson", ["--max-attempts", "1"]);
    expect((await importEvents([input, "--map", map, ...args])).code).toBe(1);
    expect(readNdjson(join(dir, "dl.ndjson")).map((d) => d.line)).toEqual([2, 3, 4]);

    const healthy = await emulator({ catalog: CATALOG });
    const result = await replayWithoutMap(dir, healthy.url);
    expect(result.code).toBe(0);
    expect(
      healthy.store.events().map((s) => [s.identity.external_id, s.event.event_items]),
    ).toEqual([
      ["u1", [{ df_item_id: "A" }, { df_item_id: "B" }]],
      ["u2", [{ df_item_id: "C" }]],
    ]);
    expect(readJson(join(dir, "report.json"))).toMatchObject({ rows: 3, accepted: 3 });
  });

  it("checks each stored event against the API's rules: a broken one is dead-lettered, not sent", async () => {
    const dir = tempDir();
    const record = (line: number, price: unknown) =>
      JSON.stringify({
        occurrence: line, // the n-th identical event of the first run: kept for the next replay
        line,
        row: { user_id: "u1" },
        payload: {
          common: { identity: { external_id: "u1" } },
          events: [
            {
              event_log_id: `00000000-0000-5000-8000-00000000000${line}`,
              event_name: "df_purchase",
              event_datetime: "2024-05-14T06:00:00.000Z",
              event_properties: {},
              event_items: [{ df_item_id: "A", df_price: price }],
            },
          ],
        },
        error: { stage: "api", code: "HTTP_500", message: "server error" },
        attempts: 6,
        at: "2026-11-29T00:00:00.000Z",
        format: "ndjson",
      });
    const input = write(dir, "old.ndjson", `${[record(2, 9.5), record(3, "9,500")].join("\n")}\n`);
    const e = await emulator({ catalog: CATALOG });
    const result = await importEvents([input, ...flags(dir, e.url, "dl.ndjson")]);
    expect(result.code).toBe(1);
    expect(e.store.stats().requests).toBe(1);
    expect(e.store.events().map((s) => s.event.event_items)).toEqual([
      [{ df_item_id: "A", df_price: 9.5 }],
    ]);
    const failed = readNdjson(join(dir, "dl.ndjson"));
    expect(failed.map((r) => [r.line, r.occurrence, r.error])).toEqual([
      [
        3,
        3,
        {
          stage: "mapping",
          code: "INVALID_VALUE",
          message:
            "the stored event breaks the API's rules: events[0]: event_items[0]: item property df_price must be of type Double",
        },
      ],
    ]);
  });
});
