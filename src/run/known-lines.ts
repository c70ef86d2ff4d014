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
 *
 * A line offered is keyed with the lines after it in its text (`#keyAhead`), and their slots are
 * looked up together (`KnownRows.slotsOf`): looked up one a line, each waited for its slot's cache
 * miss alone (the slots of a million rows are 32 MB). The next lines offered are answered from
 * those, each by its own text and place: an offered line that is not one of them is keyed anew.
 */
import { headerOf } from "../source/columns.js";
import { NextOf } from "../source/next-of.js";
import type { WholeLines } from "../source/whole-lines.js";
import type { KnownRows } from "../state/known-rows.js";
import { type RowTexts, rowDigestOfText } from "../state/row-key.js";
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

/** Lines keyed at once, at most (`#keyAhead`). */
const AHEAD = 128;
const CR = 0x0d;

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
  /** The next quote and CR: a line after the one offered that holds one is not keyed ahead. */
  readonly #quote = new NextOf('"');
  readonly #cr = new NextOf("\r");
  /** The lines keyed ahead: the text they are in, each one's place in it and its slot (-1: none). */
  #aheadText: string | undefined;
  readonly #aheadStarts = new Int32Array(AHEAD);
  readonly #aheadEnds = new Int32Array(AHEAD);
  readonly #aheadSlots = new Int32Array(AHEAD);
  readonly #aheadDigests: (string | undefined)[] = [];
  #aheadCount = 0;
  /** The next of them an offer is expected at. */
  #aheadNext = 0;

  /** `texts`: the run's row texts; `format` and `delimiter`: what the file is read with. */
  constructor(texts: RowTexts, format: string, delimiter: string) {
    this.#texts = texts;
    this.#format = format;
    this.#delimiter = delimiter;
  }

  /** The known rows: lines are looked up (and may be taken) from now on. */
  look(rows: KnownRows): void {
    this.#rows = rows;
    this.#aheadText = undefined; // keyed under no rows, or other ones
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
    this.#aheadText = undefined; // keyed under another head
  }

  take(text: string, start: number, end: number, line: number): boolean {
    const rows = this.#rows;
    const head = this.#head;
    if (rows === undefined || head === undefined) return false;
    const slot = this.#slotOf(text, start, end, rows, head);
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

  /**
   * The slot of the row whose texts are `text` from `start` to `end` (-1: none): the one keyed
   * ahead for that place in that text, or keyed now, with the lines after it.
   */
  #slotOf(text: string, start: number, end: number, rows: KnownRows, head: string): number {
    const starts = this.#aheadStarts;
    const count = this.#aheadCount;
    let k = count;
    if (text === this.#aheadText) {
      k = this.#aheadNext;
      while (k < count && (starts[k] as number) < start) k++; // lines keyed ahead, not offered
    }
    if (k === count || starts[k] !== start || this.#aheadEnds[k] !== end) {
      this.#keyAhead(text, start, end, rows, head);
      k = 0;
    }
    this.#aheadNext = k + 1;
    return this.#aheadSlots[k] as number;
  }

  /**
   * Keys the line from `start` to `end` in `text` and the lines after it in the text, up to AHEAD
   * of them, up to one that is blank, not whole in the text, or holds a quote or a CR (the reader
   * would not offer it, or not as it is: csv.ts), and looks their keys up together, by their
   * digests (row-key.ts `rowDigestOfText`: the key's bits, not written as base64url). A line
   * holding a backslash has no key: it is never taken.
   */
  #keyAhead(text: string, start: number, end: number, rows: KnownRows, head: string): void {
    const starts = this.#aheadStarts;
    const ends = this.#aheadEnds;
    const digests = this.#aheadDigests;
    let from = start;
    let to = end;
    let count = 0;
    for (;;) {
      starts[count] = from;
      ends[count] = to;
      digests[count] =
        this.#slash.from(text, from) < to
          ? undefined
          : rowDigestOfText(head + text.slice(from, to));
      if (++count === AHEAD) break;
      from = to + (text.charCodeAt(to) === CR ? 2 : 1); // past its CRLF or LF
      const lf = text.indexOf("\n", from);
      if (lf <= from) break;
      to = text.charCodeAt(lf - 1) === CR ? lf - 1 : lf;
      if (to === from || this.#quote.from(text, from) < to || this.#cr.from(text, from) < to) break;
    }
    rows.slotsOfDigests(digests, count, this.#aheadSlots);
    this.#aheadText = text;
    this.#aheadCount = count;
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
