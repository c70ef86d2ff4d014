/**
 * The questions an import-events run asks of its state file (`--state`): which rows an
 * interrupted pass already did, which events an earlier run had accepted, and how each request
 * ended, committed once per request. A run without --state asks NO_EVENT_STATE.
 */
import type { RowFailure } from "../errors.js";

/** What the state needs of an event: its id and its time. */
export interface IdentifiedEvent {
  readonly event_log_id: string;
  readonly event_datetime: string;
}

export interface EventState {
  /** Called for every row in read order (by the line it was read at). True: done before; skip it. */
  skip(at: number): boolean;
  /** Whether an earlier run had this event accepted: then it is not sent (always false with --full). */
  knownEvent(event: IdentifiedEvent): boolean;
  /** A request's events were accepted: they and the rows they came from, in one commit. */
  acceptedEvents(ats: readonly number[], events: readonly IdentifiedEvent[]): void;
  /** Rows dead-lettered together (one event's rows), in one commit. */
  deadLetteredRows(ats: readonly number[]): void;
  /** A row whose event an earlier run had accepted. */
  unchanged(at: number): void;
  /** As for import-profiles (state-link.ts): true when an earlier run saw this row fail the same way. */
  stillFailing(row: unknown, failure: RowFailure): boolean;
}

export const NO_EVENT_STATE: EventState = {
  skip: () => false,
  knownEvent: () => false,
  acceptedEvents: () => {},
  deadLetteredRows: () => {},
  unchanged: () => {},
  stillFailing: () => false,
};
