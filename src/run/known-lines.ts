/**
 * The nightly diff worker's taker of plain lines (source/whole-lines.ts): a line whose row the
 * state file knows, taken whole, so the worker never reads it into cells. A plain line with no
 * backslash, split at the delimiter the row keys write with, is its row's texts as the keys write
 * them (row-key.ts `RowTexts`: canonical CSV, a text quoted only when it holds a quote, a CR, a
 * LF, a backslash or the delimiter, none of which such a line's texts hold): its key is the hash
 * of the head of its file's names and the line as it is, no cell cut out. So it is only when the
 * row the reader would make enumerates the columns in their order, each once (no repeated name,
 * no integer-like name: a row's names are then the header's), and when the file is read with that
 * delimiter; else, and for a line not known, the line is read as before: a mistake here can only
 * cost a line its shortcut, never name another row (the tests compare the keys).
 */
import { headerOf } from "../source/columns.js";
import { NextOf } from "../source/next-of.js";
import type { WholeLines } from "../source/whole-lines.js";
import type { KnownRows } from "../state/known-rows.js";
import { type RowTexts, rowKeyOfText } from "../state/row-key.js";
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
  readonly #texts: RowTexts;
  readonly #format: string;
  readonly #delimiter: string;
  #rows: KnownRows | undefined;
  /** What a line's key is the hash of, before the line; undefined: no line is taken. */
  #head: string | undefined;
  #toCells: ((cells: readonly string[]) => Record<string, string>) | undefined;
  #taken: Taking | undefined;
  /** The next backslash (a line holding one is not its row's text). */
  readonly #slash = new NextOf("\\");

  /** `texts`: the run's row texts; `format` and `delimiter`: what the file is read with. */
  constructor(texts: RowTexts, format: string, delimiter: string) {
    this.#texts = texts;
    this.#format = format;
    this.#delimiter = delimiter;
  }

  /** The known rows: lines are looked up (and may be taken) from now on. */
  look(rows: KnownRows): void {
    this.#rows = rows;
  }

  columns(names: readonly string[]): void {
    this.#toCells = headerOf<string>(names).toCells;
    // The names a row enumerates, in their order: the header's, when each column is one of them.
    const probe = headerOf<number>(names).toCells(names.map((_, i) => i));
    const order: string[] = [];
    let inOrder = true;
    for (const name in probe) {
      if (probe[name] !== order.length) inOrder = false;
      order.push(name);
    }
    const usable = inOrder && order.length === names.length;
    this.#head =
      usable && this.#texts.delimiter === this.#delimiter
        ? this.#texts.head(this.#format, order)
        : undefined;
  }

  take(text: string, start: number, end: number, line: number): boolean {
    const rows = this.#rows;
    const head = this.#head;
    if (rows === undefined || head === undefined) return false;
    if (this.#slash.from(text, start) < end) return false;
    const raw = rowKeyOfText(head + text.slice(start, end));
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
