import type Database from "better-sqlite3";

/** A row's key as read (row-key.ts) and an identity's key (hash.ts): their lengths, in chars. */
const RAW_CHARS = 22;
const KEY_CHARS = 43;
/** base64url char → its 6 bits (the keys are digests: their first chars are uniform). */
const SIXTY_FOUR = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const BITS = new Uint8Array(128);
for (let i = 0; i < SIXTY_FOUR.length; i++) BITS[SIXTY_FOUR.charCodeAt(i)] = i;

/**
 * The rows the state file knew as read when the run began (identities.raw → identity key), read
 * once in one sequential scan instead of one index probe a row: an open-addressing table of slots
 * (Int32Array) over two strings, every raw key and every identity key end to end. A slot is found
 * by the key's first 30 bits and confirmed by comparing the whole key (all 132 bits): a changed
 * row is never taken for a known one. A snapshot: what the run writes later is not in it
 * (identities.ts asks the file for identities whose hash the run changed, and a raw key written
 * during the run is simply unknown: its row is mapped and diffed, as any row of unknown key).
 */
export class KnownRows {
  readonly #raws: string;
  readonly #keys: string;
  readonly #slots: Int32Array;
  readonly #mask: number;

  private constructor(raws: string, keys: string, count: number) {
    this.#raws = raws;
    this.#keys = keys;
    let size = 16;
    while (size < count * 2) size *= 2;
    this.#slots = new Int32Array(size).fill(-1);
    this.#mask = size - 1;
    for (let i = 0; i < count; i++) {
      let slot = slotOf(raws, i * RAW_CHARS) & this.#mask;
      while (this.#slots[slot] !== -1) slot = (slot + 1) & this.#mask;
      this.#slots[slot] = i;
    }
  }

  /**
   * The known rows, or undefined past `limit` of them (about 150 bytes each: the caller falls
   * back to one lookup a row) or for keys of another shape than today's.
   */
  static load(db: Database.Database, limit: number): KnownRows | undefined {
    const where = "raw IS NOT NULL AND length(raw) = ? AND length(key) = ?";
    const count = db
      .prepare<[number, number], number>(`SELECT count(*) FROM identities WHERE ${where}`)
      .pluck()
      .get(RAW_CHARS, KEY_CHARS);
    if (count === undefined || count > limit) return undefined;
    const [raws, keys] = db
      .prepare<[number, number], [string | null, string | null]>(
        `SELECT group_concat(raw, ''), group_concat(key, '') FROM identities WHERE ${where}`,
      )
      .raw()
      .get(RAW_CHARS, KEY_CHARS) ?? [null, null];
    const allRaws = raws ?? "";
    const allKeys = keys ?? "";
    if (allRaws.length !== count * RAW_CHARS || allKeys.length !== count * KEY_CHARS)
      return undefined;
    return new KnownRows(allRaws, allKeys, count);
  }

  /** The identity key the row of key `raw` was known to map to, or undefined. */
  get(raw: string): string | undefined {
    if (raw.length !== RAW_CHARS) return undefined;
    let slot = slotOf(raw, 0) & this.#mask;
    for (let at = this.#slots[slot] as number; at !== -1; at = this.#slots[slot] as number) {
      if (this.#raws.startsWith(raw, at * RAW_CHARS)) {
        return this.#keys.slice(at * KEY_CHARS, (at + 1) * KEY_CHARS);
      }
      slot = (slot + 1) & this.#mask;
    }
    return undefined;
  }
}

/** The first 30 bits of the key at `from` in `text`. */
function slotOf(text: string, from: number): number {
  let bits = 0;
  for (let i = from; i < from + 5; i++)
    bits = (bits << 6) | (BITS[text.charCodeAt(i) & 127] as number);
  return bits;
}
