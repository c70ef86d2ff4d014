import { readCsv } from "./csv.js";
import { decode } from "./decode.js";
import { normalizeNewlines } from "./newlines.js";
import { openBytes, sourceName } from "./open.js";
import type { SourceFormat, SourceItem, SourceOptions } from "./types.js";

/**
 * The items of an input, streamed in file order, one at a time (see readSourceBatches).
 */
export async function* readSource(options: SourceOptions): AsyncGenerator<SourceItem> {
  for await (const batch of readSourceBatches(options)) yield* batch;
}

/**
 * The items of an input, streamed in file order in batches (never empty, but for a CSV text whose
 * lines were all taken: `lines`, whole-lines.ts): bytes (gunzipped if need
 * be) → text → items, a batch for the records each decoded text completes; a workbook's sheet,
 * read from its zip (xlsx.ts). A batch holds what one chunk of the file holds, so memory stays
 * bounded, and the reader steps its items in a plain loop: a promise a chunk, not one a row.
 * Nothing is read before the first `next()`; input problems (missing file, unknown encoding,
 * invalid UTF-8, bad header) are thrown from it as InputError, after the batches of the records
 * before them. Stopping early closes the input.
 */
export function readSourceBatches(options: SourceOptions): AsyncGenerator<readonly SourceItem[]> {
  const file = sourceName(options.input);
  // A workbook's and NDJSON's readers (and their libraries) are loaded by the first read of one:
  // the nightly diff's thread reads CSV alone, and waits for its modules before its first rows.
  if (options.format === "xlsx") {
    return later(async () => {
      const { readXlsx, workbookOptions } = await import("./xlsx.js");
      return readXlsx(options.input, file, workbookOptions(options));
    });
  }
  const bytes = openBytes(options.input, options.stdin, options.signal);
  const texts = decode(bytes, options.encoding, file);
  const { format } = options;
  if (format === "ndjson") {
    return later(async () => (await import("./ndjson.js")).readNdjson(normalizeNewlines(texts)));
  }
  return readCsv(texts, file, {
    format,
    delimiter: delimiterOf(format, options.delimiter),
    ...(options.header === undefined ? {} : { header: options.header }),
    ...(options.columns === undefined ? {} : { columns: options.columns }),
    ...(options.dialect === undefined ? {} : { dialect: options.dialect }),
    ...(options.lines === undefined ? {} : { lines: options.lines }),
  });
}

/** The batches of a reader made at the first `next()` (the reader's module loaded then). */
async function* later(
  open: () => Promise<AsyncGenerator<readonly SourceItem[]>>,
): AsyncGenerator<readonly SourceItem[]> {
  yield* await open();
}

/** The delimiter a CSV/TSV file is read with: the one given, or its format's (tab for TSV). */
export function delimiterOf(format: SourceFormat, delimiter: string | undefined): string {
  return delimiter ?? (format === "tsv" ? "\t" : ",");
}

const EXTENSIONS: Readonly<Record<string, SourceFormat>> = {
  csv: "csv",
  tsv: "tsv",
  ndjson: "ndjson",
  jsonl: "ndjson",
  xlsx: "xlsx",
  xlsm: "xlsx",
};

/** The format a file name's extension says (`users.csv`, `events.jsonl.gz`), if any. */
export function detectFormat(path: string): SourceFormat | undefined {
  const name = path.toLowerCase().replace(/\.gz$/, "");
  const dot = name.lastIndexOf(".");
  if (dot === -1 || name.lastIndexOf("/") > dot) return undefined;
  return EXTENSIONS[name.slice(dot + 1)];
}
