/**
 * The sample `init` drafts from: the header and the first rows of the input, read by the same
 * source code as an import. NDJSON objects are flattened to the dotted paths a mapping names.
 */
import { readSource } from "../source/read.js";
import type { SourceFormat, SourceOptions } from "../source/types.js";

/** How the sample is read: as the run would read the file with the draft's source section. */
export type SampleReading = Pick<
  SourceOptions,
  "input" | "format" | "encoding" | "sheet" | "delimiter" | "header" | "columns" | "dialect"
>;

export const SAMPLE_ROWS = 1000;

export interface Sample {
  readonly format: SourceFormat;
  readonly encoding: string;
  /** CSV/TSV: the header; NDJSON: every leaf path seen, in order of first appearance. */
  readonly columns: readonly string[];
  /** The rows as the mapping stage sees them (CSV: column → text; NDJSON: the object). */
  readonly rows: readonly Readonly<Record<string, unknown>>[];
  /** Rows that could not be read at all (bad quoting, not JSON). */
  readonly unreadable: number;
}

export async function readSample(reading: SampleReading, limit = SAMPLE_ROWS): Promise<Sample> {
  const { format } = reading;
  const encoding = reading.encoding ?? "utf8";
  let columns: string[] = [];
  const paths = new Set<string>();
  const rows: Readonly<Record<string, unknown>>[] = [];
  let unreadable = 0;
  for await (const item of readSource(reading)) {
    if (item.kind === "header") columns = [...item.columns];
    else if (item.kind === "invalid") unreadable++;
    else {
      rows.push(item.cells);
      if (format === "ndjson") for (const path of leafPaths(item.cells)) paths.add(path);
    }
    if (rows.length + unreadable >= limit) break;
  }
  return {
    format,
    encoding,
    columns: format === "ndjson" ? [...paths] : columns,
    rows,
    unreadable,
  };
}

/** The dotted paths of an object's leaves (a list is a leaf), a few levels deep. */
export function leafPaths(
  value: Readonly<Record<string, unknown>>,
  prefix = "",
  depth = 0,
): string[] {
  const out: string[] = [];
  for (const [key, child] of Object.entries(value)) {
    const path = prefix === "" ? key : `${prefix}.${key}`;
    if (typeof child === "object" && child !== null && !Array.isArray(child) && depth < 3) {
      out.push(...leafPaths(child as Record<string, unknown>, path, depth + 1));
    } else {
      out.push(path);
    }
  }
  return out;
}
