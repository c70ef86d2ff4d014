/**
 * The event's name: a column named like one (`event_name`, `event_type`, `이벤트명`), or whose
 * values are event names DFINERY knows, with a `values` table from each name in the sample to the
 * standard `df_` event it means (`purchase` → `df_purchase`, `Order Completed` → `df_purchase`), the
 * others kept as they are written (custom events, registered in the console) or, when that is no
 * valid name, a TODO_. A file of order lines without such a column is purchases: a constant.
 */
import { PROPERTY_NAME } from "../../mapping/schema.js";
import { type EventColumns, filled } from "./columns.js";
import { EVENT_NAME_HEADER, headerKey, standardEvent } from "./words.js";

export interface NameEntry {
  readonly from: string;
  readonly to: string;
  readonly note: string;
}

export type EventName =
  | {
      readonly kind: "column";
      readonly column: string;
      readonly values: readonly NameEntry[];
      readonly evidence: string;
    }
  | { readonly kind: "constant"; readonly value: string; readonly evidence: string };

const STATUS = /상태|status|state/i;

/** At most this many names in a values table: more is not a column of event names. */
const MAX_NAMES = 200;

export function findEventName(columns: EventColumns, orders: string | undefined): EventName {
  const column = nameColumn(columns);
  if (column !== undefined) {
    const names = [...new Set(filled(columns.cells.get(column) ?? []))];
    const values = names.map((from): NameEntry => {
      const standard = standardEvent(from);
      if (standard !== undefined) return { from, to: standard, note: "the standard event" };
      if (PROPERTY_NAME.test(from) && !from.startsWith("df_")) {
        return {
          from,
          to: from,
          note: "no standard event: register it in the console, or leave it out with where",
        };
      }
      const todo = `TODO_${from
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, "_")
        .replace(/^_+|_+$/g, "")}`;
      return {
        from,
        to: todo,
        note: "no standard event, and no valid event name as written: write its name as registered in the console",
      };
    });
    const standard = values.filter((v) => v.note === "the standard event").length;
    return {
      kind: "column",
      column,
      values,
      evidence: `the event's name: ${JSON.stringify(column)} holds ${names.length} event names, ${standard} of them standard; a name not in this table fails its row (UNMAPPED_VALUE)`,
    };
  }
  if (orders !== undefined) {
    return {
      kind: "constant",
      value: "df_purchase",
      evidence: `no column of event names, and the rows are the lines of orders (${orders}): each order is one purchase`,
    };
  }
  return {
    kind: "constant",
    value: "TODO_event_name",
    evidence:
      "TODO: no column of event names (event_name, event_type, 이벤트명, …) and no order lines: write the event these rows are (df_purchase, df_sign_up, …), or { column: …, values: {…} }",
  };
}

/** A column named like event names, else one whose values are mostly standard event names. */
function nameColumn(columns: EventColumns): string | undefined {
  const rows = columns.sample.rows.length;
  const texts = (column: string) =>
    (columns.cells.get(column) ?? []).filter((v): v is string => typeof v === "string");
  const small = (column: string) => {
    const names = new Set(texts(column).map((t) => t.trim()));
    return names.size > 0 && names.size <= MAX_NAMES && (names.size < rows / 2 || rows < 4);
  };
  const named = columns.names.find((c) => EVENT_NAME_HEADER.test(headerKey(c)) && small(c));
  if (named !== undefined) return named;
  // An order's status (결제완료, 환불완료) names what became of it, not an event.
  return columns.names.find((c) => {
    if (STATUS.test(c) || !small(c)) return false;
    const names = [...new Set(texts(c).map((t) => t.trim()))];
    const standard = new Set(names.map(standardEvent).filter((e) => e !== undefined));
    return standard.size >= 2 && standard.size * 2 >= names.length;
  });
}
