import type Database from "better-sqlite3";
import { keyedHash } from "../util/hash.js";

/**
 * The events DFINERY accepted (import-events --state), so an overlapping export sends only the
 * events not yet accepted. An event is remembered by its `event_log_id` keyed with the state key,
 * cut to 128 bits: the ids are often name-based UUIDs of the event's content (identity, name,
 * time), which a guess could be checked against if they were stored as they are. The key starts
 * with the event's time, so a night's events, mostly in time order, are added near the end of
 * the table instead of all over it (measured: 2.6x less written per commit). Each also has the
 * time it was accepted, which `--keep-events` forgets by: a backfill of old events is kept as
 * long as a night's.
 */
export class EventTable {
  readonly #has: Database.Statement<[string], number>;
  readonly #insert: Database.Statement<[string, number]>;
  readonly #count: Database.Statement<[], number>;
  readonly #newest: Database.Statement<[], string | null>;
  readonly #forget: Database.Statement<[number]>;

  constructor(db: Database.Database) {
    this.#has = db.prepare<[string], number>("SELECT 1 FROM events WHERE key = ?").pluck();
    this.#insert = db.prepare(
      "INSERT INTO events (key, accepted) VALUES (?, ?) " +
        "ON CONFLICT (key) DO UPDATE SET accepted = excluded.accepted",
    );
    this.#count = db.prepare<[], number>("SELECT count(*) FROM events").pluck();
    this.#newest = db.prepare<[], string | null>("SELECT max(key) FROM events").pluck();
    this.#forget = db.prepare("DELETE FROM events WHERE accepted < ?");
  }

  has(key: string): boolean {
    return this.#has.get(key) !== undefined;
  }

  /** Records the event of `key` as accepted at `at` (epoch ms; again: the later time). */
  insert(key: string, at: number): void {
    this.#insert.run(key, at);
  }

  /** The greatest key (keys start with the event's time: the newest event); undefined when none. */
  newest(): string | undefined {
    return this.#newest.get() ?? undefined;
  }

  /** Forgets the events accepted before `ms` (epoch ms); returns how many. */
  forgetAcceptedBefore(ms: number): number {
    return this.#forget.run(ms).changes;
  }

  count(): number {
    return this.#count.get() ?? 0;
  }
}

/** 22 base64url characters: 132 bits, no collision in any number of events a file will hold. */
const EVENT_KEY_LENGTH = 22;

/** What an event is remembered by: its id, and its time (an ISO 8601 UTC Datetime). */
export interface KeyedEvent {
  readonly event_log_id: string;
  readonly event_datetime: string;
}

/**
 * The key under which the state file remembers an event: its time in ms, 9 base-36 digits (in
 * order until the year 5188), then its id keyed with the state key.
 */
export function eventKey(event: KeyedEvent, key: Buffer): string {
  const ms = Date.parse(event.event_datetime);
  const time = Number.isFinite(ms) && ms >= 0 ? timePrefix(ms) : "-";
  return time + keyedHash(key, event.event_log_id).slice(0, EVENT_KEY_LENGTH);
}

/** An event key's first part: the time in ms as 9 base-36 digits, so keys sort by time. */
const timePrefix = (ms: number): string => Math.floor(ms).toString(36).padStart(9, "0");
