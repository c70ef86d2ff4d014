import { type CsvError, Parser } from "csv-parse";

/** A record as csv-parse read it, with the 1-based line it starts on. */
export interface CsvRecord {
  readonly kind: "record";
  readonly line: number;
  readonly cells: readonly string[];
  /** The record's text, after any blank lines before it and up to its closing `\n`. */
  readonly raw: string;
}

/** A record csv-parse had to skip (bad quoting); `raw` is what it had read of it. */
export interface CsvSkip {
  readonly kind: "skip";
  readonly line: number;
  readonly raw: string;
  readonly error: CsvError;
}

export type CsvParsed = CsvRecord | CsvSkip;

/**
 * A csv-parse stream that yields CsvParsed items in file order. It reads `\n`-only text (see
 * newlines.ts), where csv-parse's line counter is exact.
 *
 * csv-parse tells a record's line only through `info: true`, which copies its whole info object for
 * every record (about +60% time on a million rows). Its counters are up to date whenever it pushes
 * a record, so the line is read there instead: `info.lines` is the line the record ends on; minus
 * the newlines inside its quoted cells, that is the line it starts on, blank lines before it or not.
 */
export class LineTaggingParser extends Parser {
  /** A skipped record, held until its end so that `raw` holds all that was read of it. */
  #skipped: { readonly item: CsvSkip; readonly rawSoFar: string } | undefined;

  constructor(delimiter: string) {
    super({
      delimiter,
      record_delimiter: "\n",
      bom: true,
      raw: true,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
    });
    // Without an on_skip option, the stream emits "skip", synchronously and in record order.
    this.on("skip", (error: CsvError, raw: string | undefined) => this.#skip(error, raw ?? ""));
  }

  /** csv-parse pushes `{ record, raw }` for each record (`raw: true`), then null at the end. */
  override push(chunk: unknown, encoding?: BufferEncoding): boolean {
    this.#pushSkipped();
    if (chunk === null) return super.push(chunk, encoding);
    const { record, raw } = chunk as { record: string[]; raw: string };
    const line = this.info.lines - newlinesInCells(record);
    const parsed: CsvRecord = { kind: "record", line, cells: record, raw };
    return super.push(parsed);
  }

  #skip(error: CsvError, raw: string): void {
    // csv-parse reports every bad quote of a record; the text it has read only grows within one.
    const held = this.#skipped;
    if (held !== undefined && raw.length > held.rawSoFar.length && raw.startsWith(held.rawSoFar)) {
      this.#skipped = { item: { ...held.item, raw: trimRecord(raw) }, rawSoFar: raw };
      return;
    }
    this.#pushSkipped();
    const text = trimRecord(raw);
    // `info.lines` is now the line of the bad quote (or of the input's end, for an open quote).
    const line = this.info.lines - countNewlines(text);
    this.#skipped = { item: { kind: "skip", line, raw: text, error }, rawSoFar: raw };
  }

  #pushSkipped(): void {
    if (this.#skipped === undefined) return;
    super.push(this.#skipped.item);
    this.#skipped = undefined;
  }
}

/** The text of one record out of csv-parse's `raw`: without blank lines before it or its `\n`. */
export function trimRecord(raw: string): string {
  let start = 0;
  while (raw.charCodeAt(start) === NEWLINE) start++;
  const end = raw.endsWith("\n") ? raw.length - 1 : raw.length;
  return start === 0 && end === raw.length ? raw : raw.slice(start, Math.max(start, end));
}

const NEWLINE = 0x0a;

function newlinesInCells(cells: readonly string[]): number {
  let count = 0;
  for (const cell of cells) if (cell.includes("\n")) count += countNewlines(cell);
  return count;
}

function countNewlines(text: string): number {
  let count = 0;
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) count++;
  return count;
}
