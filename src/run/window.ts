/**
 * A bound on rows in the pipeline (read but not finished). The reader awaits `acquire()` before
 * taking the next row, so the file is read only as fast as rows complete: memory stays flat
 * however large the input. A slot may be weighed (`acquire(n)`: n units at once); one waiter at a
 * time is let in, in order.
 */
export class Window {
  #size: number;
  #active = 0;
  #waiters: (() => void)[] = [];
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
    for (let room = this.#size - this.#active; room > 0 && this.#waiters.length > 0; room--) {
      this.#waiters.shift()?.();
    }
  }

  /** Takes `weight` of the bound once it is free (more than the whole bound: once nothing is taken). */
  async acquire(weight = 1): Promise<void> {
    while (this.#active > 0 && this.#active + weight > this.#size) {
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
    this.#active += weight;
  }

  release(weight = 1): void {
    this.#active -= weight;
    this.#waiters.shift()?.();
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
}

function checked(size: number): number {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`window size ${size}`);
  return size;
}
