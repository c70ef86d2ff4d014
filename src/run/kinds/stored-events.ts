/**
 * Events without --map: each record of an import-events dead-letter file has its stored event sent
 * again as it was, with its stored `event_log_id` (a re-send is the same event), after a check
 * against the API's event rules (api/event-rules.ts). A record without a payload (its row was
 * never mapped) cannot be sent without a mapping: it fails again, saying to replay with --map.
 * Consecutive records of one event (the rows of a CSV item group, each written with the group's
 * event) become that event once, with all their rows. Pure: records in, events and failures out,
 * in file order; memory holds one event.
 */
import type { Identity } from "../../api/dfinery.js";
import { checkEventsBody, STANDARD_EVENT_RULES } from "../../api/event-rules.js";
import type { EventRecord, EventsRequestBody } from "../../api/events.js";
import { type RowFailure, rowFailure } from "../../errors.js";
import { stringifyExactly } from "../../util/exact-number.js";
import type { Finished, Row } from "../kind.js";

type Open = { identity: Identity; event: EventRecord; rows: Row[]; text: string };

export class StoredEvents {
  #open: Open | undefined;

  /** One record's row and stored payload; what it finished, in file order. */
  push(row: Row, payload: unknown): Finished<EventRecord>[] {
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
    // The API's keys only, as for every kind: anything else a file holds (`service_id`, an edit)
    // is not sent.
    const sent = { common: (payload as Record<string, unknown>).common, events };
    const check = checkEventsBody(sent, STANDARD_EVENT_RULES);
    if (!check.ok) {
      const code = check.tooMany ? "TOO_MANY_ITEMS" : "INVALID_VALUE";
      const message = `the stored event breaks the API's rules: ${check.problem}`;
      return this.#fail(row, body, rowFailure("mapping", code, message));
    }
    const text = stringifyExactly(sent);
    if (this.#open?.text === text) {
      this.#open.rows.push(row);
      return [];
    }
    const done = this.flush();
    const event = check.body.events[0] as EventRecord;
    this.#open = { identity: check.body.common.identity, event, rows: [row], text };
    return done;
  }

  /** The event still open, at the end of the input (or before a failure, to keep file order). */
  flush(): Finished<EventRecord>[] {
    const open = this.#open;
    this.#open = undefined;
    if (open === undefined) return [];
    return [{ ok: true, identity: open.identity, unit: open.event, rows: open.rows }];
  }

  #fail(row: Row, payload: EventsRequestBody | null, failure: RowFailure): Finished<EventRecord>[] {
    return [...this.flush(), { ok: false, rows: [{ ...row, failure }], payload }];
  }
}
