import type Database from "better-sqlite3";

/** A row's key as read (row-key.ts): its length, in chars of base64url. */
const RAW_CHARS = 22;
/** The keys are read end to end, this char (not base64url) between two. */
const SEPARATOR = ".";
/** base64url char → its 6 bits; INVALID for any other char. */
const INVALID = 64;
const SIXTY_FOUR = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const BITS = new Uint8Array(65536).fill(INVALID);
for (let i = 0; i < SIXTY_FOUR.length; i++) BITS[SIXTY_FOUR.charCodeAt(i)] = i;
/** A slot's first word has this bit when in use (a key's words are 30 bits). */
const USED = 1 << 30;

/** Keys looked up together by `slotsOf`, at most: their words decoded in `#decoded`. */
const BATCH = 256;

/** What `slotsOf`'s first reads summed to: means nothing. */
let _warmed = 0;

/** What `KnownRows.known` says of a row key. */
export type KnownRow = "unknown" | "known" | "touched";

/**
 * The slots of a KnownRows in shared memory, for a worker thread to look keys up in the same
 * table (diff-worker.ts): it finds a key's slot, the thread that owns the touched marks (not
 * shared) reads them.
 */
export interface SharedSlots {
  readonly buffer: SharedArrayBuffer;
  readonly bits: number;
  readonly size: number;
}

/**
 * The rows the state file knew as read when the run began (identities.ts: each identity's row
 * key), read once in one
 * scan instead of one index probe a row, in fixed-size binary slots: a lookup reads one slot of
 * 16 bytes (one cache line), and no key is kept as text.
 *
 * Each slot holds the first 120 bits of a row key (20 of its 22 chars, four words of 30 bits;
 * open addressing, the slot found by the first bits; filled in order of slots: `fill`). A row is taken as known only when all 120 bits match: the keys are
 * SHA-256 under a secret prefix, so a changed row's key shares them with one of n known rows with
 * probability n / 2^120 (under 10⁻³⁰ a row for a million known rows; 10⁻²⁴ a night of a million).
 *
 * A snapshot, and not of the identities' hashes: a known row says only that, when the run began,
 * its identity held the hash the row maps to. Once its identity is touched in the run (a unit of
 * it took its turn, was accepted, or its row was written: identities.ts `touch`) the row is
 * "touched": the caller asks the file, as for every row of a file past the memory bound. A row
 * key written during the run is not in memory: "unknown", its row is mapped and diffed, as any
 * row of unknown key.
 */
export class KnownRows {
  /** Four words a slot: the key's words, USED set in the first. */
  readonly #slots: Int32Array;
  /**
   * A bit a slot, set once its row's identity was touched in this run: apart from the slots, so
   * that asking it of a slot found earlier (by a worker: `knownAt`) reads 256 KB a million rows,
   * which stay in the cache, not a line of the slots' 32 MB, which does not.
   */
  readonly #touched: Int32Array;
  /** 30 minus the table's bits: a key's first 30 bits shifted by this are its slot. */
  readonly #shift: number;
  readonly #mask: number;
  /** How many rows are known. */
  readonly size: number;

  /** The table's bits, for `shared`. */
  readonly #bits: number;
  /** The words of the keys being looked up (`decode`): four a key. */
  readonly #decoded = new Int32Array(BATCH * 4);

  private constructor(slots: Int32Array, count: number, bits: number) {
    this.size = count;
    this.#bits = bits;
    this.#slots = slots;
    this.#touched = new Int32Array(Math.max(1, (1 << bits) >>> 5));
    this.#shift = 30 - bits;
    this.#mask = (1 << bits) - 1;
  }

