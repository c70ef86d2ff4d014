import type { Identity } from "../api/dfinery.js";
import { ChurnMap } from "../util/churn-map.js";

/**
 * Keeps rows of the same user in file order: a row waits until every earlier row that shares one
 * of its identity values has finished, so the last row of a CRM history wins at the server. Holds
 * only values of rows still in the pipeline, so memory is bounded by the read-ahead window.
 *
 * A turn that nothing waits for costs no promise: a user's first row (most rows of a profile file)
 * has its turn at once, and the promise of its end is made only when a later row asks for it. The
 * last turn of each value is kept by field, then value: no key text is built a row.
 */
export class IdentityOrder {
  /**
   * Field → value → the last turn holding it. A field's values come and go a row: one set and one
   * deleted (util/churn-map.ts).
   */
  readonly #tails = new Map<string, ChurnMap<string, Turn>>();
  #size = 0;

  /** Takes a place after the earlier rows with a shared identity value: release it when done. */
  acquire(identity: Identity): Turn {
    const turn = new Turn(this, identity);
    let ready: Promise<void> | undefined;
    let more: Promise<void>[] | undefined;
    for (const field in identity) {
      const value = identity[field as keyof Identity];
      if (typeof value !== "string") continue;
      let tails = this.#tails.get(field);
      if (tails === undefined) {
        tails = new ChurnMap();
        this.#tails.set(field, tails);
      }
      const tail = tails.get(value);
      if (tail === undefined) {
        this.#size++;
      } else {
        const ended = tail.ended();
        if (ready === undefined) ready = ended;
        else if (ended !== ready) {
          more ??= [ready];
          more.push(ended);
        }
      }
      tails.set(value, turn);
    }
    turn.ready = more === undefined ? ready : Promise.all(more).then(() => {});
    return turn;
  }

  /** Whether no row sharing an identity value with this one is waiting or in flight: its turn is now. */
  idle(identity: Identity): boolean {
    if (this.#size === 0) return true;
    for (const field in identity) {
      const value = identity[field as keyof Identity];
      if (typeof value === "string" && this.#tails.get(field)?.has(value) === true) return false;
    }
    return true;
  }

  /** Identity values of rows still waiting or in flight (for tests and memory checks). */
  get size(): number {
    return this.#size;
  }

  /** A released turn's values, where it is still the last to hold them. */
  forget(turn: Turn, identity: Identity): void {
    for (const field in identity) {
      const value = identity[field as keyof Identity];
      if (typeof value !== "string") continue;
      const tails = this.#tails.get(field);
      if (tails?.get(value) !== turn) continue;
      tails.delete(value);
      this.#size--;
    }
  }
}

/** One row's place in the order of its identity values. */
export class Turn {
  /** What to wait for before sending; undefined: the turn is now. */
  ready: Promise<void> | undefined;
  readonly #order: IdentityOrder;
  /** The values it holds (identities are never changed once mapped). */
  readonly #identity: Identity;
  #released = false;
  #ended: Promise<void> | undefined;
  #end: (() => void) | undefined;

  constructor(order: IdentityOrder, identity: Identity) {
    this.#order = order;
    this.#identity = identity;
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
    this.#order.forget(this, this.#identity);
  }
}
