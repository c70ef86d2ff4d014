/**
 * The ids of one run's events, counting identical events (event-id.ts): the first keeps its
 * content's id, the n-th gets the id of its content and n. Deterministic, so a re-run or an
 * overlapping export gives every event the same id again. Memory: one fingerprint per distinct
 * event (fingerprint-set.ts, ~9 bytes each), plus a small record for each repeated one.
 *
 * A replayed dead letter claims the occurrence its first run gave it: a 2nd occurrence refused
 * then and replayed alone keeps its own id, never the first's (which may have been accepted).
 * Events counted beside claims skip the claimed numbers.
 */
import { type EventIdParts, eventDigest, uuidOfDigest } from "./event-id.js";
import { FingerprintSet } from "./fingerprint-set.js";

export interface NamedEvent {
  readonly id: string;
  /** 1 for the first event with this content in the run, n for the n-th. */
  readonly occurrence: number;
}

interface Repeat {
  /** The last number given by counting. */
  counted: number;
  claimed: Set<number> | undefined;
}

export class EventIds {
  readonly #seen = new FingerprintSet();
  /** Fingerprints seen more than once, or claimed: their numbers so far. */
  readonly #repeats = new Map<string, Repeat>();

  /** The id of the next event with these parts, or of its `claimed` occurrence (a replay). */
  next(parts: EventIdParts, claimed?: number): NamedEvent {
    const digest = eventDigest(parts);
    const high = digest[0] as number;
    const low = digest[1] as number;
    const first = uuidOfDigest(digest);
    const fresh = this.#seen.add(digest[2] as number, high, low);
    const occurrence =
      claimed === undefined
        ? this.#count(high, low, fresh)
        : this.#claim(high, low, fresh, claimed);
    return {
      id: occurrence === 1 ? first : uuidOfDigest(eventDigest(parts, occurrence)),
      occurrence,
    };
  }

  #count(high: number, low: number, fresh: boolean): number {
    if (fresh) return 1;
    const key = `${high}:${low}`;
    const repeat = this.#repeats.get(key) ?? { counted: 1, claimed: undefined };
    let n = repeat.counted + 1;
    while (repeat.claimed?.has(n) === true) n++;
    repeat.counted = n;
    this.#repeats.set(key, repeat);
    return n;
  }

  #claim(high: number, low: number, fresh: boolean, claimed: number): number {
    const key = `${high}:${low}`;
    const repeat = this.#repeats.get(key) ?? { counted: fresh ? 0 : 1, claimed: undefined };
    repeat.claimed ??= new Set();
    repeat.claimed.add(claimed);
    this.#repeats.set(key, repeat);
    return claimed;
  }
}
