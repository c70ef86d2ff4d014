/**
 * The ids of one run's events, counting identical events (event-id.ts): the first keeps its
 * content's id, the n-th gets the id of its content and n. Deterministic, so a re-run or an
 * overlapping export gives every event the same id again. Memory: one fingerprint and count per
 * distinct event (fingerprint-set.ts, ~10 bytes each), however often it repeats.
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

export class EventIds {
  /** How many events of each content were counted (claims aside). */
  readonly #seen = new FingerprintSet();
  /** Occurrences claimed by replayed dead letters, by fingerprint (a replay's few records). */
  readonly #claims = new Map<string, Set<number>>();

  /** The occurrence the last `name` gave. */
  #occurrence = 1;

  /** The id of the next event with these parts, or of its `claimed` occurrence (a replay). */
  next(parts: EventIdParts, claimed?: number): NamedEvent {
    const id = this.name(parts, claimed);
    return { id, occurrence: this.#occurrence };
  }

  /** As `next`, the id alone (no object an event): its occurrence is `occurrence` until the next call. */
  name(parts: EventIdParts, claimed?: number): string {
    const digest = eventDigest(parts);
    const high = digest[0] as number;
    const low = digest[1] as number;
    const first = uuidOfDigest(digest);
    let occurrence: number;
    if (claimed === undefined) {
      const counted = this.#seen.add(digest[2] as number, high, low);
      occurrence = this.#claims.size === 0 ? counted : this.#aroundClaims(high, low, counted);
    } else {
      const key = `${high}:${low}`;
      const claims = this.#claims.get(key) ?? new Set<number>();
      claims.add(claimed);
      this.#claims.set(key, claims);
      occurrence = claimed;
    }
    this.#occurrence = occurrence;
    return occurrence === 1 ? first : uuidOfDigest(eventDigest(parts, occurrence));
  }

  /** The occurrence of the event the last `name` (or `next`) call named. */
  get occurrence(): number {
    return this.#occurrence;
  }

  /** The `counted`-th occurrence number that no replayed dead letter has claimed. */
  #aroundClaims(high: number, low: number, counted: number): number {
    const claims = this.#claims.get(`${high}:${low}`);
    if (claims === undefined) return counted;
    let n = 0;
    for (let k = 0; k < counted; ) if (!claims.has(++n)) k++;
    return n;
  }
}
