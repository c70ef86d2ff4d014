import type { CsvRules } from "./dialect.js";
import { NextOf } from "./next-of.js";
import { type CsvParsed, KEPT, tooLongMessage } from "./record.js";
import { UnclosedQuotes } from "./unclosed.js";
import type { OfferLine } from "./whole-lines.js";

const LF = 0x0a;
const CR = 0x0d;
const BACKSLASH = 0x5c;
/** A quote escaped with a backslash (`\"`), as Spark, Hive and MySQL write them, is not plain CSV. */
const BACKSLASH_HINT =
  " (a quote escaped with a backslash, \\\": such files are read with `dialect: mysql` in the mapping's source section)";
const N = 0x4e;

/** The most records one `feed` returns. */
const MAX_RECORDS = 4096;

/** Where to read on after a cut: a text and a position in it. */
interface Resume {
  readonly text: string;
  readonly at: number;
}

/** Where the tokenizer is in the text: the state that carries over from one chunk to the next. */
const BETWEEN = 0; // between records: blank lines are skipped
const CELL = 1; // at the start of a cell
const PLAIN = 2; // in an unquoted cell (or after a quoted one closed)
const QUOTED = 3; // in a quoted cell
const SKIP = 4; // in a bad record: the rest of its line goes with it
type Mode = typeof BETWEEN | typeof CELL | typeof PLAIN | typeof QUOTED | typeof SKIP;

/**
 * The one CSV tokenizer: plain CSV (RFC 4180, as csv-parse reads it by default) and the database
 * dumps of dialect.ts, by their rules. Pure and resumable: text goes in by `feed`, in chunks of any
 * size, and records come out in file order with the line each starts on and its text; every
 * character is looked at once (again only after an unclosed quote, see unclosed.ts), so reading
 * is linear in the input, and it holds at most one record's text (`maxRecordSize`).
 *
 * A quoted cell is one cell however many lines it spans, as long as its quote closes. A quote that
 * does not (by the end of the input, or within `maxRecordSize` characters) is an unclosed quote:
 * the line the record began on is a skipped record and reading resumes on the line after it. A
 * bad quote (plain CSV: a quote inside an unquoted cell, or text after a closing quote) makes its
 * record a skipped one ending with that line; found on a later line of a multi-line record, it
 * costs only the record's first line, as an unclosed quote does. A record longer than the bound
 * outside quotes (a line with no line break, a dump cell of escaped lines), or within a quote on
 * its first line, is a skipped record too, its first KEPT characters kept: its text is dropped as
 * it is read, up to the line break that ends it (not an escaped one: a dump's record goes on past
 * those; quotes after the bound are not followed), and reading goes on with the next record.
 */
export class CsvTokenizer {
  readonly #quote: number;
  readonly #delimiter: number;
  readonly #unclosed = new UnclosedQuotes();
  #carry = ""; // text held back until the next chunk tells what it is
  #base = 0; // offset in the input (in characters) of the text being read
  #line = 1; // the line being read
  #first = true; // nothing read yet (a BOM may come)
  #endedOn: number | undefined; // PostgreSQL's end-of-data marker was on this line
  // The record being read:
  #mode: Mode = BETWEEN;
  #parts: string[] = []; // its text from earlier chunks
  #partsLength = 0;
  #start = 0; // where it starts in the text being read (0: in an earlier one)
  #startAt = 0; // where it starts in the input
  #recordLine = 0;
  #firstEnd = -1; // where in the input its first line ends (-1: it has one line so far)
  #secondAt = -1; // and where its second line starts
  #cells: string[] = [];
  #value = ""; // the cell's text so far (from earlier chunks, or before escapes and `""`)...
  #pieces: string[] = []; // ...and its latest pieces, joined 4,096 at a time (see #add)
  #enclosed = false;
  #isNull = false;
  #error: { readonly code: string; readonly message: string } | undefined;
  #over = false; // it is past the bound: skipped to its end, its text not kept...
  #kept = ""; // ...but its start
  /** Where plain lines are offered (whole-lines.ts), and the next character that makes one not. */
  readonly #offer: OfferLine | undefined;
  readonly #unplain: readonly NextOf[];

