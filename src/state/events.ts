import type Database from "better-sqlite3";
import { Breather } from "../util/breather.js";
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
  readonly #stepEnd: Database.Statement<[string, number], string | null>;
  readonly #forget: Database.Statement<[string, string, number]>;
  readonly #forgetStep: (before: number, after: string, limit: number) => ForgetStep;

  constructor(db: Database.Database) {
    this.#has = db.prepare<[string], number>("SELECT 1 FROM events WHERE key = ?").pluck();
    this.#insert = db.prepare(
      "INSERT INTO events (key, accepted) VALUES (?, ?) " +
        "ON CONFLICT (key) DO UPDATE SET accepted = excluded.accepted",
    );
    this.#count = db.prepare<[], number>("SELECT count(*) FROM events").pluck();
    this.#newest = db.prepare<[], string | null>("SELECT max(key) FROM events").pluck();
    this.#stepEnd = db
      .prepare<[string, number], string | null>(
        "SELECT max(key) FROM (SELECT key FROM events WHERE key > ? ORDER BY key LIMIT ?)",
      )
      .pluck();
    this.#forget = db.prepare("DELETE FROM events WHERE key > ? AND key <= ? AND accepted < ?");
    this.#forgetStep = db.transaction((before: number, after: string, limit: number) => {
      const last = this.#stepEnd.get(after, limit) ?? undefined;
      if (last === undefined) return { forgotten: 0, last };
      return { forgotten: this.#forget.run(after, last, before).changes, last };
    });
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

  /**
   * One step of forgetting the events accepted before `ms` (epoch ms), in a short transaction of
   * its own: of the next `limit` keys after `after` (in key order; "" for the first), those
   * accepted before. A whole table is one pass of such steps, each key looked at once, so a step
   * costs the same wherever it is (the kept events are not read again by the next step).
   */
  forgetStep(ms: number, after: string, limit: number): ForgetStep {
    return this.#forgetStep(ms, after, limit);
  }

  count(): number {
    return this.#count.get() ?? 0;
  }
}

/** What a step of forgetting did: how many it forgot, and the last key it looked at (undefined: none was left). */
export interface ForgetStep {
  readonly forgotten: number;
  readonly last: string | undefined;
}

/** How forgetting ended: how many events it forgot; `finished` false when stopped before the end. */
export interface Forgotten {
  readonly forgotten: number;
  readonly finished: boolean;
}

/**
 * Forgets in steps (`step(after)`, each its own transaction), letting the event loop in between
 * (util/breather.ts) so that a signal is heard; stops before the next step once `stop` is aborted.
 * What is left is forgotten by the next run that forgets: each step is whole.
 */
export async function forgetInSteps(
  step: (after: string) => ForgetStep,
  stop: AbortSignal | undefined,
): Promise<Forgotten> {
  const breather = new Breather();
  let forgotten = 0;
  let after = "";
  for (;;) {
    if (stop?.aborted === true) return { forgotten, finished: false };
    const done = step(after);
    forgotten += done.forgotten;
    if (done.last === undefined) return { forgotten, finished: true };
    after = done.last;
    const turn = breather.due();
    if (turn !== undefined) await turn;
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
