import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { InputError, rowFailure } from "../errors.js";
import { type CsvParsed, LineTaggingParser, MAX_RECORD_SIZE, trimRecord } from "./csv-parser.js";
import { type Dialect, dialectRules, readsEscapes } from "./dialect.js";
import { DialectTokenizer, readDialect } from "./dialect-reader.js";
import { type BadLine, DEFAULT_MAX_CELL_LINES, QuoteGuard } from "./quote-guard.js";
import type { SourceItem } from "./types.js";

export interface CsvOptions {
  /** Default `,` (tab for tsv). */
  readonly delimiter: string;
  readonly format: "csv" | "tsv";
  /** false: the file has no header row (then `columns` names its columns). Default true. */
  readonly header?: boolean;
  /** The column names in order; with a header row, they replace it. */
  readonly columns?: readonly string[];
  readonly dialect?: Dialect;
  readonly maxRecordSize?: number;
  /** A quoted cell open for more lines than this is cut back to its first line (quote-guard.ts). */
  readonly maxCellLines?: number;
}

/**
 * CSV/TSV text (as decoded: line breaks as the file wrote them) → a header, then one item per
 * record. A record with the wrong number of cells, or that cannot be read (bad quoting), becomes an
 * `invalid` item and the reading goes on at the next line; a bad header ends the run, and so does a
 * record longer than `maxRecordSize` (see csv-parser.ts), so that memory stays bounded.
 *
 * Plain CSV (and PostgreSQL's CSV) is read by csv-parse; database dumps with backslash escapes
 * (dialect.ts) by the dialect reader. Names in the header may repeat or be empty: only a column the
 * mapping reads must be unique (mapping/columns.ts).
 */
export async function* readCsv(
  texts: AsyncIterable<string>,
  file: string,
  options: CsvOptions,
): AsyncGenerator<SourceItem> {
  const { delimiter, header: hasHeader = true, columns } = options;
  checkDelimiter(delimiter, file);
  let header: Header | undefined = columns === undefined ? undefined : headerOf(columns);
  let headerRow = hasHeader;
  if (header !== undefined) yield { kind: "header", columns: header.columns };
  const { parsed: all, guard } = records(texts, file, options);
  for await (const next of all) {
    for (const parsed of withBadLines(guard, next)) {
      if (headerRow) {
        headerRow = false;
        if (header !== undefined) continue; // replaced by source.columns
        header = readHeader(parsed, file);
        yield { kind: "header", columns: header.columns };
      } else if (header !== undefined) {
        yield toItem(parsed, header);
      }
    }
  }
  if (guard !== undefined && guard.bad.length > 0 && header !== undefined) {
    for (const parsed of withBadLines(guard, undefined)) yield toItem(parsed, header);
  }
  if (header === undefined)
    throw new InputError(file, "the input is empty: there is no header row");
}

function records(
  texts: AsyncIterable<string>,
  file: string,
  options: CsvOptions,
): { parsed: AsyncIterable<CsvParsed>; guard?: QuoteGuard } {
  const maxRecordSize = options.maxRecordSize ?? MAX_RECORD_SIZE;
  if (options.dialect !== undefined && readsEscapes(options.dialect, options.format)) {
    const rules = dialectRules(options.dialect, options.format);
    const maxCellLines = options.maxCellLines ?? DEFAULT_MAX_CELL_LINES;
    const tokenizer = new DialectTokenizer(
      rules,
      options.delimiter,
      file,
      maxRecordSize,
      maxCellLines,
    );
    return { parsed: readDialect(texts, tokenizer) };
  }
  const guard = new QuoteGuard(
    options.delimiter,
    options.maxCellLines ?? DEFAULT_MAX_CELL_LINES,
    maxRecordSize,
  );
  const parser = new LineTaggingParser(options.delimiter, file, maxRecordSize);
  // Errors of the text stream (a decoding error) destroy the parser, so they reach the reader.
  pipeline(Readable.from(guarded(texts, guard)), parser).catch(() => {});
  return { parsed: parser as AsyncIterable<CsvParsed>, guard };
}

async function* guarded(texts: AsyncIterable<string>, guard: QuoteGuard): AsyncGenerator<string> {
  for await (const text of texts) {
    const out = guard.feed(text);
    if (out !== "") yield out;
  }
  const rest = guard.end();
  if (rest !== "") yield rest;
}

/**
 * The lines the guard cut off (an unclosed quote) that come before `next`, as skipped records,
 * then `next`; with no `next`, all that are left.
 */
function* withBadLines(guard: QuoteGuard | undefined, next: CsvParsed | undefined) {
  while (guard !== undefined && guard.bad.length > 0) {
    const bad = guard.bad[0] as BadLine;
    if (next !== undefined && bad.line >= next.line) break;
    guard.bad.shift();
    const error = { code: "CSV_QUOTE_NOT_CLOSED", message: bad.message };
    yield { kind: "skip", line: bad.line, raw: bad.raw, error } satisfies CsvParsed;
  }
  if (next !== undefined) yield next;
}

interface Header {
  readonly columns: readonly string[];
  /** Builds a row object from cells (one per column). */
  readonly toCells: (cells: readonly string[]) => Record<string, string>;
}

function toItem(parsed: CsvParsed, header: Header): SourceItem {
  const { line } = parsed;
  if (parsed.kind === "skip") {
    const failure = rowFailure("input", "CSV_PARSE", parsed.error.message);
    return { kind: "invalid", line, raw: parsed.raw, failure };
  }
  const expected = header.columns.length;
  if (parsed.cells.length !== expected) {
    const message = `expected ${expected} cells, found ${parsed.cells.length}`;
    const failure = rowFailure("input", "CSV_COLUMN_COUNT", message);
    return { kind: "invalid", line, raw: trimRecord(parsed.raw), failure };
  }
  return { kind: "row", line, cells: header.toCells(parsed.cells) };
}

/**
 * Column names are kept exactly as written (the BOM is gone already). They may repeat or be empty
 * (spreadsheets write `비고,비고` and trailing commas): the mapping check refuses only a repeated
 * name that it reads.
 */
function readHeader(parsed: CsvParsed, file: string): Header {
  if (parsed.kind === "skip") {
    throw new InputError(file, `cannot read the header row: ${parsed.error.message}`, parsed.line);
  }
  return headerOf(parsed.cells);
}

function headerOf(columns: readonly string[]): Header {
  return {
    columns,
    toCells: columns.includes("__proto__") ? definingCells(columns) : assigningCells(columns),
  };
}

function assigningCells(columns: readonly string[]) {
  return (cells: readonly string[]): Record<string, string> => {
    const row: Record<string, string> = {};
    for (let i = 0; i < columns.length; i++) row[columns[i] as string] = cells[i] as string;
    return row;
  };
}

/** For a column named `__proto__`, which plain assignment would not create. */
function definingCells(columns: readonly string[]) {
  return (cells: readonly string[]): Record<string, string> => {
    const row: Record<string, string> = {};
    for (const [i, name] of columns.entries()) {
      Object.defineProperty(row, name, {
        value: cells[i],
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return row;
  };
}

function checkDelimiter(delimiter: string, file: string): void {
  if (delimiter === "" || /["\r\n]/.test(delimiter)) {
    throw new InputError(file, `cannot use ${JSON.stringify(delimiter)} as the CSV delimiter`);
  }
}
