/**
 * The circuit breaker on permanent failures: when the API refuses row after row for the same reason
 * with nothing accepted in between (a property not registered in the console, a wrong type), the
 * rest of the file would be refused too: stop, rather than spend the night's quota on it. Pure: it
 * is fed one answer per row that reached the API, in the order they end.
 *
 * The streak is meant to catch a broken mapping (every row refused), not one user's bad events: the
 * events of one request (refused, then split down to single events) are one step of it. The error
 * rate still counts every event.
 */

export interface BreakerOptions {
  /** Trip when more than this share of the last `window` answers are permanent failures; ≥ 1 turns the breaker off. */
  readonly maxErrorRate: number;
  /** Trip after this many permanent failures (rows, or batches of events) with one code and no acceptance since the first. */
  readonly sameCodeInARow: number;
  /** Answers the error rate looks back on; it is judged only once this many have come. */
  readonly window: number;
}

/** Tuned by `npm run bench` (section "breaker"): see bench/breaker.ts for the trade-off. */
export const DEFAULT_BREAKER: BreakerOptions = {
  maxErrorRate: 0.5,
  sameCodeInARow: 20,
  window: 200,
};

export interface BreakerTrip {
  readonly rule: "same-code" | "error-rate";
  /** The code of the failure that tripped it. */
  readonly code: string;
  /** `same-code`: failures with that code in a row; `error-rate`: failures among the window. */
  readonly failures: number;
  readonly answers: number;
  /** `same-code`: the steps of the streak, the rows or batches the failures came from. */
  readonly steps?: number;
}

/** Permanent failures with one code since the last acceptance, and the batches they came from. */
interface Streak {
  failures: number;
  steps: number;
  readonly batches: Set<number>;
}

export class Breaker {
  readonly #options: BreakerOptions;
  /** Permanent failures per code since the last accepted row. */
  readonly #streaks = new Map<string, Streak>();
  /** The last `window` answers, true for a permanent failure (a ring). */
  readonly #ring: boolean[] = [];
  #next = 0;
  #failures = 0;

  constructor(options: BreakerOptions = DEFAULT_BREAKER) {
    this.#options = options;
  }

  get enabled(): boolean {
    return this.#options.maxErrorRate < 1;
  }

  /** `count` rows (or events) accepted: the streaks end, and the error rate counts each. */
  accepted(count = 1): undefined {
    // Cleared only when there is a streak: a Map's clear() makes a new table, and this runs for
    // every event accepted.
    if (this.#streaks.size > 0) this.#streaks.clear();
    for (let i = 0; i < count; i++) this.#push(false);
    return undefined;
  }

  /**
   * A row the API refused for good with `code`; says whether the breaker trips. `batch`: the
   * request an event was first sent in; the events of one batch are one step of the streak.
   */
  refused(code: string, batch?: number): BreakerTrip | undefined {
    this.#push(true);
    if (!this.enabled) return undefined;
    const { sameCodeInARow, window, maxErrorRate } = this.#options;
    let streak = this.#streaks.get(code);
    if (streak === undefined) {
      streak = { failures: 0, steps: 0, batches: new Set() };
      this.#streaks.set(code, streak);
    }
    streak.failures++;
    if (batch === undefined || !streak.batches.has(batch)) {
      streak.steps++;
      if (batch !== undefined) streak.batches.add(batch);
    }
    if (streak.steps >= sameCodeInARow) {
      const { failures, steps } = streak;
      return { rule: "same-code", code, failures, answers: failures, steps };
    }
    if (this.#ring.length >= window && this.#failures / this.#ring.length > maxErrorRate) {
      return { rule: "error-rate", code, failures: this.#failures, answers: this.#ring.length };
    }
    return undefined;
  }

  #push(failed: boolean): void {
    const { window } = this.#options;
    if (this.#ring.length < window) {
      this.#ring.push(failed);
    } else {
      if (this.#ring[this.#next] === true) this.#failures--;
      this.#ring[this.#next] = failed;
      this.#next = (this.#next + 1) % window;
    }
    if (failed) this.#failures++;
  }
}
