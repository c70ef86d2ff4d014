/**
 * The nightly diff worker's taker of plain lines (source/whole-lines.ts): a line whose row the
 * state file knows, taken whole, so the worker never reads it into cells. Its key is the row key
 * the worker would make of the cells read (row-key.ts `rowText`, under the run's secret prefix),
 * written from the line itself: its texts between the delimiters are its cells, in the order and
 * under the names the reader's row would enumerate them (a header's repeated names, integer-like
 * names and `__proto__` included). A line is taken only when that key is a known row's: any other
 * line (not known, of another cell count, not well-formed UTF-16) is read as before, so a mistake
 * here can only cost a line its shortcut, never name another row: a key is the hash of its row's
 * text, and the text written here is `rowText`'s of the cells the reader gives (the tests compare
 * the two on generated lines).
 */
import { headerOf } from "../source/columns.js";
import type { WholeLines } from "../source/whole-lines.js";
import { type KnownRows, rowKeyOfText } from "../state/index.js";
import type { Cells } from "./diff-wire.js";

/**
 * The lines taken since `drain`, in file order: each one's line number, slot, and place (the text
 * it is in, from `starts` to `ends`).
 */
export interface TakenLines {
  readonly lines: readonly number[];
  readonly slots: readonly number[];
  readonly texts: readonly string[];
  readonly starts: readonly number[];
  readonly ends: readonly number[];
}

type Taking = { [K in keyof TakenLines]: TakenLines[K][number][] };

const NONE: TakenLines = { lines: [], slots: [], texts: [], starts: [], ends: [] };

export class KnownLines implements WholeLines {
  readonly #head: string;
  readonly #delimiter: string;
  readonly #code: number;
  #rows: KnownRows | undefined;
  /** Cells' names as the key writes them (`length:name`), in the row's enumeration order... */
  #names: readonly string[] = [];
  /** ...and the column each takes its text from. */
  #columns = new Int32Array(0);
  /** Where each cell of the line being keyed ends, by column. */
  #ends = new Int32Array(0);
  #toCells: ((cells: readonly string[]) => Record<string, string>) | undefined;
  #taken: Taking | undefined;

  /** `prefix`: the row keys' secret prefix; `format`: csv or tsv; `delimiter`: one character. */
  constructor(prefix: string, format: string, delimiter: string) {
    this.#head = `${prefix}${format} `;
    this.#delimiter = delimiter;
    this.#code = delimiter.length === 1 ? delimiter.charCodeAt(0) : -1;
  }

  /** The known rows: lines are looked up (and may be taken) from now on. */
  look(rows: KnownRows): void {
    this.#rows = rows;
  }

  columns(names: readonly string[]): void {
    const header = headerOf<string | number>(names);
    // Which column each of a row's names takes its text from, in the order a row enumerates them.
    const probe = header.toCells(names.map((_, i) => i));
    const order: string[] = [];
    const columns: number[] = [];
    for (const name in probe) {
      order.push(`${name.length}:${name}`);
      columns.push(probe[name] as number);
    }
    this.#names = order;
    this.#columns = Int32Array.from(columns);
    this.#ends = new Int32Array(names.length);
    this.#toCells = headerOf<string>(names).toCells;
  }

  take(text: string, start: number, end: number, line: number): boolean {
    const rows = this.#rows;
    if (rows === undefined) return false;
    const ends = this.#ends;
    const count = ends.length;
    const code = this.#code;
    let cell = 0;
    for (let i = start; i < end; i++) {
      if (text.charCodeAt(i) !== code) continue;
      if (cell === count - 1) return false; // more cells than columns
      ends[cell++] = i;
    }
    if (cell !== count - 1) return false; // fewer
    ends[cell] = end;
    const names = this.#names;
    const columns = this.#columns;
    let key = this.#head;
    for (let k = 0; k < names.length; k++) {
      const column = columns[k] as number;
      const from = column === 0 ? start : (ends[column - 1] as number) + 1;
      const to = ends[column] as number;
      key += `${names[k]}${to - from}:${text.slice(from, to)}`;
    }
    const raw = rowKeyOfText(key);
    if (raw === undefined) return false;
    const slot = rows.slotOf(raw);
    if (slot === -1) return false;
    this.#taken ??= { lines: [], slots: [], texts: [], starts: [], ends: [] };
    const taken = this.#taken;
    taken.lines.push(line);
    taken.slots.push(slot);
    taken.texts.push(text);
    taken.starts.push(start);
    taken.ends.push(end);
    return true;
  }

  /** The lines taken since the last call, in file order. */
  drain(): TakenLines {
    const taken = this.#taken ?? NONE;
    this.#taken = undefined;
    return taken;
  }

  /** A taken line's cells, as the reader would have given them. */
  readonly cellsOf = (line: string): Cells => {
    const toCells = this.#toCells;
    if (toCells === undefined) throw new Error("a line was taken before the columns were given");
    return toCells(line.split(this.#delimiter));
  };
}
