/**
 * Gathers units into requests: one identity per request, within the kind's limits (events: at
 * most 100 events and 100 items). A batch goes out when it is full (or the next unit would
 * overfill it), when its identity has had no new unit for `waitMs` of reading, when more than
 * `maxPending` units wait in all (the oldest batch goes: memory stays bounded however many users
 * are pending), and at the end. Pure: the caller passes the time and sends what comes back, in
 * the order it comes back.
 */
import type { Identity } from "../api/dfinery.js";
import { ChurnMap } from "../util/churn-map.js";
import type { BatchLimits, Pending } from "./kind.js";

/** One identity's units, sent in one request; `weight`: their weights' sum (events: items). */
export interface Batch<U> {
  readonly identity: Identity;
  readonly units: Pending<U>[];
  weight: number;
}

interface Open<U> {
  readonly key: string;
  readonly batch: Batch<U>;
  lastAt: number;
  /** Gone from the open batches (sent). */
  closed: boolean;
}

export interface BatcherOptions<U> {
  readonly waitMs: number;
  readonly maxPending: number;
  readonly limits: Pick<BatchLimits<U>, "units" | "maxWeight" | "weight">;
}

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

/** Whether two identities have the same fields with the same values (so the same key). */
function sameIdentity(a: Identity, b: Identity): boolean {
  if (a === b) return true;
  let fields = 0;
  for (const field in a) {
    const key = field as keyof Identity;
    if (a[key] !== b[key] || !Object.hasOwn(b, key)) return false;
    fields++;
  }
  for (const _ in b) fields--;
  return fields === 0;
}

/** No batch: what most calls return (never written to). */
const NONE: readonly never[] = Object.freeze([]);

export class Batcher<U> {
  /**
   * Open batches, the one with the oldest last unit first (re-inserted on each unit). A time-ordered
   * file of many users opens and closes one an event (util/churn-map.ts says why that is no Map).
   */
  readonly #open = new ChurnMap<string, Open<U>>();
  readonly #maxUnits: number;
  readonly #maxWeight: number;
  readonly #weight: (unit: U) => number;
  #pending = 0;
  /** The batch of the last unit added: last in `#open` already (a user's run of units). */
  #latest: Open<U> | undefined;
  /** The time of the last `due` call. */
  #dueAt = Number.NaN;

  constructor(readonly options: BatcherOptions<U>) {
    this.#maxUnits = options.limits.units;
    this.#maxWeight = options.limits.maxWeight;
    this.#weight = options.limits.weight;
  }

  /** Units waiting in open batches. */
  get pending(): number {
    return this.#pending;
  }

  /**
   * Adds a unit (within maxWeight: the kind refuses heavier ones); the batches to send now (most
   * units close none: then one shared empty list, no array a unit).
   */
  add(identity: Identity, pending: Pending<U>, now: number): readonly Batch<U>[] {
    let out: Batch<U>[] | undefined;
    // A user's run of units (a file sorted by user): the key and batch of the last one, not made
    // and looked up again.
    const latest = this.#latest;
    let key: string;
    let open: Open<U> | undefined;
    if (latest !== undefined && sameIdentity(latest.batch.identity, identity)) {
      key = latest.key;
      open = latest.closed ? undefined : latest;
    } else {
      key = identityKey(identity);
      open = this.#open.get(key);
    }
    const weight = this.#weight(pending.unit);
    if (
      open !== undefined &&
      (open.batch.units.length >= this.#maxUnits || open.batch.weight + weight > this.#maxWeight)
    ) {
      out = [this.#close(key, open)];
      open = undefined;
    }
    if (open === undefined) {
      open = { key, batch: { identity, units: [], weight: 0 }, lastAt: now, closed: false };
      this.#open.set(key, open);
    } else if (open !== this.#latest) {
      this.#open.delete(key); // re-inserted last: the most recent
      this.#open.set(key, open);
    }
    this.#latest = open;
    open.batch.units.push(pending);
    open.batch.weight += weight;
    open.lastAt = now;
    this.#pending++;
    if (open.batch.units.length >= this.#maxUnits || open.batch.weight >= this.#maxWeight) {
      out ??= [];
      out.push(this.#close(key, open));
    }
    if (this.#pending > this.options.maxPending) {
      out ??= [];
      for (const [oldest, first] of this.#open) {
        if (this.#pending <= this.options.maxPending) break;
        out.push(this.#close(oldest, first));
      }
    }
    return out ?? NONE;
  }

  /**
   * Batches whose identity has had no new unit for `waitMs`. Asked again at the same time, none:
   * the batches due then are gone and units added since are not due (a call per row costs
   * nothing until the clock moves).
   */
  due(now: number): readonly Batch<U>[] {
    if (now === this.#dueAt && this.options.waitMs > 0) return NONE;
    this.#dueAt = now;
    let out: Batch<U>[] | undefined;
    for (const [key, open] of this.#open) {
      if (now - open.lastAt < this.options.waitMs) break;
      out ??= [];
      out.push(this.#close(key, open));
    }
    return out ?? NONE;
  }

  /** Every open batch, at the end of the input. */
  flush(): Batch<U>[] {
    return [...this.#open].map(([key, open]) => this.#close(key, open));
  }

  #close(key: string, open: Open<U>): Batch<U> {
    this.#open.delete(key);
    open.closed = true;
    this.#pending -= open.batch.units.length;
    return open.batch;
  }
}
