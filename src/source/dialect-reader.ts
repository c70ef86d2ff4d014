import { InputError } from "../errors.js";
import { type CsvParsed, tooLongMessage } from "./csv-parser.js";
import type { DialectRules } from "./dialect.js";
import { DEFAULT_MAX_CELL_LINES } from "./quote-guard.js";

const LF = 0x0a;
const CR = 0x0d;
const BACKSLASH = 0x5c;

/** What reading one record from a position found. */
type Step =
  | { readonly kind: "record"; readonly parsed: CsvParsed | undefined; readonly next: number }
  | { readonly kind: "more" }
  | { readonly kind: "end" };

/**
 * A tokenizer for database dumps (see dialect.ts): records end at `\n` or `\r\n` outside quotes;
 * a backslash escapes the next character, so an escaped delimiter or line break is cell text; `\N`
 * alone in a cell is NULL (an empty cell). Pure: text goes in by `feed`, records come out, in order,
 * with the line each starts on and its raw text for dead letters.
 *
 * A record whose quote is still open at the end of the input is a skipped record (raw kept); a
 * record longer than `maxRecordSize` characters ends the run with an InputError naming its line.
 */
export class DialectTokenizer {
  #rest = "";
  #line = 1; // the line the text in #rest starts on
  #ended = false; // PostgreSQL's end marker was read
  readonly #delimiter: number;

  constructor(
    private readonly rules: DialectRules,
    delimiter: string,
    private readonly file: string,
    private readonly maxRecordSize: number,
    private readonly maxCellLines: number = DEFAULT_MAX_CELL_LINES,
  ) {
    if (delimiter.length !== 1 || delimiter === "\\") {
      throw new InputError(
        file,
        `source.dialect reads a one-character delimiter other than \\, not ${JSON.stringify(delimiter)}`,
      );
    }
    this.#delimiter = delimiter.charCodeAt(0);
  }