  /** `offer`: each plain line is offered before it is read (whole-lines.ts). */
  constructor(
    private readonly rules: CsvRules,
    private readonly delimiter: string,
    private readonly maxRecordSize: number,
    offer?: OfferLine,
  ) {
    this.#quote = rules.quote === null ? -1 : rules.quote.charCodeAt(0);
    this.#delimiter = delimiter.charCodeAt(0);
    // A line is plain when splitting it at the delimiter gives its cells as #read would: no quote,
    // no carriage return but one before its line feed, no escape or end-of-data marker in a dump.
    const escapes = rules.decodeEscape !== undefined || rules.endMarker;
    const unplain = [
      "\r",
      ...(rules.quote === null ? [] : [rules.quote]),
      ...(escapes ? ["\\"] : []),
    ];
    this.#offer = delimiter.length === 1 ? offer : undefined;
    this.#unplain = unplain.map((char) => new NextOf(char));
  }

  /**
   * The records that `chunk` completes; `final` when it is the end of the input. At most about
   * MAX_RECORDS at a time, so that memory stays bounded: while a call returns records, call
   * `feed("", final)` again for the rest (`drain` does).
   */
  feed(chunk: string, final = false): CsvParsed[] {
    const out: CsvParsed[] = [];
    let text = this.#carry === "" ? chunk : this.#carry + chunk;
    this.#carry = "";
    if (this.#first && text !== "") {
      this.#first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    const resume = this.#bound(text, out);
    this.#read(resume?.text ?? text, final, out, resume?.at ?? 0);
    return out;
  }

  #read(input: string, final: boolean, out: CsvParsed[], at: number): undefined {
    const { strict, decodeEscape } = this.rules;
    const quote = this.#quote;
    const delimiter = this.#delimiter;
    let text = input;
    let len = text.length;
    let i = at;
    let seg = at; // where the cell's text not yet in #value starts
    next: for (;;) {
      if (i >= len) {
        const resume = final ? this.#end(text, seg, out) : this.#pause(text, len, seg);
        if (resume === undefined) return;
        [text, len, i, seg] = [resume.text, resume.text.length, resume.at, resume.at];
        continue;
      }
      const mode = this.#mode;
      if (mode === BETWEEN) {
        if (out.length >= MAX_RECORDS) return this.#pause(text, i, seg); // see feed
        const c = text.charCodeAt(i);
        if (c === LF || c === CR) {
          if (c === CR && i + 1 >= len && !final) return this.#pause(text, i, seg);
          const crlf = c === CR && text.charCodeAt(i + 1) === LF;
          if (c === LF || crlf || strict) {
            i += crlf ? 2 : 1;
            this.#line++;
            continue;
          }
        }
        if (this.rules.endMarker && c === BACKSLASH) {
          const marker = endMarker(text, i, final);
          if (marker === undefined) return this.#pause(text, i, seg);
          if (marker > 0) {
            this.#endedOn ??= this.#line;
            i += marker;
            this.#line++;
            continue;
          }
        }
        if (this.#offer !== undefined && this.#endedOn === undefined) {
          const end = this.#plainEnd(text, i);
          if (end !== -1 && this.#offer(text, i, end, this.#line)) {
            this.#unclosed.passed(this.#base + i); // as a record starting here would
            this.#line++;
            i = end + (text.charCodeAt(end) === CR ? 2 : 1); // past its CRLF or LF
            continue;
          }
        }
        this.#begin(i);
        continue;
      }
      if (mode === CELL) {
        this.#value = "";
        if (this.#pieces.length > 0) this.#pieces = [];
        this.#isNull = false;
        this.#enclosed = text.charCodeAt(i) === quote;
        if (this.#enclosed) i++;
        this.#mode = this.#enclosed ? QUOTED : PLAIN;
        seg = i;
        continue;
      }
      if (mode === SKIP) {
        const escapes = this.#over && decodeEscape !== undefined;
        for (; i < len; i++) {
          const c = text.charCodeAt(i);
          if (c === BACKSLASH && escapes) {
            // Past the bound in a dump: an escaped line break does not end the record.
            if (i + 2 >= len && !final) return this.#pause(text, i, seg);
            const crlf = text.charCodeAt(i + 1) === CR && text.charCodeAt(i + 2) === LF;
            i += crlf ? 2 : 1;
            if (text.charCodeAt(i) === LF) this.#line++;
            continue;
          }
          if (c !== LF && c !== CR) continue;
          if (c === CR && i + 1 >= len && !final) return this.#pause(text, i, seg);
          const crlf = c === CR && text.charCodeAt(i + 1) === LF;
          if (c === CR && !crlf && !strict) continue;
          this.#skipped(this.#text(text, i), out);
          i += crlf ? 2 : 1;
          this.#line++;
          continue next;
        }
        continue;
      }
      const quoted = mode === QUOTED;
      for (; i < len; i++) {
        const c = text.charCodeAt(i);
        if (c === quote && quoted) {
          if (i + 1 >= len && !final) return this.#pause(text, i, seg);
          if (text.charCodeAt(i + 1) === quote) {
            this.#add(text.slice(seg, i + 1)); // `""`: one quote
            seg = ++i + 1;
            continue;
          }
          const ends = this.#endsCell(text, i + 1, final);
          if (ends === undefined) return this.#pause(text, i, seg);
          if (ends) {
            this.#add(text.slice(seg, i));
            this.#mode = PLAIN;
            seg = ++i;
            continue next;
          }
          if (!strict) continue; // a dump: a quote not before a delimiter or line end is text
          const got = JSON.stringify(text.charAt(i + 1));
          const message = `Invalid Closing Quote: got ${got} at line ${this.#line} instead of the delimiter or the end of the line${text.charCodeAt(i - 1) === BACKSLASH ? BACKSLASH_HINT : ""}`;
          const resume = this.#bad(text, i, "CSV_INVALID_CLOSING_QUOTE", message, out);
          if (resume !== undefined)
            [text, len, i, seg] = [resume.text, resume.text.length, resume.at, resume.at];
          continue next;
        }
        if (c === delimiter && !quoted) {
          const at = this.#delimiterAt(text, i, final);
          if (at === undefined) return this.#pause(text, i, seg);
          if (!at) continue;
          this.#cells.push(this.#cell(text, seg, i));
          i += this.delimiter.length;
          this.#mode = CELL;
          continue next;
        }
        if (c === LF || c === CR) {
          if (c === CR && i + 1 >= len && !final) return this.#pause(text, i, seg);
          const crlf = c === CR && text.charCodeAt(i + 1) === LF;
          if (c === CR && !crlf && !strict) continue; // a dump: a lone CR is text
          const next = i + (crlf ? 2 : 1);
          this.#line++;
          if (!quoted) {
            this.#cells.push(this.#cell(text, seg, i));
            this.#emit(text, i, out);
            i = next;
            continue next;
          }
          const why = this.#lineInQuotes(i, next);
          if (why !== undefined) {
            const resume = this.#cut(text, next, why, out);
            [text, len, i, seg] = [resume.text, resume.text.length, resume.at, resume.at];
            continue next;
          }
          i = next - 1;
          continue;
        }
        if (c === quote && strict) {
          const value = JSON.stringify(this.#cell(text, seg, i));
          const field = this.#cells.length + 1;
          const message = `Invalid Opening Quote: a quote is found in field ${field} at line ${this.#line}, value is ${value}`;
          const resume = this.#bad(text, i, "INVALID_OPENING_QUOTE", message, out);
          if (resume !== undefined)
            [text, len, i, seg] = [resume.text, resume.text.length, resume.at, resume.at];
          continue next;
        }
        if (c === BACKSLASH && decodeEscape !== undefined) {
          if (i + 1 >= len && final) continue; // a backslash ending the input stands for itself
          const lookahead = i + 1 >= len || (i + 2 >= len && text.charCodeAt(i + 1) === CR);
          const decoded = lookahead && !final ? undefined : decodeEscape(text, i + 1, final);
          if (decoded === undefined) return this.#pause(text, i, seg);
          if (decoded.bad !== undefined) {
            const message = `${decoded.bad}, in field ${this.#cells.length + 1} at line ${this.#line}`;
            const resume = this.#bad(text, i, "CSV_BAD_ESCAPE", message, out);
            if (resume !== undefined)
              [text, len, i, seg] = [resume.text, resume.text.length, resume.at, resume.at];
            continue next;
          }
          const empty = seg === i && this.#value === "" && this.#pieces.length === 0;
          if (!quoted && text.charCodeAt(i + 1) === N && empty) {
            this.#isNull = true; // `\N` alone is NULL: see #cell
          }
          const next = i + 1 + decoded.length;
          const same =
            decoded.length === 1 && decoded.text.charCodeAt(0) === text.charCodeAt(i + 1);
          // An escape that stands for its own character (`\\`, `\,`, an escaped line break) stays
          // in the cell's text, which goes on from it: one piece per escape, not two.
          this.#add(text.slice(seg, i));
          if (!same) this.#add(decoded.text);
          seg = same ? i + 1 : next;
          i = next - 1;
          if (text.charCodeAt(next - 1) === LF) {
            // An escaped line break: the record goes on, on the next line of the file.
            this.#line++;
            const why = this.#lineInQuotes(next - 1, next, quoted);
            if (why !== undefined) {
              const resume = this.#cut(text, next, why, out);
              [text, len, i, seg] = [resume.text, resume.text.length, resume.at, resume.at];
              continue next;
            }
          }
        }
      }
    }
  }

  /**
   * Where the line starting at `i` ends, before its line break (a CRLF's CR, or its LF), when it
   * is plain (see the constructor) and within the bound; else -1. Reading the next unplain
   * character's place from a cache keeps this linear in the text, not quadratic, when none is
   * left in it.
   */
  #plainEnd(text: string, i: number): number {
    const lf = text.indexOf("\n", i);
    if (lf === -1 || lf - i > this.maxRecordSize) return -1;
    const end = text.charCodeAt(lf - 1) === CR ? lf - 1 : lf;
    for (const next of this.#unplain) if (next.from(text, i) < end) return -1;
    return end;
  }

  /** A record starts at `i`. */
  #begin(i: number): void {
    this.#start = i;
    this.#startAt = this.#base + i;
    this.#recordLine = this.#line;
    this.#unclosed.passed(this.#startAt);
    if (this.#endedOn === undefined) {
      this.#mode = CELL;
      return;
    }
    this.#mode = SKIP;
    this.#error = {
      code: "CSV_AFTER_END",
      message: `a line after the end-of-data marker \\. on line ${this.#endedOn}`,
    };
  }

  /**
   * A line break inside the record (in quotes, or escaped), from `at` to `next`: why the record is
   * cut there, if it is (an unclosed quote).
   */
  #lineInQuotes(at: number, next: number, quoted = true): string | undefined {
    if (this.#firstEnd === -1) {
      this.#firstEnd = this.#base + at;
      this.#secondAt = this.#base + next;
    }
    if (!quoted) return undefined;
    const why = this.#unclosed.openAt(this.#base + next);
    if (why !== undefined) return why;
    if (this.#partsLength + next - this.#start <= this.maxRecordSize) return undefined;
    return `stays open past ${this.maxRecordSize} characters`;
  }

  /** The cell from `seg` to `i`, with what came before it. */
  #cell(text: string, seg: number, i: number): string {
    const tail = text.slice(seg, i);
    const head = this.#pieces.length === 0 ? this.#value : this.#value + this.#pieces.join("");
    const value = head === "" ? tail : head + tail;
    return this.#isNull && value === "N" ? "" : value;
  }

