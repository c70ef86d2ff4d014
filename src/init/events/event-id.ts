/**
 * `event.id`: a column with one UUID per event (`uuid`, `event_uuid`, `$insert_id`), filled and
 * different on every sample row. DFINERY takes `event_log_id` as a UUID, so a unique column of
 * other ids cannot be one: then, as without such a column, each event's id is made from its
 * content (docs/events.md#event-ids-and-duplicate-rows), and the comment says so.
 */
import { UUID_PATTERN } from "../../api/events.js";
import { type EventColumns, filled } from "./columns.js";
import { EVENT_ID_HEADER, headerKey } from "./words.js";

export interface EventIdGuess {
  readonly column: string | undefined;
  readonly evidence: string;
}

const MADE =
  "each event's id is made from its content (identity, name, time, properties, items): the same event read again gets the same id";

export function findEventId(columns: EventColumns, orders: string | undefined): EventIdGuess {
  const rows = columns.sample.rows.length;
  if (orders !== undefined) {
    return {
      column: undefined,
      evidence: `no event.id: the order id ${JSON.stringify(orders)} is no UUID (DFINERY's event_log_id must be one); ${MADE}, but an order whose values change between two exports is sent again as another event`,
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
    notes.push(
      `${JSON.stringify(column)} is different on every row but holds ids that are no UUID (${JSON.stringify(other)}; DFINERY's event_log_id must be one)`,
    );
  }
  return {
    column: undefined,
    evidence: `no event.id: ${notes.length > 0 ? `${notes.join("; ")}; ` : "no column of event ids; "}${MADE}`,
  };
}
