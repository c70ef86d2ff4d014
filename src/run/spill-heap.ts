/**
 * The heap of a `--group-by-identity` run while it spills and reads back (spill.ts): a full
 * collection once the old generation has grown by GROWTH since the last, where the process allows
 * one (util/full-collection.ts: the bins).
 *
 * Why: `JSON.parse` interns every string value of up to 10 characters (an order id, a SKU, a
 * country): each is allocated in the old generation and entered in V8's string table, and only a
 * full collection frees it. Each row is parsed twice (read, then read back), and while the rows
 * are spilled nothing is sent, so nothing else brings V8 near its own limit (set at start-up to
 * about four times the ~20 MiB then live): 1,000,000 rows of one such value each piled ~22 MiB
 * in the old generation and a string table of 16-33 MB beside it (heaptrack), kept to the end of
 * the delivery, the run's peak (bench/README.md, issue 20's grouping). A collection here costs
 * what marking the live heap costs (~20 MiB, tens of ms) and comes only as often as the heap grows.
 */
import { getHeapSpaceStatistics } from "node:v8";
import { type FullCollector, fullCollector } from "../util/full-collection.js";

/** Growth of the old generation (bytes) that calls for a collection. */
export const GROWTH = 16 * 1024 * 1024;
/** Rows between two looks at the heap (a look costs a few µs). */
export const LOOK_EVERY = 4_096;
/**
 * Rows at least between two collections. While the rows read back are sent, what is in flight
 * under load lives long enough to be promoted (~0.1-0.3 KB a row): that garbage alone would call
 * for a collection every few tens of thousands of rows, each costing what V8's own would, so
 * they are spaced (at most 8 a million rows spilled or read back).
 */
export const SPACING = 131_072;

/** The bytes held outside the young generation (its garbage is the scavenger's). */
export function oldBytes(): number {
  let bytes = 0;
  for (const space of getHeapSpaceStatistics()) {
    if (!space.space_name.startsWith("new_")) bytes += space.space_used_size;
  }
  return bytes;
}

export class SpillHeap {
  readonly #collect: FullCollector;
  readonly #oldBytes: () => number;
  #steps = 0;
  /** The step of the last collection. */
  #last = 0;
  #base: number;

  constructor(collect: FullCollector, bytes: () => number = oldBytes) {
    this.#collect = collect;
    this.#oldBytes = bytes;
    this.#base = bytes();
  }

  /** The heap's watch, where the process allows collections; undefined where it does not. */
  static watch(): SpillHeap | undefined {
    const collect = fullCollector();
    return collect === undefined ? undefined : new SpillHeap(collect);
  }

  /** A row spilled or read back. */
  step(): void {
    if (++this.#steps % LOOK_EVERY !== 0 || this.#steps - this.#last < SPACING) return;
    if (this.#oldBytes() - this.#base < GROWTH) return;
    this.#collect();
    this.#last = this.#steps;
    this.#base = this.#oldBytes();
  }
}
