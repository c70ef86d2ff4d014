import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { InputError, rowFailure } from "../errors.js";
import { type CsvParsed, LineTaggingParser, MAX_RECORD_SIZE, trimRecord } from "./csv-parser.js";
import type { SourceItem } from "./types.js";

/**
 * CSV/TSV text (`\n` line breaks, see newlines.ts) → a header, then one item per record.
 * A record with the wrong number of cells, or that csv-parse cannot read (bad quoting), becomes an
 * `invalid` item and the reading goes on at the next line; a bad header ends the run, and so does a
 * record longer than `maxRecordSize` (see csv-parser.ts), so that memory stays bounded.
 */
export async function* readCsv(
  texts: AsyncIterable<string>,
  file: string,
  delimiter: string,
  maxRecordSize: number = MAX_RECORD_SIZE,
): AsyncGenerator<SourceItem> {
  checkDelimiter(delimiter, file);
  const parser = new LineTaggingParser(delimiter, file, maxRecordSize);
  // Errors of the text stream (a decoding error) destroy the parser, so they reach the loop below.
  pipeline(Readable.from(texts), parser).catch(() => {});
  let header: Header | undefined;
  for await (const parsed of parser as AsyncIterable<CsvParsed>) {
    if (header === undefined) {
      header = readHeader(parsed, file);
      yield { kind: "header", columns: header.columns };
    } else {
      yield toItem(parsed, header);
    }
  }
  if (header === undefined)
    throw new InputError(file, "the input is empty: there is no header row");
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

/** Column names are kept exactly as written (the BOM is gone already); they must be unique. */
function readHeader(parsed: CsvParsed, file: string): Header {
  if (parsed.kind === "skip") {
    throw new InputError(file, `cannot read the header row: ${parsed.error.message}`, parsed.line);
  }
  const columns = parsed.cells;
  const seen = new Set<string>();
  for (const [i, name] of columns.entries()) {
    if (name.trim() === "") {
      throw new InputError(
        file,
        `the header has an empty column name (column ${i + 1})`,
        parsed.line,
      );
    }
    if (seen.has(name)) {
      throw new InputError(file, `the header names column "${name}" twice`, parsed.line);
    }
    seen.add(name);
  }
  return {
    columns,
    toCells: seen.has("__proto__") ? definingCells(columns) : assigningCells(columns),
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
