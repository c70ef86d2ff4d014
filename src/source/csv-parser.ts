import { type CsvError, Parser } from "csv-parse";
import { InputError } from "../errors.js";

/** A record as csv-parse read it, with the 1-based line it starts on. */
export interface CsvRecord {
  readonly kind: "record";
  readonly line: number;
  readonly cells: readonly string[];
  /** The record's text, after any blank lines before it and up to its closing `\n`. */
  readonly raw: string;
}

/** A record csv-parse had to skip (bad quoting); `raw` is its text to the end of the bad line. */
export interface CsvSkip {
  readonly kind: "skip";
  readonly line: number;
  readonly raw: string;
  /** csv-parse's CsvError, or the dialect reader's own (same code and message shape). */
  readonly error: { readonly code: string; readonly message: string };
}

export type CsvParsed = CsvRecord | CsvSkip;

/**
 * Why a record grew past the bound: an open quote when it holds one; else no line break was
 * found (a wrong format, delimiter or encoding, or a file of bare carriage returns).
 */
export function tooLongMessage(limit: string, text: string, quote: string | null): string {
  const why =
    quote !== null && text.includes(quote)
      ? "a quote is probably unbalanced on this line"
      : "it holds no line break where one was expected: check the format, delimiter and encoding";
  return `a record starting here is longer than ${limit}; ${why}`;
}

/** The longest record read (in bytes); past it, a quote is almost surely unbalanced. */
export const MAX_RECORD_SIZE = 8 * 1024 * 1024;

/** The parts of csv-parse's internal state this parser steers (csv-parse is pinned: 7.0.3). */
interface ParserApi {
  readonly options: { quote: Buffer };
  readonly state: {
    quoting: boolean;
    recordHasError: boolean;
    rawBuffer: { toString(encoding: "utf8"): string };
  };
  __onRecord: (this: ParserApi, push: unknown) => unknown;
}

/**
 * Stands in for the quote while it is ignored: UTF-8 (what csv-parse reads) has no byte 0xFF. It
 * has the quote's length, as csv-parse keeps a copy of the quote for the whole of a chunk.
 */
const NO_QUOTE: Buffer = Buffer.from([0xff]);

/** Bad quoting: after it, the rest of the record's physical line is discarded with it. */
const QUOTE_ERRORS: ReadonlySet<string> = new Set([
  "CSV_INVALID_CLOSING_QUOTE",
  "INVALID_OPENING_QUOTE",
]);

/**
 * A csv-parse stream that yields CsvParsed items in file order. It reads `\n`-only text (see
 * newlines.ts), where csv-parse's line counter is exact.
 *
 * csv-parse tells a record's line only through `info: true`, which copies its whole info object for
 * every record (about +60% time on a million rows). Its counters are up to date whenever it pushes
 * a record, so the line is read there instead: `info.lines` is the line the record ends on; minus
 * the newlines inside its quoted cells, that is the line it starts on, blank lines before it or not.
 *
 * A bad quote makes its record a skipped one that ends at the end of the physical line the quote
 * is on: csv-parse on its own would stay inside the quoted cell until the next quote or the end of
 * the input, swallowing every record in between. Quotes are ignored until that line ends, so that
 * reading starts afresh on the next line. A record longer than `maxRecordSize` (an opening quote
 * that is never closed) ends the run with an InputError naming the line where it began.
 */
export class LineTaggingParser extends Parser {
  /** A skipped record, held until its end so that `raw` holds all of it. */
  #skipped: CsvSkip | undefined;
  /** The quote, while it is ignored to the end of a bad record's line. */
  #quote: Buffer | undefined;
  /** CRLFs inside quoted cells so far: csv-parse counts each as two lines. */
  #excess = 0;

