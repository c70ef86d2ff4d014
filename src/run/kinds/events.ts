/**
 * The events kind (`import-events`, POST /api/v1/events): a row is one event (apply-event.ts),
 * or, with CSV `items.group_by`, consecutive rows are one event with an item each
 * (item-groups.ts: a value that comes back after its group closed fails, a group too big to send
 * fails as it streams); identical events get distinct deterministic ids (event-ids.ts). Up to 100
 * events and 100 items go in one request per user; a refused batch is split by the engine.
 * Known events (`--state`) are asked as they are read, by id. Without a mapping, a dead-letter
 * file's stored events are sent again (stored-events.ts).
 */

import {
  EVENTS_PATH,
  type EventRecord,
  type EventsRequestBody,
  MAX_EVENTS_PER_REQUEST,
  MAX_ITEMS_PER_REQUEST,
} from "../../api/events.js";
import { type RowFailure, rowFailure, UsageError } from "../../errors.js";
import {
  applyEventMapping,
  draftSlot,
  type EventDraft,
  mapEvent,
  namedEvent,
  occurrenceNamed,
  Unmapped,
  withGroupValues,
} from "../../mapping/apply-event.js";
import { EventIds } from "../../mapping/event-ids.js";
import { type Group, groupValue, ItemGroups } from "../../mapping/item-groups.js";
import { jsonColumnOf } from "../../mapping/json-cells.js";
import type { EventRules, Mapping } from "../../mapping/types.js";
import type { SourceRow } from "../../source/types.js";
import { AcceptedQueue } from "../accepted-queue.js";
import { identityKey } from "../batcher.js";
import {
  ACCEPTED,
  type Assembler,
  type Finished,
  type Kind,
  type KindState,
  type Row,
  type SpillKey,
} from "../kind.js";
import type { Scratch } from "../scratch.js";
import { ScratchClosedGroups } from "../scratch-groups.js";
import { NO_STATE } from "../state-link.js";
import { EventsBody } from "./events-body.js";
import { StoredEvents } from "./stored-events.js";

export const itemCount = (event: EventRecord): number => event.event_items?.length ?? 0;

type EventMapping = Mapping & { readonly event: EventRules };

export const EVENTS: Kind<EventRecord> = {
  command: "import-events",
  words: ACCEPTED,
  identityOnly: false,
  counted: "events",
  path: EVENTS_PATH,
  limits: {
    units: MAX_EVENTS_PER_REQUEST,
    maxWeight: MAX_ITEMS_PER_REQUEST,
    weight: itemCount,
    window: (concurrency) => concurrency,
  },
  checkMapping(mapping, format, file) {
    if (mapping === null) return;
    if (mapping.event === undefined) {
      throw new UsageError(
        `${file}: no event section: \`dfinery-import events\` maps rows to events (docs/events.md); user profiles go through \`dfinery-import profiles\``,
      );
    }
    if (format === "ndjson" && mapping.items?.groupBy !== undefined) {
      throw new UsageError(`${file}: items.group_by is for CSV/TSV; in NDJSON use items.from`);
    }
    const from = mapping.items?.from?.path;
    if (
      format !== "ndjson" &&
      from !== undefined &&
      jsonColumnOf(from, mapping.source.jsonColumns ?? []) === undefined
    ) {
      throw new UsageError(
        `${file}: items.from is for NDJSON, or in CSV/TSV a list in a JSON column (source.json_columns); in CSV/TSV use items.group_by`,
      );
    }
  },
  assembler: (mapping, _file, scratch) =>
    mapping === null ? storedOnly() : new EventAssembler(mapping as EventMapping, scratch),
  body: (identity, units): EventsRequestBody => new EventsBody(identity, units),
  payload: (identity, event): EventsRequestBody => ({ common: { identity }, events: [event] }),
  state(state, onError) {
    if (state === NO_STATE) return NO_EVENT_STATE;
    // Accepted requests are recorded once per turn of the event loop (accepted-queue.ts).
    const queue = new AcceptedQueue(state, onError);
    return {
      knownAtRead: (event) => state.knownEvent(event),
      knownAtTurn: () => false,
      accepted: (units) => queue.add(units),
      flush: () => queue.flush(),
    };
  },
};

/** Without --state: nothing known, nothing to record. */
const NO_EVENT_STATE: KindState<EventRecord> = {
  knownAtRead: () => false,
  knownAtTurn: () => false,
  accepted: () => {},
  flush: () => {},
};

