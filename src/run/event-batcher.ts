/**
 * Gathers events into requests: one identity per request, at most 100 events and 100 items. A
 * batch goes out when it is full (or the next event would overfill it), when its identity has had
 * no new event for `waitMs` of reading, when more than `maxPending` events wait in all (the oldest
 * batch goes: memory stays bounded however many users are pending), and at the end. Pure: the
 * caller passes the time and sends what comes back, in the order it comes back.
 */
import type { Identity } from "../api/dfinery.js";
import { type EventRecord, MAX_EVENTS_PER_REQUEST, MAX_ITEMS_PER_REQUEST } from "../api/events.js";

/** One event with what it came from, `T` (its input rows). */
export interface Pending<T> {
  readonly event: EventRecord;
  readonly from: T;
}

export interface Batch<T> {
  readonly identity: Identity;
  readonly events: Pending<T>[];
  items: number;
}

interface Open<T> {
  readonly batch: Batch<T>;
  lastAt: number;
}

export interface BatcherOptions {
  readonly waitMs: number;
  readonly maxPending: number;
}

export const itemCount = (event: EventRecord): number => event.event_items?.length ?? 0;

/**
 * The key of an identity: its fields in a fixed order, so one user is one key, and two users never
 * one (values may hold any character, separators included: several fields go through JSON).
 */
export function identityKey(identity: Identity): string {
  const fields = Object.keys(identity);
  if (fields.length === 1) {
    const field = fields[0] as keyof Identity;
    return `${field}\u0000${identity[field]}`; // a field name holds no NUL: the first one splits
  }
  return JSON.stringify(fields.sort().map((field) => [field, identity[field as keyof Identity]]));
}

export class Batcher<T> {
  /** Open batches, the one with the oldest last event first (re-inserted on each event). */
  readonly #open = new Map<string, Open<T>>();
  #pending = 0;
  /** The batch of the last event added: last in `#open` already (a user's run of events). */
  #latest: Open<T> | undefined;
  /** The time of the last `due` call. */
  #dueAt = Number.NaN;

  constructor(readonly options: BatcherOptions) {}

  /** Events waiting in open batches. */
  get pending(): number {
    return this.#pending;
  }

  /** Adds an event (at most 100 items: the caller refuses bigger ones); the batches to send now. */
  add(identity: Identity, pending: Pending<T>, now: number): Batch<T>[] {
    const out: Batch<T>[] = [];
    const key = identityKey(identity);
    const items = itemCount(pending.event);
    let open = this.#open.get(key);
    if (
      open !== undefined &&
      (open.batch.events.length >= MAX_EVENTS_PER_REQUEST ||
        open.batch.items + items > MAX_ITEMS_PER_REQUEST)
    ) {
      out.push(this.#close(key, open));
      open = undefined;
    }
    if (open === undefined) {
      open = { batch: { identity, events: [], items: 0 }, lastAt: now };
      this.#open.set(key, open);
    } else if (open !== this.#latest) {
      this.#open.delete(key); // re-inserted last: the most recent
      this.#open.set(key, open);
    }
    this.#latest = open;
    open.batch.events.push(pending);
    open.batch.items += items;
    open.lastAt = now;
    this.#pending++;
    if (
      open.batch.events.length >= MAX_EVENTS_PER_REQUEST ||
      open.batch.items >= MAX_ITEMS_PER_REQUEST
    ) {
      out.push(this.#close(key, open));
    }
    if (this.#pending > this.options.maxPending) {
      for (const [oldest, first] of this.#open) {
        if (this.#pending <= this.options.maxPending) break;
        out.push(this.#close(oldest, first));
      }
    }
    return out;
  }

  /**
   * Batches whose identity has had no new event for `waitMs`. Asked again at the same time, none:
   * the batches due then are gone and events added since are not due (a call per row costs
   * nothing until the clock moves).
   */
  due(now: number): Batch<T>[] {
    if (now === this.#dueAt && this.options.waitMs > 0) return [];
    this.#dueAt = now;
    const out: Batch<T>[] = [];
    for (const [key, open] of this.#open) {
      if (now - open.lastAt < this.options.waitMs) break;
      out.push(this.#close(key, open));
    }
    return out;
  }

  /** Every open batch, at the end of the input. */
  flush(): Batch<T>[] {
    return [...this.#open].map(([key, open]) => this.#close(key, open));
  }

  #close(key: string, open: Open<T>): Batch<T> {
    this.#open.delete(key);
    this.#pending -= open.batch.events.length;
    return open.batch;
  }
}
