/**
 * A set of 64-bit fingerprints (two int32 words, e.g. the head of a SHA-1 digest) in typed arrays:
 * 256 open-addressing tables chosen by the top byte, linear probing, 8 bytes a slot, each at most
 * 80 % full and grown by half when fuller. A million members take about 12 MB outside the
 * JavaScript heap (a Set of strings would take several times that inside it), and growing one
 * small table at a time never holds two copies of the whole set. Members are never removed.
 */
const TABLES = 256;
const MAX_LOAD = 0.8;

export class FingerprintSet {
  readonly #slots: Int32Array[] = [];
  readonly #sizes = new Int32Array(TABLES);
  #size = 0;

  constructor(capacity = 16) {
    for (let t = 0; t < TABLES; t++) this.#slots.push(new Int32Array(capacity * 2));
  }

  get size(): number {
    return this.#size;
  }

  /** Adds the fingerprint `(high, low)`; true when it was not a member yet. */
  add(high: number, low: number): boolean {
    // (0, 0) marks an empty slot: that one fingerprint shares a slot with (0, 1).
    const h = high | 0;
    const l = h === 0 && low === 0 ? 1 : low | 0;
    const table = h >>> 24;
    if (!insert(this.#slots[table] as Int32Array, h, l)) return false;
    this.#size++;
    const size = ++(this.#sizes[table] as number);
    const slots = this.#slots[table] as Int32Array;
    if (size > (slots.length / 2) * MAX_LOAD) this.#slots[table] = grown(slots);
    return true;
  }
}

/** Puts `(h, l)` in the first free slot from its home; false if it is there already. */
function insert(slots: Int32Array, h: number, l: number): boolean {
  const capacity = slots.length / 2;
  let index = (h & 0xffffff) % capacity;
  for (;;) {
    const at = index * 2;
    const sh = slots[at] as number;
    const sl = slots[at + 1] as number;
    if (sh === 0 && sl === 0) break;
    if (sh === h && sl === l) return false;
    index = index + 1 === capacity ? 0 : index + 1;
  }
  slots[index * 2] = h;
  slots[index * 2 + 1] = l;
  return true;
}

function grown(old: Int32Array): Int32Array {
  const slots = new Int32Array(Math.ceil((old.length / 2) * 1.5) * 2);
  for (let at = 0; at < old.length; at += 2) {
    const h = old[at] as number;
    const l = old[at + 1] as number;
    if (h !== 0 || l !== 0) insert(slots, h, l);
  }
  return slots;
}
