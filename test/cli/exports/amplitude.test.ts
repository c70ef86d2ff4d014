import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { ExtendedCatalog } from "../../../src/emulator/index.js";
import { emulatorPerTest } from "../helpers.js";
import { byUserThenTime, ITEM_TYPES, runExport } from "./run-export.js";

const emulator = emulatorPerTest();

/** Amplitude's export (one JSON event a line): the product flat in event_properties, nulls written. */
const AMPLITUDE_MAPPING = `source: { format: ndjson } # Amplitude names its files .json: one event a line
where: "row.user_id != null && !(row.event_type in ['session_start', 'session_end'])"
identity:
  external_id: user_id
event:
  name: { column: event_type, values: { "Product Viewed": view_product, "Order Completed": df_purchase } }
  datetime: { expr: "row.event_time.substring(0, 23)", format: "yyyy-MM-dd HH:mm:ss.SSS" }
  id: uuid
properties:
  session_id: { column: session_id, type: Long }
  # quantity is an int and price a double in CEL: they mix in * as a user expects
  revenue: { expr: "has(row.event_properties.price) ? row.event_properties.price * row.event_properties.quantity : null", type: Double }
items:
  expr: "has(row.event_properties.product_id) ? [row.event_properties] : []"
  properties:
    df_item_id: product_id
    df_item_name: product_name
    df_price: { column: price, type: Double }
    df_quantity: { column: quantity, type: Long }
`;

const ITEMS = ITEM_TYPES;
const CATALOG: ExtendedCatalog = {
  events: {
    view_product: { properties: { session_id: "Long", revenue: "Double" }, items: ITEMS },
    df_purchase: { properties: { session_id: "Long", revenue: "Double" }, items: ITEMS },
  },
};

const TYPES = [
  "session_start",
  "Product Viewed",
  "Order Completed",
  "Product Viewed",
  "session_end",
];

function amplitudeEvent(i: number): Record<string, unknown> {
  const type = TYPES[i % TYPES.length] as string;
  const product = type !== "session_start" && type !== "session_end" && i % 7 !== 3;
  const ms = String(i % 1000).padStart(3, "0");
  return {
    uuid: randomUUID(),
    event_type: type,
    event_time: `2024-06-09 0${i % 10}:1${i % 6}:2${i % 10}.${ms}456`,
    user_id: i % 6 === 5 ? null : `user-${i % 4}`,
    device_id: `device-${i}`,
    session_id: 1_717_900_000_000 + (i % 3),
    event_properties: product
      ? {
          product_id: `P${i}`,
          product_name: `상품 ${i}`,
          price: 9.9 + i,
          quantity: 1 + (i % 2),
          category: "tops",
        }
      : { source: "push" },
    user_properties: { plan: "free" },
    amplitude_id: 9_000_000 + i,
    $insert_id: `ins-${i}`,
  };
}

describe("an Amplitude export (NDJSON)", () => {
  it("sends the flat product of each event as its one item; session events and anonymous users are filtered", async () => {
    const e = await emulator({ catalog: CATALOG });
    const events = Array.from({ length: 40 }, (_, i) => amplitudeEvent(i));
    const text = `${events.map((ev) => JSON.stringify(ev)).join("\n")}\n`;
    const run = await runExport(e, "amplitude_export.json", text, AMPLITUDE_MAPPING);

    const kept = events.filter(
      (ev) =>
        ev.user_id !== null && !["session_start", "session_end"].includes(ev.event_type as string),
    );
    const expected = kept.map((ev) => {
      const props = ev.event_properties as Record<string, unknown>;
      const time = (ev.event_time as string).slice(0, 23).replace(" ", "T");
      return {
        identity: { external_id: ev.user_id as string },
        event_log_id: ev.uuid as string,
        event_name: ev.event_type === "Order Completed" ? "df_purchase" : "view_product",
        event_datetime: new Date(`${time}Z`).toISOString(),
        event_properties: {
          session_id: ev.session_id,
          ...(props.price === undefined
            ? {}
            : { revenue: (props.price as number) * (props.quantity as number) }),
        },
        ...(props.product_id === undefined
          ? {}
          : {
              event_items: [
                {
                  df_item_id: props.product_id,
                  df_item_name: props.product_name,
                  df_price: props.price,
                  df_quantity: props.quantity,
                },
              ],
            }),
      };
    });
    expect(expected.filter((ev) => ev.event_items === undefined).length).toBeGreaterThan(0);
    expect(run.events).toEqual(byUserThenTime(expected));
    expect(run.dead).toEqual([]);
    expect(run.report).toMatchObject({
      rows: 40,
      accepted: kept.length,
      filtered: 40 - kept.length,
      deadLettered: 0,
      notAttempted: 0,
    });
    expect(run.code).toBe(0);
  });
});
