/**
 * The group values a run has closed (mapping/closed-groups.ts), kept in its scratch database:
 * an order export closes one value per order, millions a night, more than memory should hold
 * (a Set of 10,000,000 order ids is about 600 MB of heap). On disk, memory is the page cache;
 * each group costs an insert and a lookup by primary key (a few µs). The table is made on the
 * first close, so a file whose groups never close makes no file; each input file's assembler has
 * its own table (an item group ends with its file). Writes are committed every COMMIT_EVERY closes
 * (one transaction at a time on the database; lookups see the open one).
 */
import type Database from "better-sqlite3";
import type { ClosedGroups, Span } from "../mapping/closed-groups.js";
import type { Scratch } from "./scratch.js";

const COMMIT_EVERY = 10_000;
/** Tables made so far in this process: each instance has its own. */
let tables = 0;

export class ScratchClosedGroups implements ClosedGroups {
  readonly #scratch: Scratch;
  #insert: Database.Statement<[string, number, number]> | undefined;
  #select: Database.Statement<[string], Span> | undefined;
  #db: Database.Database | undefined;
  #closes = 0;

  constructor(scratch: Scratch) {
    this.#scratch = scratch;
  }

  close(key: string, first: number, last: number): void {
    const db = this.#open();
    if (!db.inTransaction) db.exec("BEGIN");
    this.#insert?.run(key, first, last);
    if (++this.#closes % COMMIT_EVERY === 0) db.exec("COMMIT");
  }

  earlier(key: string): Span | undefined {
    if (this.#select === undefined) return undefined; // nothing closed yet
    return this.#select.get(key);
  }

  #open(): Database.Database {
    if (this.#db !== undefined) return this.#db;
    const db = this.#scratch.db();
    const table = `closed_groups_${++tables}`;
    db.exec(
      `CREATE TABLE ${table} (key TEXT PRIMARY KEY, first INTEGER NOT NULL, last INTEGER NOT NULL) WITHOUT ROWID`,
    );
    this.#insert = db.prepare(`INSERT OR IGNORE INTO ${table} VALUES (?, ?, ?)`);
    this.#select = db.prepare(`SELECT first, last FROM ${table} WHERE key = ?`);
    this.#db = db;
    return db;
  }
}
