import type Database from "better-sqlite3";

/** identity key → hash of the properties DFINERY last accepted for it. Keys are hashes too. */
export class IdentityTable {
  readonly #get: Database.Statement<[string], string>;
  readonly #upsert: Database.Statement<[string, string]>;
  readonly #count: Database.Statement<[], number>;

  constructor(db: Database.Database) {
    this.#get = db.prepare<[string], string>("SELECT hash FROM identities WHERE key = ?").pluck();
    this.#upsert = db.prepare(
      "INSERT INTO identities (key, hash) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET hash = excluded.hash",
    );
    this.#count = db.prepare<[], number>("SELECT count(*) FROM identities").pluck();
  }

  get(key: string): string | undefined {
    return this.#get.get(key);
  }

  upsert(key: string, hash: string): void {
    this.#upsert.run(key, hash);
  }

  count(): number {
    return this.#count.get() ?? 0;
  }
}
