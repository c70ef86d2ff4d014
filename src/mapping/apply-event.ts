/**
 * One source row → one event of one user, with the compiled rules of an event mapping: the
 * identity and the event's properties as a profile row maps them (apply.ts), then its name,
 * datetime, id and (NDJSON `items.from`, or `items.expr`) items. Pure. A row with problems fails as a whole, every
 * failing cell listed. The id is left to the caller when items are still to be gathered (CSV
 * `items.group_by`, see item-groups.ts).
 */
import type { Identity, PropertyValue } from "../api/dfinery.js";
import type { EventItem, EventProperties, EventRecord } from "../api/events.js";
import type { RowFailure } from "../errors.js";
import type { SourceFormat, SourceRow } from "../source/types.js";
import {
  cellProblem,
  failureOf,
  mapRow,
  type Problem,
  type RulePick,
  readProperties,
} from "./apply.js";
import { EMPTY, Invalid, show } from "./convert/invalid.js";
import { eventId } from "./event-id.js";
import type { EventIds } from "./event-ids.js";
import { showExpression } from "./expr/expression.js";
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
  // In a group_by event, the values given by an expression are the group's (withGroupValues).
  const pick = mapping.items?.groupBy === undefined ? undefined : notGroupValue;
  const base = mapRow(mapping, cells, json, false, pick);
  const problems: Problem[] = base.problems ?? spare;
  const own = ownFields(mapping.event, cells, json, problems, pick);
  const items = readItems(mapping, cells, json, problems);
  if (problems.length > 0) {
    if (problems === spare) spare = [];
    return { ok: false, failure: failureOf(problems) };
  }
  const { identity, properties } = base;
  const { name, datetime, id } = own;
  return { ok: true, draft: { identity, name, datetime, properties, id, items } };
}

/**
 * The problems list of a row mapRow found none in: kept empty between rows (most rows have no
 * problem), replaced when a row's failure took it.
 */
let spare: Problem[] = [];

/** An event field or property given by an expression: in a group_by event, the group's value. */
export const isGroupValue: RulePick = (rule) =>
  rule.kind === "column" && rule.expression !== undefined;
const notGroupValue: RulePick = (rule) => !isGroupValue(rule);

/**
 * A group_by event's values given by an expression, evaluated once for the group: `row` its first
 * row, `rows` all of them in file order (`sum(rows.map(r, number(r['금액'])))`).
 */
export function withGroupValues(
  mapping: Mapping & { readonly event: EventRules },
  draft: EventDraft,
  rows: readonly Readonly<Record<string, unknown>>[],
  json: boolean,
): EventMappingResult {
  const { event } = mapping;
  const fields = [event.name, event.datetime, ...(event.id === undefined ? [] : [event.id])];
  if (!fields.some(isGroupValue) && !mapping.properties.some(isGroupValue)) {
    return { ok: true, draft };
  }
  const first = rows[0] ?? {};
  const problems: Problem[] = [];
  const properties = { ...draft.properties };
  problems.push(
    ...readProperties(mapping.properties, first, json, properties, "", {
      pick: isGroupValue,
      rows,
    }),
  );
  const own = ownFields(mapping.event, first, json, problems, isGroupValue, rows, draft);
  if (problems.length > 0) return { ok: false, failure: failureOf(problems) };
  return { ok: true, draft: { ...draft, ...own, properties } };
}

/** The event's name, datetime and id: those `pick`ed read from `cells`, the others `prior`'s. */
function ownFields(
  event: EventRules,
  cells: Readonly<Record<string, unknown>>,
  json: boolean,
  problems: Problem[],
  pick?: RulePick,
  rows?: readonly Readonly<Record<string, unknown>>[],
  prior?: EventDraft,
): Pick<EventDraft, "name" | "datetime" | "id"> {
  const read = { cells, json, problems, pick, rows };
  const name = ownField(event.name, "event.name", read, prior?.name);
  const datetime = ownField(event.datetime, "event.datetime", read, prior?.datetime);
  const id = event.id === undefined ? undefined : ownField(event.id, "event.id", read, prior?.id);
  if (name === undefined && asked(event.name, pick) && !hasField(problems, "event.name")) {
    problems.push({ code: "NO_EVENT_NAME", field: "event.name", message: "no event name" });
  }
  if (
    datetime === undefined &&
    asked(event.datetime, pick) &&
    !hasField(problems, "event.datetime")
  ) {
    problems.push({ code: "NO_DATETIME", field: "event.datetime", message: "no event datetime" });
  }
  return { name: name as string, datetime: datetime as string, id };
}

/** Whether a pass reads the rule (no closure a row: ownFields runs for every event). */
const asked = (rule: PropertyRule, pick: RulePick | undefined): boolean =>
  pick === undefined || pick(rule);

/** One of the event's own fields: read from `cells` if `pick`ed, else the value it `was`. */
function ownField(
  rule: PropertyRule,
  name: string,
  { cells, json, problems, pick, rows }: FieldRead,
  was: string | undefined,
): string | undefined {
  return asked(rule, pick) ? field(rule, name, cells, json, problems, rows) : was;
}

/** What ownField reads with: one object for the three fields (optimised away where it is inlined). */
interface FieldRead {
  readonly cells: Readonly<Record<string, unknown>>;
  readonly json: boolean;
  readonly problems: Problem[];
  readonly pick: RulePick | undefined;
  readonly rows: readonly Readonly<Record<string, unknown>>[] | undefined;
}

function hasField(problems: readonly Problem[], field: string): boolean {
  for (const problem of problems) if (problem.field === field) return true;
  return false;
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
  rows?: readonly Readonly<Record<string, unknown>>[],
): string | undefined {
  if (rule.kind === "constant") return rule.value as string;
  const raw = json ? rule.readJson(cells, rows) : rule.readCsv(cells, rows);
  const value = rule.convert(raw, cells);
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
  const { from, expr } = items;
  if (from === undefined && expr === undefined) {
    const item: Record<string, PropertyValue> = {};
    problems.push(...readProperties(items.properties, cells, json, item, "items."));
    return [item];
  }
  const list = from === undefined ? expr?.evaluate(cells) : from.read(cells);
  if (list === undefined || list === null) return [];
  if (list instanceof Invalid) {
    problems.push({ code: list.code, field: "items.expr", message: list.detail });
    return undefined;
  }
  if (!Array.isArray(list)) {
    problems.push({
      code: "INVALID_VALUE",
      field: from === undefined ? "items.expr" : "items.from",
      message:
        from === undefined
          ? `expression ${showExpression(expr?.text ?? "")} gave ${show(list)}, not a list`
          : `path ${JSON.stringify(from.path)} is not an array`,
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
    // An item's record is read for its values; the row's own columns (its country) in the row.
    problems.push(...readProperties(items.properties, cells_, true, item, at, { row: cells }));
    out.push(item);
  }
  return out;
}
