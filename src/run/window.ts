/**
 * A bound on rows in the pipeline (read but not finished). The reader awaits `acquire()` before
 * taking the next row, so the file is read only as fast as rows complete: memory stays flat
 * however large the input. A slot may be weighed (`acquire(n)`: n units at once); one waiter at a
 * time is let in, in order. A waiter may ask for more room than it takes (`acquire(1, 16)`): a
 * reader that found the window full then takes its next rows without waiting (a promise each).
 */
export class Window {
  #size: number;
  #active = 0;
  /** Waiting, in order: each is let in (its weight taken for it) once its room fits. */
  #waiters: Waiter[] = [];
  #idle: (() => void)[] = [];

  constructor(size: number) {
    this.#size = checked(size);
  }

  get size(): number {
    return this.#size;
  }

  /** A new bound: a larger one lets waiters in at once; a smaller one holds new ones back. */
  resize(size: number): void {
    this.#size = checked(size);
    this.#admit();
  }

  /**
   * Takes `weight` of the bound once it is free (more than the whole bound: once nothing is taken);
   * when it waits, once `room` is free (`room` ≥ `weight`), so that what is left stays free a while.
   */
  acquire(weight = 1, room = weight): Promise<void> {
    if (this.tryAcquire(weight)) return Promise.resolve();
    return new Promise<void>((resolve) => this.#waiters.push({ weight, room, resolve }));
  }

  /** Takes `weight` of the bound now if it is free and no one waits for it: whether it did. */
  tryAcquire(weight = 1): boolean {
    if (this.#waiters.length > 0 || !this.#fits(weight)) return false;
    this.#active += weight;
    return true;
  }

  release(weight = 1): void {
    this.#active -= weight;
    this.#admit();
    if (this.#active === 0) for (const resolve of this.#idle.splice(0)) resolve();
  }

  /** Resolves when every acquired slot has been released. */
  async drain(): Promise<void> {
    if (this.#active === 0) return;
    await new Promise<void>((resolve) => this.#idle.push(resolve));
  }

  get active(): number {
    return this.#active;
  }

  #fits(weight: number): boolean {
    return this.#active === 0 || this.#active + weight <= this.#size;
  }

  /** Lets waiters in, in order, while the first one fits. */
  #admit(): void {
    while (this.#waiters.length > 0) {
      const first = this.#waiters[0] as Waiter;
      if (!this.#fits(Math.max(first.weight, first.room))) return;
      this.#waiters.shift();
      this.#active += first.weight;
      first.resolve();
    }
  }
}

interface Waiter {
  readonly weight: number;
  readonly room: number;
  readonly resolve: () => void;
}

function checked(size: number): number {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`window size ${size}`);
  return size;
}
