import type { Rate } from "./rate.js";
import type { RateInfo } from "./rate-headers.js";

/** Timers the pacer uses, injectable so tests can run pacing in simulated time. */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The process's start, epoch ms (a getter a call: read once). */
const TIME_ORIGIN = performance.timeOrigin;

export const systemClock: Clock = {
  now: () => TIME_ORIGIN + performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface PacerOptions {
  readonly rate: Rate;
  /** Requests in flight at most. */
  readonly concurrency: number;
  /** Fraction of the rate kept in reserve against arrival jitter; 0.02 sends 98% of it. */
  readonly headroom?: number;
  /** Added to the server's reset time before sending again, against clock skew (at most 2% of the window). */
  readonly resetMarginMs?: number;
  /** Pause used when a rate-limited answer gives no reset time. */
  readonly fallbackPauseMs?: number;
  readonly clock?: Clock;
  /**
   * When aborted, every queued task is started at once, whatever the spacing, pause or cap, so a
   * stopping run does not wait out the queue: tasks must check this signal and then not send.
   */
  readonly stop?: AbortSignal;
  /**
   * The longest the run may wait for the rate limit in one spell (from the first rate-limited
   * answer, or the start of a pause, to its planned end). A longer wait is not started: `onWait`
   * is told with `tooLong` set, and the caller stops the run. Default: no bound.
   */
  readonly maxWaitMs?: number;
  /** Told of every pause for the rate limit as it starts (or grows longer). */
  readonly onWait?: (wait: RateWait) => void;
}

/** A pause for the rate limit: since when, until when, and why. */
export interface RateWait {
  /** When this spell of waiting began (the first rate-limited answer or the pause start), epoch ms. */
  readonly sinceMs: number;
  /** When the pause ends (the window's reset plus a small margin), epoch ms. */
  readonly untilMs: number;
  /**
   * `rate-limited`: the API refused a request (429 / 40401); `quota-spent`: its headers say nothing
   * is left; `retry-after`: a failed request's Retry-After (this one row waits, not the limiter).
   */
  readonly reason: "rate-limited" | "quota-spent" | "retry-after";
  /** True when the wait would pass `maxWaitMs`: it was not started, the caller should stop. */
  readonly tooLong: boolean;
}

/**
 * How far behind its schedule the pacer may catch up. Timers fire late by a millisecond or so;
 * without catch-up the rate would sag. A burst after an idle spell is then ⌊4 ms / minTime⌋ + 1
 * starts: one at 10,000/min, and always far less than the 2% headroom.
 */
const CATCH_UP_MS = 4;

/** The longest delay setTimeout takes (2^31 − 1 ms). */
const MAX_TIMER_MS = 2_147_483_647;

/** Job priorities: retries and rate-limited rows go ahead of new rows. */
export const PRIORITY_RETRY = 1;
export const PRIORITY_NEW = 5;

/**
 * A task the pacer starts when it may, told how it went once it is no longer in flight: the
 * request's own object, no promise or closure of the pacer's a request (bench/README.md, issue 20).
 */
export interface PacedJob<T> {
  task(): Promise<T>;
  /**
   * The task's value, told synchronously once it is out of the in-flight count and before the next
   * start, so that what it feeds observe() is heeded by that start. Must not throw.
   */
  settled(value: T): void;
  /** The task's rejection, the same way. Must not throw. */
  failed(error: unknown): void;
}

type Job = PacedJob<unknown>;

const RESOLVED = Promise.resolve();

/**
 * The one limiter of a run.
 *  - Starts are spaced evenly, `minTime` apart, so no window of the server's, wherever its
 *    boundaries fall, sees more than the rate (a sliding-window guarantee), and at most
 *    `concurrency` requests are in flight.
 *  - The server's X-Rate-Limit headers steer it. When what the window has left cannot cover the
 *    sends due before its reset (another client shares the token, or --rate is set too high), it
 *    meters out only what is left; when nothing is left, or a rate-limited answer arrives, the whole
 *    limiter pauses until the reset.
 *  - Retries go ahead of new rows.
 *
 * Written here rather than on bottleneck: bottleneck hops through setTimeout(0) at least twice per
 * job and so caps at ~420 jobs/s on this machine, whatever the rate (measured; see the bench).
 * This one starts every job that is due in one synchronous pass and waits on a timer only for the
 * spacing itself.
 */
export class Pacer {
  readonly #clock: Clock;
  readonly #minTime: number;
  readonly #concurrency: number;
  readonly #margin: number;
  readonly #fallbackPause: number;
  readonly #queues: [Job[], Job[]] = [[], []]; // [retries, new rows]
  #inFlight = 0;
  #nextStart = Number.NEGATIVE_INFINITY;
  #timer: unknown;
  #timerAt = Number.POSITIVE_INFINITY;
  /** Starts allowed before the window resets; null while the window is not short. */
  #permits: number | null = null;
  /** When metering ends: the window's reset (plus margin), whatever answers arrive or not. */
  #gateUntil = 0;
  #windowResetAt = 0;
  #windowRemaining = Number.POSITIVE_INFINITY;
  #pausedUntil = 0;
  #pauseStartedAt = 0;
  #waitedMs = 0;
  #longestWaitMs = 0;
  /** When the current spell of rate-limited answers began; 0 after any other answer. */
  #limitedSince = 0;
  #closed = false;
  readonly #stop: AbortSignal | undefined;
  readonly #maxWait: number;
  readonly #onWait: ((wait: RateWait) => void) | undefined;

  constructor(options: PacerOptions) {
    const { count, windowMs } = options.rate;
    if (!(count > 0) || !(windowMs > 0))
      throw new RangeError(`invalid rate ${count}/${windowMs}ms`);
    if (!Number.isInteger(options.concurrency) || options.concurrency < 1) {
      throw new RangeError(`concurrency must be a whole number ≥ 1, got ${options.concurrency}`);
    }
    this.#clock = options.clock ?? systemClock;
    this.#minTime = (windowMs / count) * (1 + (options.headroom ?? 0.02));
    this.#concurrency = options.concurrency;
    this.#margin = options.resetMarginMs ?? 100;
    this.#fallbackPause = options.fallbackPauseMs ?? 1_000;
    this.#stop = options.stop;
    this.#maxWait = options.maxWaitMs ?? Number.POSITIVE_INFINITY;
    this.#onWait = options.onWait;
    this.#stop?.addEventListener("abort", () => this.#pump(), { once: true });
  }

  /** Runs `task` when the rate, the window and the in-flight cap allow. */
  run<T>(task: () => Promise<T>, priority: number): Promise<T> {
    if (this.#closed) return Promise.reject(new Error("the pacer is closed"));
    return new Promise<T>((settled, failed) => {
      // The caller's continuation is queued as the job settles: before the next start.
      this.add({ task, settled, failed } as PacedJob<unknown>, priority);
    });
  }

  /** Starts `job` when the rate, the window and the in-flight cap allow (a closed pacer: failed). */
  add(job: PacedJob<unknown>, priority: number): void {
    if (this.#closed) {
      job.failed(new Error("the pacer is closed"));
      return;
    }
    this.#queues[priority <= PRIORITY_RETRY ? 0 : 1].push(job);
    this.#pump();
  }

  #start(job: Job): void {
    this.#inFlight++;
    // No longer in flight when the job hears the answer (and feeds it to observe()); the next
    // start waits a microtask, so it comes after that observe() and heeds what it said.
    job.task().then(
      (value) => {
        this.#inFlight--;
        try {
          job.settled(value);
        } finally {
          this.#pumpLater();
        }
      },
      (error: unknown) => {
        this.#inFlight--;
        try {
          job.failed(error);
        } finally {
          this.#pumpLater();
        }
      },
    );
  }

  /**
   * #pump in a microtask, once for the answers settled before it runs (queueMicrotask would make an
   * AsyncResource a call: ~1 µs a request).
   */
  #pumpLater(): void {
    if (this.#pumpQueued) return;
    this.#pumpQueued = true;
    void RESOLVED.then(this.#pumpSoon);
  }

  #pumpQueued = false;

  /** #pump, bound once (queued after answers). */
  readonly #pumpSoon = (): void => {
    this.#pumpQueued = false;
    this.#pump();
  };

  /** Starts every job that is due now; arms one timer for the next one. */
  #pump(): void {
    if (this.#stop?.aborted === true) {
      for (const queue of this.#queues) for (const job of queue.splice(0)) this.#start(job);
      return;
    }
    for (;;) {
      if (this.#closed || this.#inFlight >= this.#concurrency) return;
      const queue = this.#queues[0].length > 0 ? this.#queues[0] : this.#queues[1];
      if (queue.length === 0) return;
      const now = this.#clock.now();
      if (this.#pausedUntil !== 0) {
        if (this.#pausedUntil > now) {
          this.#wake(this.#pausedUntil);
          return;
        }
        this.#resume();
      }
      if (this.#permits !== null && this.#gateUntil <= now) this.#permits = null; // a new window
      if (this.#permits === 0) {
        // What the window had left is spent: a pause like any other (bounded, told, counted).
        this.#pause(this.#gateUntil, "quota-spent", now);
        if (this.#pausedUntil === 0) this.#wake(this.#gateUntil); // not paused: the run is stopping
        return;
      }
      if (this.#nextStart > now) {
        this.#wake(this.#nextStart);
        return;
      }
      // Anchored to the planned start, so a late timer does not slow the long-run rate: a start may
      // catch up by CATCH_UP_MS at most (at high rates, several starts in one pass).
      this.#nextStart = Math.max(this.#nextStart, now - CATCH_UP_MS) + this.#minTime;
      if (this.#permits !== null) this.#permits--;
      this.#start(queue.shift() as Job);
    }
  }

  #wake(at: number): void {
    if (this.#timer !== undefined && this.#timerAt <= at) return;
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timerAt = at;
    this.#timer = this.#clock.setTimeout(
      () => {
        this.#timer = undefined;
        this.#timerAt = Number.POSITIVE_INFINITY;
        this.#pump();
      },
      // Timers cannot wait past ~24.8 days; a longer wait (a 1M or 1y window) is re-armed on waking.
      Math.min(MAX_TIMER_MS, Math.max(0, at - this.#clock.now())),
    );
  }

  /** Feeds what an answer said of the window. Call once the request is no longer in flight. */
  observe(rate: RateInfo, rateLimited: boolean, retryAfterMs?: number): void {
    const now = this.#clock.now();
    if (rateLimited) {
      if (this.#limitedSince === 0) this.#limitedSince = now;
      const until = rate.resetAtMs ?? now + (retryAfterMs ?? this.#fallbackPause);
      this.#pause(Math.max(until, now) + this.#marginFor(rate), "rate-limited", this.#limitedSince);
      return;
    }
    this.#limitedSince = 0;
    // A window whose reset time has passed is over: its answers say nothing of the current one.
    if (rate.resetAtMs === undefined || rate.remaining === undefined || rate.resetAtMs <= now)
      return;
    if (rate.resetAtMs > this.#windowResetAt) {
      this.#windowResetAt = rate.resetAtMs;
      this.#windowRemaining = rate.remaining;
    } else if (rate.resetAtMs === this.#windowResetAt) {
      this.#windowRemaining = Math.min(this.#windowRemaining, rate.remaining);
    } else {
      return; // an answer from an older window, arrived late
    }
    if (this.#pausedUntil > now) return;
    // Requests in flight may still count in this window: assume they all do.
    const budget = this.#windowRemaining - this.#inFlight;
    const due = Math.ceil((this.#windowResetAt - now) / this.#minTime) + 1;
    if (budget <= 0) {
      this.#pause(this.#windowResetAt + this.#marginFor(rate), "quota-spent", now);
    } else if (budget < due) {
      this.#permits = budget;
      this.#gateUntil = this.#windowResetAt + this.#marginFor(rate);
    } else {
      this.#permits = null;
    }
    this.#pump();
  }

  #marginFor(rate: RateInfo): number {
    return rate.periodMs === undefined ? this.#margin : Math.min(this.#margin, rate.periodMs / 50);
  }

  /** Pauses the limiter until `until`, unless that would make a spell begun at `since` too long. */
  #pause(until: number, reason: RateWait["reason"], since: number): void {
    if (until <= this.#pausedUntil) return;
    const now = this.#clock.now();
    if (this.#pausedUntil !== 0 && this.#pausedUntil <= now) this.#resume();
    const sinceMs = Math.min(since, this.#pausedUntil === 0 ? now : this.#pauseStartedAt);
    const tooLong = until - sinceMs > this.#maxWait;
    if (!tooLong) {
      if (this.#pausedUntil === 0) this.#pauseStartedAt = now;
      this.#pausedUntil = until;
      this.#wake(until);
    }
    this.#onWait?.({ sinceMs, untilMs: until, reason, tooLong });
  }

  #resume(): void {
    const spell = this.#currentSpell();
    this.#waitedMs += spell;
    this.#longestWaitMs = Math.max(this.#longestWaitMs, spell);
    this.#pausedUntil = 0;
    this.#permits = null;
    this.#windowRemaining = Number.POSITIVE_INFINITY;
  }

  /** True while the limiter waits for the server's window to reset. */
  get paused(): boolean {
    return this.#pausedUntil > this.#clock.now();
  }

  /** Time spent paused for the rate limit so far, ms. */
  get waitedMs(): number {
    return this.#waitedMs + this.#currentSpell();
  }

  /** The pause under way, or over but not yet closed by a start: how long it has lasted. */
  #currentSpell(): number {
    if (this.#pausedUntil === 0) return 0;
    // Never below 0: a clock set back during a pause must not take time off the waits.
    return Math.max(0, Math.min(this.#clock.now(), this.#pausedUntil) - this.#pauseStartedAt);
  }

  /** The longest single pause for the rate limit so far, ms. */
  get longestWaitMs(): number {
    return Math.max(this.#longestWaitMs, this.#currentSpell());
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  /** Jobs waiting for their turn. */
  get queued(): number {
    return this.#queues[0].length + this.#queues[1].length;
  }

  /** Stops the timers. Jobs still queued never start; the run drains them before closing. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
