/**
 * `event.id`: a column with one id per event (`uuid`, `event_uuid`, `$insert_id`), filled and
 * different on every sample row; for order lines, the order id. DFINERY takes `event_log_id` as a
 * UUID: ids that are none are named into one by the `uuid` transform (the same order id, whatever
 * else changed in the order, gives the same id). Without such a column each event's id is made
 * from its content (docs/events.md#event-ids-and-duplicate-rows), and the comment says so.
 */
import { UUID_PATTERN } from "../../api/events.js";
import type { Transform } from "../../mapping/convert/transform.js";
import { type EventColumns, filled } from "./columns.js";
import { EVENT_ID_HEADER, headerKey } from "./words.js";

export interface EventIdGuess {
  readonly column: string | undefined;
  /** `{ uuid: … }`: the column holds ids that are no UUID, named into one. */
  readonly transform?: readonly Transform[];
  readonly evidence: string;
}

const MADE =
  "each event's id is made from its content (identity, name, time, properties, items): the same event read again gets the same id";

export function findEventId(
  columns: EventColumns,
  orders: string | undefined,
  event: string,
): EventIdGuess {
  const rows = columns.sample.rows.length;
  if (orders !== undefined) {
    return {
      column: orders,
      transform: [{ uuid: event }],
      evidence: `the event's id: a UUID named from the order id ${JSON.stringify(orders)} (and ${JSON.stringify(event)}), one per order: the same order read again is the same event, whatever changed in it (its status, an amount)`,
    };
  }
  const notes: string[] = [];
  for (const column of columns.names) {
    if (!EVENT_ID_HEADER.test(headerKey(column))) continue;
    const values = filled(columns.cells.get(column) ?? []);
    if (values.length < rows || new Set(values).size < values.length) {
      notes.push(`${JSON.stringify(column)} is not filled and different on every row`);
      continue;
    }
    const other = values.find((v) => !UUID_PATTERN.test(v));
    if (other === undefined) {
      return {
        column,
        evidence: `the event's id: ${JSON.stringify(column)} holds a different UUID on each of the ${rows} sample rows`,
      };
    }
    return {
      column,
      transform: [{ uuid: column }],
      evidence: `the event's id: ${JSON.stringify(column)} is different on each of the ${rows} sample rows; its ids are no UUID (${JSON.stringify(other)}), so each is named into one`,
    };
  }
  return {
    column: undefined,
    evidence: `no event.id: ${notes.length > 0 ? `${notes.join("; ")}; ` : "no column of event ids; "}${MADE}`,
  };
}
