/**
 * A user's batch is due when no new event of theirs came for `--batch-wait`. The reading loop asks
 * the batcher after each row; this asks it while reading is stalled (a pipe from a slow export, a
 * `tail -f`-like stdin), so pending events do not wait for more input or the end. One timer for
 * the whole run, re-armed after each tick (never a timer per row, never two ticks at once).
 */
import type { Clock } from "../delivery/pacer.js";
import { systemClock } from "../delivery/pacer.js";

export interface DueTimerOptions {
  /** Time between ticks, from the end of one to the start of the next. */
  readonly periodMs: number;
  /** Sends what is due; its failure goes to `onError` and ticking goes on. */
  readonly tick: () => Promise<void>;
  readonly onError: (error: unknown) => void;
  /** The run's stop: no tick after it (whichever way the run ended). */
  readonly stop?: AbortSignal;
  readonly clock?: Pick<Clock, "setTimeout" | "clearTimeout">;
}

/** A quarter of the wait: a batch goes at most 1.25 × the wait after its last event (10 ms at least). */
export const tickPeriodMs = (waitMs: number): number => Math.max(10, Math.round(waitMs / 4));

export class DueTimer {
  readonly #options: DueTimerOptions;
  readonly #clock: Pick<Clock, "setTimeout" | "clearTimeout">;
  #handle: unknown;
  #running: Promise<void> | undefined;
  #stopped = false;

  constructor(options: DueTimerOptions) {
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
    options.stop?.addEventListener("abort", () => void this.stop(), { once: true });
  }

  start(): void {
    if (this.#handle === undefined && this.#running === undefined && !this.#stopped) this.#arm();
  }

  /** No tick after this; resolves when a tick in progress has finished. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#handle !== undefined) this.#clock.clearTimeout(this.#handle);
    this.#handle = undefined;
    await this.#running;
  }

  #arm(): void {
    this.#handle = this.#clock.setTimeout(() => this.#fire(), this.#options.periodMs);
  }

  #fire(): void {
    this.#handle = undefined;
    this.#running = this.#options
      .tick()
      .catch(this.#options.onError)
      .finally(() => {
        this.#running = undefined;
        if (!this.#stopped) this.#arm();
      });
  }
}
