/**
 * A long loop's turn to let the event loop run: a signal (Ctrl-C, SIGTERM), a timer or an answer
 * waits for it otherwise, however long the loop keeps the thread. `due()` costs a clock read and
 * returns nothing to await until the loop has held the thread for `everyMs` without a turn of the
 * event loop; then a promise that resolves on the next turn (setImmediate), once what was waiting
 * has run. A loop that waits anyway (for input, for a free slot) lets the event loop turn by
 * itself: a watch (one setImmediate a turn, not one a call) sees it and counts anew, so such a
 * loop is never made to yield more. The clock is the process's own (how long the thread was held,
 * not the run's time, which tests may fix).
 */
export const BREATHE_MS = 50;

export class Breather {
  readonly #everyMs: number;
  readonly #now: () => number;
  #last: number;
  #watching = false;

  constructor(everyMs = BREATHE_MS, now: () => number = () => performance.now()) {
    this.#everyMs = everyMs;
    this.#now = now;
    this.#last = now();
  }

  /** Undefined while the loop may go on; else a promise to await before it does. */
  due(): Promise<void> | undefined {
    if (!this.#watching) {
      this.#watching = true;
      setImmediate(this.#turned);
    }
    if (this.#now() - this.#last < this.#everyMs) return undefined;
    return new Promise((resolve) => setImmediate(resolve)); // the watch runs first: counts anew
  }

  /** The event loop turned: the thread was let go. */
  readonly #turned = (): void => {
    this.#watching = false;
    this.#last = this.#now();
  };
}
