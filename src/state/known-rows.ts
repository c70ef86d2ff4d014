import type Database from "better-sqlite3";

/** A row's key as read (row-key.ts) and an identity's key (hash.ts): their lengths, in chars. */
const RAW_CHARS = 22;
const KEY_CHARS = 43;
/** Each key is followed by this character (none of base64url's) in the strings read. */
const SEPARATOR = ".";
/** base64url char → its 6 bits (the keys are digests: their first chars are uniform). */
const SIXTY_FOUR = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const BITS = new Uint8Array(128);
for (let i = 0; i < SIXTY_FOUR.length; i++) BITS[SIXTY_FOUR.charCodeAt(i)] = i;

/**
 * The rows the state file knew as read when the run began (identities.raw → identity key), read
 * once in one sequential scan instead of one index probe a row: an open-addressing table of slots
 * (Int32Array) over two strings, every raw key and every identity key end to end, each followed
 * by a separator (checked: a key of another length is never misread). A slot is found by the
 * key's first bits (the index gives the keys in order, so the table fills front to back) and
 * confirmed by comparing the whole key (all 132 bits): a changed row is never taken for a known
 * one. A snapshot: what the run writes later is not in it (identities.ts asks the file for
 * identities whose hash the run changed, and a raw key written during the run is simply unknown:
 * its row is mapped and diffed, as any row of unknown key).
 */
export class KnownRows {
  readonly #raws: string;
  readonly #keys: string;
  readonly #slots: Int32Array;
  /** 30 minus the table's bits: a key's first 30 bits shifted by this are its slot. */
  readonly #shift: number;
  readonly #mask: number;

  private constructor(raws: string, keys: string, count: number, bits: number) {
    this.#raws = raws;
    this.#keys = keys;
    this.#slots = new Int32Array(1 << bits).fill(-1);
    this.#shift = 30 - bits;
    this.#mask = (1 << bits) - 1;
    for (let i = 0; i < count; i++) {
      let slot = slotOf(raws, i * (RAW_CHARS + 1)) >>> this.#shift;
      while (this.#slots[slot] !== -1) slot = (slot + 1) & this.#mask;
      this.#slots[slot] = i;
    }
  }

  /**
   * The known rows, in one scan of the `raw` index, or undefined past `limit` of them (about 150
   * bytes each: the caller falls back to one lookup a row) or for keys of another shape than
   * today's (told by the lengths of the whole: every key of one length).
   */
  static load(db: Database.Database, limit: number): KnownRows | undefined {
    const [raws, keys, count] = db
      .prepare<[number], [string | null, string | null, number]>(
        `SELECT group_concat(raw || '${SEPARATOR}', ''), group_concat(key || '${SEPARATOR}', ''), ` +
          "count(*) FROM (SELECT raw, key FROM identities WHERE raw IS NOT NULL LIMIT ?)",
      )
      .raw()
      .get(limit + 1) ?? [null, null, 0];
    if (count > limit) return undefined;
    const allRaws = raws ?? "";
    const allKeys = keys ?? "";
    if (!spaced(allRaws, RAW_CHARS, count) || !spaced(allKeys, KEY_CHARS, count)) return undefined;
    let bits = 4;
    while (1 << bits < count * 2) bits++;
    return new KnownRows(allRaws, allKeys, count, bits);
  }

  /** The identity key the row of key `raw` was known to map to, or undefined. */
  get(raw: string): string | undefined {
    if (raw.length !== RAW_CHARS) return undefined;
    let slot = slotOf(raw, 0) >>> this.#shift;
    for (let at = this.#slots[slot] as number; at !== -1; at = this.#slots[slot] as number) {
      if (this.#raws.startsWith(raw, at * (RAW_CHARS + 1))) {
        const from = at * (KEY_CHARS + 1);
        return this.#keys.slice(from, from + KEY_CHARS);
      }
      slot = (slot + 1) & this.#mask;
    }
    return undefined;
  }
}

/** Whether `text` is `count` keys of `chars` characters, each followed by the separator. */
function spaced(text: string, chars: number, count: number): boolean {
  if (text.length !== count * (chars + 1)) return false;
  const separator = SEPARATOR.charCodeAt(0);
  for (let at = chars; at < text.length; at += chars + 1)
    if (text.charCodeAt(at) !== separator) return false;
  return true;
}

/** The first 30 bits of the key at `from` in `text`. */
function slotOf(text: string, from: number): number {
  let bits = 0;
  for (let i = from; i < from + 5; i++)
    bits = (bits << 6) | (BITS[text.charCodeAt(i) & 127] as number);
  return bits;
}
