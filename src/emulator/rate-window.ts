/**
 * A fixed-window request counter per token, aligned to the wall clock: a 1 s window starts on a
 * whole second, a 1 m window on a whole minute. Pure: the caller passes the time.
 *
 * Requests over the limit still count (remaining stays 0). Every token's window starts at the same
 * instant, so when time enters a new window all counts are forgotten at once: memory holds only the
 * tokens seen in the current window.
 */

import type { RateLimit } from "./options.js";

export interface RateDecision {
  readonly allowed: boolean;
  readonly limit: number;
  readonly remaining: number;
  /** The end of the current window, epoch milliseconds. */
  readonly resetEpochMs: number;
  /** The window's length, for the period header. */
  readonly windowMs: number;
}

export class RateWindow {
  #windowStart = Number.NaN;
  readonly #counts = new Map<string, number>();

  constructor(readonly limit: RateLimit) {}

  /** Counts one request for `token` at `now` and says whether it is within the limit. */
  take(token: string, now: number): RateDecision {
    const start = this.#enter(now);
    const used = (this.#counts.get(token) ?? 0) + 1;
    this.#counts.set(token, used);
    return this.#decision(used, start, used <= this.limit.count);
  }

  /** The state `token` would see at `now`, without counting a request. */
  peek(token: string, now: number): RateDecision {
    const start = this.#enter(now);
    const used = this.#counts.get(token) ?? 0;
    return this.#decision(used, start, used < this.limit.count);
  }

  /** How many tokens the current window remembers. */
  get trackedTokens(): number {
    return this.#counts.size;
  }

  #enter(now: number): number {
    const { windowMs } = this.limit;
    const start = Math.floor(now / windowMs) * windowMs;
    if (start !== this.#windowStart) {
      this.#windowStart = start;
      this.#counts.clear();
    }
    return start;
  }

  #decision(used: number, start: number, allowed: boolean): RateDecision {
    const { count, windowMs } = this.limit;
    return {
      allowed,
      limit: count,
      remaining: Math.max(0, count - used),
      resetEpochMs: start + windowMs,
      windowMs,
    };
  }
}
