/**
 * One source row → one event of one user, with the compiled rules of an event mapping: the
 * identity and the event's properties as a profile row maps them (apply.ts), then its name,
 * datetime, id and (NDJSON `items.from`) items. Pure. A row with problems fails as a whole, every
 * failing cell listed. The id is left to the caller when items are still to be gathered (CSV
 * `items.group_by`, see item-groups.ts).
 */
import type { Identity, PropertyValue } from "../api/dfinery.js";
import type { EventItem, EventProperties, EventRecord } from "../api/events.js";
import type { RowFailure } from "../errors.js";
import type { SourceFormat, SourceRow } from "../source/types.js";
import { cellProblem, failureOf, mapRow, type Problem, readProperties } from "./apply.js";
import { EMPTY, Invalid } from "./convert/invalid.js";
import { eventId } from "./event-id.js";
import type { EventIds } from "./event-ids.js";
import type { EventRules, Mapping, PropertyRule } from "./types.js";

/** An event before its id: what a group's rows must agree on. */
export interface EventDraft {
  readonly identity: Identity;
  readonly name: string;
  readonly datetime: string;
  readonly properties: EventProperties;
  /** From the mapping's `event.id` column; undefined: made from the event (event-id.ts). */
  readonly id: string | undefined;
  /** NDJSON items, or this row's one item (CSV group_by), or undefined without items. */
  readonly items: readonly EventItem[] | undefined;
}

export type EventMappingResult =
  | { readonly ok: true; readonly draft: EventDraft }
  | { readonly ok: false; readonly failure: RowFailure };

export function applyEventMapping(
  mapping: Mapping & { readonly event: EventRules },
  row: SourceRow,
  format: SourceFormat,
): EventMappingResult {
  const json = format === "ndjson";
  const cells = row.cells;
  const base = mapRow(mapping, cells, json, false);
  const problems: Problem[] = base.problems ?? [];
  const { event } = mapping;
  const name = field(event.name, "event.name", cells, json, problems);
  const datetime = field(event.datetime, "event.datetime", cells, json, problems);
  const id =
    event.id === undefined ? undefined : field(event.id, "event.id", cells, json, problems);
  if (name === undefined && !problems.some((p) => p.field === "event.name")) {
    problems.push({ code: "NO_EVENT_NAME", field: "event.name", message: "no event name" });
  }
  if (datetime === undefined && !problems.some((p) => p.field === "event.datetime")) {
    problems.push({ code: "NO_DATETIME", field: "event.datetime", message: "no event datetime" });
  }
  const items = readItems(mapping, cells, json, problems);
  if (problems.length > 0) return { ok: false, failure: failureOf(problems) };
  return {
    ok: true,
    draft: {
      identity: base.identity,
      name: name as string,
      datetime: datetime as string,
      properties: base.properties,
      id,
      items,
    },
  };
}

/** The event as sent: its own id (`event.id`), else `made`, else its content's (first) id. */
export function toEventRecord(draft: EventDraft, made?: string): EventRecord {
  const { identity, name, datetime, properties, items } = draft;
  const id = draft.id ?? made ?? eventId({ identity, name, datetime, properties, items });
  const record = {
    event_log_id: id,
    event_name: name,
    event_datetime: datetime,
    event_properties: properties,
  };
  // No spread of an empty object for an event without items: one object, of one shape.
  return items === undefined || items.length === 0 ? record : { ...record, event_items: items };
}

export interface NamedRecord {
  readonly event: EventRecord;
  /** The n-th event with this content in the run (event-ids.ts); undefined for an `event.id`. */
  readonly occurrence: number | undefined;
}

/**
 * The event as sent, its id from the run's `ids` unless the file gave one: identical events get
 * distinct ids. `claimed`: the occurrence a replayed dead letter had in its first run.
 */
export function namedRecord(draft: EventDraft, ids: EventIds, claimed?: number): NamedRecord {
  if (draft.id !== undefined) return { event: toEventRecord(draft), occurrence: undefined };
  const named = ids.next(draft, claimed);
  return { event: toEventRecord(draft, named.id), occurrence: named.occurrence };
}

function field(
  rule: PropertyRule,
  name: string,
  cells: Readonly<Record<string, unknown>>,
  json: boolean,
  problems: Problem[],
): string | undefined {
  if (rule.kind === "constant") return rule.value as string;
  const raw = json ? rule.readJson(cells) : rule.readCsv(cells);
  const value = rule.convert(raw);
  if (value instanceof Invalid) {
    problems.push(cellProblem(name, rule, raw, value));
    return undefined;
  }
  return value === EMPTY || value === null ? undefined : (value as string);
}

/** `items.from` (NDJSON): one item per element; `items.group_by`: this row's one item. */
function readItems(
  mapping: Mapping,
  cells: Readonly<Record<string, unknown>>,
  json: boolean,
  problems: Problem[],
): EventItem[] | undefined {
  const items = mapping.items;
  if (items === undefined) return undefined;
  if (items.from === undefined) {
    const item: Record<string, PropertyValue> = {};
    problems.push(...readProperties(items.properties, cells, json, item, "items."));
    return [item];
  }
  const list = items.from.read(cells);
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) {
    problems.push({
      code: "INVALID_VALUE",
      field: "items.from",
      message: `path ${JSON.stringify(items.from.path)} is not an array`,
    });
    return undefined;
  }
  const out: EventItem[] = [];
  for (const [index, element] of list.entries()) {
    const item: Record<string, PropertyValue> = {};
    const cells_ = (typeof element === "object" && element !== null ? element : {}) as Readonly<
      Record<string, unknown>
    >;
    const at = `items[${index}].`;
    problems.push(...readProperties(items.properties, cells_, true, item, at));
    out.push(item);
  }
  return out;
}
