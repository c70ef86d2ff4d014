/**
 * `--group-by-identity`: the units come in identity order (spill.ts), a user's together. When the
 * identity changes, the last one's units are all here: its batch can go at once (`ended`). A kind
 * that merges (profiles) gets one unit per identity: the units of a run merged in file order, the
 * merged one keeping its parts (a refused merge is sent again as its parts, sender.ts).
 */
import { identityKey } from "./batcher.js";
import type { Finished, Pending, Row } from "./kind.js";

type Unit<U> = Finished<U> & { readonly ok: true };

/** Units merged into one at most: a user with more rows goes in several (memory stays bounded). */
export const MAX_PARTS = 1_000;

/** A merged unit being made (its arrays ours to grow). */
interface Merging<U> {
  readonly ok: true;
  readonly identity: Unit<U>["identity"];
  unit: U;
  readonly rows: Row[];
  readonly parts: Pending<U>[];
}

export class IdentityRuns<U> {
  readonly #merge: ((a: U, b: U) => U) | undefined;
  /** Told of each unit merged into the one before it. */
  readonly #onMerged: (rows: number) => void;
  #key: string | undefined;
  #held: Merging<U> | undefined;

  constructor(merge: ((a: U, b: U) => U) | undefined, onMerged: (rows: number) => void) {
    this.#merge = merge;
    this.#onMerged = onMerged;
  }

  /** A unit, in identity order: the units ready to batch, and whether the identity before ended. */
  push(done: Unit<U>): { readonly ready: readonly Unit<U>[]; readonly ended: boolean } {
    const key = identityKey(done.identity);
    const ended = this.#key !== undefined && key !== this.#key;
    this.#key = key;
    const merge = this.#merge;
    if (merge === undefined) return { ready: [done], ended };
    const held = this.#held;
    if (held !== undefined && !ended && held.parts.length < MAX_PARTS) {
      held.unit = merge(held.unit, done.unit);
      held.rows.push(...done.rows);
      held.parts.push(done);
      this.#onMerged(done.rows.length);
      return { ready: [], ended };
    }
    this.#held = {
      ok: true,
      identity: done.identity,
      unit: done.unit,
      rows: [...done.rows],
      parts: [done],
    };
    return { ready: held === undefined ? [] : [finished(held)], ended };
  }

  /** The unit still held, at the end. */
  flush(): Unit<U>[] {
    const held = this.#held;
    this.#held = undefined;
    this.#key = undefined;
    return held === undefined ? [] : [finished(held)];
  }
}

/** A unit merged from one part is that part. */
function finished<U>(held: Merging<U>): Unit<U> {
  const { identity, unit, rows, parts } = held;
  return parts.length === 1
    ? { ok: true, identity, unit, rows }
    : { ok: true, identity, unit, rows, parts };
}
