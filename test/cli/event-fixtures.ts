/** Shared by the import-events tests: the command, the catalog, the order export and its mapping. */
import { join } from "node:path";
import type { Emulator, ExtendedCatalog } from "../../src/emulator/index.js";
import { runCli, TOKEN, tempDir, write } from "./helpers.js";

export const importEvents = (argv: readonly string[]) =>
  runCli(argv, { DFINERY_ACCESS_TOKEN: TOKEN }, undefined, "import-events");

export const CATALOG: ExtendedCatalog = {
  events: {
    df_purchase: {
      properties: { df_order_id: "String", df_total_purchase_amount: "Double" },
      items: { df_item_id: "String", df_price: "Double", df_quantity: "Long" },
    },
    df_sign_up: {},
  },
};

export const ORDERS_MAPPING = `identity: { external_id: user_id }
event:
  name: { column: type, values: { order: df_purchase, signup: df_sign_up } }
  datetime: { column: created_at, format: epoch_ms }
properties:
  df_order_id: order_id
  df_total_purchase_amount: { column: total, type: Double }
items:
  from: line_items
  properties:
    df_item_id: sku
    df_price: { column: price, type: Double }
    df_quantity: { column: qty, type: Long }
`;

/** The orders mapping plus df_keyword, which the catalog does not register for df_purchase. */
export const KEYWORD_MAPPING = ORDERS_MAPPING.replace(
  "  df_order_id: order_id",
  "  df_order_id: order_id\n  df_keyword: keyword",
);

export const T0 = Date.UTC(2024, 4, 14, 6, 0, 0);
/** Orders of `users` users, time-ordered and interleaved: order i is user i % users. */
export function ordersNdjson(count: number, users: number, bad: ReadonlySet<number> = new Set()) {
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const signup = i % 7 === 0;
    lines.push(
      JSON.stringify({
        user_id: `u${i % users}`,
        type: signup ? "signup" : "order",
        created_at: T0 + i * 1000,
        ...(signup
          ? {}
          : {
              order_id: `o${i}`,
              total: 1000 + i,
              ...(bad.has(i) ? { keyword: "unregistered" } : {}),
              line_items: [
                { sku: `S${i}`, price: 500, qty: 2 },
                { sku: `T${i}`, price: 500.5, qty: 1 },
              ],
            }),
      }),
    );
  }
  return `${lines.join("\n")}\n`;
}

export function flags(dir: string, url: string, extra: string[] = []): string[] {
  return [
    ...["--endpoint", url, "--service-id", "test-service"],
    ...["--dead-letter", join(dir, "dl.ndjson"), "--report", join(dir, "report.json")],
    ...["--log", join(dir, "log.ndjson"), "--batch-wait", "50ms", ...extra],
  ];
}

/** Orders in CSV, one row per item: `items.group_by: order_id`. */
export const GROUPED_MAPPING = `identity: { external_id: user_id }
event:
  name: { value: df_purchase }
  datetime: { column: created_at }
properties:
  df_order_id: order_id
items:
  group_by: order_id
  properties:
    df_item_id: sku
    df_quantity: { column: qty, type: Long }
`;

/** import-events on a CSV of order rows (under `user_id,order_id,created_at,sku,qty`) with GROUPED_MAPPING. */
export async function importOrderRows(url: string, rows: readonly string[], extra: string[] = []) {
  const dir = tempDir();
  const csv = ["user_id,order_id,created_at,sku,qty", ...rows].join("\n");
  const input = write(dir, "orders.csv", `${csv}\n`);
  const map = write(dir, "events.yaml", GROUPED_MAPPING);
  const result = await importEvents([input, "--map", map, ...flags(dir, url, extra)]);
  return { dir, result };
}

/** The orders the emulator took, in arrival order: each as its user, its order id and its items' ids. */
export const ordersTaken = (e: Emulator) =>
  e.store
    .events()
    .map((s) => [
      s.identity.external_id,
      s.event.event_properties.df_order_id,
      s.event.event_items?.map((i) => i.df_item_id),
    ]);

/** ordersTaken by user (the sort is stable): a user's order kept, whatever order users' requests came in. */
export const ordersByUser = (e: Emulator) =>
  ordersTaken(e).sort((a, b) => String(a[0]).localeCompare(String(b[0])));
