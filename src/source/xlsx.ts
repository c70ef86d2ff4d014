/**
 * An Excel workbook (.xlsx) as source items: one sheet (the first visible one, or the one asked
 * for by name or number), its first row with a value the header, then one row item per sheet row
 * with a value, numbered as Excel numbers it (`row 12` in Excel is line 12), in batches (the rows
 * of each piece of the sheet read). Cells come as Excel holds them (xlsx-sheet.ts), so the
 * mapping converts a number cell, a date cell and a text cell each by what it is, not by how it
 * was displayed.
 *
 * Read with yauzl (the zip's directory, then one part at a time, inflated as it streams) and a
 * small XML scanner (xml-scan.ts; saxes read the sheet 2-5 times slower). Not exceljs's streaming
 * WorkbookReader, which, measured on the same data, read 47,000 rows/s (0.12 of the
 * CSV reader) and keeps no text of a number (`parseFloat` of every value); a formula's cached
 * date comes out as its serial number, a boolean as 1, an error as NaN, and an inline string of
 * several runs as its last run. Memory is the shared strings (every distinct text of the workbook,
 * as Excel keeps them) and one chunk of the sheet, however many rows it has.
 */
import { open } from "node:fs/promises";
import { InputError, rowFailure } from "../errors.js";
import { type Header, headerOf } from "./columns.js";
import { readError } from "./open.js";
import type { SourceItem, SourceOptions } from "./types.js";
import {
  notWorkbookMessage,
  SNIFF_BYTES,
  sniffBinary,
  XLSX_NOT_FROM_STDIN,
} from "./workbook-sniff.js";
import { readWorkbookParts, type SheetEntry, type WorkbookParts } from "./xlsx-parts.js";
import { RowScanner } from "./xlsx-row-scan.js";
import { columnName, type SheetRow, SheetRows } from "./xlsx-sheet.js";
import { feedScanner } from "./xml.js";
import { ROW } from "./xml-bytes.js";
import { UnitScanner } from "./xml-units.js";
import { openZip, type Zip } from "./zip.js";

export interface XlsxOptions {
  /** A sheet's name, or its number in tab order (1 is the first); default the first visible. */
  readonly sheet?: string | number;
  /** false: the sheet has no header row (then `columns` names its columns from A). */
  readonly header?: boolean;
  readonly columns?: readonly string[];
  readonly signal?: AbortSignal;
}

