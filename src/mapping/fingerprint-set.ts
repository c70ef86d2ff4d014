/**
 * A multiset of fingerprints (parts of a SHA-1 digest) in typed arrays: 256 open-addressing tables
 * chosen by one byte, 48 more bits kept in the table (the first 32 also give the home slot) with a
 * one-byte count; linear probing, each table at most 85 % full and grown by half when fuller. A
 * slot is two 32-bit words side by side, the high word and the low 16 bits with the count above
 * them, so a look-up reads one cache line (three arrays, one per field, took three misses: the
 * set is far larger than the caches and its slots are read at random). A million members take
 * about 11 MB outside the JavaScript heap (a Set of strings would take several times that inside
 * it), however often each is added: a count past 254 moves to a small map. Growing one small table
 * at a time never holds two copies of the whole set, and the table replaced is freed at once.
 * Members are never removed.
 *
 * The tables begin at 2,048 slots (16 KiB each, 4 MiB for the set): none grows before ~420,000
 * members, and past that they grow to about the sizes they reach from 16 slots (11.0 against
 * 9.5 MiB at a million members, 20.3 against 20.7 at two million) with a fifth to a third of the
 * growths. Begun at 16, the 256 tables grew ~2,900 times by 300,000 members, each an allocation, a
 * release and its members placed again: ~40 % of the set's time in a delivery of 300,000 events
 * (CPU profiles, warm: 96 + 28 + 10 ms of `structuredClone` against 76 ms begun at 2,048;
 * bench/README.md, issue 20's thirteenth pass).
 */
const TABLES = 256;
const MAX_LOAD = 0.85;

interface Table {
  /**
   * Slot i is words 2i (the first 32 bits of its member) and 2i + 1 (the next 16 bits, and how
   * often the member was added, OVERFLOW: see the map, shifted by COUNT). A count is never 0, so
   * a slot whose second word is 0 is empty.
   */
  slots: Int32Array;
  size: number;
}

const OVERFLOW = 255;
const COUNT = 16;
const LOW = 0xffff;

export class FingerprintSet {
  readonly #tables: Table[] = [];
  /** Counts past 254, by fingerprint. */
  readonly #overflow = new Map<string, number>();
  #size = 0;

  constructor(capacity = 2048) {
    for (let t = 0; t < TABLES; t++)
      this.#tables.push({ slots: new Int32Array(2 * capacity), size: 0 });
  }

  get size(): number {
    return this.#size;
  }

  /**
   * Adds the fingerprint `(table & 0xff, high, low & 0xffff)`; how often it has been added now
   * (1: it was not a member yet).
   */
  add(table: number, high: number, low: number): number {
    // (0, 0) and (0, 1) are one fingerprint, as when (0, 0) marked an empty slot: the same counts.
    const h = high | 0;
    const l = h === 0 && (low & LOW) === 0 ? 1 : low & LOW;
    const t = this.#tables[table & 0xff] as Table;
    const index = insert(t.slots, h, l, 1);
    if (index < 0) {
      this.#size++;
      if (++t.size > (t.slots.length >> 1) * MAX_LOAD) grow(t);
      return 1;
    }
    const slots = t.slots;
    const word = slots[index + 1] as number;
    const count = word >>> COUNT;
    if (count < OVERFLOW - 1) {
      slots[index + 1] = word + (1 << COUNT);
      return count + 1;
    }
    slots[index + 1] = l | (OVERFLOW << COUNT);
    const key = `${table & 0xff}:${h}:${l}`;
    const n = (this.#overflow.get(key) ?? OVERFLOW - 1) + 1;
    this.#overflow.set(key, n);
    return n;
  }
}

/**
 * Puts `(h, l)` with `count` in the first free slot from its home: -1. If it is there already, the
 * index of its slot's first word.
 */
function insert(slots: Int32Array, h: number, l: number, count: number): number {
  const capacity = slots.length >> 1;
  // No double modulo: h >>> 0 passes 2^31.
  let index = 2 * Math.floor((h >>> 0) * (capacity / 4294967296));
  for (;;) {
    const second = slots[index + 1] as number;
    if (second === 0) break;
    if (slots[index] === h && (second & LOW) === l) return index;
    index += 2;
    if (index === slots.length) index = 0;
  }
  slots[index] = h;
  slots[index + 1] = l | (count << COUNT);
  return -1;
}

/** The table with room for half as many again, each member placed anew. */
function grow(table: Table): void {
  const old = table.slots;
  const capacity = Math.ceil((old.length >> 1) * 1.5);
  const slots = new Int32Array(2 * capacity);
  for (let i = 0; i < old.length; i += 2) {
    const second = old[i + 1] as number;
    if (second !== 0) insert(slots, old[i] as number, second & LOW, second >>> COUNT);
  }
  table.slots = slots;
  release(old);
}

/**
 * Frees a replaced table's memory now: handed to a copy that nothing holds (a transfer detaches
 * `slots`), the next young collection frees it. Left to its Int32Array, a table that had lived
 * long enough to be promoted was freed only by a full collection, and there are few of those now
 * (util/churn-map.ts): a million members' tables held ~17 MB of replaced ones beside their own ~11
 * (heaptrack; bench/README.md, issue 20's memory).
 */
function release(slots: Int32Array): void {
  const buffer = slots.buffer as ArrayBuffer; // its own: made by `new Int32Array(length)`
  structuredClone(buffer, { transfer: [buffer] });
}
