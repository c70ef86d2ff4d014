import { describe, expect, it } from "vitest";
import type { ExtendedCatalog } from "../../../src/emulator/index.js";
import { emulatorPerTest } from "../helpers.js";
import { byUserThenTime, ITEM_TYPES, runExport } from "./run-export.js";

const emulator = emulatorPerTest();

/** GA4's BigQuery export as NDJSON: µs times and INT64s as strings, parameters as key/value lists, NULLs left out. */
const GA4_MAPPING = `where: "has(row.user_id) && !(row.event_name in ['session_start', 'first_visit', 'user_engagement'])"
identity:
  external_id: user_id
event:
  name: { column: event_name, values: { page_view: view_page, purchase: df_purchase } }
  datetime: { column: event_timestamp, format: epoch_us }
properties:
  page_location: event_params[key=page_location].value.string_value
  page_title: event_params[key=page_title].value.string_value
  ga_session_id: { column: "event_params[key=ga_session_id].value.int_value", type: Long }
  engagement_time_msec: { column: "event_params[key=engagement_time_msec].value.int_value", type: Long }
  df_order_id: event_params[key=transaction_id].value.string_value
  df_total_purchase_amount: { column: "event_params[key=value].value.double_value", type: Double }
items:
  from: items
  properties:
    df_item_id: item_id
    df_item_name: item_name
    df_price: { column: price, type: Double }
    df_quantity: { column: quantity, type: Long }
`;

const PAGE = {
  page_location: "String",
  page_title: "String",
  ga_session_id: "Long",
  engagement_time_msec: "Long",
} as const;
const CATALOG: ExtendedCatalog = {
  events: {
    view_page: { properties: PAGE },
    df_purchase: {
      properties: { ...PAGE, df_order_id: "String", df_total_purchase_amount: "Double" },
      items: ITEM_TYPES,
    },
  },
};

const T0_US = 1_717_900_000_000_000n; // 2024-06-09T02:26:40Z, in microseconds
const NAMES = [
  "session_start",
  "first_visit",
  "page_view",
  "user_engagement",
  "page_view",
  "purchase",
];

type Param = { key: string; value: Record<string, string | number> };

/** Event i of the export: user u{i%3}, every 4th a visitor without user_id; parameters in no fixed order. */
function ga4Event(i: number): Record<string, unknown> {
  const name = i === 13 ? "scroll" : (NAMES[i % NAMES.length] as string);
  const params: Param[] = [
    { key: "ga_session_id", value: { int_value: String(1_717_899_000 + (i % 3)) } },
    { key: "page_location", value: { string_value: `https://shop.example.com/p/${i}` } },
    { key: "page_title", value: { string_value: `상품 ${i}` } },
    { key: "engagement_time_msec", value: { int_value: String(100 * i) } },
  ];
  if (name === "purchase") {
    params.push({ key: "transaction_id", value: { string_value: `T${i}` } });
    params.push({ key: "value", value: { double_value: 25.5 + i } });
  }
  const shifted = [...params.slice(i % params.length), ...params.slice(0, i % params.length)];
  return {
    event_date: "20240609",
    event_timestamp: String(T0_US + BigInt(i) * 1_000_123n),
    event_name: name,
    event_params: shifted,
    ...(i % 4 === 3 ? {} : { user_id: `u${i % 3}` }),
    user_pseudo_id: `${1000 + i}.1717899000`,
    device: { category: "mobile", operating_system: "Android" },
    geo: { country: "South Korea", city: "Seoul" },
    items:
      name === "purchase"
        ? [
            { item_id: `SKU${i}`, item_name: "티셔츠", price: 12.5, quantity: "1" },
            { item_id: `SKU${i + 1}`, item_name: "양말", price: 13, quantity: "2" },
          ]
        : [],
  };
}

describe("a GA4 BigQuery export (NDJSON)", () => {
  it("sends page views and purchases with their parameters found by key; automatic events and visitors without user_id are filtered", async () => {
    const e = await emulator({ catalog: CATALOG });
    const events = Array.from({ length: 48 }, (_, i) => ga4Event(i));
    const text = `${events.map((ev) => JSON.stringify(ev)).join("\n")}\n`;
    const run = await runExport(e, "events_20240609.ndjson", text, GA4_MAPPING);

    const expected = events.flatMap((ev, i) => {
      const name = ev.event_name as string;
      if (ev.user_id === undefined || !["page_view", "purchase"].includes(name)) return [];
      const ms = Number((T0_US + BigInt(i) * 1_000_123n) / 1000n);
      const purchase = name === "purchase";
      return [
        {
          identity: { external_id: `u${i % 3}` },
          event_log_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
          event_name: purchase ? "df_purchase" : "view_page",
          event_datetime: new Date(ms).toISOString(),
          event_properties: {
            page_location: `https://shop.example.com/p/${i}`,
            page_title: `상품 ${i}`,
            ga_session_id: 1_717_899_000 + (i % 3),
            engagement_time_msec: 100 * i,
            ...(purchase ? { df_order_id: `T${i}`, df_total_purchase_amount: 25.5 + i } : {}),
          },
          ...(purchase
            ? {
                event_items: [
                  { df_item_id: `SKU${i}`, df_item_name: "티셔츠", df_price: 12.5, df_quantity: 1 },
                  { df_item_id: `SKU${i + 1}`, df_item_name: "양말", df_price: 13, df_quantity: 2 },
                ],
              }
            : {}),
        },
      ];
    });
    expect(expected.length).toBeGreaterThan(10);
    expect(run.events).toEqual(byUserThenTime(expected));
    // Line 14, scroll, is a named event the mapping does not send: a dead letter, not filtered.
    expect(run.dead).toEqual([
      expect.objectContaining({
        line: 14,
        error: expect.objectContaining({
          stage: "mapping",
          code: "UNMAPPED_VALUE",
          field: "event.name",
          message:
            'column "event_name": "scroll" is not in the values table (expected "page_view", "purchase")',
        }),
      }),
    ]);
    const filtered = events.filter(
      (ev, i) =>
        i !== 13 &&
        (ev.user_id === undefined ||
          ["session_start", "first_visit", "user_engagement"].includes(ev.event_name as string)),
    ).length;
    expect(run.report).toMatchObject({
      rows: 48,
      accepted: expected.length,
      filtered,
      deadLettered: 1,
      notAttempted: 0,
    });
    expect(expected.length + filtered + 1).toBe(48);
    expect(run.stdout).toContain(`${filtered} filtered`);
    expect(run.code).toBe(1); // the dead letter, not the filtered rows
  });
});
