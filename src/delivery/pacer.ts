import Bottleneck from "bottleneck";
import type { Rate } from "./rate.js";
import type { RateInfo } from "./rate-headers.js";

/** Timers the pacer uses, injectable for tests. */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): { unref?(): unknown };
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface PacerOptions {
  readonly rate: Rate;
  /** Requests in flight at most. */
  readonly concurrency: number;
  /** Fraction of the rate kept in reserve against arrival jitter; 0.02 sends 98% of it. */
  readonly headroom?: number;
  /** Added to the server's reset time before sending again, against clock skew. */
  readonly resetMarginMs?: number;
  /** Pause used when a rate-limited answer gives no reset time. */
  readonly fallbackPauseMs?: number;
  readonly clock?: Clock;
}

/** Job priorities: retries and rate-limited rows go ahead of new rows. */
export const PRIORITY_RETRY = 1;
export const PRIORITY_NEW = 5;

/**
 * The one limiter of a run. Bottleneck spaces request starts evenly (`minTime`, a sliding-window
 * guarantee whatever the server's window phase) and caps requests in flight. The server's
 * X-Rate-Limit headers steer it: when the window is nearly spent the reservoir meters out what is
 * left; when it is spent, or a rate-limited answer arrives, the whole limiter pauses until the reset.
 */
export class Pacer {
  readonly #limiter: Bottleneck;
  readonly #clock: Clock;
  readonly #margin: number;
  readonly #fallbackPause: number;
  readonly #lowWater: number;
  #inFlight = 0;
  #windowResetAt = 0;
  #windowRemaining = Number.POSITIVE_INFINITY;
  #gated = false;
  #pausedUntil = 0;
  #pauseStartedAt = 0;
  #pauseTimer: unknown;
  #waitedMs = 0;

  constructor(options: PacerOptions) {
    const headroom = options.headroom ?? 0.02;
    this.#clock = options.clock ?? systemClock;
    this.#margin = options.resetMarginMs ?? 100;
    this.#fallbackPause = options.fallbackPauseMs ?? 1_000;
    this.#lowWater = options.concurrency * 2;
    this.#limiter = new Bottleneck({
      maxConcurrent: options.concurrency,
      minTime: (options.rate.windowMs / options.rate.count) * (1 + headroom),
    });
  }

  /** Runs `task` when the rate and the in-flight cap allow. */
  async run<T>(task: () => Promise<T>, priority: number): Promise<T> {
    return this.#limiter.schedule({ priority }, async () => {
      this.#inFlight++;
      try {
        return await task();
      } finally {
        this.#inFlight--;
      }
    });
  }

  /** Feeds what a response said of the window. Call after the request is no longer in flight. */
  observe(rate: RateInfo, rateLimited: boolean, retryAfterMs?: number): void {
    const now = this.#clock.now();
    if (rateLimited) {
      const until = rate.resetAtMs ?? now + (retryAfterMs ?? this.#fallbackPause);
      this.#pauseUntil(Math.max(until, now) + this.#margin);
      return;
    }
    // A window whose reset time has passed is over: its answers say nothing of the current one.
    if (rate.resetAtMs === undefined || rate.remaining === undefined || rate.resetAtMs <= now) {
      return;
    }
    if (rate.resetAtMs > this.#windowResetAt) {
      this.#windowResetAt = rate.resetAtMs;
      this.#windowRemaining = rate.remaining;
    } else if (rate.resetAtMs === this.#windowResetAt) {
      this.#windowRemaining = Math.min(this.#windowRemaining, rate.remaining);
    } else {
      return; // an answer from an older window, arrived late
    }
    if (this.#pausedUntil > now) return;
    // Requests in flight or already released by the limiter may still count in this window.
    const budget = this.#windowRemaining - this.#inFlight - this.#limiter.counts().RUNNING;
    if (budget <= 0) {
      this.#pauseUntil(Math.max(this.#windowResetAt, now) + this.#margin);
    } else if (budget <= this.#lowWater) {
      this.#gated = true;
      this.#limiter.updateSettings({ reservoir: budget });
    } else if (this.#gated) {
      this.#ungate();
    }
  }

  #ungate(): void {
    this.#gated = false;
    this.#limiter.updateSettings({ reservoir: null });
  }

  #pauseUntil(until: number): void {
    if (until <= this.#pausedUntil) return;
    const now = this.#clock.now();
    if (this.#pausedUntil <= now) this.#pauseStartedAt = now;
    this.#pausedUntil = until;
    this.#limiter.updateSettings({ reservoir: 0 });
    this.#gated = true;
    if (this.#pauseTimer !== undefined) this.#clock.clearTimeout(this.#pauseTimer);
    this.#pauseTimer = this.#clock.setTimeout(() => this.#resume(), until - now);
  }

  #resume(): void {
    this.#pauseTimer = undefined;
    this.#waitedMs += this.#clock.now() - this.#pauseStartedAt;
    this.#windowRemaining = Number.POSITIVE_INFINITY;
    this.#ungate();
  }

  /** True while the limiter waits for the server's window to reset. */
  get paused(): boolean {
    return this.#pausedUntil > this.#clock.now();
  }

  /** Time spent paused for the rate limit so far, ms. */
  get waitedMs(): number {
    const current = this.paused ? this.#clock.now() - this.#pauseStartedAt : 0;
    return this.#waitedMs + current;
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  /** Ends the pause timer and the limiter's own timers; waits for executing jobs. */
  async close(): Promise<void> {
    if (this.#pauseTimer !== undefined) this.#clock.clearTimeout(this.#pauseTimer);
    this.#pauseTimer = undefined;
    await this.#limiter.stop({ dropWaitingJobs: false });
  }
}
