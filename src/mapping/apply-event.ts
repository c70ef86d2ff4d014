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
import { canonicalKeys } from "../util/canonical-json.js";
import {
  cellProblem,
  failureOf,
  mapRow,
  type Problem,
  type RulePick,
  readProperties,
} from "./apply.js";
import { EMPTY, Invalid, show } from "./convert/invalid.js";
import { eventId, keptIdentity } from "./event-id.js";
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
  /** The keys `properties` can have, sorted for its id (event-id.ts); undefined: its own are. */
  readonly propertyKeys?: readonly string[] | undefined;
}

export type EventMappingResult =
  | { readonly ok: true; readonly draft: EventDraft }
  | { readonly ok: false; readonly failure: RowFailure };

export function applyEventMapping(
  mapping: Mapping & { readonly event: EventRules },
  row: SourceRow,
  format: SourceFormat,
): EventMappingResult {
  const mapped = mapEvent(mapping, row, format);
  return mapped instanceof Unmapped
    ? { ok: false, failure: mapped.failure }
    : { ok: true, draft: mapped };
}

/** A row that does not map to an event, and why. */
export class Unmapped {
  constructor(readonly failure: RowFailure) {}
}

/**
 * As applyEventMapping, with no result object a row: the draft, or an Unmapped. `into`: a draft
 * of the caller's to fill again (DraftSlot), so that an event makes no draft of its own beside its
 * record; without it, a new one.
 */
export function mapEvent(
  mapping: Mapping & { readonly event: EventRules },
  row: SourceRow,
  format: SourceFormat,
  into?: DraftSlot,
): EventDraft | Unmapped {
  const json = format === "ndjson";
  const cells = row.cells;
  // In a group_by event, the values given by an expression are the group's (withGroupValues).
  const pick = mapping.items?.groupBy === undefined ? undefined : notGroupValue;
  const last = lastRules === mapping.identity ? lastIdentity : undefined;
  const base = mapRow(mapping, cells, json, false, pick, last);
  const problems: Problem[] = base.problems ?? spare;
  const draft: Draft = into ?? draftSlot();
  draft.identity = base.identity;
  draft.name = undefined;
  draft.datetime = undefined;
  draft.properties = base.properties;
  draft.id = undefined;
  draft.items = undefined;
  draft.propertyKeys = propertyKeysOf(mapping.properties);
  ownFields(mapping.event, cells, json, problems, draft, pick);
  draft.items = readItems(mapping, cells, json, problems);
  if (problems.length > 0) {
    if (problems === spare) spare = [];
    return new Unmapped(failureOf(problems));
  }
  sharedIdentity(mapping, draft.identity, last);
  return draft as EventDraft;
}

/** An event draft as it is filled: its name and datetime are undefined until read. */
type Draft = {
  -readonly [K in keyof EventDraft]: K extends "name" | "datetime"
    ? string | undefined
    : EventDraft[K];
};

/**
 * A draft that mapEvent fills again for each row it is given (the events kind's assembler holds
 * one): the draft it returns is that object, read until the next row's mapping (its record made:
 * namedEvent), never kept. A draft kept (item groups, applyEventMapping's) is one of its own.
 */
export type DraftSlot = Draft & { readonly [slot]: true };
declare const slot: unique symbol;

/** An empty draft (mapEvent's own, or a DraftSlot): every draft of one shape. */
export const draftSlot = (): DraftSlot =>
  ({
    identity: NO_IDENTITY,
    name: undefined,
    datetime: undefined,
    properties: NO_PROPERTIES,
    id: undefined,
    items: undefined,
    propertyKeys: undefined,
  }) as DraftSlot;
const NO_IDENTITY: Identity = {};
const NO_PROPERTIES: EventProperties = {};

/**
 * The property names of `rules` in canonical order (the only keys mapRow gives an event's
 * properties), for the last rules asked: sorted once a mapping, not listed and sorted an event.
 */
function propertyKeysOf(rules: readonly PropertyRule[]): readonly string[] | undefined {
  if (rules !== keyRules) {
    keyRules = rules;
    keys = canonicalKeys(rules.map((rule) => rule.name));
  }
  return keys;
}
let keyRules: readonly PropertyRule[] | undefined;
let keys: readonly string[] | undefined;

/** The identity of the last event mapped, and the identity rules it was read by. */
let lastIdentity: Identity | undefined;
let lastRules: Mapping["identity"] | undefined;

/**
 * Keeps an event's identity for the next: mapRow gives the next event this very object when its
 * identity is the same (a file's events come user by user), so a user's run of events holds one,
 * not one an event. Identities are never changed once mapped. Both are read by the same rules.
 */
function sharedIdentity(mapping: Mapping, identity: Identity, last: Identity | undefined): void {
  if (identity === last) {
    // Its second event: the identity is shared from now on, and the event id's writer may know
    // it by reference (event-id.ts). Said once a user's run.
    if (!lastKept) keptIdentity(identity);
    lastKept = true;
    return;
  }
  lastIdentity = identity;
  lastRules = mapping.identity;
  lastKept = false;
}

/** Whether lastIdentity was said to be kept. */
let lastKept = false;

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
  const valued: Draft = { ...draft, properties };
  ownFields(mapping.event, first, json, problems, valued, isGroupValue, rows);
  if (problems.length > 0) return { ok: false, failure: failureOf(problems) };
  return { ok: true, draft: valued as EventDraft };
}

/**
 * The event's name, datetime and id into `draft`: those `pick`ed read from `cells`, the others
 * left as they are (no object a row: this runs for every event).
 */
function ownFields(
  event: EventRules,
  cells: Readonly<Record<string, unknown>>,
  json: boolean,
  problems: Problem[],
  draft: Draft,
  pick?: RulePick,
  rows?: readonly Readonly<Record<string, unknown>>[],
): void {
  if (asked(event.name, pick)) {
    draft.name = field(event.name, "event.name", cells, json, problems, rows);
  }
  if (asked(event.datetime, pick)) {
    draft.datetime = field(event.datetime, "event.datetime", cells, json, problems, rows);
  }
  if (event.id === undefined) draft.id = undefined;
  else if (asked(event.id, pick))
    draft.id = field(event.id, "event.id", cells, json, problems, rows);
  if (draft.name === undefined && asked(event.name, pick) && !hasField(problems, "event.name")) {
    problems.push({ code: "NO_EVENT_NAME", field: "event.name", message: "no event name" });
  }
  if (
    draft.datetime === undefined &&
    asked(event.datetime, pick) &&
    !hasField(problems, "event.datetime")
  ) {
    problems.push({ code: "NO_DATETIME", field: "event.datetime", message: "no event datetime" });
  }
}

/** Whether a pass reads the rule (no closure a row: ownFields runs for every event). */
const asked = (rule: PropertyRule, pick: RulePick | undefined): boolean =>
  pick === undefined || pick(rule);

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
  const event = namedEvent(draft, ids, claimed);
  return { event, occurrence: occurrenceNamed(draft, ids) };
}

/** As namedRecord, the event alone (no object more an event): its occurrence is occurrenceNamed's. */
export function namedEvent(draft: EventDraft, ids: EventIds, claimed?: number): EventRecord {
  return draft.id === undefined
    ? toEventRecord(draft, ids.name(draft, claimed))
    : toEventRecord(draft);
}

/** The occurrence of the event namedEvent just named; undefined for an `event.id`. */
export const occurrenceNamed = (draft: EventDraft, ids: EventIds): number | undefined =>
  draft.id === undefined ? ids.occurrence : undefined;

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