/** The options of a workbook read from the source's. */
export function workbookOptions(options: SourceOptions): XlsxOptions {
  return {
    ...(options.sheet === undefined ? {} : { sheet: options.sheet }),
    ...(options.header === undefined ? {} : { header: options.header }),
    ...(options.columns === undefined ? {} : { columns: options.columns }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  };
}

export async function* readXlsx(
  path: string,
  file: string,
  options: XlsxOptions = {},
): AsyncGenerator<readonly SourceItem[]> {
  if (path === "-") {
    throw new InputError(file, `is read as a workbook (--format xlsx), but ${XLSX_NOT_FROM_STDIN}`);
  }
  const zip = await openWorkbook(path, file);
  try {
    yield* readSheet(zip, file, options);
  } catch (error) {
    if (error instanceof InputError) throw error;
    const why = error instanceof Error ? error.message : String(error);
    throw new InputError(file, `cannot be read as a workbook: ${why}`, undefined, { cause: error });
  } finally {
    zip.close();
  }
}

async function* readSheet(
  zip: Zip,
  file: string,
  options: XlsxOptions,
): AsyncGenerator<readonly SourceItem[]> {
  const book = await readWorkbookParts(zip, file);
  try {
    yield* readRows(zip, book, file, options);
  } finally {
    book.strings.close(); // a table too big for memory holds a temporary file
  }
}

async function* readRows(
  zip: Zip,
  book: WorkbookParts,
  file: string,
  options: XlsxOptions,
): AsyncGenerator<readonly SourceItem[]> {
  const sheet = chooseSheet(book.sheets, options.sheet, file);
  const reader = new SheetRows(book, file);
  const scanner = new UnitScanner(ROW, new RowScanner(reader, book, file), reader);
  let header: Header<unknown> | undefined =
    options.columns === undefined ? undefined : headerOf(options.columns);
  let headerRow = options.header !== false;
  if (header !== undefined) yield [{ kind: "header", columns: header.columns }];
  for await (const _ of feedScanner(zip.bytes(sheet.part), scanner, file, sheet.part)) {
    if (options.signal?.aborted === true) return;
    const batch: SourceItem[] = []; // the rows of one piece of the sheet
    for (const row of reader.rows.splice(0)) {
      if (headerRow) {
        headerRow = false;
        if (header !== undefined) continue; // replaced by source.columns
        header = headerOf(headerNames(row));
        batch.push({ kind: "header", columns: header.columns });
      } else if (header !== undefined) {
        batch.push(toItem(row, header));
      }
    }
    if (batch.length > 0) yield batch;
  }
  if (header === undefined) {
    throw new InputError(file, `sheet "${sheet.name}" is empty: there is no header row`);
  }
}

/** The zip of a workbook; what the file is instead when it is not one. */
async function openWorkbook(path: string, file: string): Promise<Zip> {
  let head: Buffer;
  try {
    const handle = await open(path, "r");
    try {
      if ((await handle.stat()).isDirectory())
        throw new InputError(file, "is a directory, not a file");
      const { buffer, bytesRead } = await handle.read(Buffer.alloc(SNIFF_BYTES), 0, SNIFF_BYTES, 0);
      head = buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw readError(file, error);
  }
  const kind = sniffBinary(head, path);
  if (kind !== "xlsx" && kind !== "zip") throw new InputError(file, notWorkbookMessage(kind));
  try {
    return await openZip(path);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new InputError(file, `cannot be read as a workbook: a damaged zip (${why})`, undefined, {
      cause: error,
    });
  }
}

type ChosenSheet = SheetEntry & { readonly part: string };

function chooseSheet(
  sheets: readonly SheetEntry[],
  wanted: string | number | undefined,
  file: string,
): ChosenSheet {
  const withCells = (s: SheetEntry | undefined): s is ChosenSheet => s?.part !== undefined;
  if (wanted === undefined) {
    const first = sheets.find((s) => withCells(s) && !s.hidden) ?? sheets.find(withCells);
    if (first !== undefined && withCells(first)) return first;
    throw new InputError(file, "the workbook has no worksheet");
  }
  const names = sheets.map((s) => JSON.stringify(s.name)).join(", ");
  const text = String(wanted);
  const found =
    sheets.find((s) => s.name === text) ??
    sheets.find((s) => s.name.toLowerCase() === text.toLowerCase()) ??
    (/^[1-9]\d*$/.test(text) ? sheets[Number(text) - 1] : undefined);
  if (found === undefined) {
    throw new InputError(
      file,
      `has no sheet ${JSON.stringify(text)}; its sheets: ${names} (or a number from 1 to ${sheets.length})`,
    );
  }
  if (!withCells(found)) {
    throw new InputError(file, `sheet "${found.name}" is a chart, not a sheet of cells`);
  }
  return found;
}

/** The header row's cells as column names: up to its last cell with a value. */
function headerNames(row: SheetRow): string[] {
  const names: string[] = [];
  for (let i = 0; i < row.values.length; i++) {
    const value = row.values[i];
    names.push(value === undefined ? "" : String(value));
  }
  return names;
}

function toItem(row: SheetRow, header: Header<unknown>): SourceItem {
  const { values, number: line } = row;
  const width = header.columns.length;
  if (values.length > width) {
    const extra = values.length - 1;
    const where = `${columnName(extra)}${line}`;
    const message = `cell ${where} holds a value, but column ${columnName(extra)} has no header`;
    const failure = rowFailure("input", "SHEET_NO_HEADER", message);
    const raw: Record<string, unknown> = header.toCells(filled(values, width));
    for (let i = width; i < values.length; i++) {
      if (values[i] !== undefined) raw[columnName(i)] = values[i];
    }
    return { kind: "invalid", line, raw, failure };
  }
  return { kind: "row", line, cells: header.toCells(filled(values, width)) };
}

/** The row's values, an empty cell as "" (as a CSV's empty cell). */
function filled(values: unknown[], width: number): unknown[] {
  for (let i = 0; i < width; i++) if (values[i] === undefined) values[i] = "";
  return values;
}
