/**
 * `--group-by-identity`: every row read is spilled to the run's scratch database on disk, under
 * the identity it maps to, and read back at the end of the input a user's rows together (in the
 * order of the files and of the lines within an identity), so that they reach the assembler and
 * the batcher together however the files were ordered. A row is appended (cheap) to one of
 * BUCKETS tables, chosen by a hash of its identity; they are read back one table at a time, each
 * sorted by SQLite as it is read. So the read-back is many short steps, a table's sort each
 * (1/256 of the rows), between which the reading loop lets the event loop in (a signal is heard),
 * instead of one sort of every row that kept the thread for seconds; and memory stays bounded, whatever the
 * input's size (a table larger than the cache is sorted in runs spilled to temporary files).
 *
 * A row of a CSV item group (`items.group_by`) is placed with its group's first row in its file
 * (the anchor: that row's identity and place), so an order whose rows are scattered through the
 * file comes back whole, in one piece; an item group ends with its file, as when read in order.
 * A record that could not be read goes with the row read before it.
 */
import type { RowFailure } from "../errors.js";
import type { SourceFormat, SourceRow } from "../source/types.js";
import { fileOf } from "./file-book.js";
import type { Row, SpillKey } from "./kind.js";
import type { Scratch } from "./scratch.js";
import { type SpillCodec, spillCodec } from "./spill-codec.js";
import { SpillHeap } from "./spill-heap.js";

/** A row read back: readable (with its source) or not (with its failure). */
export type Spilled =
  | { readonly kind: "row"; readonly row: Row; readonly source: SourceRow }
  | { readonly kind: "unreadable"; readonly row: Row & { readonly failure: RowFailure } };

/** A row as stored: its line, where it was read, its cells, occurrence, done, failure. */
interface Stored {
  readonly l: number;
  readonly at: number;
  readonly c: unknown;
  readonly o?: number;
  readonly d?: true;
  readonly f?: RowFailure;
}

/** Where a row sorts: its identity's key, then the place of its anchor (its own, or its group's). */
interface Place {
  readonly k: string;
  readonly a: number;
}

/** A row into its bucket's table: its identity, its anchor's place, its own, what it holds. */
type Insert = { run(k: string, a: number, at: number, data: string): unknown };

const COMMIT_EVERY = 10_000;
/**
 * Tables the rows are spread over. More make each step of the read-back shorter (10,000,000 rows:
 * 40,000 a table) but each insert dearer (a table's last page is kept hot for its appends).
 */
const BUCKETS = 256;

/** The table of an identity: FNV-1a of its key, so that its rows (and its groups') are in one. */
export function bucketOf(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % BUCKETS;
}

export class Spill {
  readonly #scratch: Scratch;
  readonly #format: SourceFormat;
  readonly #codec: SpillCodec;
  /** The names of the files rows were read from, by index (several inputs). */
  readonly #files = new Map<number, string>();
  #db: ReturnType<Scratch["db"]> | undefined;
  /** Each bucket's insert, once it has a table (a small spill makes few). */
  readonly #inserts: (Insert | undefined)[] = [];
  #anchorOf: { get(file: number, group: string): Place | undefined } | undefined;
  #anchor: { run(file: number, group: string, k: string, a: number): unknown } | undefined;
  #uncommitted = 0;
  /** The place of the last row spilled (an unreadable record goes with it). */
  #last: Place = { k: "", a: 0 };
  /** Collects what the rows' values leave in the heap, where the process allows (spill-heap.ts). */
  #heap: SpillHeap | undefined;

  constructor(scratch: Scratch, format: SourceFormat) {
    this.#scratch = scratch;
    this.#format = format;
    this.#codec = spillCodec(format);
  }

  add(key: SpillKey, row: Row): void {
    let place: Place = { k: key.identity, a: row.at };
    if (key.group !== undefined) {
      this.#open();
      const file = fileOf(row.at);
      const anchor = this.#anchorOf?.get(file, key.group);
      if (anchor === undefined) this.#anchor?.run(file, key.group, place.k, place.a);
      else place = anchor;
    }
    this.#put(place, row, undefined);
  }

