/**
 * A set of fingerprints (parts of a SHA-1 digest) in typed arrays: 256 open-addressing tables
 * chosen by one byte, 48 more bits kept in the table (the first 32 also give the home slot); linear
 * probing, 6 bytes a slot, each table at most 85 % full and grown by half when fuller. A million members
 * take about 9 MB outside the JavaScript heap (a Set of strings would take several times that
 * inside it), and growing one small table at a time never holds two copies of the whole set.
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
  size: number;
}

export class FingerprintSet {
  readonly #tables: Table[] = [];
  #size = 0;

  constructor(capacity = 16) {
    for (let t = 0; t < TABLES; t++) {
      this.#tables.push({
        high: new Int32Array(capacity),
        low: new Uint16Array(capacity),
        size: 0,
      });
    }
  }

  get size(): number {
    return this.#size;
  }

  /** Adds the fingerprint `(table & 0xff, high, low & 0xffff)`; true when it was not a member yet. */
  add(table: number, high: number, low: number): boolean {
    // (0, 0) marks an empty slot: that one fingerprint shares a slot with (0, 1).
    const h = high | 0;
    const l = h === 0 && (low & 0xffff) === 0 ? 1 : low & 0xffff;
    const t = this.#tables[table & 0xff] as Table;
    if (!insert(t, h, l)) return false;
    this.#size++;
    if (++t.size > t.high.length * MAX_LOAD) grow(t);
    return true;
  }
}

/** Puts `(h, l)` in the first free slot from its home; false if it is there already. */
function insert(table: Table, h: number, l: number): boolean {
  const { high, low } = table;
  const capacity = high.length;
  let index = Math.floor((h >>> 0) * (capacity / 4294967296)); // no double modulo: h >>> 0 passes 2^31
  for (;;) {
    const sh = high[index] as number;
    const sl = low[index] as number;
    if (sh === 0 && sl === 0) break;
    if (sh === h && sl === l) return false;
    index = index + 1 === capacity ? 0 : index + 1;
  }
  high[index] = h;
  low[index] = l;
  return true;
}

/** The table with room for half as many again, each member placed anew. */
function grow(table: Table): void {
  const { high, low } = table;
  const capacity = Math.ceil(high.length * 1.5);
  table.high = new Int32Array(capacity);
  table.low = new Uint16Array(capacity);
  for (let i = 0; i < high.length; i++) {
    const h = high[i] as number;
    const l = low[i] as number;
    if (h !== 0 || l !== 0) insert(table, h, l);
  }
}
