import type { Identity } from "../api/dfinery.js";

/**
 * Keeps rows of the same user in file order: a row waits until every earlier row that shares one
 * of its identity values has finished, so the last row of a CRM history wins at the server. Holds
 * only keys of rows still in the pipeline, so memory is bounded by the read-ahead window.
 *
 * A turn that nothing waits for costs no promise: a user's first row (most rows of a profile file)
 * has its turn at once, and the promise of its end is made only when a later row asks for it.
 */
export class IdentityOrder {
  readonly #tails = new Map<string, Turn>();

  /** Takes a place after the earlier rows with a shared identity value: release it when done. */
  acquire(identity: Identity): Turn {
    const turn = new Turn(this.#tails);
    let ready: Promise<void> | undefined;
    let more: Promise<void>[] | undefined;
    for (const field in identity) {
      const value = identity[field as keyof Identity];
      if (typeof value !== "string") continue;
      const key = `${field}\u0000${value}`;
      const tail = this.#tails.get(key);
      if (tail !== undefined) {
        const ended = tail.ended();
        if (ready === undefined) ready = ended;
        else if (ended !== ready) {
          more ??= [ready];
          more.push(ended);
        }
      }
      this.#tails.set(key, turn);
      turn.hold(key);
    }
    turn.ready = more === undefined ? ready : Promise.all(more).then(() => {});
    return turn;
  }

  /** Whether no row sharing an identity value with this one is waiting or in flight: its turn is now. */
  idle(identity: Identity): boolean {
    if (this.#tails.size === 0) return true;
    for (const field in identity) {
      const value = identity[field as keyof Identity];
      if (typeof value === "string" && this.#tails.has(`${field}\u0000${value}`)) return false;
    }
    return true;
  }

  /** Keys of rows still waiting or in flight (for tests and memory checks). */
  get size(): number {
    return this.#tails.size;
  }
}

/** One row's place in the order of its identity values. */
export class Turn {
  /** What to wait for before sending; undefined: the turn is now. */
  ready: Promise<void> | undefined;
  readonly #tails: Map<string, Turn>;
  #key: string | undefined;
  #keys: string[] | undefined;
  #released = false;
  #ended: Promise<void> | undefined;
  #end: (() => void) | undefined;

  constructor(tails: Map<string, Turn>) {
    this.#tails = tails;
  }

  /** Holds `key` until released. */
  hold(key: string): void {
    if (this.#key === undefined) {
      this.#key = key;
    } else {
      this.#keys ??= [];
      this.#keys.push(key);
    }
  }

  /** Settles when this row is released (asked by a later row of the same user only). */
  ended(): Promise<void> {
    if (this.#released) return Promise.resolve();
    this.#ended ??= new Promise<void>((resolve) => {
      this.#end = resolve;
    });
    return this.#ended;
  }

  /** This row is done: the next row of its user may go. */
  release(): void {
    if (this.#released) return;
    this.#released = true;
    this.#end?.();
    if (this.#key !== undefined) this.#forget(this.#key);
    for (const key of this.#keys ?? []) this.#forget(key);
  }

  #forget(key: string): void {
    if (this.#tails.get(key) === this) this.#tails.delete(key);
  }
}
