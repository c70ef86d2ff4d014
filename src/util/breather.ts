/**
 * A long loop's turn to let the event loop run: a signal (Ctrl-C, SIGTERM), a timer or an answer
 * waits for it otherwise, however long the loop keeps the thread. `due()` costs a clock read and
 * returns nothing to await until the loop has held the thread for `everyMs` since its last turn;
 * then a promise that resolves on the next turn of the event loop (setImmediate), once what was
 * waiting has run. The clock is the process's own (how long the thread was held, not the run's
 * time, which tests may fix).
 */
export const BREATHE_MS = 50;

export class Breather {
  readonly #everyMs: number;
  readonly #now: () => number;
  #last: number;

  constructor(everyMs = BREATHE_MS, now: () => number = () => performance.now()) {
    this.#everyMs = everyMs;
    this.#now = now;
    this.#last = now();
  }

  /** Undefined while the loop may go on; else a promise to await before it does. */
  due(): Promise<void> | undefined {
    if (this.#now() - this.#last < this.#everyMs) return undefined;
    return new Promise((resolve) =>
      setImmediate(() => {
        this.#last = this.#now();
        resolve();
      }),
    );
  }
}
