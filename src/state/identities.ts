import type Database from "better-sqlite3";

/**
 * identity key → hash of the properties DFINERY last accepted for it, and the key of a row as
 * read (row-key.ts) known to map to exactly that identity and hash: `raw`, or NULL. Keys are
 * hashes too. `raw` is written only beside the hash it maps to (an accepted row's), or where the
 * hash is still the one it maps to (`noteRaw`): a new hash from a row of unknown key clears it.
 */
export class IdentityTable {
  readonly #get: Database.Statement<[string], string>;
  readonly #upsert: Database.Statement<[string, string, string | null]>;
  readonly #heldBy: Database.Statement<[string], string>;
  readonly #noteRaw: Database.Statement<[string, string, string]>;
  readonly #count: Database.Statement<[], number>;

  constructor(db: Database.Database) {
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
    return this.#heldBy.get(raw);
  }

  /** `raw`: the key of the accepted row (null: unknown, a merged unit, a stored payload). */
  upsert(key: string, hash: string, raw: string | null): void {
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