  /** A record that could not be read: it goes with the row before it. */
  addUnreadable(row: Row & { readonly failure: RowFailure }): void {
    this.#put(this.#last, row, row.failure);
  }

  /**
   * Every row spilled, a user's together: bucket by bucket, by identity within one, then by
   * place in the input. Each step is short (the longest: the first of a bucket, its sort), so
   * the loop that reads them can let the event loop in between (util/breather.ts).
   */
  *sorted(): Generator<Spilled> {
    if (this.#db === undefined) return;
    const db = this.#db;
    if (this.#uncommitted > 0) db.exec("COMMIT");
    this.#uncommitted = 0;
    for (const [bucket, insert] of this.#inserts.entries()) {
      if (insert === undefined) continue;
      const select = db.prepare(`SELECT data FROM spill_${bucket} ORDER BY k, a, at`).pluck();
      for (const data of select.iterate() as Iterable<string>) {
        this.#heap?.step();
        yield this.#read(data);
      }
    }
  }

  #read(data: string): Spilled {
    const s = this.#codec.read(data) as Stored;
    const row: Row = {
      line: s.l,
      file: this.#files.get(fileOf(s.at)),
      at: s.at,
      row: s.c,
      format: this.#format,
      ...(s.o === undefined ? {} : { occurrence: s.o }),
      ...(s.d === undefined ? {} : { done: s.d }),
    };
    if (s.f !== undefined) return { kind: "unreadable", row: { ...row, failure: s.f } };
    const cells = s.c as SourceRow["cells"];
    return { kind: "row", row, source: { kind: "row", line: s.l, cells } };
  }

  #put(place: Place, row: Row, failure: RowFailure | undefined): void {
    const db = this.#open();
    if (this.#uncommitted === 0) db.exec("BEGIN");
    if (row.file !== undefined) this.#files.set(fileOf(row.at), row.file);
    const stored: Stored = {
      l: row.line,
      at: row.at,
      c: row.row,
      ...(row.occurrence === undefined ? {} : { o: row.occurrence }),
      ...(row.done === undefined ? {} : { d: row.done }),
      ...(failure === undefined ? {} : { f: failure }),
    };
    this.#insertOf(bucketOf(place.k)).run(place.k, place.a, row.at, this.#codec.write(stored));
    this.#last = place;
    this.#heap?.step();
    if (++this.#uncommitted >= COMMIT_EVERY) {
      db.exec("COMMIT");
      this.#uncommitted = 0;
    }
  }

  #open(): ReturnType<Scratch["db"]> {
    if (this.#db !== undefined) return this.#db;
    const db = this.#scratch.db();
    db.exec(`CREATE TABLE anchors (f INTEGER NOT NULL, g TEXT NOT NULL, k TEXT NOT NULL, a INTEGER NOT NULL,
        PRIMARY KEY (f, g)) WITHOUT ROWID;`);
    this.#anchorOf = db.prepare<[number, string], Place>(
      "SELECT k, a FROM anchors WHERE f = ? AND g = ?",
    );
    this.#anchor = db.prepare("INSERT INTO anchors VALUES (?, ?, ?, ?)");
    this.#heap = SpillHeap.watch();
    this.#db = db;
    return db;
  }

  /** A bucket's insert, its table made on its first row. */
  #insertOf(bucket: number): Insert {
    const made = this.#inserts[bucket];
    if (made !== undefined) return made;
    const db = this.#open();
    db.exec(
      `CREATE TABLE spill_${bucket} (k TEXT NOT NULL, a INTEGER NOT NULL, at INTEGER NOT NULL, data TEXT NOT NULL)`,
    );
    const insert = db.prepare(`INSERT INTO spill_${bucket} VALUES (?, ?, ?, ?)`);
    this.#inserts[bucket] = insert;
    return insert;
  }
}
