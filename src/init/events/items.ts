/**
 * An event's items. NDJSON: a list of objects in the row (GA4's `items`, `line_items`) is
 * `items.from`, its fields the item properties. CSV: rows that are the lines of orders, an order's
 * id repeating on consecutive rows and never coming back after another order, are grouped by it
 * (`items.group_by`); the columns that vary within an order are the item's, the others the event's.
 * Item properties by meaning: product id, name, price, quantity → the standard `df_` ones.
 */
import { STANDARD_ITEM_PROPERTIES } from "../../api/events.js";
import { jsonReader } from "../../mapping/read.js";
import { isPlainObject } from "../../util/plain-object.js";
import { leafPaths } from "../sample.js";
import { type EventColumns, filled } from "./columns.js";
import { type DraftProperty, PropertyDrafts } from "./properties.js";
import { headerKey, ITEM_PROPERTY_WORDS, LINE_TOTAL, ORDER_ID_HEADER } from "./words.js";

export type Items =
  | {
      readonly kind: "from";
      readonly path: string;
      readonly properties: readonly DraftProperty[];
      readonly evidence: string;
    }
  | {
      readonly kind: "group_by";
      readonly column: string;
      readonly properties: readonly DraftProperty[];
      /** The columns that vary within an order: the items'. */
      readonly itemLevel: ReadonlySet<string>;
      /** A line's total: summed over the order, its df_total_purchase_amount. */
      readonly lineTotal: string | undefined;
      readonly evidence: string;
    };

const ITEMS_NAME = /^(items|products|lineitems|orderitems|상품|상품목록|주문상품)$/;

const itemDrafts = () => new PropertyDrafts(ITEM_PROPERTY_WORDS, STANDARD_ITEM_PROPERTIES);

/** NDJSON: the list of objects in the rows that holds the items, if one does. */
export function findItemList(columns: EventColumns): Items | undefined {
  const { sample } = columns;
  const lists = sample.columns.filter((c) => {
    if (columns.lists.has(c)) return false; // key/value pairs, not items
    const values = columns.cells.get(c) ?? [];
    const elements = values.filter(Array.isArray).flat();
    return elements.length > 0 && elements.every(isPlainObject);
  });
  const path =
    lists.find((c) => ITEMS_NAME.test(headerKey(c))) ?? (lists.length === 1 ? lists[0] : undefined);
  if (path === undefined) return undefined;
  const elements = (columns.cells.get(path) ?? []).filter(Array.isArray).flat() as Record<
    string,
    unknown
  >[];
  const paths = [...new Set(elements.flatMap((e) => leafPaths(e)))];
  const drafts = itemDrafts();
  const properties = paths.map((p, i) => {
    const read = jsonReader(p);
    return drafts.draft(
      p,
      elements.map((e) => read(e)),
      i,
    );
  });
  const rows = (columns.cells.get(path) ?? []).filter((v) => Array.isArray(v) && v.length > 0);
  return {
    kind: "from",
    path,
    properties,
    evidence: `items: ${JSON.stringify(path)} is a list of objects (${elements.length} items in ${rows.length} sample rows), one item each`,
  };
}

/** CSV: the order id whose consecutive rows are one order's lines, if the rows are order lines. */
export function findOrderLines(
  columns: EventColumns,
  taken: ReadonlySet<string>,
): Items | undefined {
  const { sample } = columns;
  const rows = sample.rows.length;
  const texts = (c: string) => (columns.cells.get(c) ?? []).map((v) => filled([v])[0] ?? "");
  for (const column of columns.names) {
    if (!ORDER_ID_HEADER.test(headerKey(column))) continue;
    const values = texts(column);
    const groups = runsOf(values);
    const distinct = new Set(values).size;
    const full = values.every((v) => v !== "");
    if (!full || groups.length !== distinct || groups.length === rows || distinct < 2) continue;
    const itemLevel = new Set(
      columns.names.filter((c) => {
        if (c === column || taken.has(c)) return false;
        const cells = texts(c);
        return groups.some(([from, to]) => cells.slice(from, to).some((v) => v !== cells[from]));
      }),
    );
    if (itemLevel.size === 0) continue;
    const drafts = itemDrafts();
    const lineTotal = [...itemLevel].find((c) => LINE_TOTAL.test(headerKey(c)));
    const properties = [...itemLevel]
      .filter((c) => c !== lineTotal)
      .map((c) => drafts.draft(c, columns.cells.get(c) ?? [], columns.names.indexOf(c)));
    const shown = [...itemLevel].slice(0, 4).map((c) => JSON.stringify(c));
    return {
      kind: "group_by",
      column,
      properties,
      itemLevel,
      lineTotal,
      evidence: `the rows are order lines: ${JSON.stringify(column)} repeats on consecutive rows (${groups.length} orders in ${rows} sample rows, none coming back after another order) and ${itemLevel.size} columns vary within an order (${shown.join(", ")}${itemLevel.size > 4 ? ", …" : ""}): each order is one event, one item per line`,
    };
  }
  return undefined;
}

/** The runs of equal consecutive values, as [from, to) row ranges. */
function runsOf(values: readonly string[]): [number, number][] {
  const runs: [number, number][] = [];
  values.forEach((v, i) => {
    const last = runs.at(-1);
    if (last !== undefined && values[last[0]] === v) last[1] = i + 1;
    else runs.push([i, i + 1]);
  });
  return runs;
}
