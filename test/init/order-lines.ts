/**
 * A shop's own order lines, exported from its database as CSV: one row per product of an order,
 * an order's lines together. `id` is the line's own id (a serial), `member_id` the buyer's (it
 * repeats across their orders), times written with their offset. Says what a right import sends.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { EventExport, Meant } from "./event-exports.js";

const pad = (n: number) => String(n).padStart(2, "0");
const PRODUCTS = [
  ["P-100", "Linen Shirt", 39.5],
  ["P-200", "Socks", 9],
  ["P-300", "Tote Bag", 15],
] as const;

/** `orders` orders of 1 to 3 lines by 6 members. */
export function orderLines(dir: string, orders = 60): EventExport {
  const lines = ["id,order_id,member_id,ordered_at,product_id,product_name,price,quantity,status"];
  const events: Meant[] = [];
  let id = 90_000;
  for (let o = 0; o < orders; o++) {
    const member = String(1040 + (o % 6));
    const day = 1 + (o % 28);
    const [h, m] = [o % 24, (o * 7) % 60];
    const written = `2024-03-${pad(day)} ${pad(h)}:${pad(m)}:00+09:00`;
    const utc = new Date(Date.UTC(2024, 2, day, h - 9, m)).toISOString();
    const items: Record<string, string | number>[] = [];
    for (let l = 0; l <= o % 3; l++) {
      const [sku, name, price] = PRODUCTS[l] as (typeof PRODUCTS)[number];
      const qty = 1 + ((o + l) % 2);
      lines.push(
        [++id, `ORD-${5000 + o}`, member, written, sku, name, price, qty, "paid"].join(","),
      );
      items.push({ df_item_id: sku, df_item_name: name, df_price: price, df_quantity: qty });
    }
    const properties = { df_order_id: `ORD-${5000 + o}` };
    events.push({ person: member, name: "df_purchase", utc, items, properties });
  }
  const path = join(dir, "order_items.csv");
  writeFileSync(path, `${lines.join("\n")}\n`);
  return { path, rows: id - 90_000, events };
}
