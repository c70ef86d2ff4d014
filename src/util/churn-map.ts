/**
 * A Map whose keys come and go all the time (one set and one deleted an event or a request: the
 * batcher's open batches, the requests in flight, the users waiting for their turn), copied into a
 * fresh Map on a `set` once it has had as many deletions as it holds keys (at least COPY_EVERY).
 *
 * Why: V8 rebuilds such a map's table itself every so many deletions, and the table it replaced
 * keeps a link to the new one. Once one of those tables has been moved to the old generation (any
 * full collection moves the current one), that dead table is a root of every young collection
 * until the next full one: it holds the next table, which holds the next, and every value in any
 * of them, with all they reference. In a time-ordered events dry run that was every event, row
 * and record read (~0.9 KB an event) copied to the old generation, whose heap V8 then let grow to
 * four times what is live (bench/README.md, issue 20's memory). A Map made here is linked from
 * nothing: the chain ends at each copy. A copy costs one entry per deletion, at most.
 *
 * `set` is the only call that copies, so a loop over the map may delete what it visits (never
 * set while iterating it).
 */
const COPY_EVERY = 1_024;

export class ChurnMap<K, V> implements Iterable<[K, V]> {
  #map = new Map<K, V>();
  #deleted = 0;

  get size(): number {
    return this.#map.size;
  }

  get(key: K): V | undefined {
    return this.#map.get(key);
  }

  has(key: K): boolean {
    return this.#map.has(key);
  }

  set(key: K, value: V): this {
    if (this.#deleted >= COPY_EVERY && this.#deleted >= this.#map.size) {
      this.#deleted = 0;
      this.#map = new Map(this.#map);
    }
    this.#map.set(key, value);
    return this;
  }

  delete(key: K): boolean {
    if (!this.#map.delete(key)) return false;
    this.#deleted++;
    return true;
  }

  values(): IterableIterator<V> {
    return this.#map.values();
  }

  [Symbol.iterator](): IterableIterator<[K, V]> {
    return this.#map[Symbol.iterator]();
  }
}
