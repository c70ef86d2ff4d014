/**
 * What an event draft says, found in the sample: the items (they decide which columns are the
 * event's), the person, the event's name, time and id, the zone of its times, the event's
 * properties (the standard `df_` ones by meaning, the rest by their header) and, for order lines
 * with a status of cancelled orders, a `where` to suggest. render.ts writes it as YAML.
 */
import { STANDARD_EVENT_PROPERTIES } from "../../api/events.js";
import type { Sample } from "../sample.js";
import { chooseZone, TODO_TIMEZONE, zoneOfColumn } from "../zone.js";
import { type EventColumns, eventColumns, filled } from "./columns.js";
import { type EventIdGuess, findEventId } from "./event-id.js";
import { type EventName, findEventName } from "./event-name.js";
import { type EventTime, findEventTime } from "./event-time.js";
import { findItemList, findOrderLines, type Items } from "./items.js";
import { findPerson, type Person } from "./person.js";
import { type DraftProperty, PropertyDrafts } from "./properties.js";
import { CANCELLED, EVENT_PROPERTY_WORDS } from "./words.js";

/** The zone the draft writes (an IANA zone or TODO_zone), and why. */
export interface Zone {
  readonly zone: string;
  readonly evidence: string;
}

export interface EventPlan {
  readonly sample: Sample;
  readonly zone: Zone;
  readonly person: Person;
  readonly name: EventName;
  readonly time: EventTime;
  readonly id: EventIdGuess;
  readonly properties: readonly DraftProperty[];
  /** The order total as the sum of the lines' totals: the line total column. */
  readonly lineTotal: string | undefined;
  readonly items: Items | undefined;
  /** Columns not mapped, and why. */
  readonly left: readonly { readonly column: string; readonly why: string }[];
  /** A `where` to suggest (commented out): a status column with cancelled orders. */
  readonly where: { readonly expr: string; readonly evidence: string } | undefined;
}

const USER_PROPERTIES = /^user_properties\./;
const STATUS = /상태|status/i;

/** `headerless`: the sample's column names were generated (`column_1`…): properties get TODO_ names. */
export function planEvents(sample: Sample, headerless = false): EventPlan {
  const columns = eventColumns(sample);
  const person = findPerson(columns);
  const time = findEventTime(columns);
  const own = new Set(
    [person.field === undefined ? undefined : person.column, time.column].filter(
      (c) => c !== undefined,
    ),
  );
  const items = sample.format === "ndjson" ? findItemList(columns) : findOrderLines(columns, own);
  const orders = items?.kind === "group_by" ? items.column : undefined;
  const name = findEventName(columns, orders);
  if (name.kind === "column") own.add(name.column);
  const id = findEventId(columns, orders, name.kind === "constant" ? name.value : name.column);
  if (id.column !== undefined && id.column !== orders) own.add(id.column);

  const drafts = new PropertyDrafts(EVENT_PROPERTY_WORDS, STANDARD_EVENT_PROPERTIES, headerless);
  const lineTotal = items?.kind === "group_by" ? items.lineTotal : undefined;
  const eventLevel = columns.names.filter(
    (c) =>
      !own.has(c) &&
      !(items?.kind === "from" && c === items.path) &&
      !(items?.kind === "group_by" && items.itemLevel.has(c)),
  );
  const left: { column: string; why: string }[] = [];
  const properties: DraftProperty[] = [];
  eventLevel.forEach((column, index) => {
    if (USER_PROPERTIES.test(column)) {
      left.push({
        column,
        why: "a property of the user, not of the event: import-profiles sends it",
      });
      return;
    }
    const cells = columns.cells.get(column) ?? [];
    properties.push(drafts.draft(column, cells, index, columns.notes.get(column)));
  });
  // A line total summed is the order's total, unless a column of the order says it already.
  const total = properties.some((p) => p.name === "df_total_purchase_amount");
  if (lineTotal !== undefined && total) {
    left.push({ column: lineTotal, why: "a line's total; the order's total is another column" });
  }
  const times = [
    ...(time.column === undefined ? [] : [{ column: time.column, guess: time.guess }]),
    ...properties.flatMap((p) => (p.guess?.type === "Datetime" ? [p] : [])),
  ];
  const choice = chooseZone(
    times.map((t) => ({
      column: t.column,
      evidence: zoneOfColumn(t.column, filled(columns.cells.get(t.column) ?? []), t.guess?.format),
    })),
    sample.columns,
  );
  const zone: Zone =
    choice.zone === TODO_TIMEZONE
      ? {
          zone: choice.zone,
          evidence: `TODO: ${choice.evidence}: write the zone they were written in (UTC, Asia/Seoul, …)`,
        }
      : { zone: choice.zone ?? "UTC", evidence: `UTC: ${choice.evidence}` };
  return {
    sample,
    zone,
    person,
    name,
    time,
    id,
    properties,
    lineTotal: total ? undefined : lineTotal,
    items,
    left,
    where: orders === undefined ? undefined : cancelledOrders(columns, eventLevel),
  };
}

function cancelledOrders(columns: EventColumns, eventLevel: readonly string[]) {
  for (const column of eventLevel) {
    if (!STATUS.test(column)) continue;
    const words = [...new Set(filled(columns.cells.get(column) ?? []))];
    const cancelled = words.filter((w) => CANCELLED.test(w));
    if (cancelled.length === 0) continue;
    const list = cancelled.map((w) => `'${w.replace(/['\\]/g, "\\$&")}'`).join(", ");
    const col = column.replace(/['\\]/g, "\\$&");
    return {
      expr: `!(row['${col}'] in [${list}])`,
      evidence: `${JSON.stringify(column)} holds ${cancelled.map((w) => JSON.stringify(w)).join(", ")} among ${words.length} statuses: if those orders did not happen, leave them out (uncomment)`,
    };
  }
  return undefined;
}
