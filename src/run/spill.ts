/**
 * `--group-by-identity`: every row read is spilled to the run's scratch database on disk, under
 * the identity it maps to, and read back at the end of the input in identity order (the order of
 * the files and of the lines within an identity), so that a user's rows reach the assembler and the
 * batcher together however the files were ordered. The rows are appended unsorted (cheap) and
 * SQLite sorts them once as they are read back: an external merge sort in sorted runs of its
 * cache's size, spilled to temporary files it deletes itself, so memory stays bounded whatever the
 * input's size.
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

const COMMIT_EVERY = 10_000;

export class Spill {
  readonly #scratch: Scratch;
  readonly #format: SourceFormat;
  readonly #codec: SpillCodec;
  /** The names of the files rows were read from, by index (several inputs). */
  readonly #files = new Map<number, string>();
  #db: ReturnType<Scratch["db"]> | undefined;
  #insert: { run(k: string, a: number, at: number, data: string): unknown } | undefined;
  #anchorOf: { get(file: number, group: string): Place | undefined } | undefined;
  #anchor: { run(file: number, group: string, k: string, a: number): unknown } | undefined;
  #uncommitted = 0;
  /** The place of the last row spilled (an unreadable record goes with it). */
  #last: Place = { k: "", a: 0 };

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

  /** Every row spilled, by identity, then by place in the input. */
  *sorted(): Generator<Spilled> {
    if (this.#db === undefined) return;
    const db = this.#db;
    if (this.#uncommitted > 0) db.exec("COMMIT");
    this.#uncommitted = 0;
    const select = db.prepare("SELECT data FROM spill ORDER BY k, a, at").pluck();
    const format = this.#format;
    for (const data of select.iterate() as Iterable<string>) {
      const s = this.#codec.read(data) as Stored;
      const row: Row = {
        line: s.l,
        file: this.#files.get(fileOf(s.at)),
        at: s.at,
        row: s.c,
        format,
        ...(s.o === undefined ? {} : { occurrence: s.o }),
        ...(s.d === undefined ? {} : { done: s.d }),
      };
      if (s.f === undefined) {
        const cells = s.c as SourceRow["cells"];
        yield { kind: "row", row, source: { kind: "row", line: s.l, cells } };
      } else {
        yield { kind: "unreadable", row: { ...row, failure: s.f } };
      }
    }
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
    this.#insert?.run(place.k, place.a, row.at, this.#codec.write(stored));
    this.#last = place;
    if (++this.#uncommitted >= COMMIT_EVERY) {
      db.exec("COMMIT");
      this.#uncommitted = 0;
    }
  }

  #open(): ReturnType<Scratch["db"]> {
    if (this.#db !== undefined) return this.#db;
    const db = this.#scratch.db();
    db.exec(`CREATE TABLE spill (k TEXT NOT NULL, a INTEGER NOT NULL, at INTEGER NOT NULL, data TEXT NOT NULL);
      CREATE TABLE anchors (f INTEGER NOT NULL, g TEXT NOT NULL, k TEXT NOT NULL, a INTEGER NOT NULL,
        PRIMARY KEY (f, g)) WITHOUT ROWID;`);
    this.#insert = db.prepare("INSERT INTO spill VALUES (?, ?, ?, ?)");
    this.#anchorOf = db.prepare<[number, string], Place>(
      "SELECT k, a FROM anchors WHERE f = ? AND g = ?",
    );
    this.#anchor = db.prepare("INSERT INTO anchors VALUES (?, ?, ?, ?)");
    this.#db = db;
    return db;
  }
}
