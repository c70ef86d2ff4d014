/**
 * The circuit breaker on permanent failures: when the API refuses row after row for the same reason
 * with nothing accepted in between (a property not registered in the console, a wrong type), the
 * rest of the file would be refused too: stop, rather than spend the night's quota on it. Pure: it
 * is fed one answer per row that reached the API, in the order they end.
 */

export interface BreakerOptions {
  /** Trip when more than this share of the last `window` answers are permanent failures; ≥ 1 turns the breaker off. */
  readonly maxErrorRate: number;
  /** Trip after this many permanent failures with one code and no acceptance since the first. */
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
}

export class Breaker {
  readonly #options: BreakerOptions;
  /** Permanent failures per code since the last accepted row. */
  readonly #streaks = new Map<string, number>();
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

  accepted(): undefined {
    this.#streaks.clear();
    this.#push(false);
    return undefined;
  }

  /** A row the API refused for good with `code`; says whether the breaker trips. */
  refused(code: string): BreakerTrip | undefined {
    const streak = (this.#streaks.get(code) ?? 0) + 1;
    this.#streaks.set(code, streak);
    this.#push(true);
    if (!this.enabled) return undefined;
    const { sameCodeInARow, window, maxErrorRate } = this.#options;
    if (streak >= sameCodeInARow) {
      return { rule: "same-code", code, failures: streak, answers: streak };
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