  /**
   * The known rows, in one scan of the identities (each one's row key: `row_key` when set, else
   * `raw`; identities.ts), or undefined past `limit` of them (32 to 64 bytes each: the caller falls
   * back to one lookup a row) or when a key is not of today's shape (every key is checked: one of
   * another length or alphabet is never misread).
   */
  static load(db: Database.Database, limit: number): KnownRows | undefined {
    const [keys, count] = db
      .prepare<[number], [string | null, number]>(
        `SELECT group_concat(known, '${SEPARATOR}'), count(*) FROM (` +
          "SELECT coalesce(row_key, raw) AS known FROM identities WHERE known <> '' LIMIT ?)",
      )
      .raw()
      .get(limit + 1) ?? [null, 0];
    if (count > limit) return undefined;
    const all = keys ?? "";
    if (all.length !== Math.max(0, count * (RAW_CHARS + 1) - 1)) return undefined;
    let bits = 4;
    while (1 << bits < count * 2) bits++;
    // In shared memory (as fast to read as any), so that a worker can read the same slots.
    const slots = new Int32Array(new SharedArrayBuffer(16 << bits));
    return fill(slots, bits, all, count) ? new KnownRows(slots, count, bits) : undefined;
  }

  /** The same slots as the KnownRows `shared` gave, in another thread. */
  static of(shared: SharedSlots): KnownRows {
    return new KnownRows(new Int32Array(shared.buffer), shared.size, shared.bits);
  }