  /**
   * Appends to the cell's text. Pieces are joined 4,096 at a time: a cell of millions of escapes
   * appended one by one would make a string of millions of parts, which costs more than linear time.
   */
  #add(piece: string): void {
    if (piece === "") return;
    this.#pieces.push(piece);
    if (this.#pieces.length < 4096) return;
    this.#value += this.#pieces.join("");
    this.#pieces = [];
  }

  /** The record's text up to `i` (past the bound: its start). */
  #text(text: string, i: number): string {
    if (this.#over) return this.#kept;
    const tail = text.slice(this.#start, i);
    return this.#parts.length === 0 ? tail : this.#parts.join("") + tail;
  }

  #emit(text: string, i: number, out: CsvParsed[]): void {
    const raw = this.#text(text, i);
    out.push({ kind: "record", line: this.#recordLine, cells: this.#cells, raw });
    this.#reset();
  }

  #skipped(raw: string, out: CsvParsed[]): void {
    const error = this.#error ?? { code: "CSV_PARSE", message: "cannot be read" };
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    out.push({ kind: "skip", line: this.#recordLine, raw: line, error });
    this.#reset();
  }

  #reset(): void {
    this.#mode = BETWEEN;
    if (this.#parts.length > 0) this.#parts = [];
    this.#partsLength = 0;
    this.#firstEnd = -1;
    this.#secondAt = -1;
    this.#cells = [];
    this.#error = undefined;
    this.#over = false;
    this.#kept = "";
    this.#unclosed.recordEnds();
  }

  /** A bad quote at `i`: on the record's first line, the record ends with that line; else, cut. */
  #bad(text: string, i: number, code: string, message: string, out: CsvParsed[]) {
    if (this.#firstEnd === -1) {
      this.#mode = SKIP;
      this.#error = { code, message };
      return undefined;
    }
    const why = `is followed by a bad quote on line ${this.#line}`;
    return this.#cut(text, i, why, out);
  }

  /**
   * An unclosed quote: the record's first line (its text is `text` up to `i`, with the parts from
   * earlier chunks) is a skipped record. Returns where to read on, from the line after it: in
   * `text` itself when that line starts in it, else in a new text (once per chunk at most).
   */
  #cut(text: string, i: number, why: string, out: CsvParsed[]): Resume {
    const line = this.#recordLine;
    const firstEnd = this.#firstEnd === -1 ? this.#base + i : this.#firstEnd;
    const first =
      this.#parts.length === 0
        ? text.slice(this.#start, firstEnd - this.#base)
        : this.#text(text, i).slice(0, firstEnd - this.#startAt);
    let resume: Resume = { text, at: i };
    if (this.#firstEnd !== -1 && this.#secondAt >= this.#base) {
      resume = { text, at: this.#secondAt - this.#base };
    } else if (this.#firstEnd !== -1) {
      const rest = this.#text(text, i).slice(this.#secondAt - this.#startAt);
      resume = { text: rest + text.slice(i), at: 0 };
      this.#base = this.#secondAt;
    }
    this.#line = line + 1;
    this.#error = {
      code: "CSV_QUOTE_NOT_CLOSED",
      message: `a quote opened on line ${line} ${why}`,
    };
    this.#unclosed.cut(why);
    this.#skipped(first, out);
    return resume;
  }

  /** Holds what is left of `text` from `i` until the next chunk. */
  #pause(text: string, i: number, seg: number): undefined {
    if (this.#mode === PLAIN || this.#mode === QUOTED) this.#add(text.slice(seg, i));
    if (this.#mode !== BETWEEN && !this.#over) {
      this.#parts.push(text.slice(this.#start, i));
      this.#partsLength += i - this.#start;
      this.#start = 0;
    }
    this.#carry = text.slice(i);
    this.#base += i;
    return undefined;
  }

  /**
   * Before `text` (what was held back, and the next chunk) is read: a record held past the bound
   * is cut (a quote open over lines: returns where to read on) or skipped to its end.
   */
  #bound(text: string, out: CsvParsed[]): Resume | undefined {
    if (this.#mode === BETWEEN || this.#over || this.#partsLength <= this.maxRecordSize) {
      return undefined;
    }
    if (this.#mode === QUOTED && this.#firstEnd !== -1) {
      return this.#cut(text, 0, `stays open past ${this.maxRecordSize} characters`, out);
    }
    // Its first line (or what of it is read), cut to KEPT characters; nothing more is held.
    const held = this.#parts.join("");
    const first = this.#firstEnd === -1 ? held : held.slice(0, this.#firstEnd - this.#startAt);
    const limit = `${this.maxRecordSize} characters`;
    const kept = Math.min(KEPT, this.maxRecordSize);
    const why = this.#error?.message ?? tooLongMessage(limit, held, this.rules.quote);
    const message = `${why} (a record longer than ${limit}: only its first ${kept} are kept here)`;
    this.#error = { code: this.#error?.code ?? "CSV_TOO_LONG", message };
    this.#kept = first.slice(0, kept);
    this.#over = true;
    this.#mode = SKIP;
    this.#parts = [];
    this.#partsLength = 0;
    this.#pieces = [];
    this.#value = "";
    this.#cells = [];
    return undefined;
  }

  /** The end of the input: the last record. Returns text to read again (after an open quote). */
  #end(text: string, seg: number, out: CsvParsed[]): Resume | undefined {
    const len = text.length;
    switch (this.#mode) {
      case BETWEEN:
        return undefined;
      case QUOTED:
        return this.#cut(text, len, "is not closed by the end of the input", out);
      case SKIP:
        this.#skipped(this.#text(text, len), out);
        return undefined;
      default:
        this.#cells.push(this.#mode === CELL ? "" : this.#cell(text, seg, len));
        this.#emit(text, len, out);
        return undefined;
    }
  }

