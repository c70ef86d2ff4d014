import type { Identity } from "../api/dfinery.js";

/**
 * Keeps rows of the same user in file order: a row waits until every earlier row that shares one
 * of its identity values has finished, so the last row of a CRM history wins at the server. Holds
 * only keys of rows still in the pipeline, so memory is bounded by the read-ahead window.
 */
export class IdentityOrder {
  readonly #tails = new Map<string, Promise<void>>();

  /** Waits for earlier rows with a shared identity value; returns the function that releases this row. */
  async acquire(identity: Identity): Promise<() => void> {
    const keys = Object.entries(identity)
      .filter((entry): entry is [string, string] => typeof entry[1] === "string")
      .map(([field, value]) => `${field}\u0000${value}`);
    let release!: () => void;
    const done = new Promise<void>((resolve) => {
      release = resolve;
    });
    const earlier: Promise<void>[] = [];
    for (const key of keys) {
      const tail = this.#tails.get(key);
      if (tail !== undefined) earlier.push(tail);
      this.#tails.set(key, done);
    }
    if (earlier.length > 0) await Promise.all(earlier);
    return () => {
      release();
      for (const key of keys) {
        if (this.#tails.get(key) === done) this.#tails.delete(key);
      }
    };
  }

  /** Whether no row sharing an identity value with this one is waiting or in flight: its turn is now. */
  idle(identity: Identity): boolean {
    if (this.#tails.size === 0) return true;
    for (const [field, value] of Object.entries(identity)) {
      if (typeof value === "string" && this.#tails.has(`${field}\u0000${value}`)) return false;
    }
    return true;
  }

  /** Keys of rows still waiting or in flight (for tests and memory checks). */
  get size(): number {
    return this.#tails.size;
  }
}