  constructor(
    delimiter: string,
    private readonly file: string,
    maxRecordSize: number = MAX_RECORD_SIZE,
  ) {
    super({
      delimiter,
      record_delimiter: ["\r\n", "\n", "\r"],
      bom: true,
      raw: true,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      max_record_size: maxRecordSize,
    });
    // Without an on_skip option, the stream emits "skip", synchronously and in record order.
    // A throw from the listener makes csv-parse fail the stream with it.
    this.on("skip", (error: CsvError, raw: string | undefined) => this.#skip(error, raw ?? ""));
    const api = (this as unknown as { api: ParserApi }).api;
    const onRecord = api.__onRecord;
    const parser = this;
    api.__onRecord = function (push) {
      parser.#recordEnds(this);
      return onRecord.call(this, push);
    };
  }

  /** csv-parse pushes `{ record, raw }` for each record (`raw: true`), then null at the end. */
  override push(chunk: unknown, encoding?: BufferEncoding): boolean {
    this.#pushSkipped();
    if (chunk === null) return super.push(chunk, encoding);
    const { record, raw } = chunk as { record: string[]; raw: string };
    let breaks = 0;
    let pairs = 0;
    for (const cell of record) {
      if (cell.includes("\n") || cell.includes("\r")) {
        breaks += parserBreaks(cell);
        pairs += crlfPairs(cell);
      }
    }
    const line = this.info.lines - breaks - this.#excess;
    this.#excess += pairs;
    const parsed: CsvRecord = { kind: "record", line, cells: record, raw };
    return super.push(parsed);
  }

  #skip(error: CsvError, raw: string): void {
    const text = trimRecord(raw);
    // `info.lines` is now the line of the error (or of the input's end, for an open quote).
    // csv-parse counts a line break once the character after it is read: not a final one.
    const lead = raw.slice(leadingBreaks(raw));
    const final = isBreak(lead.charCodeAt(lead.length - 1)) ? 1 : 0;
    const line = this.info.lines - parserBreaks(lead) + final - this.#excess;
    if (error.code === "CSV_MAX_RECORD_SIZE") {
      throw new InputError(
        this.file,
        tooLongMessage(
          `${this.options.max_record_size} bytes`,
          raw,
          (this.#quote ?? this.options.quote)?.toString() ?? null,
        ),
        line,
        { cause: error },
      );
    }
    this.#pushSkipped();
    this.#skipped = { kind: "skip", line, raw: text, error };
    if (QUOTE_ERRORS.has(error.code) && this.#quote === undefined) {
      const api = (this as unknown as { api: ParserApi }).api;
      this.#quote = api.options.quote;
      api.options.quote = NO_QUOTE;
      api.state.quoting = false;
    }
  }

  /** A record ends at a line break outside quotes (or at the input's end). */
  #recordEnds(api: ParserApi): void {
    if (this.#quote !== undefined) {
      api.options.quote = this.#quote;
      this.#quote = undefined;
    }
    if (this.#skipped !== undefined && api.state.recordHasError) {
      this.#skipped = { ...this.#skipped, raw: trimRecord(api.state.rawBuffer.toString("utf8")) };
    }
  }

  #pushSkipped(): void {
    if (this.#skipped === undefined) return;
    this.#excess += crlfPairs(this.#skipped.raw);
    super.push(this.#skipped);
    this.#skipped = undefined;
  }
}

/**
 * The text of one record out of csv-parse's `raw`: without the blank lines before it or its line
 * break. csv-parse keeps the first character of a two-character record delimiter (the `\r` of
 * `\r\n`) and every character inside quotes, so quoted cells keep their line breaks as written.
 */
export function trimRecord(raw: string): string {
  const start = leadingBreaks(raw);
  const end = raw.endsWith("\r\n")
    ? raw.length - 2
    : isBreak(raw.charCodeAt(raw.length - 1))
      ? raw.length - 1
      : raw.length;
  return start === 0 && end === raw.length ? raw : raw.slice(start, Math.max(start, end));
}

function leadingBreaks(raw: string): number {
  let start = 0;
  while (isBreak(raw.charCodeAt(start))) start++;
  return start;
}

const LF = 0x0a;
const CR = 0x0d;

function isBreak(code: number): boolean {
  return code === LF || code === CR;
}

/** Line breaks as csv-parse's line counter sees them: every CR and every LF. */
function parserBreaks(text: string): number {
  return count(text, "\n") + count(text, "\r");
}

function crlfPairs(text: string): number {
  return text.includes("\r\n") ? count(text, "\r\n") : 0;
}

function count(text: string, what: string): number {
  let n = 0;
  for (let i = text.indexOf(what); i !== -1; i = text.indexOf(what, i + what.length)) n++;
  return n;
}
