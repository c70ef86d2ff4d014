import { InputError, rowFailure } from "../errors.js";
import { type Header, headerOf } from "./columns.js";
import { csvRules, type Dialect } from "./dialect.js";
import { type CsvParsed, MAX_RECORD_SIZE } from "./record.js";
import { CsvTokenizer, drain } from "./tokenizer.js";
import type { SourceItem } from "./types.js";
import type { OfferLine, WholeLines } from "./whole-lines.js";

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
  /** Plain lines offered whole once the columns are known (whole-lines.ts). */
  readonly lines?: WholeLines;
}

/**
 * CSV/TSV text (as decoded: line breaks as the file wrote them) → a header, then one item per
 * record, in batches: one for the records each text completes. A record with the wrong number of cells, or that cannot be read (bad quoting), becomes an
 * `invalid` item and the reading goes on at the next line (a record longer than `maxRecordSize`,
 * at the next record: see tokenizer.ts; memory stays bounded); a bad header ends the run.
 *
 * Plain CSV and database dumps with backslash escapes (dialect.ts) are read by the one tokenizer
 * (tokenizer.ts), each by its rules. Names in the header may repeat or be empty: only a column the
 * mapping reads must be unique (mapping/columns.ts).
 */
export async function* readCsv(
  texts: AsyncIterable<string>,
  file: string,
  options: CsvOptions,
): AsyncGenerator<readonly SourceItem[]> {
  const { delimiter, header: hasHeader = true, columns } = options;
  checkDelimiter(delimiter, file);
  let header: Header<string> | undefined = columns === undefined ? undefined : headerOf(columns);
  let headerRow = hasHeader;
  if (header !== undefined) yield [{ kind: "header", columns: header.columns }];
  // Lines are offered once the columns are known and the header row (if any) is read: the lines
  // of the text the header row is in are read as rows, as every line was before.
  const { lines } = options;
  let offering = false;
  let took = false;
  const offer: OfferLine | undefined =
    lines === undefined
      ? undefined
      : (text, start, end, line) => {
          if (!offering || !lines.take(text, start, end, line)) return false;
          took = true;
          return true;
        };
  const startOffering = () => {
    if (lines === undefined || header === undefined || headerRow || offering) return;
    lines.columns(header.columns);
    offering = true;
  };
  const tokenizer = new CsvTokenizer(
    csvRules(options.dialect, options.format),
    delimiter,
    options.maxRecordSize ?? MAX_RECORD_SIZE,
    offer,
  );
  // A text's records are taken synchronously and given as one batch: a step of an async
  // generator costs a promise and a turn of the microtask queue, paid per text, not per row.
  for await (const [text, final] of withEnd(texts)) {
    startOffering();
    const batch: SourceItem[] = [];
    for (const parsed of drain(tokenizer, text, final)) {
      if (headerRow) {
        headerRow = false;
        if (header !== undefined) continue; // replaced by source.columns
        header = readHeader(parsed, file);
        batch.push({ kind: "header", columns: header.columns });
      } else if (header !== undefined) {
        batch.push(toItem(parsed, header));
      }
    }
    // A text whose lines were all taken is still a batch: its consumer learns them in order.
    if (batch.length > 0 || took) yield batch;
    took = false;
  }
  if (header === undefined)
    throw new InputError(file, "the input is empty: there is no header row");
}

/** Each text, then an empty one marked final (what is left in the tokenizer ends there). */
async function* withEnd(texts: AsyncIterable<string>): AsyncGenerator<[string, boolean]> {
  for await (const text of texts) yield [text, false];
  yield ["", true];
}

function toItem(parsed: CsvParsed, header: Header<string>): SourceItem {
  const { line } = parsed;
  if (parsed.kind === "skip") {
    const failure = rowFailure("input", "CSV_PARSE", parsed.error.message);
    return { kind: "invalid", line, raw: parsed.raw, failure };
  }
  const expected = header.columns.length;
  if (parsed.cells.length !== expected) {
    const message = `expected ${expected} cells, found ${parsed.cells.length}`;
    const failure = rowFailure("input", "CSV_COLUMN_COUNT", message);
    return { kind: "invalid", line, raw: parsed.raw, failure };
  }
  return { kind: "row", line, cells: header.toCells(parsed.cells) };
}

/**
 * Column names are kept exactly as written (the BOM is gone already). They may repeat or be empty
 * (spreadsheets write `비고,비고` and trailing commas): the mapping check refuses only a repeated
 * name that it reads.
 */
function readHeader(parsed: CsvParsed, file: string): Header<string> {
  if (parsed.kind === "skip") {
    throw new InputError(file, `cannot read the header row: ${parsed.error.message}`, parsed.line);
  }
  return headerOf(parsed.cells);
}

function checkDelimiter(delimiter: string, file: string): void {
  if (delimiter === "" || /["\r\n]/.test(delimiter)) {
    throw new InputError(file, `cannot use ${JSON.stringify(delimiter)} as the CSV delimiter`);
  }
}
