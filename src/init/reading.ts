/**
 * How `init` reads its input, as the run will: the format and encoding (given, else found), the
 * delimiter, and for CSV/TSV whether the first line is a header and whether the file is a database
 * dump (given by --no-header and --dialect, else found from its first lines). The draft's source
 * section says what was found; the sample is read with the same options.
 */
import type { Dialect } from "../source/dialect.js";
import { detectFormat } from "../source/read.js";
import type { SourceFormat } from "../source/types.js";
import type { DraftReading } from "./draft-source.js";
import { findDialect, firstRowIsData, generatedColumns } from "./layout.js";
import { readSample, type SampleReading } from "./sample.js";
import { type FoundEncoding, findEncoding, findFormat, firstLineOf, readHead } from "./sniff.js";

const FOUND: readonly string[] = ["utf8", "utf16le", "utf16be", "cp949"];
const asFound = (encoding: string): FoundEncoding =>
  encoding === "euc-kr" ? "cp949" : FOUND.includes(encoding) ? (encoding as FoundEncoding) : "utf8";

/** How to read the input, as given on the command line; what is not given is found. */
export interface ReadingOptions {
  readonly input: string;
  readonly encoding?: string;
  readonly format?: SourceFormat;
  /** xlsx: the sheet to draft from (default the first visible). */
  readonly sheet?: string;
  readonly delimiter?: string;
  /** false: the file has no header row (`--no-header`); default: found from the first line. */
  readonly header?: boolean;
  /** A database dump's dialect (`--dialect`); default: found from the first lines. */
  readonly dialect?: Dialect;
}

export interface Layout {
  readonly reading: SampleReading;
  readonly source: DraftReading;
}

export async function findLayout(options: ReadingOptions): Promise<Layout> {
  const { input } = options;
  const sheet = options.sheet === undefined ? {} : { sheet: options.sheet };
  if ((options.format ?? detectFormat(input)) === "xlsx") {
    return {
      reading: { input, format: "xlsx", encoding: "utf8", ...sheet },
      source: { format: "xlsx", encoding: "utf8", encodingGiven: false },
    };
  }
  const head = await readHead(input);
  const encoding = options.encoding ?? findEncoding(head, input);
  const text = firstLineOf(head, asFound(encoding), 20);
  const format = options.format ?? findFormat(input, text[0] ?? "");
  const base = { format, encoding, encodingGiven: options.encoding !== undefined };
  if (format === "ndjson") return { reading: { input, format, encoding }, source: base };

  const delimiter = options.delimiter ?? (format === "tsv" ? "\t" : ",");
  const dialect =
    options.dialect === undefined
      ? findDialect(text, delimiter)
      : { name: options.dialect, evidence: "as given by --dialect" };
  const reading: SampleReading = {
    input,
    format,
    encoding,
    ...(options.delimiter === undefined ? {} : { delimiter }),
    ...(dialect === undefined ? {} : { dialect: dialect.name }),
  };
  const source = {
    ...base,
    ...(options.delimiter === undefined ? {} : { delimiter }),
    ...(dialect === undefined ? {} : { dialect }),
  };
  // The first row, read as a header would be: its cells say whether it is one.
  const first = await readSample(reading, 1);
  const why =
    options.header === false
      ? "as given by --no-header"
      : options.header === true
        ? undefined
        : firstRowIsData(first.columns);
  if (why === undefined) return { reading, source };
  const columns = generatedColumns(first.columns.length);
  return {
    reading: { ...reading, header: false, columns },
    source: { ...source, headerless: { columns, evidence: why } },
  };
}