/** Without a mapping: only stored events. */
function storedOnly(): Assembler<EventRecord> {
  const stored = new StoredEvents();
  const never = (): never => {
    throw new Error("a replay of stored events maps no rows");
  };
  return {
    row: never,
    unreadable: (row) => [...stored.flush(), failed(row)],
    stored: (row, payload) => stored.push(row, payload),
    flush: () => stored.flush(),
  };
}

const failed = (row: Row & { readonly failure: RowFailure }): Finished<EventRecord> => ({
  ok: false,
  rows: [row],
  payload: null,
});

class EventAssembler implements Assembler<EventRecord> {
  readonly #mapping: EventMapping;
  readonly #ids = new EventIds();
  /** The draft each row's event is mapped into, its record made at once (#named). */
  readonly #draft = draftSlot();
  readonly #groups: ItemGroups<Row> | undefined;

  constructor(mapping: EventMapping, scratch: Scratch | undefined) {
    this.#mapping = mapping;
    const groupBy = mapping.items?.groupBy;
    // One item per row: a group of more rows than a request's items can never be sent.
    const maxRows = MAX_ITEMS_PER_REQUEST;
    const closed = scratch === undefined ? {} : { closed: new ScratchClosedGroups(scratch) };
    this.#groups =
      groupBy === undefined
        ? undefined
        : new ItemGroups<Row>(groupBy.column, { maxRows, ...closed });
  }

  row(row: Row, source: SourceRow): Finished<EventRecord> | undefined {
    const groups = this.#groups;
    const groupBy = this.#mapping.items?.groupBy;
    if (groups !== undefined && groupBy !== undefined) {
      const result = applyEventMapping(this.#mapping, source, row.format);
      return this.#finish(groups.push(groupBy.read(source.cells), row, result));
    }
    const draft = mapEvent(this.#mapping, source, row.format, this.#draft);
    return draft instanceof Unmapped
      ? { ok: false, rows: [{ ...row, failure: draft.failure }], payload: null }
      : this.#named(row.occurrence, [row], draft);
  }

  unreadable(row: Row & { readonly failure: RowFailure }): Finished<EventRecord>[] {
    // In grouped rows, an unreadable record fails the event it may have been part of.
    if (this.#groups === undefined) return [failed(row)];
    const last = this.#finish(this.#groups.pushUnreadable(row, row.failure));
    return last === undefined ? [] : [last];
  }

  stored(): never {
    throw new Error("with a mapping, dead-letter records are mapped again");
  }

  /** Its user; a grouped row, its order too (an order's rows are placed with its first). */
  spillKey(row: Row, source: SourceRow): SpillKey {
    const result = applyEventMapping(this.#mapping, source, row.format);
    const identity = result.ok ? identityKey(result.draft.identity) : "";
    const groupBy = this.#mapping.items?.groupBy;
    const group = groupBy === undefined ? undefined : groupValue(groupBy.read(source.cells));
    return group === undefined ? { identity } : { identity, group };
  }

  flush(): Finished<EventRecord>[] {
    const last = this.#finish(this.#groups?.flush());
    return last === undefined ? [] : [last];
  }

  cut(): Finished<EventRecord>[] {
    return this.flush();
  }

  #finish(group: Group<Row> | undefined): Finished<EventRecord> | undefined {
    if (group === undefined) return undefined;
    if (!group.ok) return { ok: false, rows: group.rows, payload: null };
    const cells = group.rows.map((row) => row.row as Readonly<Record<string, unknown>>);
    const valued = withGroupValues(this.#mapping, group.draft, cells, false);
    if (!valued.ok) {
      const rows = group.rows.map((row) => ({ ...row, failure: valued.failure }));
      return { ok: false, rows, payload: null };
    }
    return this.#named(group.rows[0]?.occurrence, group.rows, valued.draft);
  }

  /** The event with its id; its rows remember its occurrence (a replay keeps the id). */
  #named(
    claimed: number | undefined,
    rows: readonly Row[],
    draft: EventDraft,
  ): Finished<EventRecord> {
    const event = namedEvent(draft, this.#ids, claimed);
    const occurrence = occurrenceNamed(draft, this.#ids);
    const kept =
      occurrence === undefined || occurrence === 1 || occurrence === claimed
        ? rows
        : rows.map((row) => ({ ...row, occurrence }));
    if (itemCount(event) > MAX_ITEMS_PER_REQUEST) {
      const message = `${itemCount(event)} items, over the API's ${MAX_ITEMS_PER_REQUEST} per request`;
      const failure = rowFailure("mapping", "TOO_MANY_ITEMS", message);
      return { ok: false, rows: kept.map((row) => ({ ...row, failure })), payload: null };
    }
    return { ok: true, identity: draft.identity, unit: event, rows: kept };
  }
}
