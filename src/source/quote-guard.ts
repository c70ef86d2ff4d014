/**
 * An unclosed quote must not swallow the rest of a file. This stage sits before csv-parse and
 * follows, line by line, whether a quoted cell is still open (by csv-parse's own rules, and the
 * CSV reader's: a bad quote is ignored to the end of its line). A record whose quoted cell stays
 * open for more than `maxCellLines` lines, or `maxRecordSize` characters, or to the end of the
 * input, is cut back to the line that opened it: that line is reported (`bad`) and handed on as an
 * empty line (so csv-parse's line count holds), and the lines after it are read afresh.
 *
 * Pure: text in by `feed`/`end`, text out. It holds at most one open record, so memory is bounded
 * for files and standard input alike.
 */

export const DEFAULT_MAX_CELL_LINES = 100;

export interface BadLine {
  readonly line: number;
  /** The line that opened the quote, without its line break. */
  readonly raw: string;
  readonly message: string;
}

interface Line {
  readonly text: string; // without its line break
  readonly end: string; // "\r\n", "\n", "\r" or "" (the input's last line)
}

export class QuoteGuard {
  /** Lines reported, in order; the reader takes them out as it goes. */
  readonly bad: BadLine[] = [];
  #partial = ""; // the start of a line whose end is in a later chunk
  #line = 0; // lines handed on or held so far
  #held: Line[] = []; // the open record's lines
  #heldSize = 0;
  #open = false; // a quoted cell is open at the end of the last line

  constructor(
    private readonly delimiter: string,
    private readonly maxCellLines: number = DEFAULT_MAX_CELL_LINES,
    private readonly maxRecordSize: number = Number.POSITIVE_INFINITY,
  ) {}

  /** The text to hand on for `chunk`. */
  feed(chunk: string): string {
    const text = this.#partial + chunk;
    // Fast path: no quote anywhere and none open: every complete line goes on as it is.
    if (!this.#open && this.#held.length === 0 && !text.includes('"')) {
      const cut = lastBreak(text);
      this.#line += countBreaks(text, cut);
      this.#partial = text.slice(cut);
      return text.slice(0, cut);
    }
    let out = "";
    let start = 0;
    let cr = text.indexOf("\r"); // the next `\r`, found once and again only when passed
    for (;;) {
      if (this.#held.length === 0) {
        // Lines before the next quote go on in one piece.
        const q = text.indexOf('"', start);
        const upTo = q === -1 ? lastBreak(text) : lineStart(text, q, start);
        if (upTo > start) {
          this.#line += countBreaks(text, upTo, start);
          out += text.slice(start, upTo);
          start = upTo;
        }
        if (q === -1) break;
      }
      if (cr !== -1 && cr < start) cr = text.indexOf("\r", start);
      const lf = text.indexOf("\n", start);
      let at: number;
      let length: number;
      if (cr !== -1 && (lf === -1 || cr < lf)) {
        if (cr + 1 === text.length) break; // a CRLF may be cut between chunks
        at = cr;
        length = lf === cr + 1 ? 2 : 1;
      } else if (lf !== -1) {
        at = lf;
        length = 1;
      } else {
        break;
      }
      out += this.#take({ text: text.slice(start, at), end: text.slice(at, at + length) });
      start = at + length;
    }
    this.#partial = text.slice(start);
    return out;
  }