  /** The records that `text` completes; `final` when it is the end of the input. */
  feed(text: string, final = false): CsvParsed[] {
    const out: CsvParsed[] = [];
    if (this.#ended) return out;
    const buf = this.#rest === "" ? text : this.#rest + text;
    let pos = 0;
    while (pos < buf.length) {
      const step = this.#record(buf, pos, final);
      if (step.kind === "more") break;
      if (step.kind === "end") {
        this.#ended = true;
        pos = buf.length;
        break;
      }
      if (step.parsed !== undefined) out.push(step.parsed);
      this.#line += countLf(buf, pos, step.next);
      pos = step.next;
    }
    this.#rest = pos === 0 ? buf : buf.slice(pos);
    if (!final && this.#rest.length > this.maxRecordSize) {
      const lf = this.#rest.indexOf("\n");
      if (lf !== -1) {
        // A record past the bound over several lines: a quote left open. Only its line is lost.
        const step = this.#unclosed(
          this.#rest,
          0,
          `stays open past ${this.maxRecordSize} characters`,
        );
        if (step.kind === "record" && step.parsed !== undefined) out.push(step.parsed);
        this.#rest = this.#rest.slice(lf + 1);
        this.#line++;
        out.push(...this.feed(""));
        return out;
      }
      throw new InputError(
        this.file,
        tooLongMessage(`${this.maxRecordSize} characters`, this.#rest, this.rules.quote),
        this.#line,
      );
    }
    return out;
  }

  /** One record from `start`: the record (undefined for an empty line), or "more" to wait. */
  #record(buf: string, start: number, final: boolean): Step {
    const { quote, decodeEscape } = this.rules;
    const quoteCode = quote === null ? -1 : quote.charCodeAt(0);
    const len = buf.length;
    const cells: string[] = [];
    let i = start;
    if (buf.charCodeAt(i) === LF) return { kind: "record", parsed: undefined, next: i + 1 };
    if (buf.charCodeAt(i) === CR && buf.charCodeAt(i + 1) === LF) {
      return { kind: "record", parsed: undefined, next: i + 2 };
    }
    if (this.rules.endMarker && buf.startsWith("\\.", i)) {
      const after = buf.charCodeAt(i + 2);
      if (i + 2 >= len && !final) return { kind: "more" };
      if (i + 2 >= len || after === LF || (after === CR && buf.charCodeAt(i + 3) === LF)) {
        return { kind: "end" };
      }
    }
    for (;;) {
      // One cell from i.
      const enclosed = buf.charCodeAt(i) === quoteCode;
      if (enclosed) i++;
      const cellStart = i;
      let value = "";
      let seg = i;
      let quoted = enclosed;
      let cellLines = 1; // lines the quoted cell spans so far
      let isNull = false;
      for (;;) {
        if (i >= len) {
          if (!final) return { kind: "more" };
          if (quoted) return this.#unclosed(buf, start, "is not closed by the end of the input");
          cells.push(isNull ? "" : value + buf.slice(seg, i));
          return this.#done(buf, start, len, len, cells);
        }
        const c = buf.charCodeAt(i);
        if (c === BACKSLASH) {
          if (i + 1 >= len && !final) return { kind: "more" };
          if (i + 1 >= len) {
            i++; // a backslash ending the input stands for itself
            continue;
          }
          if (i + 2 >= len && !final && buf.charCodeAt(i + 1) === CR) return { kind: "more" };
          const decoded = decodeEscape(buf, i + 1, final);
          if (decoded === undefined) return { kind: "more" };
          value += buf.slice(seg, i);
          if (buf.charCodeAt(i + 1) === 0x4e && i === cellStart) {
            if (i + 3 >= len && !final) return { kind: "more" };
            isNull = this.#endsCell(buf, i + 2); // `\N` alone
          }
          value += decoded.text;
          i += 1 + decoded.length;
          seg = i;
          continue;
        }
        if (quoted) {
          if (c === quoteCode) {
            if (i + 1 >= len && !final) return { kind: "more" };
            if (buf.charCodeAt(i + 1) === quoteCode) {
              value += buf.slice(seg, i + 1); // "" inside quotes: one quote
              i += 2;
              seg = i;
              continue;
            }
            if (i + 2 >= len && !final && buf.charCodeAt(i + 1) === CR) return { kind: "more" };
            if (this.#endsCell(buf, i + 1)) {
              value += buf.slice(seg, i);
              quoted = false;
              i++;
              seg = i;
              continue;
            }
          }
          if (c === LF && ++cellLines > this.maxCellLines) {
            return this.#unclosed(
              buf,
              start,
              `stays open for more than ${this.maxCellLines} lines (--max-cell-lines)`,
            );
          }
          i++; // MySQL: a quote not followed by a delimiter or line end is text
          continue;
        }
        if (c === this.#delimiter) {
          cells.push(isNull ? "" : value + buf.slice(seg, i));
          i++;
          break;
        }
        if (c === LF) {
          cells.push(isNull ? "" : value + buf.slice(seg, i));
          return this.#done(buf, start, i, i + 1, cells);
        }
        if (c === CR) {
          if (i + 1 >= len && !final) return { kind: "more" };
          if (buf.charCodeAt(i + 1) === LF) {
            cells.push(isNull ? "" : value + buf.slice(seg, i));
            return this.#done(buf, start, i, i + 2, cells);
          }
        }
        i++;
      }
    }
  }

  #done(buf: string, start: number, end: number, next: number, cells: string[]): Step {
    const raw = buf.slice(start, end);
    return { kind: "record", parsed: { kind: "record", line: this.#line, cells, raw }, next };
  }

  /** The line that opened a quote never closed: a skipped record; reading goes on after it. */
  #unclosed(buf: string, start: number, why: string): Step {
    const lf = buf.indexOf("\n", start);
    const end = lf === -1 ? buf.length : lf;
    const raw = buf.slice(start, buf.charCodeAt(end - 1) === CR ? end - 1 : end);
    const error = {
      code: "CSV_QUOTE_NOT_CLOSED",
      message: `a quote opened on line ${this.#line} ${why}`,
    };
    return {
      kind: "record",
      parsed: { kind: "skip", line: this.#line, raw, error },
      next: lf === -1 ? buf.length : lf + 1,
    };
  }

  /** Whether a cell can end at `at`: the delimiter, a line end, or the end of the input. */
  #endsCell(buf: string, at: number): boolean {
    if (at >= buf.length) return true;
    const c = buf.charCodeAt(at);
    return c === this.#delimiter || c === LF || (c === CR && buf.charCodeAt(at + 1) === LF);
  }
}

function countLf(text: string, from: number, to: number): number {
  let count = 0;
  for (let i = text.indexOf("\n", from); i !== -1 && i < to; i = text.indexOf("\n", i + 1)) count++;
  return count;
}

/** Database-dump text → records, as the CSV reader's parser gives them. */
export async function* readDialect(
  texts: AsyncIterable<string>,
  tokenizer: DialectTokenizer,
): AsyncGenerator<CsvParsed> {
  for await (const text of texts) yield* tokenizer.feed(text);
  yield* tokenizer.feed("", true);
}
