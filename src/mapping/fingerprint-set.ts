/**
 * A multiset of fingerprints (parts of a SHA-1 digest) in typed arrays: 256 open-addressing tables
 * chosen by one byte, 48 more bits kept in the table (the first 32 also give the home slot) with a
 * one-byte count; linear probing, 7 bytes a slot, each table at most 85 % full and grown by half
 * when fuller. A million members take about 10 MB outside the JavaScript heap (a Set of strings
 * would take several times that inside it), however often each is added: a count past 254 moves
 * to a small map. Growing one small table at a time never holds two copies of the whole set.
 * Members are never removed.
 *
 * Two different members are taken for one only if all 56 bits agree: in a file of a million
 * events, about one chance in 10^10.
 */
const TABLES = 256;
const MAX_LOAD = 0.85;

interface Table {
  /** The first 32 bits of each member; 0 with `low` 0: an empty slot. */
  high: Int32Array;
  low: Uint16Array;
  /** How often each member was added; OVERFLOW: see the map. */
  count: Uint8Array;
  size: number;
}

const OVERFLOW = 255;

export class FingerprintSet {
  readonly #tables: Table[] = [];
  /** Counts past 254, by fingerprint. */
  readonly #overflow = new Map<string, number>();
  #size = 0;

  constructor(capacity = 16) {
    for (let t = 0; t < TABLES; t++) {
      this.#tables.push({
        high: new Int32Array(capacity),
        low: new Uint16Array(capacity),
        count: new Uint8Array(capacity),
        size: 0,
      });
    }
  }

  get size(): number {
    return this.#size;
  }

  /**
   * Adds the fingerprint `(table & 0xff, high, low & 0xffff)`; how often it has been added now
   * (1: it was not a member yet).
   */
  add(table: number, high: number, low: number): number {
    // (0, 0) marks an empty slot: that one fingerprint shares a slot with (0, 1).
    const h = high | 0;
    const l = h === 0 && (low & 0xffff) === 0 ? 1 : low & 0xffff;
    const t = this.#tables[table & 0xff] as Table;
    const index = insert(t, h, l);
    if (index < 0) {
      this.#size++;
      if (++t.size > t.high.length * MAX_LOAD) grow(t);
      return 1;
    }
    const count = t.count[index] as number;
    if (count < OVERFLOW - 1) {
      t.count[index] = count + 1;
      return count + 1;
    }
    t.count[index] = OVERFLOW;
    const key = `${table & 0xff}:${h}:${l}`;
    const n = (this.#overflow.get(key) ?? OVERFLOW - 1) + 1;
    this.#overflow.set(key, n);
    return n;
  }
}

/**
 * Puts `(h, l)` in the first free slot from its home (count 1): -1. If it is there already, its
 * slot's index.
 */
function insert(table: Table, h: number, l: number, count = 1): number {
  const { high, low } = table;
  const capacity = high.length;
  let index = Math.floor((h >>> 0) * (capacity / 4294967296)); // no double modulo: h >>> 0 passes 2^31
  for (;;) {
    const sh = high[index] as number;
    const sl = low[index] as number;
    if (sh === 0 && sl === 0) break;
    if (sh === h && sl === l) return index;
    index = index + 1 === capacity ? 0 : index + 1;
  }
  high[index] = h;
  low[index] = l;
  table.count[index] = count;
  return -1;
}

/** The table with room for half as many again, each member placed anew. */
function grow(table: Table): void {
  const { high, low, count } = table;
  const capacity = Math.ceil(high.length * 1.5);
  table.high = new Int32Array(capacity);
  table.low = new Uint16Array(capacity);
  table.count = new Uint8Array(capacity);
  for (let i = 0; i < high.length; i++) {
    const h = high[i] as number;
    const l = low[i] as number;
    if (h !== 0 || l !== 0) insert(table, h, l, count[i]);
  }
}