  /** The rest, at the end of the input. */
  end(): string {
    let out = "";
    if (this.#partial !== "") out += this.#take({ text: this.#partial, end: "" });
    this.#partial = "";
    while (this.#held.length > 0) out += this.#cut("is not closed by the end of the input");
    return out;
  }

  #take(line: Line): string {
    this.#line++;
    if (this.#held.length === 0) {
      // A bad quote on a line of its own costs that line only (the CSV reader skips it).
      const open = scanLine(line.text, false, this.delimiter) === "open";
      if (!open) return line.text + line.end;
      this.#held.push(line);
      this.#heldSize = line.text.length;
      this.#open = true;
      return "";
    }
    this.#held.push(line);
    this.#heldSize += line.text.length + line.end.length;
    const state = scanLine(line.text, true, this.delimiter);
    if (state === "bad") {
      // The open cell ends in a bad quote: csv-parse would skip every line since the opening one.
      return this.#cut(`is followed by a bad quote on line ${this.#line}`);
    }
    this.#open = state === "open";
    if (!this.#open) return this.#release();
    if (this.#held.length > this.maxCellLines) {
      return this.#cut(`stays open for more than ${this.maxCellLines} lines (--max-cell-lines)`);
    }
    if (this.#heldSize > this.maxRecordSize) {
      return this.#cut(`stays open for more than ${this.maxRecordSize} characters`);
    }
    return "";
  }

  /** The open record is whole: hand it on. */
  #release(): string {
    const out = this.#held.map((l) => l.text + l.end).join("");
    this.#held = [];
    this.#heldSize = 0;
    this.#open = false;
    return out;
  }

  /** Reports the line that opened the quote, and reads the lines after it afresh. */
  #cut(why: string): string {
    const [first, ...rest] = this.#held;
    if (first === undefined) return "";
    const line = this.#line - this.#held.length + 1;
    this.bad.push({ line, raw: first.text, message: `a quote opened on line ${line} ${why}` });
    this.#held = [];
    this.#heldSize = 0;
    this.#open = false;
    this.#line = line; // the lines after it are taken again
    let out = first.end === "" ? "" : "\n";
    for (const l of rest) out += this.#take(l);
    return out;
  }
}

/**
 * Whether a quoted cell is open at the end of `text` (one physical line), starting inside one or
 * not: "open", "closed", or "bad" when a quote breaks csv-parse's rules: a quote opens a cell only
 * at its start; `""` inside is a quote; a closing quote must be followed by the delimiter or the
 * line's end. After a bad quote the reader ignores quotes to the end of that line.
 */
export function scanLine(
  text: string,
  inQuote: boolean,
  delimiter: string,
): "open" | "closed" | "bad" {
  let i = 0;
  let quoted = inQuote;
  const length = text.length;
  for (;;) {
    if (quoted) {
      const q = text.indexOf('"', i);
      if (q === -1) return "open";
      if (text.charCodeAt(q + 1) === QUOTE) {
        i = q + 2;
        continue;
      }
      if (q + 1 === length) return "closed";
      if (!text.startsWith(delimiter, q + 1)) return "bad"; // a bad closing quote
      quoted = false;
      i = q + 1 + delimiter.length;
      continue;
    }
    // At the start of a cell, outside quotes: every delimiter up to the next quote is a real one.
    const q = text.indexOf('"', i);
    if (q === -1) return "closed";
    const atCellStart =
      q === i || (q - delimiter.length >= i && text.startsWith(delimiter, q - delimiter.length));
    if (!atCellStart) return "bad"; // a quote inside an unquoted cell
    quoted = true;
    i = q + 1;
  }
}

const QUOTE = 0x22;

/** Where the line holding position `at` begins (not before `from`, a line's start). */
function lineStart(text: string, at: number, from: number): number {
  let i = at;
  while (i > from) {
    const c = text.charCodeAt(i - 1);
    if (c === 0x0a || c === 0x0d) break;
    i--;
  }
  return i;
}

/** Where the text after the last complete line begins. */
function lastBreak(text: string): number {
  const lf = text.lastIndexOf("\n");
  const cr = text.lastIndexOf("\r");
  if (cr > lf && cr === text.length - 1) {
    // A final `\r` may be the start of a CRLF: keep it, and the line it ends.
    if (cr === 0) return 0; // (lastIndexOf from -1 would look at index 0)
    return Math.max(text.lastIndexOf("\n", cr - 1), text.lastIndexOf("\r", cr - 1)) + 1;
  }
  return Math.max(lf, cr) + 1;
}

/** Line breaks from `from` to before `end`: each `\n`, and each `\r` not followed by `\n`. */
function countBreaks(text: string, end: number, from = 0): number {
  let n = count(text, "\n", from, end);
  const cr = text.indexOf("\r", from);
  if (cr !== -1 && cr < end) n += count(text, "\r", cr, end) - count(text, "\r\n", cr, end);
  return n;
}

function count(text: string, what: string, from: number, end: number): number {
  let n = 0;
  for (let i = text.indexOf(what, from); i !== -1 && i < end; i = text.indexOf(what, i + 1)) n++;
  return n;
}