  /** The slots, shared with a worker thread (`of`). */
  shared(): SharedSlots {
    return { buffer: this.#slots.buffer as SharedArrayBuffer, bits: this.#bits, size: this.size };
  }

  /** Whether the row known in `slot` (`slotOf`) is still known: its identity not touched since. */
  knownAt(slot: number): boolean {
    return ((this.#touched[slot >>> 7] as number) & (1 << ((slot >>> 2) & 31))) === 0;
  }

  /**
   * Whether the row of key `raw` was known when the run began and its identity was not touched
   * since ("known": it then held the hash the row maps to), was known but its identity was
   * touched ("touched": ask the file), or was not known ("unknown").
   */
  known(raw: string): KnownRow {
    const slot = this.slotOf(raw);
    if (slot === -1) return "unknown";
    return this.knownAt(slot) ? "known" : "touched";
  }

  /** The identity of the row of key `raw` was touched in this run (none if the key is unknown). */
  touch(raw: string): void {
    const slot = this.slotOf(raw);
    if (slot === -1) return;
    const touched = this.#touched;
    touched[slot >>> 7] = (touched[slot >>> 7] as number) | (1 << ((slot >>> 2) & 31));
  }

  /**
   * The slots of `count` keys (`slotOf` of each, -1 for an undefined key) into `into`, looked up
   * together: each key's words decoded first, then the first slot of each probe read in one tight
   * loop, whose reads do not wait for each other (their cache misses overlap: one a key, one at a
   * time, cost ~300 ns on this machine, 32 MB of slots for a million rows; ~100 ns so), then each
   * probed, its line in the cache by then.
   */
  slotsOf(keys: readonly (string | undefined)[], count: number, into: Int32Array): void {
    this.#slotsBy(decode, keys, count, into);
  }

  /**
   * As `slotsOf`, for the digests of the keys (row-key.ts `rowDigestOfText`: a row key is the
   * base64url of its digest's first bytes, and the words held are its first 120 bits); -1 for an
   * undefined digest, or one not of a SHA-256's 32 bytes.
   */
  slotsOfDigests(digests: readonly (string | undefined)[], count: number, into: Int32Array): void {
    this.#slotsBy(decodeDigest, digests, count, into);
  }

  /** `slotsOf`, each of the `count` items' words decoded by `decode`, BATCH at a time. */
  #slotsBy(
    decode: (item: string | undefined, into: Int32Array, at: number) => void,
    items: readonly (string | undefined)[],
    count: number,
    into: Int32Array,
  ): void {
    for (let from = 0; from < count; from += BATCH) {
      const to = Math.min(count, from + BATCH);
      for (let i = from; i < to; i++) decode(items[i], this.#decoded, (i - from) << 2);
      this.#lookUp(from, to, into);
    }
  }

  /** The slots of keys `from` to `to` into `into`, their words in `#decoded` from 0 on. */
  #lookUp(from: number, to: number, into: Int32Array): void {
    const decoded = this.#decoded;
    const slots = this.#slots;
    let sum = 0;
    for (let at = 0; at < (to - from) << 2; at += 4) {
      const w0 = decoded[at] as number;
      if (w0 >= 0) sum += slots[(w0 >>> this.#shift) << 2] as number;
    }
    _warmed = sum; // kept, so that the reads are not optimized away
    for (let i = from; i < to; i++) {
      const at = (i - from) << 2;
      const w0 = decoded[at] as number;
      const w1 = decoded[at + 1] as number;
      into[i] = this.#probe(w0, w1, decoded[at + 2] as number, decoded[at + 3] as number);
    }
  }

  /**
   * The slot (its first word) of a row key known when the run began, touched since or not; -1 for
   * a key not known.
   */
  slotOf(raw: string): number {
    if (raw.length !== RAW_CHARS) return -1;
    return this.#probe(words(raw, 0), words(raw, 5), words(raw, 10), words(raw, 15));
  }

  /** The slot of the key of words `w0` to `w3` (`words`); -1 if it is not known. */
  #probe(w0: number, w1: number, w2: number, w3: number): number {
    if ((w0 | w1 | w2 | w3) < 0) return -1; // not a key of today's shape: never stored
    const slots = this.#slots;
    const used = w0 | USED;
    for (let slot = w0 >>> this.#shift; ; slot = (slot + 1) & this.#mask) {
      const at = slot << 2;
      const first = slots[at] as number;
      if (first === 0) return -1;
      if (first === used && slots[at + 1] === w1 && slots[at + 2] === w2 && slots[at + 3] === w3) {
        return at;
      }
    }
  }
}

/**
 * The four words of a row key (its first 20 chars) into `into` from `at` on; -1 for each when it
 * is not a key of today's shape (undefined, another length, a char not base64url).
 */
function decode(raw: string | undefined, into: Int32Array, at: number): void {
  const shaped = raw !== undefined && raw.length === RAW_CHARS;
  into[at] = shaped ? words(raw, 0) : -1;
  into[at + 1] = shaped ? words(raw, 5) : -1;
  into[at + 2] = shaped ? words(raw, 10) : -1;
  into[at + 3] = shaped ? words(raw, 15) : -1;
}

/** A SHA-256's length in bytes: a digest's, in chars of latin1 (`decodeDigest`). */
const DIGEST_CHARS = 32;

/**
 * The four words of the row key whose digest is `digest` (its first 120 bits: the bits its first
 * 20 base64url chars spell, 6 a char, as `decode` reads them) into `into` from `at` on; -1 for
 * each when it is not a digest (undefined, another length, a char past a byte).
 */
function decodeDigest(digest: string | undefined, into: Int32Array, at: number): void {
  if (digest === undefined || digest.length !== DIGEST_CHARS) {
    into[at] = into[at + 1] = into[at + 2] = into[at + 3] = -1;
    return;
  }
  const b0 = digest.charCodeAt(0);
  const b1 = digest.charCodeAt(1);
  const b2 = digest.charCodeAt(2);
  const b3 = digest.charCodeAt(3);
  const b4 = digest.charCodeAt(4);
  const b5 = digest.charCodeAt(5);
  const b6 = digest.charCodeAt(6);
  const b7 = digest.charCodeAt(7);
  const b8 = digest.charCodeAt(8);
  const b9 = digest.charCodeAt(9);
  const b10 = digest.charCodeAt(10);
  const b11 = digest.charCodeAt(11);
  const b12 = digest.charCodeAt(12);
  const b13 = digest.charCodeAt(13);
  const b14 = digest.charCodeAt(14);
  const past = b0 | b1 | b2 | b3 | b4 | b5 | b6 | b7 | b8 | b9 | b10 | b11 | b12 | b13 | b14;
  const w0 = (b0 << 22) | (b1 << 14) | (b2 << 6) | (b3 >>> 2);
  const w1 = ((b3 & 3) << 28) | (b4 << 20) | (b5 << 12) | (b6 << 4) | (b7 >>> 4);
  const w2 = ((b7 & 15) << 26) | (b8 << 18) | (b9 << 10) | (b10 << 2) | (b11 >>> 6);
  const w3 = ((b11 & 63) << 24) | (b12 << 16) | (b13 << 8) | b14;
  const bytes = (past & ~0xff) === 0;
  into[at] = bytes ? w0 : -1;
  into[at + 1] = bytes ? w1 : -1;
  into[at + 2] = bytes ? w2 : -1;
  into[at + 3] = bytes ? w3 : -1;
}

/** The 30 bits of the 5 base64url chars at `from` in `text`; -1 if one is not base64url. */
function words(text: string, from: number): number {
  let bits = 0;
  let invalid = 0;
  for (let i = from; i < from + 5; i++) {
    const six = BITS[text.charCodeAt(i)] as number;
    invalid |= six;
    bits = (bits << 6) | (six & 63);
  }
  return (invalid & INVALID) === 0 ? bits : -1;
}

/** Keys are put in the slots in this many runs by their slots' first bits (`fill`). */
const RUN_BITS = 8;

/**
 * Fills `slots` (2^bits of them) with the `count` keys of `text`, each of RAW_CHARS of base64url
 * and followed by SEPARATOR but the last; false, and the slots not to be used, at the first char
 * that does not fit.
 *
 * The keys come in the identities' order, which is not theirs: put in the slots as they come,
 * each would write a random line of the slots' 32 MB, a cache miss each (the fill took ~2.5 × as
 * long as in the keys' order). So they are first decoded into 256 runs by their slots' first bits
 * (a counting sort: each run written front to back), then put in run by run, each run's keys
 * within a 256th of the slots.
 */
function fill(slots: Int32Array, bits: number, text: string, count: number): boolean {
  const shift = 30 - bits;
  const mask = (1 << bits) - 1;
  const runShift = 30 - Math.min(RUN_BITS, bits);
  const separator = SEPARATOR.charCodeAt(0);
  const next = new Int32Array((1 << RUN_BITS) + 1); // each run's start, then its next free place
  for (let i = 0; i < count; i++) {
    const w0 = words(text, i * (RAW_CHARS + 1));
    if (w0 < 0) return false;
    const run = (w0 >>> runShift) + 1;
    next[run] = (next[run] as number) + 1;
  }
  for (let run = 1; run < next.length; run++) {
    next[run] = (next[run] as number) + (next[run - 1] as number);
  }
  const runs = new Int32Array(count * 4);
  for (let i = 0; i < count; i++) {
    const at = i * (RAW_CHARS + 1);
    const w0 = words(text, at);
    const w1 = words(text, at + 5);
    const w2 = words(text, at + 10);
    const w3 = words(text, at + 15);
    const tail =
      (BITS[text.charCodeAt(at + 20)] as number) | (BITS[text.charCodeAt(at + 21)] as number);
    if ((w1 | w2 | w3) < 0 || (tail & INVALID) !== 0) return false;
    if (i < count - 1 && text.charCodeAt(at + RAW_CHARS) !== separator) return false;
    const to = (next[w0 >>> runShift] as number) << 2;
    next[w0 >>> runShift] = (to >> 2) + 1;
    runs[to] = w0;
    runs[to + 1] = w1;
    runs[to + 2] = w2;
    runs[to + 3] = w3;
  }
  for (let at = 0; at < runs.length; at += 4) {
    const w0 = runs[at] as number;
    let slot = w0 >>> shift;
    while (slots[slot << 2] !== 0) slot = (slot + 1) & mask;
    slots[slot << 2] = w0 | USED;
    slots[(slot << 2) + 1] = runs[at + 1] as number;
    slots[(slot << 2) + 2] = runs[at + 2] as number;
    slots[(slot << 2) + 3] = runs[at + 3] as number;
  }
  return true;
}
