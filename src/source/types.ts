import type { RowFailure } from "../errors.js";
import type { Dialect } from "./dialect.js";
import type { WholeLines } from "./whole-lines.js";

export type SourceFormat = "csv" | "tsv" | "ndjson" | "xlsx";

/**
 * What a source yields, in file order:
 *  - `header` once, before any row, for formats that have one (CSV/TSV): the column names;
 *  - `row` for each record: `line` is the 1-based line where the record starts in the file,
 *    `cells` the record (CSV: column → string; NDJSON: the parsed object);
 *  - `invalid` for a record that could not be read; `raw` keeps what was read of it.
 */
export type SourceItem =
  | { readonly kind: "header"; readonly columns: readonly string[] }
  | {
      readonly kind: "row";
      readonly line: number;
      readonly cells: Readonly<Record<string, unknown>>;
    }
  | {
      readonly kind: "invalid";
      readonly line: number;
      readonly raw: string | Readonly<Record<string, unknown>>;
      readonly failure: RowFailure;
    };

export type SourceRow = Extract<SourceItem, { kind: "row" }>;
export type SourceInvalid = Extract<SourceItem, { kind: "invalid" }>;

export interface SourceOptions {
  /** A path, or `-` for standard input. A `.gz` suffix is decompressed on the fly. */
  readonly input: string;
  readonly format: SourceFormat;
  /** `utf8` (default), `utf16le`/`utf16be` (also found by BOM), `cp949`, `euc-kr`. */
  readonly encoding?: string;
  /** CSV only; default `,` (tab for tsv). */
  readonly delimiter?: string;
  /**
   * @deprecated Ignored: a quoted cell that closes is one cell however many lines it spans; only a
   * quote that never closes (by the input's end or the record bound) is an unclosed quote. Kept so
   * that `--max-cell-lines` is still accepted (docs/csv.md).
   */
  readonly maxCellLines?: number;
  /** CSV/TSV: false when the file has no header row (then `columns` names the columns). */
  readonly header?: boolean;
  /** CSV/TSV: the column names in order; they replace a header row if there is one. */
  readonly columns?: readonly string[];
  /** CSV/TSV written by a database: backslash escapes and `\N` for NULL (see dialect.ts). */
  readonly dialect?: Dialect;
  /** CSV/TSV: plain lines offered whole to the caller, which may take them (whole-lines.ts). */
  readonly lines?: WholeLines;
  /** xlsx: a sheet's name, or its number in tab order; default the first visible sheet. */
  readonly sheet?: string | number;
  /** For `-`: the stream to read. Defaults to process.stdin. */
  readonly stdin?: NodeJS.ReadableStream;
  /** Aborted: stop reading at once, even while waiting for a pipe's writer (the input ends there). */
  readonly signal?: AbortSignal;
}
