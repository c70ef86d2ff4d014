import type Database from "better-sqlite3";
import { keyedHash } from "./hash.js";

/**
 * The events DFINERY accepted (import-events --state), so an overlapping export sends only the
 * events not yet accepted. An event is remembered by its `event_log_id` keyed with the state key,
 * cut to 128 bits: the ids are often name-based UUIDs of the event's content (identity, name,
 * time), which a guess could be checked against if they were stored as they are.
 */
export class EventTable {
  readonly #has: Database.Statement<[string], number>;
  readonly #insert: Database.Statement<[string]>;
  readonly #count: Database.Statement<[], number>;

  constructor(db: Database.Database) {
    this.#has = db.prepare<[string], number>("SELECT 1 FROM events WHERE key = ?").pluck();
    this.#insert = db.prepare("INSERT OR IGNORE INTO events (key) VALUES (?)");
    this.#count = db.prepare<[], number>("SELECT count(*) FROM events").pluck();
  }

  has(key: string): boolean {
    return this.#has.get(key) !== undefined;
  }

  insert(key: string): void {
    this.#insert.run(key);
  }

  count(): number {
    return this.#count.get() ?? 0;
  }
}

/** 22 base64url characters: 132 bits, no collision in any number of events a file will hold. */
const EVENT_KEY_LENGTH = 22;

/** The key under which the state file remembers an event id. */
export function eventKey(eventId: string, key: Buffer): string {
  return keyedHash(key, eventId).slice(0, EVENT_KEY_LENGTH);
}
