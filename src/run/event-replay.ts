/**
 * import-events without --map: the input is an import-events dead-letter file, and each record's
 * stored event is sent again as it was, with its stored `event_log_id` (a re-send is the same
 * event), after a check against the API's event rules (api/event-rules.ts). A record without a
 * payload (its row was never mapped) cannot be sent without a mapping: it fails again, saying to
 * replay with --map. Consecutive records of one event (the rows of a CSV item group, each written
 * with the group's event) become that event once, with all their rows. Pure: records in, events
 * and failures out, in file order; memory holds one event.
 */
import type { Identity } from "../api/dfinery.js";
import { checkEventsBody, STANDARD_EVENT_RULES } from "../api/event-rules.js";
import type { EventRecord, EventsRequestBody } from "../api/events.js";
import { InputError, type RowFailure, rowFailure } from "../errors.js";
import type { SourceFormat } from "../source/types.js";
import { stringifyExactly } from "../util/exact-number.js";
import { checkReplayCommand, isDeadLetterRecord, toReplayItem } from "./replay.js";

/** A row of the original input, as its dead-letter record kept it. */
export interface StoredRow {
  readonly line: number;
  /** Its record's line in the dead-letter file (as read: for --state). */
  readonly at: number;
  readonly row: unknown;
  readonly format: SourceFormat;
  /** The n-th identical event of the first run (n ≥ 2), kept so a later replay keeps its id. */
  readonly occurrence?: number;
}

export type StoredEvent =
  | {
      readonly kind: "event";
      readonly rows: StoredRow[];
      readonly identity: Identity;
      readonly event: EventRecord;
    }
  | {
      readonly kind: "failed";
      readonly rows: readonly [StoredRow];
      /** The stored payload when there was one (kept in the new dead-letter record). */
      readonly payload: EventsRequestBody | null;
      readonly failure: RowFailure;
    };

type Open = Extract<StoredEvent, { kind: "event" }> & { readonly text: string };

export class StoredEvents {
  #open: Open | undefined;
  #first = true;

  /** `file`: the dead-letter file being read, for the error that refuses it. */
  constructor(readonly file: string) {}

  /** One record of the file (`fileLine`: its line there); what it finished, in file order. */
  push(record: Readonly<Record<string, unknown>>, fileLine: number): StoredEvent[] {
    if (this.#first && !isDeadLetterRecord(record)) {
      throw new InputError(
        this.file,
        "without --map, the input must be a dead-letter file of import-events (its stored events are sent again); pass --map FILE to import events from rows",
        fileLine,
      );
    }
    this.#first = false;
    checkReplayCommand(record, "import-events", this.file, fileLine);
    const r = toReplayItem(record, fileLine);
    if (r.kind === "unreadable") {
      const row = { line: r.line, at: fileLine, row: r.row, format: "ndjson" } as const;
      return this.#fail(row, null, r.failure);
    }
    const { line, cells, format, occurrence } = r;
    const row: StoredRow = {
      line,
      at: fileLine,
      row: cells,
      format,
      ...(occurrence === undefined ? {} : { occurrence }),
    };
    const payload = record.payload;
    if (payload === null) {
      const message = "this row was never mapped, so no event was stored: replay it with --map";
      return this.#fail(row, null, rowFailure("input", "REPLAY_NO_PAYLOAD", message));
    }
    const body = payload as EventsRequestBody;
    const events: unknown = (payload as Record<string, unknown>).events;
    if (!Array.isArray(events) || events.length !== 1) {
      const count = Array.isArray(events) ? `${events.length} events` : "no events array";
      const message = `a dead-letter record stores one event; this payload has ${count}`;
      return this.#fail(row, body, rowFailure("input", "REPLAY_RECORD", message));
    }
    const check = checkEventsBody(payload as Record<string, unknown>, STANDARD_EVENT_RULES);
    if (!check.ok) {
      const code = check.tooMany ? "TOO_MANY_ITEMS" : "INVALID_VALUE";
      const message = `the stored event breaks the API's rules: ${check.problem}`;
      return this.#fail(row, body, rowFailure("mapping", code, message));
    }
    const text = stringifyExactly(payload);
    if (this.#open?.text === text) {
      this.#open.rows.push(row);
      return [];
    }
    const done = this.flush();
    const event = check.body.events[0] as EventRecord;
    this.#open = { kind: "event", rows: [row], identity: check.body.common.identity, event, text };
    return done;
  }

  /** The event still open, at the end of the input (or before a failure, to keep file order). */
  flush(): StoredEvent[] {
    const open = this.#open;
    this.#open = undefined;
    if (open === undefined) return [];
    const { kind, rows, identity, event } = open;
    return [{ kind, rows, identity, event }];
  }

  #fail(row: StoredRow, payload: EventsRequestBody | null, failure: RowFailure): StoredEvent[] {
    return [...this.flush(), { kind: "failed", rows: [row], payload, failure }];
  }
}
