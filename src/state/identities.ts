import type Database from "better-sqlite3";
import { type KnownRow, KnownRows } from "./known-rows.js";

/** Known rows read into memory at most (32-64 MB); past it, one index lookup a row. */
export const KNOWN_ROWS_LIMIT = 1_000_000;

/**
 * identity key → hash of the properties DFINERY last accepted for it, and the key of a row as
 * read (row-key.ts) known to map to exactly that identity and hash, or none. Keys are hashes too.
 * A row key is written only beside the hash it maps to (an accepted row's), or where the hash is
 * still the one it maps to (`noteRaw`): a new hash from a row of unknown key clears it.
 *
 * The row key is in one of two columns. `raw`, in the `raw` index, is what a night past the
 * memory bound looks rows up by (`heldBy`). `row_key`, in the identity's own row, is written while
 * the known rows are held in memory: a changed row then dirties its identity's leaf alone, not
 * also the index's leaves of its old key and its new one (~3.4 random pages a changed row → ~1.4:
 * bench/README.md, tenth pass). When `row_key` is set it is the identity's row key ('' for none)
 * and `raw` is stale; the index answers only for identities whose `row_key` is NULL. A row key
 * held in `row_key` alone is found by the known rows' scan, and past the bound not at all: its
 * row is mapped and diffed as a row of unknown key, then noted in `raw` (what an upgrade costs).
 *
 * `known` answers from the rows known when it was first asked (known-rows.ts, one scan), not one
 * index probe a row; for an identity touched since (written here, or `touch`ed by the run: a unit
 * of it took its turn or was accepted), and past the memory bound, `heldBy` asks the file.
 *
 * The snapshot's row of an identity is found when it is touched by the identity's row key in the
 * file, which is still the snapshot's: every write of an identity's row key (`upsert`, `noteRaw`)
 * touches it first, so until its first touch an identity's row key is what the snapshot read.
 */
export class IdentityTable {
  readonly #get: Database.Statement<[string], string>;
  /** Writes the row key in the `raw` index / in the identity's row (`row_key`). */
  readonly #upsertIndexed: Database.Statement<[string, string, string | null]>;
  readonly #upsertInRow: Database.Statement<[string, string, string]>;
  readonly #heldBy: Database.Statement<[string], string>;
  readonly #noteIndexed: Database.Statement<[string, string, string]>;
  readonly #noteInRow: Database.Statement<[string, string, string]>;
  readonly #count: Database.Statement<[], number>;
  readonly #rawOf: Database.Statement<[string], string | null>;
  readonly #db: Database.Database;
  readonly #limit: number;
  /** Not read yet (null), read, or too many to hold (undefined: one lookup a row). */
  #known: KnownRows | undefined | null = null;
  /** Identities touched in this run (while known rows are held, or not read yet). */
  readonly #touched = new Set<string>();

  constructor(db: Database.Database, knownRowsLimit = KNOWN_ROWS_LIMIT) {
    this.#db = db;
    this.#limit = knownRowsLimit;
    this.#get = db.prepare<[string], string>("SELECT hash FROM identities WHERE key = ?").pluck();
    this.#upsertIndexed = db.prepare(
      "INSERT INTO identities (key, hash, raw) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET hash = excluded.hash, raw = excluded.raw, row_key = NULL",
    );
    // A new identity gets no `raw` (no index entry); a known one keeps its stale `raw`.
    this.#upsertInRow = db.prepare(
      "INSERT INTO identities (key, hash, row_key) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET hash = excluded.hash, row_key = excluded.row_key",
    );
    this.#heldBy = db
      .prepare<[string], string>(
        "SELECT key FROM identities WHERE raw = ? AND row_key IS NULL LIMIT 1",
      )
      .pluck();
    this.#noteIndexed = db.prepare(
      "UPDATE identities SET raw = ?, row_key = NULL WHERE key = ? AND hash = ?",
    );
    this.#noteInRow = db.prepare("UPDATE identities SET row_key = ? WHERE key = ? AND hash = ?");
    this.#count = db.prepare<[], number>("SELECT count(*) FROM identities").pluck();
    this.#rawOf = db
      .prepare<[string], string | null>(
        "SELECT coalesce(row_key, raw) FROM identities WHERE key = ?",
      )
      .pluck();
  }

  get(key: string): string | undefined {
    return this.#get.get(key);
  }

  /**
   * Whether the row of key `raw` is known unchanged from memory ("known": its identity held the
   * hash it maps to when the run began, and was not touched since), not known at all ("unknown":
   * it was not when the run began), or "touched": ask the file (`heldBy`). Always "touched" past
   * the memory bound.
   */
  known(raw: string): KnownRow {
    const known = this.held();
    return known === undefined ? "touched" : known.known(raw);
  }

  /** The known rows (read now if not yet), whose slots `known` answers from; undefined past the bound. */
  held(): KnownRows | undefined {
    if (this.#known === null) return this.#hold(KnownRows.load(this.#db, this.#limit));
    return this.#known;
  }

  /** Rows known in memory at most. */
  get limit(): number {
    return this.#limit;
  }

  /**
   * The known rows as another connection read them (early-rows.ts), which are the file's as it
   * is now: held instead of read again, unless they already are.
   */
  offer(rows: KnownRows | undefined): void {
    if (this.#known === null) this.#hold(rows);
  }

  #hold(rows: KnownRows | undefined): KnownRows | undefined {
    this.#known = rows;
    for (const key of this.#touched) this.#touchRow(key); // touched before the rows were read
    if (rows === undefined || rows.size === 0) this.#touched.clear();
    return rows;
  }

  /** The identity whose stored hash the row of this key maps to (one lookup in the `raw` index). */
  heldBy(raw: string): string | undefined {
    return this.#heldBy.get(raw);
  }

  /**
   * A unit of this identity took its turn or was accepted, or its row is written: its known row
   * is asked of the file from now on (one lookup of its `raw`, the first time).
   */
  touch(key: string): void {
    // Nothing to mark past the bound, or in a file that knew no row (a first run: no lookup a row).
    if (this.#known === undefined || this.#known?.size === 0 || this.#touched.has(key)) return;
    this.#touched.add(key);
    if (this.#known !== null) this.#touchRow(key);
  }

  #touchRow(key: string): void {
    const raw = this.#rawOf.get(key);
    if (raw !== null && raw !== undefined) this.#known?.touch(raw);
  }

  /** The file's identities were replaced (a new key): known rows are read again when asked. */
  forgetKnown(): void {
    this.#known = null;
  }

  /** `raw`: the key of the accepted row (null: unknown, a merged unit, a stored payload). */
  upsert(key: string, hash: string, raw: string | null): void {
    this.touch(key);
    if (this.#inRow()) this.#upsertInRow.run(key, hash, raw ?? "");
    else this.#upsertIndexed.run(key, hash, raw);
  }

  /** The row of key `raw` maps to `key` and `hash`: noted if the identity still holds that hash. */
  noteRaw(raw: string, key: string, hash: string): void {
    this.touch(key);
    if (this.#inRow()) this.#noteInRow.run(raw, key, hash);
    else this.#noteIndexed.run(raw, key, hash);
  }

  /**
   * Row keys go in the identity's row while the known rows are held in memory (the next night's
   * scan finds them there); in the index before they are read and past the memory bound, where
   * rows are looked up by it.
   */
  #inRow(): boolean {
    return this.#known !== null && this.#known !== undefined;
  }

  count(): number {
    return this.#count.get() ?? 0;
  }
}
