import type Database from "better-sqlite3";
import { KnownRows } from "./known-rows.js";

/** Known rows read into memory at most (~150 MB); past it, one index lookup a row. */
export const KNOWN_ROWS_LIMIT = 1_000_000;

/**
 * identity key → hash of the properties DFINERY last accepted for it, and the key of a row as
 * read (row-key.ts) known to map to exactly that identity and hash: `raw`, or NULL. Keys are
 * hashes too. `raw` is written only beside the hash it maps to (an accepted row's), or where the
 * hash is still the one it maps to (`noteRaw`): a new hash from a row of unknown key clears it.
 *
 * `heldBy` answers from the rows known when it was first asked (known-rows.ts, one scan), not one
 * index probe a row: for an identity whose hash this table has written since, it asks the file.
 */
export class IdentityTable {
  readonly #get: Database.Statement<[string], string>;
  readonly #upsert: Database.Statement<[string, string, string | null]>;
  readonly #heldBy: Database.Statement<[string], string>;
  readonly #noteRaw: Database.Statement<[string, string, string]>;
  readonly #count: Database.Statement<[], number>;
  readonly #db: Database.Database;
  readonly #limit: number;
  /** Not read yet (null), read, or too many to hold (undefined: one lookup a row). */
  #known: KnownRows | undefined | null = null;
  /** Identities whose hash was written since the known rows were read. */
  readonly #written = new Set<string>();

  constructor(db: Database.Database, knownRowsLimit = KNOWN_ROWS_LIMIT) {
    this.#db = db;
    this.#limit = knownRowsLimit;
    this.#get = db.prepare<[string], string>("SELECT hash FROM identities WHERE key = ?").pluck();
    this.#upsert = db.prepare(
      "INSERT INTO identities (key, hash, raw) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET hash = excluded.hash, raw = excluded.raw",
    );
    this.#heldBy = db
      .prepare<[string], string>("SELECT key FROM identities WHERE raw = ? LIMIT 1")
      .pluck();
    this.#noteRaw = db.prepare("UPDATE identities SET raw = ? WHERE key = ? AND hash = ?");
    this.#count = db.prepare<[], number>("SELECT count(*) FROM identities").pluck();
  }

  get(key: string): string | undefined {
    return this.#get.get(key);
  }

  /** The identity whose stored hash the row of this key maps to (one lookup in the `raw` index). */
  heldBy(raw: string): string | undefined {
    if (this.#known === null) this.#known = KnownRows.load(this.#db, this.#limit);
    if (this.#known === undefined) return this.#heldBy.get(raw);
    const key = this.#known.get(raw);
    return key === undefined || !this.#written.has(key) ? key : this.#heldBy.get(raw);
  }

  /** The file's identities were replaced (a new key): known rows are read again when asked. */
  forgetKnown(): void {
    this.#known = null;
    this.#written.clear();
  }

  /** `raw`: the key of the accepted row (null: unknown, a merged unit, a stored payload). */
  upsert(key: string, hash: string, raw: string | null): void {
    if (this.#known) this.#written.add(key);
    this.#upsert.run(key, hash, raw);
  }

  /** The row of key `raw` maps to `key` and `hash`: noted if the identity still holds that hash. */
  noteRaw(raw: string, key: string, hash: string): void {
    this.#noteRaw.run(raw, key, hash);
  }

  count(): number {
    return this.#count.get() ?? 0;
  }
}