  /** Whether the delimiter is at `i` (undefined: the text ends before it can tell). */
  #delimiterAt(text: string, i: number, final: boolean): boolean | undefined {
    const { delimiter } = this;
    if (delimiter.length === 1 || text.startsWith(delimiter, i)) return true;
    const partial = text.length - i < delimiter.length && delimiter.startsWith(text.slice(i));
    return partial && !final ? undefined : false;
  }

  /** Whether a quoted cell can end before `at`: the delimiter, a line end or the input's end. */
  #endsCell(text: string, at: number, final: boolean): boolean | undefined {
    if (at >= text.length) return final ? true : undefined;
    const c = text.charCodeAt(at);
    if (c === LF) return true;
    if (c === CR) {
      if (this.rules.strict) return true;
      if (at + 1 >= text.length) return final ? false : undefined;
      return text.charCodeAt(at + 1) === LF;
    }
    return c === this.#delimiter ? this.#delimiterAt(text, at, final) : false;
  }
}

/**
 * PostgreSQL's `\.` alone on a line at `i`: how many characters the line takes with its line
 * break, 0 when it is not the marker, undefined when the text ends before it can tell.
 */
function endMarker(text: string, i: number, final: boolean): number | undefined {
  const more = final ? 0 : undefined;
  if (i + 1 >= text.length) return more;
  if (text.charCodeAt(i + 1) !== 0x2e) return 0;
  if (i + 2 >= text.length) return final ? 2 : undefined;
  const c = text.charCodeAt(i + 2);
  if (c === LF) return 3;
  if (c !== CR) return 0;
  if (i + 3 >= text.length) return more;
  return text.charCodeAt(i + 3) === LF ? 4 : 0;
}

/** Every record `text` completes (`final`: and the rest of the input's), in bounded batches. */
export function* drain(
  tokenizer: CsvTokenizer,
  text: string,
  final: boolean,
): Generator<CsvParsed> {
  for (let out = tokenizer.feed(text, final); out.length > 0; out = tokenizer.feed("", final)) {
    yield* out;
  }
}
